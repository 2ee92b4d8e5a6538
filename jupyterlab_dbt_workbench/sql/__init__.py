"""The SQL workspace core: compile dbt-flavoured SQL, classify statements, run queries."""
