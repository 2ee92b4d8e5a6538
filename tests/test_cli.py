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
