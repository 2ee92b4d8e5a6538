"""Fault: the dbt process of a run is killed with SIGKILL (the OOM killer, a user's kill -9).

The run manager reads the fake dbt's output until it ends; the run must end ``failed`` with a
message naming the signal, keep the log it had, and the next run of the project must work.
"""

from __future__ import annotations

import json
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from .helpers import fake_dbt_pids, set_scenario, shop_project


@pytest.fixture
def jp_server_config(fake_dbt: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0.2,
            "dbt_executable": fake_dbt,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    return shop_project(jp_root_dir / "shop", lines=["fake dbt: building"], sleep=120)


async def test_a_killed_dbt_run_ends_failed_and_the_next_run_works(
    shop: Path, api: Any, wait_for: Callable[..., Any]
) -> None:
    code, run = await api(
        "runs", method="POST", body=json.dumps({"project": "shop", "command": "build"})
    )
    assert code in (200, 201, 202), run

    async def logged() -> bool:
        code, page = await api("runs", run["id"], "events")
        return code == 200 and "fake dbt: building" in json.dumps(page)

    await wait_for(logged)
    (pid,) = fake_dbt_pids(shop)
    os.kill(pid, signal.SIGKILL)

    async def ended() -> Any:
        _code, detail = await api("runs", run["id"])
        return detail if detail["status"] not in ("queued", "running") else None

    detail = await wait_for(ended)
    assert detail["status"] == "failed"
    assert detail["exit_signal"] == "SIGKILL"
    assert "killed by SIGKILL" in detail["message"]
    code, events = await api("runs", run["id"], "events")
    assert "fake dbt: building" in json.dumps(events)

    # The project is not left busy: the next run starts and succeeds.
    set_scenario(shop)
    code, again = await api(
        "runs", method="POST", body=json.dumps({"project": "shop", "command": "build"})
    )
    assert code in (200, 201, 202), again

    async def succeeded() -> bool:
        _code, detail = await api("runs", again["id"])
        return detail["status"] == "success"

    await wait_for(succeeded)
    code, page = await api("runs", params={"project": "shop"})
    assert [(item["id"], item["status"]) for item in page["items"]] == [
        (again["id"], "success"),
        (run["id"], "failed"),
    ]
