"""Schedules, their executions and slot leases in the workbench's SQLite store.

Every write that decides something (claiming a slot, starting a queued execution, finishing
one) is a single guarded statement or one ``BEGIN IMMEDIATE`` transaction, so that several
processes sharing the file (two servers, a server and a kernel) agree without talking.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jupyterlab_dbt_workbench.errors import Conflict, ScheduleNotFound
from jupyterlab_dbt_workbench.store.database import Database

from .model import Schedule, from_definition
from .payloads import ExecutionPayload, ExecutionStatus, Trigger

ACTIVE: frozenset[str] = frozenset({"queued", "running"})
# The statuses that say how the work went (recovery compares with the last of these).
OUTCOMES: frozenset[str] = frozenset({"success", "warning", "failed", "timeout"})

_SCHEDULE_COLUMNS = (
    "id, name, project, definition, enabled, created_at, updated_at, next_run_at, "
    "last_run_at, last_status, state, error"
)
_EXECUTION_COLUMNS = (
    "number, id, schedule_id, slot, trigger, status, attempt, not_before, created_at, "
    "started_at, finished_at, run_ids, counts, message, owner"
)


@dataclass(frozen=True)
class Execution:
    """One execution of a schedule: a slot (or a run-now request) worked through its steps."""

    number: int
    id: str
    schedule_id: str
    slot: str | None
    trigger: Trigger
    status: ExecutionStatus
    attempt: int
    not_before: str | None
    created_at: str
    started_at: str | None = None
    finished_at: str | None = None
    run_ids: tuple[str, ...] = ()
    counts: Mapping[str, int] = field(default_factory=dict)
    message: str | None = None
    owner: str | None = None

    def payload(self) -> ExecutionPayload:
        return ExecutionPayload(
            id=self.id,
            schedule_id=self.schedule_id,
            slot=self.slot,
            trigger=self.trigger,
            status=self.status,
            attempt=self.attempt,
            started_at=self.started_at,
            finished_at=self.finished_at,
            run_ids=list(self.run_ids),
            message=self.message,
        )


@dataclass(frozen=True)
class NewExecution:
    """An execution to record: queued to run, or recorded as skipped at once."""

    slot: str | None
    trigger: Trigger
    status: ExecutionStatus = "queued"
    attempt: int = 1
    not_before: str | None = None
    message: str | None = None


def new_execution_id() -> str:
    return f"exe-{secrets.token_hex(6)}"


class ScheduleStore:
    """Reads and writes schedules and executions; every method may be called from any
    thread (the ``Database`` serializes them)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    # Schedules ------------------------------------------------------------------------------

    def all(self, project: str | None = None) -> list[Schedule]:
        where, params = ("WHERE project = ?", (project,)) if project else ("", ())
        rows = self.database.query(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules {where} ORDER BY name", params
        )
        return [_schedule(row) for row in rows]

    def get(self, schedule_id: str) -> Schedule:
        """The schedule; ``ScheduleNotFound`` when there is none."""
        found = self.find(schedule_id)
        if found is None:
            raise ScheduleNotFound(f"No schedule {schedule_id!r}: it never existed or was deleted.")
        return found

    def find(self, schedule_id: str) -> Schedule | None:
        rows = self.database.query(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE id = ?", (schedule_id,)
        )
        return _schedule(rows[0]) if rows else None

    def by_name(self, name: str) -> Schedule:
        rows = self.database.query(
            f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE name = ?", (name,)
        )
        if not rows:
            names = ", ".join(s.name for s in self.all()) or "none yet"
            raise ScheduleNotFound(f"No schedule named {name!r} (schedules: {names}).")
        return _schedule(rows[0])

    def save(self, schedule: Schedule, *, create: bool) -> None:
        """Insert (``create``) or replace the schedule's definition and bookkeeping."""
        values = (
            schedule.name,
            schedule.project,
            json.dumps(schedule.definition()),
            int(schedule.enabled),
            schedule.created_at,
            schedule.updated_at,
            schedule.next_run_at,
            schedule.state,
            schedule.error,
            schedule.id,
        )
        with self.database.transaction() as connection:
            taken = connection.execute(
                "SELECT 1 FROM schedules WHERE name = ? AND id != ?", (schedule.name, schedule.id)
            ).fetchone()
            if taken:
                raise Conflict(
                    f"A schedule named {schedule.name!r} already exists: choose another name."
                )
            if create:
                connection.execute(
                    "INSERT INTO schedules (name, project, definition, enabled, created_at,"
                    " updated_at, next_run_at, state, error, id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    values,
                )
            else:
                connection.execute(
                    "UPDATE schedules SET name = ?, project = ?, definition = ?, enabled = ?,"
                    " created_at = ?, updated_at = ?, next_run_at = ?, state = ?, error = ?"
                    " WHERE id = ?",
                    values,
                )

    def delete(self, schedule_id: str) -> None:
        with self.database.transaction() as connection:
            deleted = connection.execute("DELETE FROM schedules WHERE id = ?", (schedule_id,))
        if deleted.rowcount == 0:
            raise ScheduleNotFound(f"No schedule {schedule_id!r}: it never existed or was deleted.")

    def set_state(self, schedule_id: str, state: str, error: str | None) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "UPDATE schedules SET state = ?, error = ? WHERE id = ?",
                (state, error, schedule_id),
            )

    def set_next(self, schedule_id: str, expected: str | None, next_run_at: str | None) -> bool:
        """Move the next run time from ``expected``; False when another process moved it."""
        with self.database.transaction() as connection:
            changed = connection.execute(
                "UPDATE schedules SET next_run_at = ? WHERE id = ? AND next_run_at IS ?",
                (next_run_at, schedule_id, expected),
            )
        return changed.rowcount == 1

    def set_last(self, schedule_id: str, at: str, status: str) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "UPDATE schedules SET last_run_at = ?, last_status = ? WHERE id = ?",
                (at, status, schedule_id),
            )

    # Slots ----------------------------------------------------------------------------------

    def claim(
        self,
        schedule_id: str,
        expected: str | None,
        next_run_at: str | None,
        entries: Iterable[NewExecution],
        *,
        owner: str,
        now: str,
    ) -> list[Execution] | None:
        """Record the executions of the due slots and move the next run time, atomically.

        Returns None (and changes nothing) when another process advanced the schedule first.
        A slot is leased with an INSERT into ``schedule_leases``, whose primary key lets only
        one writer win; an entry whose slot is already leased is dropped.
        """
        created: list[Execution] = []
        with self.database.transaction() as connection:
            row = connection.execute(
                "SELECT next_run_at FROM schedules WHERE id = ?", (schedule_id,)
            ).fetchone()
            if row is None or row[0] != expected:
                return None
            for entry in entries:
                if entry.slot is not None and entry.trigger != "retry":
                    leased = connection.execute(
                        "INSERT OR IGNORE INTO schedule_leases (schedule_id, slot, owner,"
                        " claimed_at) VALUES (?, ?, ?, ?)",
                        (schedule_id, entry.slot, owner, now),
                    )
                    if leased.rowcount != 1:
                        continue
                created.append(_insert(connection, schedule_id, entry, now))
            connection.execute(
                "UPDATE schedules SET next_run_at = ? WHERE id = ?", (next_run_at, schedule_id)
            )
        return created

    # Executions -----------------------------------------------------------------------------

    def add_execution(self, schedule_id: str, entry: NewExecution, now: str) -> Execution:
        """Record an execution that needs no lease (run now, a retry)."""
        with self.database.transaction() as connection:
            return _insert(connection, schedule_id, entry, now)

    def execution(self, execution_id: str) -> Execution | None:
        rows = self.database.query(
            f"SELECT {_EXECUTION_COLUMNS} FROM schedule_executions WHERE id = ?", (execution_id,)
        )
        return _execution(rows[0]) if rows else None

    def executions(self, schedule_id: str, limit: int = 50) -> list[Execution]:
        """The schedule's executions, newest first."""
        rows = self.database.query(
            f"SELECT {_EXECUTION_COLUMNS} FROM schedule_executions WHERE schedule_id = ?"
            " ORDER BY number DESC LIMIT ?",
            (schedule_id, limit),
        )
        return [_execution(row) for row in rows]

    def active(self, schedule_id: str) -> list[Execution]:
        """The schedule's queued and running executions, oldest first."""
        rows = self.database.query(
            f"SELECT {_EXECUTION_COLUMNS} FROM schedule_executions WHERE schedule_id = ?"
            " AND status IN ('queued', 'running') ORDER BY number",
            (schedule_id,),
        )
        return [_execution(row) for row in rows]

    def queued(self) -> list[Execution]:
        """Every queued execution, oldest first."""
        rows = self.database.query(
            f"SELECT {_EXECUTION_COLUMNS} FROM schedule_executions WHERE status = 'queued'"
            " ORDER BY number"
        )
        return [_execution(row) for row in rows]

    def start(self, execution_id: str, *, owner: str, now: str) -> bool:
        """Move a queued execution to running; False when another process started it, or
        when another execution of its schedule is running."""
        with self.database.transaction() as connection:
            started = connection.execute(
                "UPDATE schedule_executions SET status = 'running', owner = ?, started_at = ?"
                " WHERE id = ? AND status = 'queued' AND NOT EXISTS (SELECT 1 FROM"
                " schedule_executions AS other WHERE other.schedule_id ="
                " schedule_executions.schedule_id AND other.status = 'running')",
                (owner, now, execution_id),
            )
        return started.rowcount == 1

    def add_run(self, execution_id: str, run_ids: tuple[str, ...]) -> None:
        with self.database.transaction() as connection:
            connection.execute(
                "UPDATE schedule_executions SET run_ids = ? WHERE id = ?",
                (json.dumps(list(run_ids)), execution_id),
            )

    def finish(
        self,
        execution_id: str,
        status: ExecutionStatus,
        message: str | None,
        *,
        now: str,
        counts: Mapping[str, int] | None = None,
        only_from: frozenset[str] = ACTIVE,
    ) -> bool:
        """Record the end of an execution that is still in one of ``only_from``; False when
        it was not (another process marked it interrupted meanwhile)."""
        marks = ", ".join("?" for _ in only_from)
        with self.database.transaction() as connection:
            done = connection.execute(
                "UPDATE schedule_executions SET status = ?, message = ?, finished_at = ?,"
                f" counts = ? WHERE id = ? AND status IN ({marks})",
                (status, message, now, json.dumps(dict(counts or {})), execution_id, *only_from),
            )
        return done.rowcount == 1

    def previous_outcome(self, schedule_id: str, before: int) -> str | None:
        """The status of the last execution before number ``before`` that says how the work
        went (success, warning, failed, timeout)."""
        marks = ", ".join("?" for _ in OUTCOMES)
        rows = self.database.query(
            "SELECT status FROM schedule_executions WHERE schedule_id = ? AND number < ?"
            f" AND status IN ({marks}) ORDER BY number DESC LIMIT 1",
            (schedule_id, before, *sorted(OUTCOMES)),
        )
        return rows[0][0] if rows else None

    def interrupt_orphans(self, alive: Callable[[str | None], bool], now: str) -> list[Execution]:
        """Mark as interrupted the running executions whose process is gone; return them."""
        message = (
            "The server running it stopped before it ended. Its slot is not run again; "
            "use Run now to run it."
        )
        with self.database.transaction() as connection:
            rows = connection.execute(
                f"SELECT {_EXECUTION_COLUMNS} FROM schedule_executions WHERE status = 'running'"
            ).fetchall()
            orphans = [_execution(row) for row in rows if not alive(row[14])]
            for orphan in orphans:
                connection.execute(
                    "UPDATE schedule_executions SET status = 'interrupted', finished_at = ?,"
                    " message = ? WHERE id = ? AND status = 'running'",
                    (now, message, orphan.id),
                )
        return orphans


def _insert(
    connection: sqlite3.Connection, schedule_id: str, entry: NewExecution, now: str
) -> Execution:
    execution_id = new_execution_id()
    finished = now if entry.status not in ACTIVE else None
    cursor = connection.execute(
        "INSERT INTO schedule_executions (id, schedule_id, slot, trigger, status, attempt,"
        " not_before, created_at, finished_at, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            execution_id,
            schedule_id,
            entry.slot,
            entry.trigger,
            entry.status,
            entry.attempt,
            entry.not_before,
            now,
            finished,
            entry.message,
        ),
    )
    return Execution(
        number=int(cursor.lastrowid or 0),
        id=execution_id,
        schedule_id=schedule_id,
        slot=entry.slot,
        trigger=entry.trigger,
        status=entry.status,
        attempt=entry.attempt,
        not_before=entry.not_before,
        created_at=now,
        finished_at=finished,
        message=entry.message,
    )


def _schedule(row: tuple[Any, ...]) -> Schedule:
    names = [name.strip() for name in _SCHEDULE_COLUMNS.split(",")]
    columns = dict(zip(names, row, strict=True))
    return from_definition(columns, json.loads(columns["definition"]))


def _execution(row: tuple[Any, ...]) -> Execution:
    (number, execution_id, schedule_id, slot, trigger, status, attempt, not_before, created_at,
     started_at, finished_at, run_ids, counts, message, owner) = row  # fmt: skip
    return Execution(
        number=number,
        id=execution_id,
        schedule_id=schedule_id,
        slot=slot,
        trigger=trigger,
        status=status,
        attempt=attempt,
        not_before=not_before,
        created_at=created_at,
        started_at=started_at,
        finished_at=finished_at,
        run_ids=tuple(json.loads(run_ids)),
        counts=json.loads(counts),
        message=message,
        owner=owner,
    )
