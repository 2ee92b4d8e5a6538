"""The run history in the SQLite store: runs, their per-node results and their logs.

The log of a run is stored as compressed chunks of consecutive events (one chunk per flush),
so a run printing tens of thousands of lines costs a few rows and a fraction of its text size.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from jupyterlab_dbt_workbench.errors import InvalidRunRequest, StoreError
from jupyterlab_dbt_workbench.store.database import Database

from .models import FINISHED
from .payloads import (
    EventPage,
    NodeResult,
    RunDetail,
    RunEvent,
    RunPage,
    RunProgress,
    RunRequestPayload,
    RunSummary,
)

LEVELS = {"debug": 0, "info": 1, "warn": 2, "warning": 2, "error": 3}
_EVENT_FIELDS = ("seq", "ts", "level", "name", "message", "unique_id", "node_status", "index",
                 "total")  # fmt: skip
_NODE_FIELDS = ("unique_id", "name", "resource_type", "status", "started_at", "finished_at",
                "execution_time", "message", "rows_affected", "failures")  # fmt: skip
_SUMMARY_COLUMNS = (
    "id, project, command, cli, argv, user, status, created_at, started_at, finished_at,"
    " duration, returncode, exit_signal, retry_of, rerun_of, done, total, counts, message"
)
_FINISHED_SQL = ", ".join(f"'{status}'" for status in sorted(FINISHED))


def _encode_events(events: list[RunEvent]) -> bytes:
    rows = [[event[field] for field in _EVENT_FIELDS] for event in events]  # type: ignore[literal-required]
    return zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 1)


def _decode_events(data: bytes) -> list[RunEvent]:
    rows = json.loads(zlib.decompress(data))
    return [RunEvent(**dict(zip(_EVENT_FIELDS, row, strict=True))) for row in rows]  # type: ignore[typeddict-item]


def select_events(
    events: Iterable[RunEvent], *, after: int, level: str | None, q: str | None, limit: int
) -> EventPage:
    """One page of events after ``after``: at least ``level`` (debug < info < warn < error),
    containing ``q`` (case-insensitive, in the message, name or node id).

    ``next`` is the ``after`` that continues the page: the last event returned when the page
    is full, else the last event looked at, so that polling never rereads filtered events.
    """
    check_event_filters(level, limit)
    floor = LEVELS[level] if level else -1
    needle = q.lower() if q else None
    items: list[RunEvent] = []
    last = after
    for event in events:
        if event["seq"] <= after:
            continue
        last = event["seq"]
        if LEVELS.get(event["level"], 1) < floor:
            continue
        if needle is not None and not any(
            needle in (text or "").lower()
            for text in (event["message"], event["name"], event["unique_id"])
        ):
            continue
        items.append(event)
        if len(items) >= limit:
            break
    return EventPage(items=items, next=last)


def check_event_filters(level: str | None, limit: int) -> None:
    """Refuse an unknown level or a limit below 1."""
    if level is not None and level not in LEVELS:
        raise InvalidRunRequest(
            f"Unknown log level {level!r}: use debug, info, warn or error (the lowest shown)."
        )
    if limit < 1:
        raise InvalidRunRequest(f"`limit` must be 1 or more, not {limit}.")


class RunHistory:
    """Reads and writes runs in the workbench database. Safe to call from several threads
    (the database serializes access)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # Writing ---------------------------------------------------------------------------------

    def insert(
        self,
        summary: RunSummary,
        request: RunRequestPayload,
        log_path: str | None,
        owner: str | None = None,
    ) -> None:
        """Record a new run, owned by the process named by ``owner`` (see runs/owner.py)."""
        with self.database.transaction() as connection:
            connection.execute(
                "INSERT INTO runs (id, project, command, cli, argv, request, user, status,"
                " created_at, retry_of, rerun_of, message, log_path, owner)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    summary["id"],
                    summary["project"],
                    summary["command"],
                    summary["cli"],
                    json.dumps(summary["argv"]),
                    json.dumps(request),
                    summary["user"],
                    summary["status"],
                    summary["created_at"],
                    summary["retry_of"],
                    summary["rerun_of"],
                    summary["message"],
                    log_path,
                    owner,
                ),
            )

    def save(
        self,
        summary: RunSummary,
        *,
        events: list[RunEvent] = (),  # type: ignore[assignment]
        nodes: Iterable[tuple[int, NodeResult]] = (),
        artifacts: list[str] | None = None,
    ) -> None:
        """Update a run's summary and append its new events and changed node results, in one
        transaction. ``nodes`` are (position, result) pairs."""
        with self.database.transaction() as connection:
            connection.execute(
                "UPDATE runs SET status = ?, started_at = ?, finished_at = ?, duration = ?,"
                " returncode = ?, exit_signal = ?, done = ?, total = ?, counts = ?, message = ?,"
                " artifacts = COALESCE(?, artifacts) WHERE id = ?",
                (
                    summary["status"],
                    summary["started_at"],
                    summary["finished_at"],
                    summary["duration"],
                    summary["returncode"],
                    summary["exit_signal"],
                    summary["progress"]["done"],
                    summary["progress"]["total"],
                    json.dumps(summary["counts"]),
                    summary["message"],
                    None if artifacts is None else json.dumps(artifacts),
                    summary["id"],
                ),
            )
            if events:
                connection.execute(
                    "INSERT INTO run_events (run_id, first_seq, last_seq, data)"
                    " VALUES (?, ?, ?, ?)",
                    (summary["id"], events[0]["seq"], events[-1]["seq"], _encode_events(events)),
                )
            connection.executemany(
                "INSERT OR REPLACE INTO run_nodes (run_id, position, unique_id, name,"
                " resource_type, status, started_at, finished_at, execution_time, message,"
                " rows_affected, failures) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (summary["id"], position, *(node[field] for field in _NODE_FIELDS))  # type: ignore[literal-required]
                    for position, node in nodes
                ],
            )

    def interrupt_unfinished(self, finished_at: str, alive: Callable[[str | None], bool]) -> int:
        """Mark as interrupted the running or queued runs whose owner process is gone.

        ``alive(owner)`` tells whether an owner still runs: the runs of a live process (the
        server, while a kernel's ``%dbt`` starts its own manager) are left alone.
        """
        messages = {
            "running": "The process running it stopped while it ran (a server restart or a "
            "kernel shutdown); the log up to that point is kept. Retry or rerun it.",
            "queued": "The process running it stopped while it waited in the queue; it never "
            "started. Rerun it.",
        }
        with self.database.transaction() as connection:
            rows = connection.execute(
                "SELECT id, status, owner FROM runs WHERE status IN ('running', 'queued')"
            ).fetchall()
            orphans = [(run_id, status) for run_id, status, owner in rows if not alive(owner)]
            for run_id, status in orphans:
                connection.execute(
                    "UPDATE runs SET status = 'interrupted', finished_at = ?, message = ?"
                    " WHERE id = ?",
                    (finished_at, messages[status], run_id),
                )
        return len(orphans)

    def prune(self, limit: int) -> list[str]:
        """Delete the oldest finished runs beyond ``limit`` runs in all; return their ids."""
        with self.database.transaction() as connection:
            total = connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            excess = total - max(limit, 0)
            if excess <= 0:
                return []
            ids = [
                row[0]
                for row in connection.execute(
                    f"SELECT id FROM runs WHERE status IN ({_FINISHED_SQL})"
                    " ORDER BY number LIMIT ?",
                    (excess,),
                )
            ]
            connection.executemany("DELETE FROM runs WHERE id = ?", [(i,) for i in ids])
        return ids

    # Reading ---------------------------------------------------------------------------------

    def summary(self, run_id: str) -> RunSummary | None:
        """One run's summary, None when unknown."""
        rows = self.database.query(f"SELECT {_SUMMARY_COLUMNS} FROM runs WHERE id = ?", (run_id,))
        return _summary(rows[0]) if rows else None

    def detail(self, run_id: str) -> RunDetail | None:
        """One run with its request, node results and artifacts; None when unknown."""
        rows = self.database.query(
            f"SELECT {_SUMMARY_COLUMNS}, request, artifacts, log_path FROM runs WHERE id = ?",
            (run_id,),
        )
        if not rows:
            return None
        row = rows[0]
        summary = _summary(row[:19])
        nodes = self.database.query(
            f"SELECT {', '.join(_NODE_FIELDS)} FROM run_nodes WHERE run_id = ? ORDER BY position",
            (run_id,),
        )
        return RunDetail(
            **summary,
            request=json.loads(row[19]),
            nodes=[NodeResult(**dict(zip(_NODE_FIELDS, node, strict=True))) for node in nodes],  # type: ignore[typeddict-item]
            artifacts=json.loads(row[20]),
            log_path=row[21],
        )

    def page(
        self,
        *,
        project: str | None,
        status: str | None,
        command: str | None,
        offset: int,
        limit: int,
    ) -> RunPage:
        """Runs matching the filters, newest first."""
        where, params = [], []
        for column, value in (("project", project), ("status", status), ("command", command)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = self.database.query(f"SELECT COUNT(*) FROM runs{clause}", params)[0][0]
        rows = self.database.query(
            f"SELECT {_SUMMARY_COLUMNS} FROM runs{clause} ORDER BY number DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return RunPage(
            total=int(total), offset=offset, limit=limit, items=[_summary(r) for r in rows]
        )

    def iter_events(self, run_id: str, after: int = 0) -> Iterator[RunEvent]:
        """The stored events of a run after ``after``, in order, read chunk by chunk."""
        chunks = self.database.query(
            "SELECT first_seq FROM run_events WHERE run_id = ? AND last_seq > ? ORDER BY first_seq",
            (run_id, after),
        )
        for (first_seq,) in chunks:
            rows = self.database.query(
                "SELECT data FROM run_events WHERE run_id = ? AND first_seq = ?",
                (run_id, first_seq),
            )
            if not rows:
                continue
            try:
                events = _decode_events(rows[0][0])
            except (zlib.error, ValueError) as exc:
                raise StoreError(f"The stored log of run {run_id} is damaged: {exc}.") from exc
            yield from (event for event in events if event["seq"] > after)


def _summary(row: tuple[Any, ...] | list[Any]) -> RunSummary:
    (run_id, project, command, cli, argv, user, status, created_at, started_at, finished_at,
     duration, returncode, exit_signal, retry_of, rerun_of, done, total, counts,
     message) = row  # fmt: skip
    return RunSummary(
        id=run_id,
        project=project,
        command=command,
        cli=cli,
        argv=json.loads(argv),
        user=user,
        status=status,
        created_at=created_at,
        started_at=started_at,
        finished_at=finished_at,
        duration=duration,
        returncode=returncode,
        exit_signal=exit_signal,
        retry_of=retry_of,
        rerun_of=rerun_of,
        progress=RunProgress(done=done, total=total),
        counts=json.loads(counts),
        message=message,
    )
