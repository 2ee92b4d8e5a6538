"""The audit log as a CSV or JSON download, produced in chunks so a long log never sits whole
in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Iterator
from typing import TYPE_CHECKING, Literal

from .log import COLUMNS, row_entry, where_clause

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.store.database import Database

    from .payloads import AuditEntry

ExportFormat = Literal["csv", "json"]
FORMATS: tuple[ExportFormat, ...] = ("csv", "json")
CSV_HEADER = ("id", "at", "user", "action", "area", "project", "target", "outcome", "details")
BATCH = 500
# A cell starting with one of these is run as a formula by spreadsheet programs; the log holds
# text users typed (schedule names, commit messages), so such cells get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def _batches(
    database: Database,
    below: int,
    project: str | None,
    q: str | None,
    action: str | None,
    user: str | None,
) -> Iterator[list[AuditEntry]]:
    where, params = where_clause(project, q, action, user)
    joiner = " AND " if where else " WHERE "
    while True:
        rows = database.query(
            f"SELECT {COLUMNS} FROM audit_log{where}{joiner}id < ? ORDER BY id DESC LIMIT ?",
            [*params, below, BATCH],
        )
        if not rows:
            return
        yield [row_entry(row) for row in rows]
        below = int(rows[-1][0])


def _csv_chunk(rows: list[tuple[object, ...]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode("utf-8")


def export(
    database: Database,
    fmt: ExportFormat,
    *,
    project: str | None = None,
    q: str | None = None,
    action: str | None = None,
    user: str | None = None,
) -> Generator[bytes, None, None]:
    """The entries matching the filters (as ``entries``), newest first, as chunks of bytes.

    ``csv``: a header row then one row per entry, details as compact JSON, UTF-8 with a BOM so
    spreadsheet programs read accents right. ``json``: one array of ``AuditEntry`` objects.
    """
    if fmt not in FORMATS:
        raise ValueError(f"Unknown export format {fmt!r}; use csv or json.")
    # Keyset paging below the newest id when the download starts: entries written meanwhile
    # neither shift the pages nor appear half-way.
    top = database.query("SELECT COALESCE(MAX(id), 0) FROM audit_log")[0][0]
    batches = _batches(database, int(top) + 1, project, q, action, user)
    if fmt == "csv":
        yield "\ufeff".encode() + _csv_chunk([CSV_HEADER])
        for batch in batches:
            yield _csv_chunk(
                [
                    (
                        entry["id"],
                        entry["at"],
                        _cell(entry["user"]),
                        _cell(entry["action"]),
                        entry["area"],
                        _cell(entry["project"]),
                        _cell(entry["target"]),
                        entry["outcome"],
                        _cell(json.dumps(entry["details"], ensure_ascii=False, sort_keys=True)),
                    )
                    for entry in batch
                ]
            )
        return
    first = True
    yield b"["
    for batch in batches:
        parts = [json.dumps(entry, ensure_ascii=False) for entry in batch]
        yield (("\n" if first else ",\n") + ",\n".join(parts)).encode("utf-8")
        first = False
    yield b"\n]\n"
