"""``%dbt changes [--base REF]`` and ``DbtProject.changes()`` on a repository holding the built
demo, in an IPython shell."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from impact_repos import DemoRepository, demo_repository
from IPython.core.error import UsageError

from jupyterlab_dbt_workbench import DbtProject
from jupyterlab_dbt_workbench.notebook import session
from jupyterlab_dbt_workbench.notebook.changes import Changes

pytestmark = pytest.mark.slow  # the built demo


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path) -> DemoRepository:
    return demo_repository(built_demo, tmp_path / "repo")


@pytest.fixture
def shell(demo: DemoRepository, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell

    config = tmp_path / "config"
    config.mkdir()
    settings = {"store_path": str(tmp_path / "store.sqlite"), "runs_dir": str(tmp_path / "runs")}
    (config / "jupyter_server_config.json").write_text(json.dumps({"DbtWorkbench": settings}))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(demo.project)
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "jupyterlab_dbt_workbench")
    yield shell
    InteractiveShell.clear_instance()
    session.close_all()


def test_changes_magic_shows_modified_downstream_and_columns(
    shell: Any, demo: DemoRepository
) -> None:
    demo.branch("feature")
    demo.edit("models/staging/stg_orders.sql", "channel,", "lower(channel) as channel,")
    demo.commit("Lower-case channels")
    demo.edit("models/staging/stg_payments.sql", "select *", "select distinct *")

    working = shell.run_line_magic("dbt", "changes")
    assert isinstance(working, Changes)
    assert working.modified == ["model.copper_kettle.stg_payments"]
    assert working.report["base"] is None

    branch = shell.run_line_magic("dbt", "changes --base main")
    assert isinstance(branch, Changes)
    assert branch.modified == ["model.copper_kettle.stg_orders", "model.copper_kettle.stg_payments"]
    assert "model.copper_kettle.fct_orders" in branch.downstream
    html = branch._repr_html_()
    assert "<h4>Modified</h4>" in html and "stg_orders" in html
    assert "<h4>Downstream</h4>" in html and "fct_orders" in html
    assert "channel" in html and "LOWER" in html
    assert "merge-base with <code>main</code>" in html
    assert "2 modified" in repr(branch)

    with pytest.raises(UsageError, match="names no commit"):
        shell.run_line_magic("dbt", "changes --base nope")


def test_dbt_project_changes_returns_the_report(demo: DemoRepository) -> None:
    demo.edit("models/staging/stg_orders.sql", "channel,", "lower(channel) as channel,")
    project = DbtProject(demo.project)
    try:
        report = project.changes()
    finally:
        project.close()
    assert [node["name"] for node in report["modified"]] == ["stg_orders"]
    assert report["files"][0]["path"] == "demo/models/staging/stg_orders.sql"
