"""A tiny dbt project on a real DuckDB file for the SQL workspace tests (no dbt run needed).

The manifest is the search tests' hand-written one (models in database ``db``, schema
``analytics``); the warehouse file ``db.duckdb`` holds ``analytics.orders`` (1,000 rows) and
``analytics.customers`` (nulls, dates, text) so that compiled ``ref()`` queries really run.
"""

from __future__ import annotations

from pathlib import Path

import orjson
from search_states import manifest

PROFILE = """shop:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: db.duckdb
"""

TABLES = """
CREATE SCHEMA analytics;
CREATE TABLE analytics.orders AS
    SELECT range AS order_id, range % 7 AS customer_id, (range % 100) * 1.5 AS amount,
           DATE '2025-01-01' + CAST(range % 30 AS INTEGER) AS ordered_at
    FROM range(1000);
CREATE TABLE analytics.customer_revenue AS
    SELECT * FROM (VALUES (1, 'ann', 10.0), (2, NULL, 20.0), (3, 'bob', NULL), (4, 'ann', 5.0))
        AS t(customer_id, name, order_total);
"""


def make_project(folder: Path) -> Path:
    """Write the project and its warehouse into ``folder``; returns the DuckDB file."""
    import duckdb

    (folder / "target").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\nversion: '1.0'\n")
    (folder / "profiles.yml").write_text(PROFILE)
    (folder / "target" / "manifest.json").write_bytes(orjson.dumps(manifest()))
    path = folder / "db.duckdb"
    connection = duckdb.connect(str(path))
    try:
        connection.execute(TABLES)
    finally:
        connection.close()
    return path
