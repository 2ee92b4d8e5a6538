"""GET git/changes, POST git/baseline and POST git/build-modified over REST, on a real
repository holding the built demo, with the fake dbt as the server's dbt."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from impact_repos import DemoRepository, demo_repository

pytestmark = pytest.mark.slow  # the built demo


@pytest.fixture
def jp_server_config(fake_dbt: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0.2,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
            "dbt_executable": fake_dbt,
        },
    }


@pytest.fixture
def demo(jp_root_dir: Path, built_demo: Path) -> DemoRepository:
    """The server root is a repository holding the built demo in ``demo/``."""
    found = demo_repository(built_demo, jp_root_dir)
    (found.project / "fake_dbt.json").write_text(json.dumps({}))
    return found


def fake_calls(project: Path, timeout: float = 20.0) -> list[dict[str, Any]]:
    path = project / "fake_dbt_calls.jsonl"
    deadline = time.monotonic() + timeout
    while not path.exists() or not path.read_text().strip():
        assert time.monotonic() < deadline, "dbt was not started"
        time.sleep(0.05)
    return [json.loads(line) for line in path.read_text().splitlines()]


async def test_changes_baseline_and_build_modified(
    demo: DemoRepository, api: Any, conforms: Any
) -> None:
    demo.edit("models/staging/stg_orders.sql", "channel,", "lower(channel) as channel,")

    status, report = await api("git", "changes", params={"project": "demo"})
    assert status == 200, report
    conforms("get", "/git/changes", report)
    assert report["base"] is None and report["default_base"] == "main"
    assert [node["name"] for node in report["modified"]] == ["stg_orders"]
    assert "fct_orders" in {node["name"] for node in report["downstream"]}
    columns = {entry["name"]: entry for entry in report["columns"]}
    assert [change["name"] for change in columns["stg_orders"]["changed"]] == ["channel"]

    # A baseline parsed earlier is reused: no dbt parse.
    sha = demo.repo.head.commit.hexsha
    folder = demo.project / "target" / "workbench-baseline" / sha
    folder.mkdir(parents=True)
    shutil.copyfile(demo.project / "target" / "manifest.json", folder / "manifest.json")
    status, made = await api("git", "baseline", method="POST", body=json.dumps({"project": "demo"}))
    assert status == 200, made
    conforms("post", "/git/baseline", made)
    assert made == {
        "base": None,
        "sha": sha,
        "path": f"demo/target/workbench-baseline/{sha}",
        "created": False,
    }

    status, run = await api(
        "git", "build-modified", method="POST", body=json.dumps({"project": "demo"})
    )
    assert status == 202, run
    conforms("post", "/git/build-modified", run)
    assert run["command"] == "build" and run["project"] == "demo"
    argv = fake_calls(demo.project)[0]["argv"]
    assert argv[0] == "build"
    assert argv[argv.index("--select") + 1] == "state:modified+"
    assert "--defer" in argv
    assert Path(argv[argv.index("--state") + 1]) == folder.resolve()

    status, logged = await api("audit", params={"action": "git"})
    assert status == 200, logged
    actions = {entry["action"]: entry for entry in logged["entries"]}
    assert actions["git.baseline"]["target"] == sha
    assert actions["git.build_modified"]["target"] == run["id"]


async def test_bad_requests_are_explained(demo: DemoRepository, api: Any) -> None:
    status, error = await api("git", "changes", params={"project": "demo", "base": "nope"})
    assert status == 404 and error["reason"] == "revision_not_found", error
    status, error = await api("git", "changes", params={"project": "demo", "base": "--all"})
    assert status == 400, error
    status, error = await api(
        "git", "build-modified", method="POST", body=json.dumps({"project": "demo", "x": 1})
    )
    assert status == 400 and "'x'" in error["message"]
    status, error = await api(
        "git", "baseline", method="POST", body=json.dumps({"project": "demo", "base": 3})
    )
    assert status == 400 and "'base'" in error["message"]


async def test_a_project_outside_any_repository_is_a_409(demo_root: Path, api: Any) -> None:
    status, error = await api("git", "changes", params={"project": "demo"})
    assert status == 409 and error["reason"] == "not_a_repository", error
    assert "git init" in error["message"]
