"""Fixtures of the scheduler tests: a fake clock, a throwaway project run by the fake dbt of
the run tests, and schedulers over one shared store file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from fake_dbt_exe import install_fake_dbt

from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

from .schedule_helpers import FakeClock, Harness, MakeScheduler, Project, RecordingNotifier

# The fake dbt of the run tests, which also writes the environment it got to a file.
_RECORD_ENV = (
    "import json as _json, os as _os\n"
    "with open('fake_dbt_env.jsonl', 'a') as _f:\n"
    "    _f.write(_json.dumps(dict(_os.environ)) + '\\n')\n"
)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc))


@pytest.fixture
def fake_dbt(tmp_path: Path) -> str:
    return install_fake_dbt(tmp_path / "bin", _RECORD_ENV)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    folder = tmp_path / "root" / "shop"
    folder.mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    (folder / "profiles.yml").write_text("shop: {}\n")
    result = Project(folder)
    result.scenario()
    return result


@pytest.fixture
def make_scheduler(
    tmp_path: Path, project: Project, fake_dbt: str, clock: FakeClock
) -> Iterator[MakeScheduler]:
    """Build schedulers over the project's root sharing ``tmp_path/store.sqlite`` (each with
    its own connection, as separate server processes would have)."""
    made: list[Harness] = []

    def make(**options: Any) -> Harness:
        workbench = Workbench(project.path.parent, store_path=None)
        database = Database(tmp_path / "store.sqlite")
        manager = RunManager(
            workbench,
            database,
            tmp_path / "runs",
            dbt=options.pop("dbt", fake_dbt),
            interrupt_timeout=0.5,
            terminate_timeout=0.5,
            flush_interval=0.05,
        )
        notifier = RecordingNotifier()
        scheduler = Scheduler(
            workbench, manager, notifier, database, clock=options.pop("clock", clock), **options
        )
        harness = Harness(scheduler, manager, notifier, workbench, database)
        made.append(harness)
        return harness

    yield make
    for harness in made:
        harness.close()
