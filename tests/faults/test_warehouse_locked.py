"""Fault: another process (a dbt run, a notebook) holds the DuckDB warehouse file's lock while
a SQL workspace query runs.

The query retries with backoff (about 4 s), then ends ``error`` of kind ``busy`` with a
message naming the file; once the lock is released the same query succeeds, and the history
keeps both.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
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
            "store_path": str(tmp_path / "store.sqlite"),
            "sql_results_dir": str(tmp_path / "sql-results"),
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    folder = jp_root_dir / "shop"
    make_project(folder)
    return folder


@pytest.fixture
def holder(shop: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with a read-write connection on the warehouse, as dbt run has."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            "c = duckdb.connect(sys.argv[1])\n"
            "print('locked', flush=True)\n"
            "time.sleep(120)\n",
            str(shop / "db.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    process.kill()
    process.wait()


async def query(api: Any, sql: str) -> dict[str, Any]:
    body = json.dumps({"project": "shop", "sql": sql})
    status, started = await api("sql", "queries", method="POST", body=body)
    assert status == 202, started
    status, done = await api("sql", "queries", started["id"], params={"wait": 30})
    assert status == 200, done
    return dict(done)


@pytest.mark.slow  # waits out the query's real busy backoff (about 4 s)
async def test_a_locked_warehouse_is_busy_then_the_query_works(
    holder: subprocess.Popen[str], api: Any
) -> None:
    sql = "select count(*) as n from {{ ref('orders') }}"
    busy = await query(api, sql)
    assert busy["status"] == "error"
    assert busy["error"]["kind"] == "busy"
    assert "db.duckdb" in busy["error"]["message"]

    holder.kill()
    holder.wait()
    done = await query(api, sql)
    assert done["status"] == "success", done["error"]
    status, rows = await api("sql", "queries", done["id"], "rows")
    assert status == 200 and rows["rows"] == [[1000]]

    status, history = await api("sql", "history", params={"project": "shop"})
    assert [(entry["id"], entry["status"]) for entry in history["entries"]][:2] == [
        (done["id"], "success"),
        (busy["id"], "error"),
    ]
