"""The `jupyter dbt-workbench` command line, without starting dbt or JupyterLab."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench import cli
from jupyterlab_dbt_workbench.demo.command import (
    MARKER,
    copy_project,
    default_directory,
    init_repository,
    lab_command,
)


def test_default_demo_folder_is_new(tmp_path: Path) -> None:
    assert default_directory(tmp_path) == tmp_path / "dbt-workbench-demo"
    (tmp_path / "dbt-workbench-demo").mkdir()
    (tmp_path / "dbt-workbench-demo-2").mkdir()
    assert default_directory(tmp_path) == tmp_path / "dbt-workbench-demo-3"


def test_demo_refuses_a_folder_with_other_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    code = cli.main(["demo", str(tmp_path), "--prepare-only"])
    assert code == 2
    assert "is not empty" in capsys.readouterr().err
    assert (tmp_path / "notes.txt").read_text() == "mine"
    assert not (tmp_path / "dbt_project.yml").exists()


def test_demo_copy_has_project_data_and_marker(tmp_path: Path) -> None:
    rows = copy_project(tmp_path / "demo")
    assert (tmp_path / "demo" / "dbt_project.yml").exists()
    assert (tmp_path / "demo" / "profiles.yml").exists()
    assert (tmp_path / "demo" / MARKER).exists()
    assert sum(rows.values()) >= 1000
    assert not (tmp_path / "demo" / "target").exists()
    # A second copy into the same demo folder refreshes it instead of refusing.
    assert copy_project(tmp_path / "demo") == rows


def test_lab_command_options(tmp_path: Path) -> None:
    argv = lab_command(tmp_path, port=9999, open_browser=False)
    assert argv[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path}" in argv
    assert "--port=9999" in argv
    assert "--no-browser" in argv
    assert "--DbtWorkbench.open_on_start=True" in argv
    assert "--no-browser" not in lab_command(tmp_path, port=None, open_browser=True)


def test_projects_command_reports_no_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["projects", str(tmp_path)]) == 1
    assert "No dbt project" in capsys.readouterr().out


def test_the_demo_folder_becomes_a_repository_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import git

    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no user identity: the demo's own
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    directory = tmp_path / "demo"
    copy_project(directory)
    messages: list[str] = []

    assert init_repository(directory, messages.append)
    repo = git.Repo(directory)
    assert repo.active_branch.name == "main" and not repo.is_dirty(untracked_files=True)
    assert repo.head.commit.author.name == "dbt workbench demo"
    # The generated seed data is ignored (.gitignore), the project itself is committed.
    committed = {item.path for item in repo.head.commit.tree.traverse()}
    assert "models/staging/stg_orders.sql" in committed
    assert not any(path.startswith("seeds/") and path.endswith(".csv") for path in committed)
    assert messages[-1] == f"Made {directory} a Git repository (branch main, one commit)"
    # A second run (or a folder inside the user's own repository) is left alone.
    assert not init_repository(directory, messages.append)
    assert len(list(repo.iter_commits())) == 1
