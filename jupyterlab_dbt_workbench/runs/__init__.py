"""Running dbt as a subprocess and reading what it reports."""
