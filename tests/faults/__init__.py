"""Fault tests: real processes killed, files corrupted or locked, endpoints down."""
