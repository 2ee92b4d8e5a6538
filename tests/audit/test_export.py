"""Exporting the audit log: streamed chunks of CSV or JSON with the same filters as pages."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

import pytest

from jupyterlab_dbt_workbench import audit
from jupyterlab_dbt_workbench.audit import download
from jupyterlab_dbt_workbench.store.database import Database


@pytest.fixture
def db() -> Iterator[Database]:
    database = Database(None)
    for number in range(7):
        audit.record(
            database,
            user="ann",
            action="run.submit",
            project="shop",
            target=f"run-{number}",
            details={"command": "build", "note": "café"},
        )
    audit.record(database, user="bob", action="schedule.create", target='=HYPERLINK("x")')
    yield database
    database.close()


def test_csv_has_a_header_and_every_entry_in_batches(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "BATCH", 3)
    chunks = list(audit.export(db, "csv"))
    assert len(chunks) > 3, "streamed in several pieces"
    text = b"".join(chunks).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 8
    assert rows[0]["action"] == "schedule.create"
    assert rows[0]["target"].startswith("'="), "formulas are defused for spreadsheets"
    assert [row["target"] for row in rows[1:]] == [f"run-{n}" for n in range(6, -1, -1)]
    assert json.loads(rows[1]["details"]) == {"command": "build", "note": "café"}


def test_json_is_one_array_and_follows_the_filters(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(download, "BATCH", 2)
    entries = json.loads(b"".join(audit.export(db, "json", user="ann", q="run-")))
    assert [entry["target"] for entry in entries] == [f"run-{n}" for n in range(6, -1, -1)]
    assert entries[0]["details"]["note"] == "café"
    assert json.loads(b"".join(audit.export(db, "json", user="nobody"))) == []


def test_entries_written_during_a_download_are_left_out(db: Database) -> None:
    chunks = audit.export(db, "json")
    first = next(chunks)
    audit.record(db, user="ann", action="run.cancel", target="late")
    rest = b"".join(chunks)
    assert "late" not in (first + rest).decode()


def test_unknown_formats_are_refused(db: Database) -> None:
    with pytest.raises(ValueError, match="csv or json"):
        list(audit.export(db, "xml"))  # type: ignore[arg-type]
