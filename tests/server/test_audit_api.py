"""The audit log over REST: every write made through the workbench's API leaves an entry with
the signed-in user, and the log pages, filters and downloads without ever holding a secret.

Runs use the fake dbt of the run tests at the subprocess seam; SQL runs on the small DuckDB
project of the SQL tests (with writes allowed); metadata edits a hand-made project's YAML.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from sql_project import make_project

sys.path.insert(0, str(Path(__file__).parents[1] / "metadata"))
from shop_project import write_project

SECRET = "planted-s3cret-value"
ME = "Ada Lovelace"


@pytest.fixture
def jp_server_config(fake_dbt: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dbt_workbench": True},
            "identity_provider_class": Ada,
        },
        "DbtWorkbench": {
            "poll_interval": 0,
            "scheduler_enabled": False,
            "dbt_executable": fake_dbt,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
            "sql_results_dir": str(tmp_path / "sql-results"),
            "allow_sql_writes": True,
            "cancel_interrupt_timeout": 1.0,
            "cancel_terminate_timeout": 1.0,
        },
    }


@pytest.fixture
def projects(jp_root_dir: Path) -> Path:
    """``shop``: a DuckDB project that the fake dbt also runs in (slowly, so it can be
    cancelled); ``meta``: a project whose YAML files metadata edits change."""
    shop = jp_root_dir / "shop"
    make_project(shop)
    (shop / "fake_dbt.json").write_text(json.dumps({"sleep": 30}))
    write_project(jp_root_dir / "meta")
    return jp_root_dir


class Ada(IdentityProvider):
    """Token-authenticated requests are Ada's (by default each gets a new anonymous name)."""

    def generate_anonymous_user(self, handler: Any) -> User:
        return User(username="ada", name=ME)


async def log(api: Any, **params: Any) -> dict[str, Any]:
    status, page = await api("audit", params=params)
    assert status == 200, page
    return page


async def latest(api: Any, action: str) -> dict[str, Any]:
    page = await log(api, action=action, limit=1)
    assert page["total"] >= 1, f"no {action} entry"
    return page["entries"][0]


async def test_run_submit_and_cancel_are_recorded(projects: Path, api: Any, conforms: Any) -> None:
    body = {"project": "shop", "command": "build", "select": ["orders+"], "vars": {"k": SECRET}}
    status, run = await api("runs", method="POST", body=json.dumps(body))
    assert status == 201, run
    status, cancelled = await api("runs", run["id"], "cancel", method="POST")
    assert status == 200, cancelled

    page = await log(api, action="run")
    conforms("get", "/audit", page)
    cancel, submit = page["entries"]
    assert (submit["action"], submit["user"], submit["project"]) == ("run.submit", ME, "shop")
    assert submit["target"] == run["id"] and submit["outcome"] == "ok"
    assert submit["details"] == {"command": "build", "select": ["orders+"], "vars_given": True}
    assert (cancel["action"], cancel["user"], cancel["target"]) == ("run.cancel", ME, run["id"])

    status, _ = await api("runs", "no-such-run", "cancel", method="POST")
    assert status == 404
    failed = await latest(api, "run.cancel")
    assert failed["outcome"] == "error" and failed["target"] == "no-such-run"
    assert failed["details"]["error"]["status"] == 404
    assert SECRET not in json.dumps(await log(api))


async def test_schedule_changes_are_recorded_without_their_secrets(
    projects: Path, api: Any, jp_fetch: Any
) -> None:
    schedule = {
        "name": "nightly",
        "project": "shop",
        "steps": ["build"],
        "cron": "30 2 * * *",
        "timezone": "UTC",
        "env": {"WAREHOUSE_PASSWORD": SECRET, "DBT_SCHEMA": "ci"},
        "notifications": [
            {
                "kind": "webhook",
                "events": ["failure"],
                "url": f"http://hook:{SECRET}@127.0.0.1:9/{SECRET}",
                "secret": SECRET,
            }
        ],
    }
    status, created = await api("schedules", method="POST", body=json.dumps(schedule))
    assert status == 201, created
    edit = {"steps": ["seed", "build"], "env": {"WAREHOUSE_PASSWORD": SECRET + "2"}}
    status, updated = await api("schedules", created["id"], method="PUT", body=json.dumps(edit))
    assert status == 200, updated
    test = {"channel": schedule["notifications"][0]}
    status, delivery = await api(
        "schedules", "test-notification", method="POST", body=json.dumps(test)
    )
    assert status == 200 and delivery["status"] == "failed", delivery
    status, _ = await api("schedules", created["id"], method="DELETE")
    assert status == 200

    page = await log(api, action="schedule")
    actions = [entry["action"] for entry in page["entries"]]
    assert actions == [
        "schedule.delete",
        "schedule.test_notification",
        "schedule.update",
        "schedule.create",
    ]
    deleted, tested, changed, made = page["entries"]
    assert {entry["user"] for entry in page["entries"]} == {ME}
    assert (made["target"], made["project"]) == ("nightly", "shop")
    assert made["details"]["env"] == ["DBT_SCHEMA", "WAREHOUSE_PASSWORD"]
    assert made["details"]["notifications"] == [{"kind": "webhook", "events": ["failure"]}]
    assert changed["details"]["fields"] == ["env", "steps"]
    assert changed["details"]["steps"] == ["seed", "build"]
    assert tested["details"] == {"kind": "webhook", "status": "failed"}
    assert tested["outcome"] == "error", "the notification did not go out"
    assert deleted["target"] == "nightly"

    assert SECRET not in json.dumps(page)
    download = await export(jp_fetch, "json")
    assert SECRET not in download.body.decode()


async def test_a_metadata_apply_is_recorded(projects: Path, api: Any, jp_fetch: Any) -> None:
    edit = {"project": "meta", "node": "model.shop.orders", "description": "Orders, one a row."}
    status, shown = await api("metadata", "preview", method="POST", body=json.dumps(edit))
    assert status == 200, shown
    status, saved = await api(
        "metadata", "apply", method="POST", body=json.dumps({**edit, "base": shown["base"]})
    )
    assert status == 200, saved

    entry = await latest(api, "metadata")
    assert (entry["action"], entry["user"], entry["project"]) == ("metadata.apply", ME, "meta")
    assert entry["target"] == "model.shop.orders"
    assert entry["details"]["file"] == saved["file"] and entry["details"]["changed"] is True
    assert entry["details"]["fields"] == ["description"]
    assert (await log(api, action="metadata.preview"))["total"] == 0, "previews write nothing"


async def test_sql_that_writes_is_recorded_with_its_statement_kinds(
    projects: Path, api: Any, jp_fetch: Any
) -> None:

    async def run(sql: str) -> dict[str, Any]:
        body = json.dumps({"project": "shop", "sql": sql})
        status, query = await api("sql", "queries", method="POST", body=body, params={"wait": 30})
        assert status == 200 and query["status"] == "success", query
        return query

    await run("select count(*) from analytics.orders")
    assert (await log(api, action="sql"))["total"] == 0, "reading is not a write"
    query = await run(
        f"create table analytics.notes as select '{SECRET}' as note; "
        "insert into analytics.notes values ('x')"
    )
    entry = await latest(api, "sql.write")
    assert (entry["user"], entry["project"], entry["target"]) == (ME, "shop", query["id"])
    assert entry["details"]["statements"] == ["create", "insert"]
    assert SECRET not in json.dumps(entry), "the SQL text (data) is not kept"


async def export(jp_fetch: Any, fmt: str, **params: Any) -> Any:
    response = await jp_fetch(
        "dbt-workbench", "api", "audit", "export", params={"format": fmt, **params}
    )
    assert response.code == 200
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Content-Disposition"].endswith(f'.{fmt}"')
    return response


async def test_filters_paging_and_downloads(projects: Path, api: Any, jp_fetch: Any) -> None:
    for select in ("a", "b", "c"):
        body = json.dumps({"project": "shop", "command": "run", "select": [select]})
        status, run = await api("runs", method="POST", body=body)
        assert status == 201, run
        await api("runs", run["id"], "cancel", method="POST")

    page = await log(api, action="run.submit", offset=1, limit=1)
    assert (page["total"], page["offset"], page["limit"]) == (3, 1, 1)
    assert page["entries"][0]["details"]["select"] == ["b"]
    assert (await log(api, q='"c"'))["total"] == 1
    assert (await log(api, user=ME))["total"] == 6
    assert (await log(api, user="someone-else"))["total"] == 0
    assert (await log(api, project="meta"))["total"] == 0
    status, error = await api("audit", params={"limit": 0})
    assert status == 400 and error["reason"] == "bad_parameter"

    response = await export(jp_fetch, "csv", action="run.cancel")
    assert response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))
    assert [row["action"] for row in rows] == ["run.cancel"] * 3
    assert {row["user"] for row in rows} == {ME}
    entries = json.loads((await export(jp_fetch, "json")).body)
    assert len(entries) == 6 and entries[0]["action"] == "run.cancel"
    status, error = await api("audit", "export", params={"format": "xml"})
    assert status == 400
