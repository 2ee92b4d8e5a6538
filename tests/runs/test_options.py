"""Run requests: the command line syntax, and validation before anything is launched."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from conftest import MakeManager, Project

from jupyterlab_dbt_workbench.errors import InvalidRunRequest, UnsafePath
from jupyterlab_dbt_workbench.runs.options import RunRequest, parse_cli, validate


def test_parse_cli_reads_dbts_own_syntax() -> None:
    request = parse_cli(
        "dbt build -s orders+ tag:daily --exclude legacy -t prod --vars '{day: 2024-01-01}' "
        "--threads 3 -x --full-refresh --limit 5",
        project="shop",
        user="ada",
    )
    assert request == RunRequest(
        project="shop",
        command="build",
        select=("orders+", "tag:daily"),
        exclude=("legacy",),
        target="prod",
        vars="{day: 2024-01-01}",
        threads=3,
        fail_fast=True,
        full_refresh=True,
        args=("--limit", "5"),
        user="ada",
    )
    assert parse_cli("docs generate --no-compile").command == "docs generate"
    assert parse_cli("source freshness --select=source:raw").select == ("source:raw",)
    assert parse_cli("show --inline 'select 1'").args == ("--inline", "select 1")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "The command line is empty"),
        ("build -s", "`-s` needs at least one selector"),
        ("build --threads many", "`--threads` must be a whole number, not 'many'"),
        ("build --target-path /tmp/x", "`--target-path` cannot be given: each run gets its own"),
        ("run --project-dir=../other", "`--project-dir` cannot be given"),
        ("build 'unclosed", "cannot be read"),
    ],
)
def test_parse_cli_refuses_what_it_cannot_run(text: str, message: str) -> None:
    with pytest.raises(InvalidRunRequest, match=message):
        parse_cli(text)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"command": "deploy"}, "`deploy` is not a dbt command the workbench runs. Use one of"),
        ({"command": "docs serve"}, "`docs serve` is not a dbt command"),
        ({"vars": "[1, 2]"}, "`vars` must be a YAML mapping"),
        ({"vars": "{a: [}"}, "`vars` is not valid YAML"),
        ({"threads": 0}, "`threads` must be 1 or more, not 0"),
        ({"threads": "4"}, "`threads` must be a whole number"),
        ({"select": ("",)}, "`select` has an empty or malformed selector"),
        ({"select": ("--full-refresh",)}, "`select` has an empty or malformed selector"),
        ({"target": "-x"}, "`target` must be a name"),
        ({"args": ("--log-path", "/tmp")}, "`--log-path` cannot be given"),
        ({"args": ("--profiles-dir=/etc",)}, "`--profiles-dir` cannot be given"),
        ({"defer": True}, "`defer` needs `state`"),
        ({"command": "test", "full_refresh": True}, "`dbt test` does not take `full_refresh`"),
        ({"command": "parse", "select": ("a",)}, "`dbt parse` does not take `select`"),
        ({"command": "ls", "threads": 2}, "`dbt ls` does not take `threads`"),
        ({"state": "nowhere"}, "The state folder 'nowhere' holds no manifest.json"),
    ],
)
def test_validation_names_the_bad_option(
    options: dict[str, Any], message: str, tmp_path: Path
) -> None:
    request = RunRequest(**{"project": None, "command": "build", **options})
    with pytest.raises(InvalidRunRequest, match=message.replace("[", r"\[")):
        validate(request, tmp_path)


def test_state_must_stay_under_the_root_and_hold_a_manifest(tmp_path: Path) -> None:
    with pytest.raises(UnsafePath, match=r"contains '\.\.'"):
        validate(RunRequest(None, "build", state="../elsewhere"), tmp_path)
    with pytest.raises(UnsafePath, match="absolute"):
        validate(RunRequest(None, "build", state="/etc"), tmp_path)
    (tmp_path / "prod").mkdir()
    (tmp_path / "prod" / "manifest.json").write_text("{}")
    request = RunRequest(None, "build", state="prod", defer=True)
    assert validate(request, tmp_path) == tmp_path / "prod"


def test_an_invalid_request_is_refused_before_anything_runs(
    make_manager: MakeManager, project: Project
) -> None:
    manager = make_manager()
    with pytest.raises(InvalidRunRequest, match="`threads` must be 1 or more"):
        manager.submit(RunRequest("shop", "run", threads=-1))
    assert manager.list()["total"] == 0
    assert project.calls() == []
