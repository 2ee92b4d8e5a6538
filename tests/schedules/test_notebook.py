"""``%dbt schedules``, ``%dbt schedule run NAME`` and ``DbtProject.schedules()`` in an IPython
shell, with the fake dbt configured as the server's dbt."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError

from jupyterlab_dbt_workbench import DbtProject
from jupyterlab_dbt_workbench.notebook import session
from jupyterlab_dbt_workbench.notebook.schedules import scheduler_for

from .schedule_helpers import Project


@pytest.fixture
def shell(
    project: Project, fake_dbt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell

    config = tmp_path / "config"
    config.mkdir()
    settings = {
        "store_path": str(tmp_path / "store.sqlite"),
        "runs_dir": str(tmp_path / "runs"),
        "dbt_executable": fake_dbt,
    }
    (config / "jupyter_server_config.json").write_text(json.dumps({"DbtWorkbench": settings}))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(project.path)
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "jupyterlab_dbt_workbench")
    yield shell
    InteractiveShell.clear_instance()
    session.close_all()


def test_list_and_run_a_schedule_from_a_notebook(
    shell: Any, project: Project, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Without a server the kernel's root is the project itself: its id is ".".
    scheduler = scheduler_for(session.session_for(project.path))
    scheduler.create({"name": "hourly build", "project": ".", "steps": ["build"],
                      "cron": "@hourly", "timezone": "Europe/Berlin"})  # fmt: skip

    table = shell.run_line_magic("dbt", "schedules")
    assert list(table["name"]) == ["hourly build"]
    assert table.loc[0, "next_run_local"].endswith(("+01:00", "+02:00"))

    execution = shell.run_line_magic("dbt", "schedule run hourly build")
    assert (execution["status"], execution["trigger"]) == ("success", "manual")
    assert "success: 1 step(s) succeeded." in capsys.readouterr().out
    assert len(project.calls()) == 1

    with pytest.raises(UsageError, match="No schedule named 'weekly'"):
        shell.run_line_magic("dbt", "schedule run weekly")
    with pytest.raises(UsageError, match="Use `%dbt schedules` to list"):
        shell.run_line_magic("dbt", "schedule pause hourly")

    opened = DbtProject(project.path, store_path=tmp_path / "store.sqlite")
    try:
        frame = opened.schedules()
    finally:
        opened.close()
    assert list(frame["name"]) == ["hourly build"]
    assert list(frame["last_status"]) == ["success"]
