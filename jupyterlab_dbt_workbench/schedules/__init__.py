"""Scheduled dbt runs: timezone-aware cron slots, policies, a leased loop and its store."""
