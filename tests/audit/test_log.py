"""The audit log's store: recording (never failing the caller, never keeping secrets), reading
pages with filters, newest first."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator

import pytest

from jupyterlab_dbt_workbench import audit
from jupyterlab_dbt_workbench.store.database import Database

SECRET = "hunter2-planted"


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(None)
    yield database
    database.close()


def test_entries_come_back_newest_first_with_what_was_recorded(db: Database) -> None:
    audit.record(db, user="ann", action="run.submit", project="shop", target="r1")
    audit.record(
        db,
        user="bob",
        action="git.commit",
        project="shop",
        target="main",
        details={"sha": "abc123", "files": 2},
        outcome="error",
    )
    page = audit.entries(db)
    assert page["total"] == 2
    newest, oldest = page["entries"]
    assert (newest["user"], newest["action"], newest["area"]) == ("bob", "git.commit", "git")
    assert newest["details"] == {"sha": "abc123", "files": 2}
    assert newest["outcome"] == "error"
    assert (oldest["target"], oldest["outcome"], oldest["details"]) == ("r1", "ok", {})
    assert newest["at"] >= oldest["at"] and newest["at"].endswith("+00:00")


def test_filters_combine_and_pages_report_the_total(db: Database) -> None:
    for number in range(5):
        audit.record(db, user="ann", action="run.submit", project="shop", target=f"run-{number}")
    audit.record(db, user="bob", action="run.cancel", project="shop", target="run-1")
    audit.record(db, user="bob", action="runner.odd", project="other", target="x")
    audit.record(
        db, user="ann", action="schedule.create", project="other", details={"cron": "0 5 * * *"}
    )

    assert audit.entries(db, action="run")["total"] == 6  # run.*, not runner.odd
    assert audit.entries(db, action="run.cancel")["total"] == 1
    assert audit.entries(db, user="bob")["total"] == 2
    assert audit.entries(db, project="other")["total"] == 2
    assert [e["target"] for e in audit.entries(db, q="RUN-1")["entries"]] == ["run-1", "run-1"]
    assert audit.entries(db, q="0 5 *")["entries"][0]["action"] == "schedule.create"
    assert audit.entries(db, q="%")["total"] == 0, "LIKE wildcards in q are literal text"
    assert audit.entries(db, user="ann", action="run", q="run-4")["total"] == 1

    page = audit.entries(db, action="run.submit", offset=1, limit=2)
    assert page["total"] == 5
    assert [e["target"] for e in page["entries"]] == ["run-3", "run-2"]


def test_secrets_never_reach_the_store(db: Database) -> None:
    audit.record(
        db,
        user="ann",
        action="schedule.update",
        project="shop",
        target="nightly",
        details={
            "env": {"SNOWFLAKE_PASSWORD": SECRET, "DBT_SCHEMA": "ci"},
            "notifications": [
                {"kind": "webhook", "url": f"https://user:{SECRET}@hooks.example/x"},
                {"kind": "email", "password": SECRET, "username": "mailer"},
                {"kind": "webhook", "secret": SECRET, "api_token": SECRET},
            ],
        },
    )
    raw = db.query("SELECT * FROM audit_log")
    assert SECRET not in json.dumps(raw)
    details = audit.entries(db)["entries"][0]["details"]
    assert details["env"] == ["DBT_SCHEMA", "SNOWFLAKE_PASSWORD"], "names only"
    assert details["notifications"][0]["url"] == "https://hooks.example/x"
    assert details["notifications"][1]["password"] == "[redacted]"
    assert details["notifications"][1]["username"] == "mailer"


def test_a_failing_store_is_logged_not_raised(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    db.close()
    with caplog.at_level(logging.WARNING):
        audit.record(db, user="ann", action="git.push", target="main")
    assert "git.push" in caplog.text
    audit.record(None, user="ann", action="git.push")  # no store at all: nothing to do


def test_oversized_details_keep_their_keys_only(db: Database) -> None:
    audit.record(db, user="ann", action="sql.write", details={"big": "x" * 50_000, "kind": "ok"})
    details = audit.entries(db)["entries"][0]["details"]
    assert details == {"truncated": True, "keys": ["big", "kind"]}
