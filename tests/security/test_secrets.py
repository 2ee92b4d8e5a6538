"""Planted secrets never leave the server: every GET route is crawled with real ids filled in
and no response body (JSON, CSV, Parquet) contains any of them.

The secrets sit where users really keep them: the project's profiles.yml (a password, a token,
an ``env_var`` default), the server's environment, a schedule's environment variables, its
notification channels (SMTP password, Slack URL, webhook signing secret) and the Git remote's
URL. The records the crawl reads are made to touch them: the schedule runs and notifies (the
endpoints are unreachable, so deliveries fail with messages), a test notification is sent, and
a fetch from the credentialed remote fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from live_server import LiveServer, demo_tree, git, git_env, plant_records, serve

from jupyterlab_dbt_workbench.server.openapi import openapi_document

pytestmark = pytest.mark.slow

SECRETS = {
    "profile password": "pw-Q7c2b91f0a",
    "profile token": "tok-Z3e8d4c5b6",
    "profile env_var default": "envdef-K9a1f7e2d3",
    "server environment": "srvenv-M4b6c8d0e2",
    "schedule env password": "schpw-R5d7f9a1b3",
    "schedule env token": "schtok-T2e4a6c8e0",
    "SMTP password": "smtp-V8f0b2d4f6",
    "Slack URL token": "slack-X1a3c5e7a9",
    "webhook secret": "hook-Y6b8d0f2b4",
    "git remote password": "gitpw-W9c1e3a5c7",
}

ENV_DEFAULT = SECRETS["profile env_var default"]
PROFILES = f"""\
copper_kettle:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: demo.duckdb
      threads: 4
      settings:
        s3_secret_access_key: "{{{{ env_var('DBT_ENV_SECRET_S3', '{ENV_DEFAULT}') }}}}"
    prod:
      type: postgres
      host: warehouse.internal
      user: dbt
      password: "{SECRETS["profile password"]}"
      port: 5432
      dbname: analytics
      schema: marts
    lake:
      type: databricks
      host: lake.internal
      http_path: /sql/1.0/warehouses/abc
      token: "{SECRETS["profile token"]}"
      schema: marts
"""

SCHEDULE = {
    "name": "nightly",
    "project": "demo",
    "steps": ["build -s stg_orders"],
    "cron": "0 3 * * *",
    "timezone": "UTC",
    "env": {
        "DBT_PASSWORD": SECRETS["schedule env password"],
        "API_TOKEN": SECRETS["schedule env token"],
        "DBT_TARGET_SCHEMA": "nightly",
    },
    "notifications": [
        {
            "kind": "email",
            "events": ["success", "failure"],
            "host": "127.0.0.1",
            "port": 1,
            "username": "alerts",
            "password": SECRETS["SMTP password"],
            "sender": "alerts@localhost",
            "recipients": ["team@localhost"],
        },
        {
            "kind": "slack",
            "events": ["success", "failure"],
            "url": f"http://127.0.0.1:1/services/T000/B000/{SECRETS['Slack URL token']}",
        },
        {
            "kind": "webhook",
            "events": ["success", "failure"],
            "url": "http://127.0.0.1:1/hook",
            "secret": SECRETS["webhook secret"],
        },
    ],
}

NOT_REST = {("get", "/runs/{run_id}/ws")}
# Routes that answer 400 without one of their optional parameters.
NEEDS = {"/lineage": {"select": "+stg_orders+"}}


@pytest.fixture(scope="module")
def planted(
    built_demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A server whose project, environment, schedule and remote hold the secrets, and the
    real path ids to crawl with."""
    base = tmp_path_factory.mktemp("secrets")
    root = base / "root"
    root.mkdir()
    project = demo_tree(root, built_demo)
    env = git_env(base / "git")
    git(project, env, "init", "-q")
    # As dbt advises, the profile with credentials stays out of the repository: a tracked
    # file is the user's own content, shown by the Git diff like any other.
    (project / ".git" / "info" / "exclude").write_text("profiles.yml\n")
    git(project, env, "add", "-A")
    git(project, env, "commit", "-q", "-m", "demo")
    (project / "profiles.yml").write_text(PROFILES)
    remote = f"https://deploy:{SECRETS['git remote password']}@127.0.0.1:1/shop.git"
    git(project, env, "remote", "add", "origin", remote)
    env = {**env, "DBT_ENV_SECRET_SERVER": SECRETS["server environment"]}
    with serve(root, base / "state", env) as server:
        ids = plant_records(server, project, SCHEDULE)
        # Failures whose messages could quote a secret: a fetch from the credentialed remote,
        # a test message on each saved channel.
        assert server.send("POST", "/git/fetch", {}, {"project": "demo"}).status_code >= 400
        for index in range(len(SCHEDULE["notifications"])):
            sent = server.send(
                "POST",
                "/schedules/test-notification",
                {"schedule_id": ids["schedule_id"], "index": index},
            )
            assert sent.status_code == 200, sent.text
        yield server, ids


def _query_values(ids: dict[str, str]) -> dict[str, Any]:
    """Real values for the query parameters a GET route requires."""
    return {
        "node": ids["unique_id"],
        "column": "order_id",
        "unique_id": ids["unique_id"],
        "path": "models/staging/stg_orders.sql",
    }


def _crawl_targets(ids: dict[str, str]) -> list[tuple[str, dict[str, Any]]]:
    """Every GET route with its path filled in and its required query parameters given; the
    export routes once per format."""
    known = _query_values(ids)
    targets: list[tuple[str, dict[str, Any]]] = []
    for path, item in openapi_document()["paths"].items():
        operation = item.get("get")
        if operation is None or ("get", path) in NOT_REST:
            continue
        params: dict[str, Any] = {"project": "demo", **NEEDS.get(path, {})}
        formats: list[Any] = [None]
        for parameter in operation["parameters"]:
            name = parameter["name"]
            if parameter["in"] == "query" and parameter["required"]:
                params[name] = known[name]
            if name == "format":
                formats = parameter["schema"]["enum"]
        concrete = path.format(**ids)
        for fmt in formats:
            targets.append((concrete, {**params, **({"format": fmt} if fmt else {})}))
    return targets


def test_no_get_route_shows_a_planted_secret(planted: tuple[LiveServer, dict[str, str]]) -> None:
    server, ids = planted
    targets = _crawl_targets(ids)
    leaks: list[str] = []
    failed: list[str] = []
    for path, params in targets:
        response = server.get(path, params)
        if response.status_code != 200:
            failed.append(f"GET {path} {params}: {response.status_code} {response.text[:200]}")
        body = response.content
        leaks += [
            f"GET {path} {params} shows the {what}"
            for what, secret in SECRETS.items()
            if secret.encode() in body
        ]
    assert not leaks, "\n".join(leaks)
    # A crawl that only met errors would prove nothing: every route must really answer.
    assert not failed, "\n".join(failed)
    assert len(targets) >= 40


def test_the_planted_records_are_really_there(planted: tuple[LiveServer, dict[str, str]]) -> None:
    """The crawl reads what holds the secrets: the masked schedule, the deliveries that failed
    on its channels, the fetch that failed on the remote (in the audit log)."""
    server, ids = planted
    schedule = server.get(f"/schedules/{ids['schedule_id']}").json()
    assert schedule["env"]["DBT_PASSWORD"] == "********"
    assert schedule["env"]["DBT_TARGET_SCHEMA"] == "nightly"
    assert [channel["has_secret"] for channel in schedule["notifications"]] == [True] * 3
    deliveries = server.get(f"/schedules/{ids['schedule_id']}/deliveries").json()
    assert {item["kind"] for item in deliveries["deliveries"]} == {"email", "slack", "webhook"}
    assert all(item["status"] != "delivered" for item in deliveries["deliveries"])
    audit = server.get("/audit", {"action": "git.fetch"}).json()
    assert [item["outcome"] for item in audit["entries"]] == ["error"]
    remotes = server.get("/git/status", {"project": "demo"}).json()["repository"]["remotes"]
    assert remotes == [{"name": "origin", "url": "https://127.0.0.1:1/shop.git"}]
