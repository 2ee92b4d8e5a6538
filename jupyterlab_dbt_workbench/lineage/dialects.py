"""Which sqlglot dialect reads the SQL of which dbt adapter."""

from __future__ import annotations

# dbt adapter type (manifest metadata.adapter_type) -> sqlglot dialect name. Adapters that
# speak another engine's SQL map to that engine.
_DIALECTS: dict[str, str] = {
    "athena": "athena",
    "bigquery": "bigquery",
    "clickhouse": "clickhouse",
    "databricks": "databricks",
    "doris": "doris",
    "dremio": "dremio",
    "duckdb": "duckdb",
    "exasol": "exasol",
    "fabric": "fabric",
    "glue": "spark",
    "hive": "hive",
    "impala": "hive",
    "materialize": "materialize",
    "motherduck": "duckdb",
    "mysql": "mysql",
    "oracle": "oracle",
    "postgres": "postgres",
    "presto": "presto",
    "redshift": "redshift",
    "risingwave": "risingwave",
    "singlestore": "singlestore",
    "snowflake": "snowflake",
    "spark": "spark",
    "sqlite": "sqlite",
    "sqlserver": "tsql",
    "starrocks": "starrocks",
    "synapse": "tsql",
    "teradata": "teradata",
    "trino": "trino",
}


def dialect_for(adapter_type: str | None) -> str | None:
    """The sqlglot dialect for a dbt adapter; None (sqlglot's generic SQL) when unknown."""
    if not adapter_type:
        return None
    return _DIALECTS.get(adapter_type.lower())


def dialect_label(dialect: str | None) -> str:
    """How a dialect is named to the user."""
    return dialect or "generic SQL (the adapter has no sqlglot dialect)"
