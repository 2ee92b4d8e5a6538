"""The SQL workspace's engine on a real DuckDB warehouse: results, errors, limits, locks."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sql_project import make_project

from jupyterlab_dbt_workbench.errors import Gone
from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace, error_position
from jupyterlab_dbt_workbench.sql.history import SqlHistoryStore
from jupyterlab_dbt_workbench.workbench import Workbench

SLOW_QUERY = "select count(*) from range(1000000000) a, range(1000000) b"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    make_project(folder)
    return folder


@pytest.fixture
def workbench(project: Path) -> Iterator[Workbench]:
    bench = Workbench(project, store_path=None)
    yield bench
    bench.close()


def make_workspace(workbench: Workbench, tmp_path: Path, **options: object) -> SqlWorkspace:
    return SqlWorkspace(workbench, tmp_path / "results", **options)  # type: ignore[arg-type]


@pytest.fixture
def workspace(workbench: Workbench, tmp_path: Path) -> Iterator[SqlWorkspace]:
    space = make_workspace(workbench, tmp_path)
    yield space
    space.shutdown()


def run(space: SqlWorkspace, sql: str, **options: object) -> dict:
    started = space.submit(None, sql, **options)  # type: ignore[arg-type]
    assert started["status"] == "running"
    return dict(space.wait(started["id"], 60))


def test_a_ref_query_runs_and_its_result_pages(workspace: SqlWorkspace) -> None:
    query = run(workspace, "select * from {{ ref('orders') }} where order_id < 250 order by 1")
    assert query["status"] == "success", query["error"]
    assert query["compiled_sql"] == (
        'select * from "db"."analytics"."orders" where order_id < 250 order by 1'
    )
    assert query["method"] == "manifest"
    assert query["row_count"] == 250 and not query["truncated"]
    assert [c["name"] for c in query["columns"]] == [
        "order_id",
        "customer_id",
        "amount",
        "ordered_at",
    ]
    assert query["columns"][3]["type"] == "DATE"
    page = workspace.rows(query["id"], offset=240, limit=100)
    assert page["total"] == 250
    assert [row[0] for row in page["rows"]] == list(range(240, 250))
    assert page["rows"][0][3] == "2025-01-01"  # dates as ISO text
    ordered = workspace.rows(query["id"], 0, 3, sort="customer_id", descending=True)
    assert [row[1] for row in ordered["rows"]] == [6, 6, 6]
    # Ties keep the result's order, so pages never repeat or skip rows.
    assert [row[0] for row in ordered["rows"]] == [6, 13, 20]


def test_the_limit_cuts_the_result_and_says_so(workspace: SqlWorkspace) -> None:
    query = run(workspace, "select * from {{ ref('orders') }} order by order_id", limit=100)
    assert query["row_count"] == 100 and query["truncated"]
    last = workspace.rows(query["id"], 90, 50)
    assert [row[0] for row in last["rows"]] == list(range(90, 100))
    csv = workspace.export(query["id"], "csv").read_text().splitlines()
    assert csv[0] == "order_id,customer_id,amount,ordered_at" and len(csv) == 101
    exact = run(workspace, "select * from {{ ref('orders') }}", limit=1000)
    assert exact["row_count"] == 1000 and not exact["truncated"]


def test_an_empty_result_has_columns_and_no_rows(workspace: SqlWorkspace) -> None:
    query = run(workspace, "select order_id, amount from {{ ref('orders') }} where false")
    assert query["status"] == "success"
    assert query["row_count"] == 0 and [c["name"] for c in query["columns"]] == [
        "order_id",
        "amount",
    ]
    assert workspace.rows(query["id"])["rows"] == []


def test_a_syntax_error_has_the_warehouse_message_and_position(workspace: SqlWorkspace) -> None:
    query = run(workspace, "select order_id\nfrom {{ ref('orders') }}\nwehre order_id = 1")
    assert query["status"] == "error"
    error = query["error"]
    assert error["kind"] == "syntax"
    assert "Parser Error" in error["message"]  # DuckDB's words
    assert (error["line"], error["column"]) == (3, 7)


def test_an_unknown_ref_suggests_close_names(workspace: SqlWorkspace) -> None:
    query = run(workspace, "select * from {{ ref('ordrs') }}")
    error = query["error"]
    assert query["status"] == "error" and error["kind"] == "unknown_relation"
    assert "orders" in error["suggestions"]
    assert "ordrs" in error["message"]


def test_writes_are_refused_naming_the_statement_and_the_setting(
    workspace: SqlWorkspace, project: Path
) -> None:
    query = run(workspace, "select 1;\ndrop table analytics.orders")
    error = query["error"]
    assert query["status"] == "error" and error["kind"] == "write_refused"
    assert "Statement 2 (drop table analytics.orders)" in error["message"]
    assert "allow_sql_writes" in error["message"]
    assert run(workspace, "select count(*) from analytics.orders")["row_count"] == 1


def test_writes_run_when_the_server_allows_them(workbench: Workbench, tmp_path: Path) -> None:
    space = make_workspace(workbench, tmp_path, allow_writes=True)
    created = run(space, "create table analytics.notes as select 42 as answer")
    assert created["status"] == "success", created["error"]
    query = run(space, "select answer from analytics.notes")
    assert space.rows(query["id"])["rows"] == [[42]]


def test_every_query_is_in_the_history_failed_ones_too(workspace: SqlWorkspace) -> None:
    good = run(workspace, "select 1 as one")
    bad = run(workspace, "select * from {{ ref('nope') }}")
    history = workspace.history(q="ref('nope')")
    assert [entry["id"] for entry in history["entries"]] == [bad["id"]]
    assert history["entries"][0]["status"] == "error"
    assert "nope" in (history["entries"][0]["error"] or "")
    everything = workspace.history()
    assert [entry["id"] for entry in everything["entries"]] == [bad["id"], good["id"]]
    # A past query re-opens by its id.
    assert workspace.get(good["id"])["sql"] == "select 1 as one"


def test_a_timeout_interrupts_the_query(workspace: SqlWorkspace) -> None:
    started = time.monotonic()
    query = run(workspace, SLOW_QUERY, timeout=1)
    assert time.monotonic() - started < 5
    assert query["status"] == "timeout"
    assert query["error"]["kind"] == "timeout" and "sql_timeout" in query["error"]["message"]


def test_cancel_interrupts_the_query(workspace: SqlWorkspace) -> None:
    query = workspace.submit(None, SLOW_QUERY, timeout=120)
    time.sleep(0.5)
    started = time.monotonic()
    cancelled = workspace.cancel(query["id"])
    assert time.monotonic() - started < 3
    assert cancelled["status"] == "cancelled"
    assert workspace.history()["entries"][0]["status"] == "cancelled"


def hold_lock(path: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process with a write connection on the file, as a dbt run has."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "c = duckdb.connect(sys.argv[1])\n"
            "print('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\n",
            str(path),
            str(seconds),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    return holder


def test_a_held_lock_is_retried_then_reported_busy(
    workbench: Workbench, project: Path, tmp_path: Path
) -> None:
    space = make_workspace(workbench, tmp_path, busy_wait=1.0)
    holder = hold_lock(project / "db.duckdb", 60)
    try:
        query = run(space, "select * from {{ ref('orders') }}")
    finally:
        holder.kill()
        holder.wait()
    assert query["status"] == "error" and query["error"]["kind"] == "busy"
    assert "db.duckdb" in query["error"]["message"] and "dbt run" in query["error"]["message"]
    assert query["duration"] >= 1.0


def test_a_lock_released_during_the_backoff_lets_the_query_run(
    workspace: SqlWorkspace, project: Path
) -> None:
    holder = hold_lock(project / "db.duckdb", 1.0)
    try:
        query = run(workspace, "select count(*) as n from {{ ref('orders') }}")
    finally:
        holder.wait()
    assert query["status"] == "success", query["error"]
    assert workspace.rows(query["id"])["rows"] == [[1000]]
    assert query["duration"] >= 0.5


def write_from_another_process(path: Path, sql: str) -> None:
    """Open the file read-write in another process, as a dbt run does, and run ``sql``."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys\n"
            "c = duckdb.connect(sys.argv[1])\n"
            "c.execute(sys.argv[2])\n"
            "c.close()",
            str(path),
            sql,
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr


def wait_running(space: SqlWorkspace, query_id: str) -> None:
    """Wait until the query holds the warehouse (its compiled SQL is known: it runs)."""
    deadline = time.monotonic() + 10
    while space.get(query_id)["compiled_sql"] is None and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.3)


def test_the_warehouse_is_free_once_its_queries_end_and_changes_show(
    workspace: SqlWorkspace, project: Path
) -> None:
    count = "select count(*) as n from analytics.orders"
    first = run(workspace, count)
    write_from_another_process(
        project / "db.duckdb", "insert into analytics.orders select * from analytics.orders limit 5"
    )
    assert workspace.rows(first["id"])["rows"] == [[1000]]
    assert workspace.rows(run(workspace, count)["id"])["rows"] == [[1005]]
    # Two queries reading the file at once: the one that ends first leaves it to the other.
    slow = workspace.submit(None, "select count(*) from analytics.orders, range(1000000000)")
    wait_running(workspace, slow["id"])
    quick = run(workspace, "select max(order_id) as m from {{ ref('orders') }}")
    assert workspace.rows(quick["id"])["rows"] == [[999]]
    assert workspace.get(slow["id"])["status"] == "running"
    assert workspace.cancel(slow["id"])["status"] == "cancelled"
    write_from_another_process(project / "db.duckdb", "delete from analytics.orders where false")


def test_projects_whose_warehouses_share_a_file_name_query_each_their_own(
    tmp_path: Path,
) -> None:
    root = tmp_path / "root"
    one, two = make_project(root / "one"), make_project(root / "two")
    write_from_another_process(two, "delete from analytics.orders where order_id >= 10")
    bench = Workbench(root, store_path=None)
    space = make_workspace(bench, tmp_path)
    try:
        count = "select count(*) as n from {{ ref('orders') }}"
        # "db" stays taken by project one's file while this query runs.
        slow = space.submit("one", "select count(*) from analytics.orders, range(1000000000)")
        wait_running(space, slow["id"])
        other = space.submit("two", count)
        other = space.wait(other["id"], 60)
        assert other["status"] == "success", other["error"]
        assert space.rows(other["id"])["rows"] == [[10]]
        space.cancel(slow["id"])
        mine = space.wait(space.submit("one", count)["id"], 60)
        assert space.rows(mine["id"])["rows"] == [[1000]]
    finally:
        space.shutdown()
        bench.close()
    assert one.name == two.name == "db.duckdb"


def test_queries_left_running_by_a_dead_process_are_marked_interrupted(
    workbench: Workbench, tmp_path: Path
) -> None:
    space = make_workspace(workbench, tmp_path, timeout=10)
    base = space.get(run(space, "select 1 as one")["id"])
    space.shutdown()
    store = SqlHistoryStore(workbench.database)
    now = datetime.now(timezone.utc)
    for query_id, age in (("dead", timedelta(hours=1)), ("young", timedelta(seconds=30))):
        started_at = (now - age).isoformat(timespec="milliseconds")
        store.save({**base, "id": query_id, "status": "running", "started_at": started_at})
    # The newest a dead query can be: dbt compile's 180 s (more than the 10 s timeout) + 60 s.
    again = make_workspace(workbench, tmp_path, timeout=10)
    try:
        assert again.get("dead")["status"] == "interrupted"
        # Younger than any query can live: it may still run in another process (a kernel).
        assert again.get("young")["status"] == "running"
        assert again.get(base["id"])["status"] == "success"
        statuses = {entry["id"]: entry["status"] for entry in again.history()["entries"]}
        assert statuses["dead"] == "interrupted"
    finally:
        again.shutdown()


def test_a_waiter_gets_the_ended_query_from_its_future(workspace: SqlWorkspace) -> None:
    started = workspace.submit(None, "select 42 as answer")
    future = workspace.finished(started["id"])
    assert future is not None
    ended = future.result(timeout=60)
    assert ended["status"] == "success" and ended["row_count"] == 1
    assert workspace.finished(started["id"]) is None  # ended: get() answers
    assert workspace.get(started["id"]) == ended


def test_old_results_are_pruned_and_answer_gone(workbench: Workbench, tmp_path: Path) -> None:
    space = make_workspace(workbench, tmp_path, keep=2)
    first = run(space, "select 1 as n")
    time.sleep(0.02)
    run(space, "select 2 as n")
    time.sleep(0.02)
    run(space, "select 3 as n")
    # Pruning follows the answer, in the query's thread.
    deadline = time.monotonic() + 5
    while space.results.path(first["id"]).exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    with pytest.raises(Gone, match="run the query again"):
        space.rows(first["id"])
    assert space.get(first["id"])["status"] == "success"  # still in the history


def test_error_position_finds_the_column_in_a_long_line() -> None:
    import duckdb

    sql = "select 1;\nselect " + ", ".join(f"c{i}" for i in range(80)) + " fro t"
    with pytest.raises(duckdb.ParserException) as caught:
        duckdb.connect().extract_statements(sql)
    assert "LINE 2: ..." in str(caught.value)  # DuckDB shows a window of the long line
    line, column = error_position(str(caught.value), sql)
    assert line == 2 and sql.splitlines()[1][column - 1 :] == "t"


@pytest.mark.slow
def test_dbt_show_gives_the_same_result_shape(built_demo: Path, tmp_path: Path) -> None:
    root = tmp_path / "demo"
    shutil.copytree(built_demo, root)
    bench = Workbench(root, store_path=None)
    try:
        space = make_workspace(bench, tmp_path)
        sql = "select order_id, status from {{ ref('stg_orders') }} order by order_id"
        direct = run(space, sql, limit=5)
        shown = run(space, sql, limit=5, via="dbt")
        assert shown["status"] == "success", shown["error"]
        assert [c["name"] for c in shown["columns"]] == ["order_id", "status"]
        assert (shown["row_count"], shown["truncated"]) == (5, True)
        assert space.rows(shown["id"])["rows"] == space.rows(direct["id"])["rows"]
        failed = run(space, "select * from {{ ref('stg_orders') }} wher 1", via="dbt")
        assert failed["status"] == "error" and "Parser Error" in failed["error"]["message"]
    finally:
        bench.close()
