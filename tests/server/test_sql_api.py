"""The SQL workspace over REST, on a small project with a real DuckDB warehouse."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sql_project import make_project


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0,
            "store_path": ":memory:",
            "sql_results_dir": str(tmp_path / "sql-results"),
            "sql_results_keep": 3,
            "sql_default_limit": 500,
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    folder = jp_root_dir / "shop"
    make_project(folder)
    return folder


async def run(api: Any, sql: str, **fields: Any) -> dict[str, Any]:
    status, query = await api(
        "sql", "queries", method="POST", body=json_body({"project": "shop", "sql": sql, **fields})
    )
    assert status == 202, query
    status, done = await api("sql", "queries", query["id"], params={"wait": 30})
    assert status == 200
    return done


def json_body(value: Any) -> bytes:
    import json

    return json.dumps(value).encode()


async def test_a_query_runs_pages_and_profiles(shop: Path, api: Any, conforms: Any) -> None:
    status, started = await api(
        "sql",
        "queries",
        method="POST",
        body=json_body({"project": "shop", "sql": "select * from {{ ref('orders') }}"}),
    )
    assert status == 202 and started["status"] == "running"
    conforms("post", "/sql/queries", started)
    status, query = await api("sql", "queries", started["id"], params={"wait": 30})
    conforms("get", "/sql/queries/{query_id}", query)
    assert query["status"] == "success" and query["row_count"] == 500 and query["truncated"]
    assert query["limit"] == 500  # the server's default limit

    status, page = await api(
        "sql",
        "queries",
        query["id"],
        "rows",
        params={"offset": 5, "limit": 5, "sort": "amount", "descending": "true"},
    )
    assert status == 200
    conforms("get", "/sql/queries/{query_id}/rows", page)
    assert page["total"] == 500 and len(page["rows"]) == 5
    assert [row[2] for row in page["rows"]] == [147.0] * 5  # after the five 148.5

    status, profile = await api("sql", "queries", query["id"], "profile")
    assert status == 200
    conforms("get", "/sql/queries/{query_id}/profile", profile)
    assert profile["row_count"] == 500 and profile["columns"][0]["name"] == "order_id"

    status, table = await api(
        "sql", "profile", params={"project": "shop", "unique_id": "model.shop.orders"}
    )
    assert status == 200, table
    conforms("get", "/sql/profile", table)
    assert table["source"] == "relation" and table["row_count"] == 1000


async def test_errors_come_back_in_the_query_and_the_history(
    shop: Path, api: Any, conforms: Any
) -> None:
    failed = await run(api, "select * from {{ ref('ordrs') }}")
    assert failed["status"] == "error" and failed["error"]["kind"] == "unknown_relation"
    assert "orders" in failed["error"]["suggestions"]
    refused = await run(api, "drop table analytics.orders")
    assert refused["error"]["kind"] == "write_refused"
    status, history = await api("sql", "history", params={"project": "shop", "q": "ordrs"})
    assert status == 200
    conforms("get", "/sql/history", history)
    assert [entry["id"] for entry in history["entries"]] == [failed["id"]]
    status, body = await api("sql", "queries", failed["id"], "rows")
    assert status == 409 and "error" in body["message"]
    status, body = await api("sql", "queries", "nope")
    assert status == 404
    status, body = await api(
        "sql", "queries", method="POST", body=json_body({"project": "shop", "sql": " "})
    )
    assert status == 400 and "sql" in body["message"]
    status, body = await api(
        "sql",
        "compile",
        method="POST",
        body=json_body({"project": "shop", "sql": "{{ ref('x') }}"}),
    )
    assert status == 422 and body["reason"] == "unknown_relation"


async def test_export_streams_a_download(shop: Path, api: Any, jp_fetch: Any) -> None:
    query = await run(api, "select order_id, amount from {{ ref('orders') }} order by 1", limit=3)
    response = await jp_fetch(
        "dbt-workbench", "api", "sql", "queries", query["id"], "export", params={"format": "csv"}
    )
    assert response.code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.body.decode().splitlines() == ["order_id,amount", "0,0.0", "1,1.5", "2,3.0"]
    parquet = await jp_fetch(
        "dbt-workbench",
        "api",
        "sql",
        "queries",
        query["id"],
        "export",
        params={"format": "parquet"},
    )
    assert parquet.body[:4] == b"PAR1"


async def test_pruned_results_are_gone(shop: Path, api: Any, wait_for: Any) -> None:
    first = await run(api, "select 1 as n")
    for n in range(2, 5):
        await run(api, f"select {n} as n")

    async def gone() -> Any:
        status, body = await api("sql", "queries", first["id"], "rows")
        return body if status == 410 else None

    body = await wait_for(gone, timeout=5)  # pruning follows the query's answer
    assert "run the query again" in body["message"]


async def test_compile_completions_settings_and_cancel(shop: Path, api: Any, conforms: Any) -> None:
    status, compiled = await api(
        "sql",
        "compile",
        method="POST",
        body=json_body({"project": "shop", "sql": "select * from {{ ref('orders') }}"}),
    )
    assert status == 200
    conforms("post", "/sql/compile", compiled)
    assert compiled["relations"][0]["relation"] == '"db"."analytics"."orders"'
    status, names = await api("sql", "completions", params={"project": "shop"})
    assert status == 200
    conforms("get", "/sql/completions", names)
    status, settings = await api("sql", "settings")
    conforms("get", "/sql/settings", settings)
    assert settings == {
        "allow_writes": False,
        "max_rows": 10_000_000,
        "default_limit": 500,
        "timeout": 300.0,
    }
    _, started = await api(
        "sql",
        "queries",
        method="POST",
        body=json_body(
            {"project": "shop", "sql": "select count(*) from range(1000000000), range(1000000)"}
        ),
    )
    status, cancelled = await api("sql", "queries", started["id"], "cancel", method="POST")
    assert status == 200
    conforms("post", "/sql/queries/{query_id}/cancel", cancelled)
    assert cancelled["status"] == "cancelled"


SLOW = "select count(*) from range(1000000000), range(1000000)"


async def test_a_quick_query_answers_its_submission_when_asked_to_wait(
    shop: Path, api: Any, conforms: Any
) -> None:
    status, query = await api(
        "sql",
        "queries",
        method="POST",
        params={"wait": 10},
        body=json_body({"project": "shop", "sql": "select count(*) as n from analytics.orders"}),
    )
    assert status == 200, query
    conforms("post", "/sql/queries", query)
    assert query["status"] == "success" and query["row_count"] == 1
    status, page = await api("sql", "queries", query["id"], "rows")
    assert status == 200 and page["rows"] == [[1000]]
    status, body = await api(
        "sql",
        "queries",
        method="POST",
        params={"wait": 31},
        body=json_body({"project": "shop", "sql": "select 1"}),
    )
    assert status == 400 and "wait" in body["message"]


async def test_long_polls_hold_no_thread_and_end_with_the_cancel(shop: Path, api: Any) -> None:
    import asyncio
    import time

    status, started = await api(
        "sql",
        "queries",
        method="POST",
        params={"wait": 0.2},
        body=json_body({"project": "shop", "sql": SLOW}),
    )
    assert status == 202 and started["status"] == "running"
    # More waiting clients than the server's thread pool has threads (4).
    polls = [
        asyncio.ensure_future(api("sql", "queries", started["id"], params={"wait": 20}))
        for _ in range(6)
    ]
    await asyncio.sleep(0.3)
    before = time.monotonic()
    status, _ = await api("sql", "settings")
    assert status == 200 and time.monotonic() - before < 2  # the pool is free
    assert not any(poll.done() for poll in polls)
    await api("sql", "queries", started["id"], "cancel", method="POST")
    answers = await asyncio.wait_for(asyncio.gather(*polls), timeout=5)
    assert [body["status"] for _, body in answers] == ["cancelled"] * 6
