"""``%%dbt_sql`` and ``%dbt_sql`` in an IPython shell, on a small project with a DuckDB file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError
from sql_project import make_project

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.notebook import session
from jupyterlab_dbt_workbench.notebook.sql import split_options


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    folder = tmp_path / "shop"
    make_project(folder)
    return folder


@pytest.fixture
def shell(shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell

    # The server's settings as a kernel reads them: the store and results under tmp_path.
    config = tmp_path / "config"
    config.mkdir()
    settings = {"store_path": str(tmp_path / "store.sqlite"), "sql_results_dir": str(tmp_path)}
    (config / "jupyter_server_config.json").write_text(json.dumps({"DbtWorkbench": settings}))
    monkeypatch.setenv("JUPYTER_CONFIG_DIR", str(config))
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    monkeypatch.chdir(shop)
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "jupyterlab_dbt_workbench")
    yield shell
    InteractiveShell.clear_instance()
    session.close_all()


def test_a_cell_returns_a_dataframe_and_stores_it(shell: Any, tmp_path: Path) -> None:
    frame = shell.run_cell_magic(
        "dbt_sql",
        "-o df --limit 5",
        "select order_id, amount\nfrom {{ ref('orders') }}\norder by order_id desc",
    )
    assert list(frame.columns) == ["order_id", "amount"]
    assert list(frame["order_id"]) == [999, 998, 997, 996, 995]
    assert shell.user_ns["df"] is frame
    # Recorded in the same history as the SQL workspace's queries.
    history = session.session_for(Path.cwd()).sql.history()
    assert history["entries"][0]["sql"].startswith("select order_id, amount")
    assert (tmp_path / "store.sqlite").is_file()


def test_the_line_form_keeps_the_sql_verbatim(shell: Any) -> None:
    frame = shell.run_line_magic(
        "dbt_sql", "--limit 10 select name from {{ ref('customer_revenue') }} where name = 'ann'"
    )
    assert list(frame["name"]) == ["ann", "ann"]


def test_errors_are_usage_errors_with_the_message(shell: Any) -> None:
    with pytest.raises(UsageError, match="did you mean"):
        shell.run_cell_magic("dbt_sql", "", "select * from {{ ref('ordrs') }}")
    with pytest.raises(UsageError, match="allow_sql_writes"):
        shell.run_cell_magic("dbt_sql", "", "delete from analytics.orders")
    with pytest.raises(UsageError, match="Parser Error"):
        shell.run_line_magic("dbt_sql", "select from from")


def test_a_cut_result_says_how_to_get_more(shell: Any, capsys: pytest.CaptureFixture[str]) -> None:
    frame = shell.run_cell_magic("dbt_sql", "--limit 3", "select * from {{ ref('orders') }}")
    assert len(frame) == 3
    assert "--limit N" in capsys.readouterr().out


def test_options_are_split_from_the_sql() -> None:
    assert split_options("--limit 5 -o out select 'a b'") == ("--limit 5 -o out ", "select 'a b'")
    assert split_options("--target=prod select 1") == ("--target=prod ", "select 1")
    assert split_options("select -1") == ("", "select -1")
    assert split_options("--help") == ("--help", "")


def test_dbt_project_sql_returns_a_dataframe(
    shop: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jupyterlab_dbt_workbench import DbtProject

    monkeypatch.setenv("JUPYTER_DATA_DIR", str(tmp_path / "data"))
    project = DbtProject(shop)
    try:
        frame = project.sql("select count(*) as n from {{ ref('orders') }}")
        assert list(frame["n"]) == [1000]
        with pytest.raises(WorkbenchError, match="did you mean"):
            project.sql("select * from {{ ref('ordrs') }}")
    finally:
        project.close()
