"""The baseline manifest of a base commit, parsed by dbt in a temporary worktree."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from impact_repos import DemoRepository, demo_repository

from jupyterlab_dbt_workbench.errors import ExternalToolError
from jupyterlab_dbt_workbench.repository.baseline import baseline
from jupyterlab_dbt_workbench.repository.changes import project_changes
from jupyterlab_dbt_workbench.workbench import Workbench

pytestmark = pytest.mark.slow  # the built demo, and one real dbt parse


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path) -> DemoRepository:
    return demo_repository(built_demo, tmp_path / "repo")


@pytest.fixture
def workbench(demo: DemoRepository, tmp_path: Path) -> Iterator[Workbench]:
    found = Workbench(demo.root, store_path=tmp_path / "store.sqlite")
    yield found
    found.close()


def worktrees(demo: DemoRepository) -> list[str]:
    return [line for line in demo.repo.git.worktree("list").splitlines() if line.strip()]


def test_the_base_commit_is_parsed_once_in_a_removed_worktree(
    demo: DemoRepository, workbench: Workbench
) -> None:
    from jupyterlab_dbt_workbench.audit import entries

    base = demo.repo.head.commit.hexsha
    demo.branch("feature")
    demo.path("models/staging/stg_shops.sql").unlink()
    demo.commit("Drop stg_shops")

    made = baseline(workbench, "demo", "main", user="ada")

    assert made["sha"] == base and made["created"] is True and made["base"] == "main"
    assert made["path"] == f"demo/target/workbench-baseline/{base}"
    manifest = json.loads((demo.root / made["path"] / "manifest.json").read_text())
    # The base commit still has the model the branch deleted.
    assert "model.copper_kettle.stg_shops" in manifest["nodes"]
    assert len(worktrees(demo)) == 1, "the temporary worktree is gone"
    assert demo.repo.head.ref.name == "feature" and not demo.repo.is_dirty()

    again = baseline(workbench, "demo", "main")
    assert again["created"] is False and again["path"] == made["path"]
    logged = entries(workbench.database, action="git.baseline")["entries"]
    assert any(entry["user"] == "ada" and entry["target"] == base for entry in logged)

    # With the baseline, the deleted file's node comes from the base commit's manifest even
    # once the current manifest no longer has it.
    report = project_changes(workbench, "demo", "main")
    deleted = next(f for f in report["files"] if f["change"] == "deleted")
    assert deleted["nodes"] == ["model.copper_kettle.stg_shops"]


@pytest.fixture
def failing_dbt(tmp_path: Path) -> str:
    """A dbt that fails its parse the way dbt does: a JSON error line, exit code 2."""
    executable = tmp_path / "bin" / "dbt"
    executable.parent.mkdir()
    line = {"info": {"name": "MainEncounteredError", "level": "error", "msg": "Parsing Error\n"
                     "  Invalid models config given in models/x.yml"}}  # fmt: skip
    executable.write_text(
        f"#!{sys.executable}\nimport json\nprint(json.dumps({line!r}))\nraise SystemExit(2)\n"
    )
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
    return str(executable)


def test_a_failed_parse_says_what_dbt_said_and_leaves_no_worktree(
    demo: DemoRepository, workbench: Workbench, failing_dbt: str
) -> None:
    with pytest.raises(ExternalToolError) as error:
        baseline(workbench, "demo", None, dbt=failing_dbt)
    assert error.value.reason == "baseline_failed"
    assert "Invalid models config given in models/x.yml" in error.value.message
    assert "exit code 2" in error.value.message
    assert len(worktrees(demo)) == 1
    assert not list((demo.project / "target").glob("workbench-baseline/*/manifest.json"))
