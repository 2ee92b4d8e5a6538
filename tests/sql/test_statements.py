"""Which statements the SQL workspace runs by default, and which it refuses as writes."""

from __future__ import annotations

import pytest

from jupyterlab_dbt_workbench.errors import SqlSyntaxError, WriteRefused
from jupyterlab_dbt_workbench.server.errors import http_error
from jupyterlab_dbt_workbench.sql.statements import check_read_only, classify, sqlglot_dialect

READS = [
    ("select * from orders", "select"),
    ("with a as (select 1 as x) select * from a", "with"),
    ("FROM orders", "select"),
    ("FROM orders SELECT order_id WHERE status = 'placed'", "select"),
    ("SUMMARIZE orders", "describe"),
    ("SUMMARIZE SELECT 1", "describe"),
    ("PIVOT orders ON status USING count(*)", "select"),
    ("UNPIVOT t ON a, b INTO NAME k VALUE v", "select"),
    ("DESCRIBE orders", "describe"),
    ("DESC orders", "describe"),
    ("SHOW TABLES", "show"),
    ("SHOW ALL TABLES", "show"),
    ("EXPLAIN SELECT 1", "explain"),
    ("EXPLAIN ANALYZE SELECT 1", "explain"),
    ("TABLE orders", "select"),
    ("VALUES (1), (2)", "select"),
    ("(select 1) union all (select 2)", "select"),
    ("select * exclude (a) from t qualify row_number() over () = 1", "select"),
    ("select 1 as \"update\", 'drop table x' as note", "select"),
    ("select * from read_csv('raw_data/x.csv')", "select"),
]

WRITES = [
    ("COPY orders TO 'orders.csv'", "copy"),
    ("ATTACH 'other.duckdb' AS other", "attach"),
    ("INSTALL httpfs", "install"),
    ("LOAD httpfs", "load"),
    ("PRAGMA database_list", "pragma"),
    ("SET threads = 1", "set"),
    ("CALL pragma_version()", "other"),
    ("CHECKPOINT", "other"),
    ("EXPORT DATABASE 'dump'", "copy"),
    ("CREATE TABLE x AS SELECT 1", "create"),
    ("INSERT INTO t SELECT 1", "insert"),
    ("WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a", "insert"),
    ("WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d", "delete"),
    ("SELECT * INTO copy_of_t FROM t", "create"),
    ("UPDATE t SET a = 1", "update"),
    ("DELETE FROM t", "delete"),
    ("MERGE INTO t USING s ON t.a = s.a WHEN MATCHED THEN DELETE", "merge"),
    ("DROP TABLE t", "drop"),
    ("ALTER TABLE t ADD COLUMN b INT", "alter"),
    ("EXPLAIN ANALYZE INSERT INTO t VALUES (1)", "explain"),
    ("CREATE SECRET (TYPE s3)", "create"),
    ("VACUUM", "other"),
    ("BEGIN", "other"),
]


@pytest.mark.parametrize(("sql", "kind"), READS)
def test_reads_are_allowed(sql: str, kind: str) -> None:
    statements = classify(sql, "duckdb")
    assert [(s.kind, s.writes) for s in statements] == [(kind, False)]
    check_read_only(statements)


@pytest.mark.parametrize(("sql", "kind"), WRITES)
def test_writes_are_refused(sql: str, kind: str) -> None:
    statements = classify(sql, "duckdb")
    assert [(s.kind, s.writes) for s in statements] == [(kind, True)]
    with pytest.raises(WriteRefused, match=r"^Statement 1 "):
        check_read_only(statements)


def test_a_write_after_a_read_is_found_and_named() -> None:
    sql = "-- the orders\nselect ';' as semi /* ; */ from orders;\n\n  drop table orders;"
    statements = classify(sql, "duckdb")
    assert [(s.index, s.kind, s.line, s.writes) for s in statements] == [
        (1, "select", 2, False),
        (2, "drop", 4, True),
    ]
    assert statements[0].text == "select ';' as semi /* ; */ from orders"
    with pytest.raises(WriteRefused) as caught:
        check_read_only(statements)
    assert str(caught.value) == (
        "Statement 2 (drop table orders) writes to the warehouse; the workbench refuses writes "
        "unless the server setting DbtWorkbench.allow_sql_writes is True."
    )
    assert caught.value.statement == 2
    error = http_error(caught.value)
    assert (error.status_code, error.details) == (403, {"statement": 2})


def test_long_statements_are_shortened_in_the_refusal() -> None:
    statements = classify("insert into t select " + ", ".join(["a"] * 50) + " from s", "duckdb")
    with pytest.raises(WriteRefused, match=r"\(insert into t select a, a, .* \.\.\.\) writes"):
        check_read_only(statements)


@pytest.mark.parametrize(
    ("sql", "message", "line", "column"),
    [
        ("", "The query is empty", 1, 1),
        ("  -- only a comment\n", "The query is empty", 1, 1),
        ("select 1;\nselec * from x", "starts with 'selec' .* did you mean SELECT", 2, 1),
        ("FORM orders", "did you mean FROM", 1, 1),
        ("select 1;\n  select 'abc", "A quote or comment opened at line 2, column 10", 2, 10),
        ("select 1 /* note", "is not closed", 1, 10),
        ("1 + 1", "does not start with a SQL keyword", 1, 1),
    ],
)
def test_text_that_is_not_sql_is_a_syntax_error(
    sql: str, message: str, line: int, column: int
) -> None:
    with pytest.raises(SqlSyntaxError, match=message) as caught:
        classify(sql, "duckdb")
    assert (caught.value.line, caught.value.column) == (line, column)
    error = http_error(caught.value)
    assert (error.status_code, error.details) == (422, {"line": line, "column": column})


def test_a_read_sqlglot_cannot_parse_is_left_to_the_warehouse() -> None:
    # The warehouse reports the real syntax error, with its own position.
    assert [(s.kind, s.writes) for s in classify("select 1 from", "duckdb")] == [("select", False)]
    # ... but not when a writing keyword hides in it.
    broken = classify("select 1 from (insert into t values (1)", "duckdb")
    assert [(s.kind, s.writes) for s in broken] == [("select", True)]


def test_adapter_types_map_to_sqlglot_dialects() -> None:
    assert sqlglot_dialect("duckdb") == "duckdb"
    assert sqlglot_dialect("sqlserver") == "tsql"
    assert sqlglot_dialect("snowflake") == "snowflake"
    assert sqlglot_dialect("no-such-adapter") == ""
    assert sqlglot_dialect(None) == ""
    # A dialect's own quoting: backticks are names in BigQuery, so no keyword hides in them.
    bigquery = classify("select `drop` from `project.dataset.t`", "bigquery")
    assert [(s.kind, s.writes) for s in bigquery] == [("select", False)]
    assert classify("select * into new_t from t", "postgres")[0].writes
