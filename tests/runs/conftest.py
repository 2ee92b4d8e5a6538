"""Fixtures of the run tests: a fake dbt executable and throwaway projects to run it in."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_dbt_exe import FakeDbtProject

from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench


def dbt_event(
    name: str,
    msg: str,
    *,
    level: str = "info",
    node: dict[str, Any] | None = None,
    **data: Any,
) -> str:
    """One line of dbt's JSON log, shaped like dbt 1.11 writes it."""
    if node is not None:
        data["node_info"] = node
    info = {"name": name, "level": level, "msg": msg, "ts": "2026-01-01T00:00:00.000000Z"}
    return json.dumps({"info": info, "data": data})


def node_info(unique_id: str, status: str, **extra: Any) -> dict[str, Any]:
    return {
        "unique_id": unique_id,
        "node_name": unique_id.split(".")[2],
        "resource_type": unique_id.split(".")[0],
        "node_status": status,
        "node_started_at": "2026-01-01T00:00:01",
        "node_finished_at": "" if status == "started" else "2026-01-01T00:00:02",
        **extra,
    }


Project = FakeDbtProject


@pytest.fixture
def project(tmp_path: Path) -> Project:
    folder = tmp_path / "root" / "shop"
    folder.mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    (folder / "profiles.yml").write_text("shop: {}\n")
    result = Project(folder)
    result.scenario()
    return result


MakeManager = Callable[..., RunManager]


@pytest.fixture
def make_manager(tmp_path: Path, project: Project, fake_dbt: str) -> Iterator[MakeManager]:
    """Build run managers over the project's root, with the fake dbt and short timeouts.

    Every manager shares one database file (``tmp_path/runs.sqlite``) unless told otherwise,
    as a restarted server would.
    """
    made: list[tuple[RunManager, Workbench, Database]] = []

    def make(**options: Any) -> RunManager:
        workbench = Workbench(project.path.parent, store_path=None)
        database = Database(options.pop("database_path", tmp_path / "runs.sqlite"))
        settings: dict[str, Any] = {
            "dbt": fake_dbt,
            "interrupt_timeout": 0.5,
            "terminate_timeout": 0.5,
            "flush_interval": 0.05,
            **options,
        }
        manager = RunManager(workbench, database, tmp_path / "runs", **settings)
        made.append((manager, workbench, database))
        return manager

    yield make
    for manager, workbench, database in made:
        manager.shutdown()
        workbench.close()
        database.close()
