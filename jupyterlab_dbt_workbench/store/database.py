"""The embedded SQLite database holding everything that must survive a restart."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.errors import StoreError

from .migrations import migrate


def _describe(error: sqlite3.Error, where: str) -> StoreError:
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return StoreError(
            f"The workbench database {where} is damaged or is not a SQLite file ({text}). "
            "Move it away or delete it; the workbench creates a new one on the next start."
        )
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return StoreError(
            f"The workbench database {where} is locked by another process ({text}). "
            "Close the other Jupyter server using it, or give this one its own "
            "c.DbtWorkbench.store_path."
        )
    return StoreError(f"The workbench database {where} failed: {text}.")


class Database:
    """One SQLite connection shared by every thread, serialized by a lock.

    ``path`` None keeps the database in memory (tests, ``store_path=':memory:'``). File
    databases use WAL so a second reader (the CLI) never blocks the server. The store's work
    is small and infrequent, so one connection behind a lock is simpler than a pool and
    behaves the same for memory and file databases.
    """

    def __init__(self, path: Path | None, *, timeout: float = 5.0) -> None:
        """Open (creating and migrating it if needed) the database at ``path``.

        ``timeout`` is how long, in seconds, a write waits for another process's lock.
        """
        self.path = path
        self._where = str(path) if path is not None else "in memory"
        self._lock = threading.RLock()
        try:
            if path is not None:
                path.parent.mkdir(parents=True, exist_ok=True)
            self._connection = sqlite3.connect(
                str(path) if path is not None else ":memory:",
                check_same_thread=False,
                isolation_level=None,
                timeout=timeout,
            )
        except (OSError, sqlite3.Error) as exc:
            if isinstance(exc, sqlite3.Error):
                raise _describe(exc, self._where) from exc
            raise StoreError(
                f"The workbench database {self._where} cannot be created: {exc}."
            ) from exc
        try:
            self._connection.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
            self._connection.execute("PRAGMA foreign_keys = ON")
            if path is not None:
                self._connection.execute("PRAGMA journal_mode = WAL")
                self._connection.execute("PRAGMA synchronous = NORMAL")
            self.schema_version = migrate(self._connection)
        except sqlite3.Error as exc:
            self._connection.close()
            raise _describe(exc, self._where) from exc

    @property
    def location(self) -> str:
        """The file path, or ``:memory:``."""
        return str(self.path) if self.path is not None else ":memory:"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and an immediate write transaction; commit on success."""
        with self._lock:
            connection = self._connection
            try:
                connection.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise _describe(exc, self._where) from exc
            try:
                yield connection
            except BaseException as exc:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise _describe(exc, self._where) from exc
                raise
            try:
                connection.execute("COMMIT")
            except sqlite3.Error as exc:
                if connection.in_transaction:
                    connection.execute("ROLLBACK")
                raise _describe(exc, self._where) from exc

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read statement and return every row."""
        with self._lock:
            try:
                return list(self._connection.execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise _describe(exc, self._where) from exc

    def check(self) -> bool:
        """Whether the database answers a trivial query."""
        try:
            self.query("SELECT 1")
        except StoreError:
            return False
        return True

    def close(self) -> None:
        """Close the connection; the object is unusable afterwards."""
        with self._lock:
            self._connection.close()
