"""The SQL history in the store: newest first, searchable, paged, updated in place."""

from __future__ import annotations

from jupyterlab_dbt_workbench.sql.history import SqlHistoryStore
from jupyterlab_dbt_workbench.sql.payloads import SqlQuery
from jupyterlab_dbt_workbench.store.database import Database


def query(query_id: str, sql: str, project: str = "demo", **changes: object) -> SqlQuery:
    base: SqlQuery = {
        "id": query_id,
        "project": project,
        "sql": sql,
        "compiled_sql": None,
        "method": None,
        "target": None,
        "status": "running",
        "started_at": "2026-01-01T00:00:00.000+00:00",
        "finished_at": None,
        "duration": None,
        "row_count": None,
        "truncated": False,
        "limit": 100,
        "columns": [],
        "error": None,
        "user": "ann",
    }
    return {**base, **changes}  # type: ignore[typeddict-item]


def test_history_is_newest_first_searchable_and_paged() -> None:
    store = SqlHistoryStore(Database(None))
    store.save(query("a", "select * from orders"))
    store.save(query("b", "select 100% from payments"))
    store.save(query("c", "select * from ORDERS_daily", project="other"))
    assert [e["id"] for e in store.search(None)["entries"]] == ["c", "b", "a"]
    found = store.search(None, q="orders")
    assert [e["id"] for e in found["entries"]] == ["c", "a"] and found["total"] == 2
    assert [e["id"] for e in store.search("demo", q="orders")["entries"]] == ["a"]
    # LIKE's wildcards in the text are plain characters.
    assert [e["id"] for e in store.search(None, q="100%")["entries"]] == ["b"]
    assert store.search(None, q="t_*")["total"] == 0  # "_" would match the space of "select *"
    page = store.search(None, offset=1, limit=1)
    assert [e["id"] for e in page["entries"]] == ["b"] and page["total"] == 3


def test_a_finished_query_replaces_its_running_record() -> None:
    store = SqlHistoryStore(Database(None))
    store.save(query("a", "select 1"))
    error = {
        "kind": "syntax",
        "message": "Parser Error: at or near x",
        "line": 1,
        "column": 8,
        "suggestions": [],
    }
    store.save(query("a", "select 1", status="error", error=error, duration=0.5))
    again = store.get("a")
    assert again is not None and again["status"] == "error" and again["error"] == error
    entries = store.search(None)["entries"]
    assert len(entries) == 1 and entries[0]["error"] == "Parser Error: at or near x"
    assert store.get("missing") is None


def test_only_the_newest_queries_are_kept() -> None:
    store = SqlHistoryStore(Database(None))
    for index in range(5):
        store.save(query(str(index), f"select {index}"))
    store.prune(keep=2)
    assert [e["id"] for e in store.search(None)["entries"]] == ["4", "3"]


def test_queries_running_since_before_a_time_become_interrupted() -> None:
    store = SqlHistoryStore(Database(None))
    store.save(query("dead", "select 1", started_at="2026-01-01T00:00:00.000+00:00"))
    store.save(query("alive", "select 2", started_at="2026-01-01T00:10:00.000+00:00"))
    store.save(query("done", "select 3", status="success", duration=0.1))
    assert store.mark_interrupted("2026-01-01T00:05:00.000+00:00") == 1
    statuses = {e["id"]: e["status"] for e in store.search(None)["entries"]}
    assert statuses == {"dead": "interrupted", "alive": "running", "done": "success"}
