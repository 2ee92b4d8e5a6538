"""The embedded SQLite database holding everything that must survive a restart."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.errors import StoreBusy, StoreError

from .migrations import migrate


def _busy(error: sqlite3.Error) -> bool:
    """Whether ``error`` means another connection holds a lock we need (worth a retry)."""
    text = str(error)
    return isinstance(error, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _describe(error: sqlite3.Error, where: str) -> StoreError:
    text = str(error)
    if isinstance(error, sqlite3.DatabaseError) and (
        "not a database" in text or "malformed" in text or "corrupt" in text
    ):
        return StoreError(
            f"The workbench database {where} is damaged or is not a SQLite file ({text}). "
            "Move it away or delete it; the workbench creates a new one on the next start."
        )
    if _busy(error):
        return StoreBusy(
            f"The workbench store {where} is locked by another process ({text}); try again "
            "in a moment. If it stays locked, close the other program using it (another "
            "Jupyter server, a sqlite3 shell), or give this server its own "
            "c.DbtWorkbench.store_path."
        )
    return StoreError(f"The workbench database {where} failed: {text}.")


# Seconds a write waits for another process's lock while the store is known to be locked.
_LOCKED_OUT_WAIT = 0.5


class Database:
    """One SQLite connection shared by every thread, serialized by a lock.

    ``path`` None keeps the database in memory (tests, ``store_path=':memory:'``). File
    databases use WAL so a second reader (the CLI) never blocks the server. The store's work
    is small and infrequent, so one connection behind a lock is simpler than a pool and
    behaves the same for memory and file databases.
    """

    def __init__(
        self, path: Path | None, *, timeout: float = 5.0, startup_timeout: float = 30.0
    ) -> None:
        """Open (creating and migrating it if needed) the database at ``path``.

        ``timeout`` is how long, in seconds, a statement waits for another process's lock.
        While another process holds the lock, opening retries for ``startup_timeout``
        seconds; past that the database still opens, and finishes its set-up on the first
        use after the lock is released (until then every use raises ``StoreBusy``), so a
        server starts and serves what does not need the store.
        """
        self.path = path
        self._where = str(path) if path is not None else "in memory"
        self._lock = threading.RLock()
        self._ready = False
        self._schema_version = 0
        self._timeout = timeout
        self._locked_out = False
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
        except sqlite3.Error as exc:
            self._connection.close()
            raise _describe(exc, self._where) from exc
        deadline = time.monotonic() + startup_timeout
        while True:
            try:
                self._set_up()
                return
            except StoreBusy:
                if time.monotonic() >= deadline:
                    return
                time.sleep(min(0.5, max(0.0, deadline - time.monotonic())))
            except StoreError:
                self._connection.close()
                raise

    def _set_up(self) -> None:
        """Switch to WAL and apply the migrations, once; ``StoreBusy`` while locked."""
        with self._lock:
            if self._ready:
                return
            try:
                if self.path is not None:
                    self._connection.execute("PRAGMA journal_mode = WAL")
                    self._connection.execute("PRAGMA synchronous = NORMAL")
                self._schema_version = migrate(self._connection)
            except sqlite3.Error as exc:
                raise _describe(exc, self._where) from exc
            self._ready = True

    @property
    def schema_version(self) -> int:
        """The schema version reached (0 while another process keeps the set-up waiting)."""
        return self._schema_version

    @property
    def location(self) -> str:
        """The file path, or ``:memory:``."""
        return str(self.path) if self.path is not None else ":memory:"

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """Hold the lock and an immediate write transaction; commit on success."""
        with self._lock:
            self._set_up()
            connection = self._connection
            self._begin(connection)
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

    def _begin(self, connection: sqlite3.Connection) -> None:
        """BEGIN IMMEDIATE. Once a write found another process holding the lock, the next
        ones wait only ``_LOCKED_OUT_WAIT`` seconds until one succeeds: every thread would
        otherwise queue behind this connection's lock for the whole timeout each."""
        quick = self._locked_out
        if quick:
            connection.execute(f"PRAGMA busy_timeout = {int(_LOCKED_OUT_WAIT * 1000)}")
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            self._locked_out = self._locked_out or _busy(exc)
            raise _describe(exc, self._where) from exc
        finally:
            if quick:
                connection.execute(f"PRAGMA busy_timeout = {int(self._timeout * 1000)}")
        self._locked_out = False

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one read statement and return every row."""
        with self._lock:
            self._set_up()
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
