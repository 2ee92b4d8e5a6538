"""Fault: another process holds the workbench's SQLite store in an open EXCLUSIVE transaction
(a second server mid-write, a ``sqlite3`` shell left open) while this server starts and works.

The server starts anyway and keeps serving what needs no store write (the artifacts, the node
list); routes that must write answer 503 ``store_busy`` with a message that says what to do;
once the lock is released everything works, without a restart.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sql_project import make_project

from jupyterlab_dbt_workbench.errors import StoreBusy
from jupyterlab_dbt_workbench.store.database import Database

from .helpers import set_scenario


@pytest.fixture
def store(tmp_path: Path) -> Path:
    path = tmp_path / "store.sqlite"
    Database(path).close()
    return path


@pytest.fixture
def jp_server_config(fake_dbt: str, store: Path, tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0.2,
            "scheduler_interval": 0.2,
            "dbt_executable": fake_dbt,
            "store_path": str(store),
            "runs_dir": str(tmp_path / "runs"),
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    folder = jp_root_dir / "shop"
    make_project(folder)
    set_scenario(folder)
    return folder


@pytest.fixture
def holder(store: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process holding an EXCLUSIVE transaction on the store until told to stop."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('COMMIT')\n",
            str(store),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "locked"
    yield process
    process.kill()
    process.wait()


def release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    holder.stdin.write("\n")
    holder.stdin.flush()
    holder.wait(10)


BUILD = json.dumps({"project": "shop", "command": "build"})
SCHEDULE = json.dumps(
    {
        "name": "nightly",
        "project": "shop",
        "steps": ["build"],
        "cron": "0 3 * * *",
        "timezone": "UTC",
    }
)


@pytest.mark.slow  # waits out real lock timeouts (about 15 s)
async def test_a_locked_store_serves_reads_and_answers_writes_busy(
    shop: Path, holder: subprocess.Popen[str], api: Any, wait_for: Callable[..., Any]
) -> None:
    # The server started (it waited out the lock at start-up, bounded) and serves artifacts.
    code, nodes = await api("nodes", params={"project": "shop"})
    assert code == 200 and nodes["total"] > 1
    code, status = await api("artifacts", params={"project": "shop"})
    assert code == 200 and status["error"]["artifact"] == "store"
    assert "locked by another process" in status["error"]["message"]

    # Writes say the store is busy, with a message telling what to do; never a 500.
    for parts, method, body in (
        (("runs",), "POST", BUILD),
        (("runs",), "GET", None),
        (("schedules",), "POST", SCHEDULE),
    ):
        code, error = await api(*parts, method=method, body=body)
        assert code == 503, (parts, method, error)
        assert error["reason"] == "store_busy"
        assert "locked by another process" in error["message"]
        assert "try again" in error["message"]
    # Reads of the artifacts still answer at once meanwhile.
    code, again = await api("nodes", params={"project": "shop"})
    assert code == 200 and again == nodes

    release(holder)

    # Everything works after the release, without a restart.
    code, run = await api("runs", method="POST", body=BUILD)
    assert code in (200, 201, 202), run

    async def succeeded() -> bool:
        code, detail = await api("runs", run["id"])
        return bool(code == 200 and detail["status"] == "success")

    await wait_for(succeeded)
    code, created = await api("schedules", method="POST", body=SCHEDULE)
    assert code == 201, created
    code, listing = await api("schedules")
    assert [s["id"] for s in listing["schedules"]] == [created["id"]]
    code, page = await api("runs")
    assert [(item["id"], item["status"]) for item in page["items"]] == [(run["id"], "success")]

    async def store_problem_gone() -> bool:
        _code, status = await api("artifacts", params={"project": "shop"})
        return status["error"] is None and status["version"] is not None

    await wait_for(store_problem_gone)


def test_a_store_locked_before_its_set_up_opens_after_a_bounded_wait(tmp_path: Path) -> None:
    # A new store file held EXCLUSIVE in rollback-journal mode: not even readable, so the
    # migrations cannot run.
    path = tmp_path / "new.sqlite"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "c.execute('CREATE TABLE other (x)')\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n"
            "c.execute('COMMIT')\n",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "locked"
        started = time.monotonic()
        database = Database(path, timeout=0.2, startup_timeout=1.0)
        assert 1.0 <= time.monotonic() - started < 5.0
        assert database.schema_version == 0 and not database.check()
        with pytest.raises(StoreBusy, match=r"locked by another process.*try again"):
            database.query("SELECT COUNT(*) FROM runs")
        release(process)
        assert database.query("SELECT COUNT(*) FROM runs") == [(0,)]
        assert database.schema_version > 0
        database.close()
    finally:
        process.kill()
        process.wait()
