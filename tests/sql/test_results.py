"""Result files: pages by row number, sorted copies, exports, JSON-safe cells, pruning."""

from __future__ import annotations

import os
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.errors import Gone, InvalidRequest
from jupyterlab_dbt_workbench.sql.results import ResultFiles, json_safe

COLUMNS = [{"name": "n", "type": "BIGINT"}, {"name": "g", "type": "BIGINT"}]


def write(files: ResultFiles, query_id: str, rows: int) -> None:
    import duckdb

    files.folder.mkdir(parents=True, exist_ok=True)
    duckdb.sql(
        f"SELECT range AS n, CASE WHEN range % 5 = 0 THEN NULL ELSE range % 3 END AS g "
        f"FROM range({rows})"
    ).to_parquet(str(files.path(query_id)))


def test_pages_stop_at_the_result_size_even_when_the_file_holds_one_more(tmp_path: Path) -> None:
    files = ResultFiles(tmp_path, keep=5)
    write(files, "q", 101)  # limit 100 asked 101 rows to learn it was cut
    assert [r[0] for r in files.page("q", 100, COLUMNS, 95, 50)] == [95, 96, 97, 98, 99]
    assert files.page("q", 100, COLUMNS, 100, 50) == []


def test_a_sort_is_stable_with_nulls_last(tmp_path: Path) -> None:
    files = ResultFiles(tmp_path, keep=5)
    write(files, "q", 20)
    rows = files.page("q", 20, COLUMNS, 0, 20, sort="g", descending=True)
    assert [r[1] for r in rows] == [2] * 5 + [1] * 6 + [0] * 5 + [None] * 4
    twos = [r[0] for r in rows if r[1] == 2]
    assert twos == sorted(twos)  # ties in result order
    again = files.page("q", 20, COLUMNS, 6, 6, sort="g", descending=True)
    assert again == rows[6:12]
    with pytest.raises(InvalidRequest, match="No column 'nope'"):
        files.page("q", 20, COLUMNS, 0, 5, sort="nope")


def test_exports_hold_exactly_the_result(tmp_path: Path) -> None:
    import duckdb

    files = ResultFiles(tmp_path, keep=5)
    write(files, "q", 11)
    csv = files.export("q", 10, True, "csv")
    lines = csv.read_text().splitlines()
    assert lines[0] == "n,g" and len(lines) == 11
    parquet = files.export("q", 10, True, "parquet")
    assert duckdb.sql(f"SELECT count(*) FROM '{parquet}'").fetchall() == [(10,)]
    assert files.export("q", 11, False, "parquet") == files.path("q")
    with pytest.raises(InvalidRequest, match="csv or parquet"):
        files.export("q", 10, True, "xlsx")


def test_only_the_newest_results_are_kept(tmp_path: Path) -> None:
    files = ResultFiles(tmp_path, keep=2)
    for index, query_id in enumerate(("a", "b", "c")):
        write(files, query_id, 3)
        os.utime(files.path(query_id), (time.time() + index, time.time() + index))
    files.export("a", 3, False, "csv")
    files.prune()
    with pytest.raises(Gone, match="run the query again"):
        files.page("a", 3, COLUMNS, 0, 3)
    assert not (tmp_path / "a.export.csv").exists()
    assert files.page("c", 3, COLUMNS, 0, 3)[0][0] == 0


def test_cells_become_json() -> None:
    assert json_safe(Decimal("1.50")) == 1.5
    assert json_safe(date(2025, 1, 2)) == "2025-01-02"
    assert json_safe(datetime(2025, 1, 2, 3, 4, 5)) == "2025-01-02T03:04:05"
    assert json_safe(b"\x01\xff") == "01ff"
    assert json_safe(float("nan")) == "nan"
    assert json_safe({"a": [Decimal("2")]}) == {"a": [2.0]}
