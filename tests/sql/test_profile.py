"""Column profiles computed by DuckDB: nulls, distinct, ranges, top values, histograms."""

from __future__ import annotations

from typing import Any

import pytest

from jupyterlab_dbt_workbench.sql import profile as profiling
from jupyterlab_dbt_workbench.sql.profile import columns_of, profile


@pytest.fixture
def connection() -> Any:
    import duckdb

    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE t AS SELECT range AS n, "
        "CASE WHEN range % 4 = 0 THEN NULL ELSE 'v' || (range % 3) END AS label, "
        "DATE '2025-01-01' + CAST(range AS INTEGER) AS day, [range, 1] AS pair "
        "FROM range(100)"
    )
    yield connection
    connection.close()


def by_name(result: Any) -> dict[str, Any]:
    return {column["name"]: column for column in result["columns"]}


def test_every_column_gets_its_statistics(connection: Any) -> None:
    result = profile(connection, "t", columns_of(connection, "t"), origin="relation", name="t")
    assert result["row_count"] == 100 and result["source"] == "relation"
    columns = by_name(result)
    n = columns["n"]
    assert (n["nulls"], n["distinct"], n["min"], n["max"], n["mean"]) == (0, 100, 0, 99, 49.5)
    assert n["histogram"] == {
        "edges": pytest.approx([0, 9.9, 19.8, 29.7, 39.6, 49.5, 59.4, 69.3, 79.2, 89.1, 99]),
        "counts": [10] * 10,
    }
    label = columns["label"]
    assert (label["nulls"], label["null_fraction"], label["distinct"]) == (25, 0.25, 3)
    assert (label["min"], label["max"]) == ("v0", "v2")
    assert label["mean"] is None and label["histogram"] is None
    assert columns["pair"]["min"] is None
    assert label["top"][0]["count"] == 25 and len(label["top"]) == 3
    day = columns["day"]
    assert (day["min"], day["max"]) == ("2025-01-01", "2025-04-10")
    assert columns["pair"]["distinct"] == 100 and columns["pair"]["top"][0]["count"] == 1


def test_a_constant_column_has_one_bin_and_an_empty_table_profiles(connection: Any) -> None:
    connection.execute("CREATE TABLE c AS SELECT 7 AS k FROM range(5)")
    k = by_name(profile(connection, "c", columns_of(connection, "c"), origin="query", name="c"))
    assert k["k"]["histogram"] == {"edges": [7.0, 7.0], "counts": [5]}
    connection.execute("CREATE TABLE e (x INTEGER)")
    empty = profile(connection, "e", columns_of(connection, "e"), origin="query", name="e")
    assert empty["row_count"] == 0
    assert empty["columns"][0]["null_fraction"] == 0.0 and empty["columns"][0]["top"] == []


def test_distinct_counts_turn_approximate_on_big_inputs(
    connection: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(profiling, "EXACT_DISTINCT_ROWS", 10)
    result = profile(connection, "t", columns_of(connection, "t"), origin="query", name="t")
    # HyperLogLog: close to the 100 distinct values, not necessarily exact.
    assert 90 <= by_name(result)["n"]["distinct"] <= 110
