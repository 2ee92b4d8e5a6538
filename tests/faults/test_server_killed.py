"""Fault: the Jupyter server is killed with SIGKILL while a scheduled dbt run is in progress,
then started again on the same store.

The server runs as a subprocess (tests/faults/helpers.py) with the fake dbt, which sleeps
through the slot's run. Nothing of the server's shutdown code runs: this is an OOM kill or a
power cut. After the restart the run and the execution read ``interrupted``, everything
recorded before is still there, and the slot is neither run again nor lost.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from fake_dbt_exe import install_fake_dbt

from .helpers import ServerProcess, alive, fake_dbt_pids, set_scenario, shop_project, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[ServerProcess, Path]]:
    project = shop_project(tmp_path / "root" / "shop")
    server = ServerProcess(
        tmp_path / "root", tmp_path / "state", dbt_executable=install_fake_dbt(tmp_path / "bin")
    )
    yield server, project
    server.stop()
    for pid in fake_dbt_pids(project):
        if alive(pid):
            os.kill(pid, signal.SIGKILL)


def schedule(name: str, cron: str) -> dict[str, Any]:
    return {
        "name": name,
        "project": "shop",
        "steps": ["build"],
        "cron": cron,
        "timezone": "UTC",
        "catch_up": {"mode": "once", "max": 5},
    }


def executions(server: ServerProcess, schedule_id: str) -> list[dict[str, Any]]:
    status, page = server.call("GET", f"schedules/{schedule_id}/executions")
    assert status == 200, page
    return list(page["executions"])


def test_a_server_killed_mid_run_comes_back_with_the_run_interrupted(
    server: tuple[ServerProcess, Path],
) -> None:
    process, project = server
    process.start()

    # History made before the fault: a finished run, a schedule's finished execution, and a
    # schedule that never ran.
    status, earlier = process.call("POST", "runs", {"project": "shop", "command": "build"})
    assert status in (200, 201, 202), earlier
    wait_until(lambda: process.call("GET", f"runs/{earlier['id']}")[1]["status"] == "success")
    status, weekly = process.call("POST", "schedules", schedule("weekly", "0 3 * * 1"))
    assert status == 201, weekly
    status, manual = process.call("POST", f"schedules/{weekly['id']}/run")
    assert status == 200, manual
    wait_until(lambda: executions(process, weekly["id"])[0]["status"] == "success")
    status, idle = process.call("POST", "schedules", schedule("idle", "0 4 1 1 *"))
    assert status == 201, idle

    # A slot a few seconds ahead (6 fields: the last one is seconds); its run sleeps.
    set_scenario(project, lines=["fake dbt: building"], sleep=120)
    slot = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(seconds=4)
    cron = f"{slot.minute} {slot.hour} * * * {slot.second}"
    status, daily = process.call("POST", "schedules", schedule("daily", cron))
    assert status == 201, daily
    running = wait_until(
        lambda: [e for e in executions(process, daily["id"]) if e["status"] == "running"],
        timeout=30,
    )[0]
    assert running["trigger"] == "cron" and running["slot"] is not None
    run_id = wait_until(lambda: executions(process, daily["id"])[0]["run_ids"])[0]
    wait_until(lambda: process.call("GET", f"runs/{run_id}")[1]["status"] == "running")
    wait_until(lambda: "fake dbt: building" in str(process.call("GET", f"runs/{run_id}/events")[1]))
    wait_until(lambda: len(fake_dbt_pids(project)) == 3)
    # The run manager writes the log to the store every second (its flush interval): what a
    # kill may lose is at most the last second of the log.
    time.sleep(1.5)

    process.kill()
    set_scenario(project)
    process.start()

    # What the user sees: the run and the execution are interrupted, with a message.
    status, run = process.call("GET", f"runs/{run_id}")
    assert status == 200
    assert run["status"] == "interrupted"
    assert "stopped while it ran" in run["message"]
    status, events = process.call("GET", f"runs/{run_id}/events")
    assert "fake dbt: building" in str(events)
    execution = wait_until(
        lambda: next(
            (e for e in executions(process, daily["id"]) if e["status"] != "running"), None
        )
    )
    assert execution["status"] == "interrupted" and execution["slot"] == running["slot"]

    # Nothing is lost: the earlier run, the schedules and their executions.
    status, page = process.call("GET", "runs")
    by_id = {item["id"]: item for item in page["items"]}
    assert by_id[earlier["id"]]["status"] == "success"
    assert by_id[run_id]["status"] == "interrupted"
    assert not [item for item in page["items"] if item["status"] in ("running", "queued")]
    status, listing = process.call("GET", "schedules")
    assert sorted(s["name"] for s in listing["schedules"]) == ["daily", "idle", "weekly"]
    assert [e["status"] for e in executions(process, weekly["id"])] == ["success"]
    assert executions(process, idle["id"]) == []

    # The slot is neither run twice nor lost: after some turns of the loop it still has one
    # execution, and the schedule waits for tomorrow's slot.
    time.sleep(2.0)
    after = executions(process, daily["id"])
    assert [(e["slot"], e["status"]) for e in after] == [(running["slot"], "interrupted")]
    status, current = process.call("GET", f"schedules/{daily['id']}")
    assert current["enabled"] and current["next_run_at"] is not None
    next_run = datetime.fromisoformat(current["next_run_at"])
    assert next_run - datetime.fromisoformat(running["slot"]) == timedelta(days=1)
    assert len(fake_dbt_pids(project)) == 3

    # And the workbench works: a new run succeeds.
    status, fresh = process.call("POST", "runs", {"project": "shop", "command": "build"})
    assert status in (200, 201, 202), fresh
    wait_until(lambda: process.call("GET", f"runs/{fresh['id']}")[1]["status"] == "success")
