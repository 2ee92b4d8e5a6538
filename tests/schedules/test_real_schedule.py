"""One real scheduled dbt run of the demo project, end to end: the loop sees the slot, dbt
builds, the execution links the run, the project's artifacts are updated."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

from .schedule_helpers import FakeClock, RecordingNotifier


@pytest.mark.slow
def test_a_scheduled_build_of_the_demo(built_demo: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(built_demo, root / "demo")
    clock = FakeClock(datetime(2026, 3, 29, 0, 45, tzinfo=timezone.utc))
    workbench = Workbench(root, store_path=None)
    database = Database(tmp_path / "store.sqlite")
    manager = RunManager(workbench, database, tmp_path / "runs")
    notifier = RecordingNotifier()
    scheduler = Scheduler(workbench, manager, notifier, database, clock=clock)
    try:
        created = scheduler.create(
            {
                "name": "staging",
                "project": "demo",
                "steps": ["build -s stg_orders"],
                "cron": "30 2 * * *",
                "timezone": "Europe/Berlin",
                "notifications": [
                    {"kind": "slack", "events": ["success"], "url": "https://hooks.example/x"}
                ],
            }
        )
        # 02:30 does not exist in Berlin that night: the slot is 03:00 CEST (01:00 UTC).
        assert created["next_run_local"] == "2026-03-29T03:00:00+02:00"
        before = workbench.artifact_status("demo")["version"]
        clock.advance(timedelta(minutes=15).total_seconds())
        scheduler.tick()
        assert scheduler.wait_idle(300)

        (execution,) = scheduler.executions(created["id"])
        assert execution["status"] == "success", execution
        assert execution["slot"] == "2026-03-29T01:00:00+00:00"
        run = manager.get(execution["run_ids"][0])
        assert (run["status"], run["user"]) == ("success", "schedule:staging")
        statuses = {node["name"]: node["status"] for node in run["nodes"]}
        assert statuses["stg_orders"] == "success"
        assert workbench.artifact_status("demo")["version"] > before
        assert notifier.events() == ["success"]
        assert scheduler.get(created["id"])["next_run_local"] == "2026-03-30T02:30:00+02:00"
    finally:
        scheduler.stop()
        manager.shutdown()
        workbench.close()
        database.close()
