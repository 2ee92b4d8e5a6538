"""Open a project's DuckDB warehouse file for one query, and only for it.

A dbt run cannot write the file while a query holds it, and a run in progress makes it
unopenable, so the file is held exactly as long as a query (or a profile) needs it, and a
lock held by another process is retried with backoff for ``busy_wait`` seconds before the
query fails as ``WarehouseBusy``.

Read-only, the file is attached to one long-lived in-memory DuckDB database rather than
opened with a connection of its own: creating a DuckDB database costs tens of milliseconds,
attaching a file to one that is open about one. It is attached while at least one query reads
it and detached when the last one ends. Writes (when the server allows them) get a
connection of their own, so that nothing a writing statement changes (settings, attached
files, extensions) outlives its query.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.errors import Conflict, WarehouseBusy
from jupyterlab_dbt_workbench.quality.warehouse import is_lock_error

from .results import literal, quote

# Waits between attempts to open a locked warehouse file (about 5 s in all).
BACKOFF = (0.1, 0.2, 0.4, 0.8, 1.2, 1.5)


class QueryStopped(Exception):
    """The query was cancelled or timed out before or while it ran."""


class _Attached:
    """A file attached to the shared database, and how many queries read it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.readers = 0


class WarehouseFiles:
    """Connections to warehouse files, one job at a time (see the module docstring).

    An attached file keeps the name a connection of its own would give it (its file name),
    so the compiled SQL's ``"db"."schema"."table"`` resolves as dbt wrote it, and each cursor
    ``USE``s it, so unqualified names resolve too. A file whose name is taken there (by
    another file of the same name, or ``memory``) gets a connection of its own instead.
    """

    def __init__(self, spill: Path, busy_wait: float = sum(BACKOFF)) -> None:
        self.spill = spill
        self.busy_wait = busy_wait
        self._database: Any = None
        self._attached: dict[str, _Attached] = {}
        self._lock = threading.Lock()

    @contextmanager
    def connection(
        self, path: Path, *, read_only: bool = True, stop: threading.Event | None = None
    ) -> Iterator[Any]:
        """A DuckDB connection to ``path`` for one job, released at the end.

        A set ``stop`` ends the lock retries early (``QueryStopped``).
        """
        if not path.is_file():
            raise Conflict(
                f"The warehouse file {path.name} does not exist yet: build the project first "
                "(dbt build).",
                reason="warehouse_missing",
            )
        if read_only:
            cursor = self._retrying(path, lambda: self._attach(path), stop)
            if cursor is not None:
                try:
                    yield cursor
                finally:
                    self._release(path, cursor)
                return
        connection = self._retrying(path, lambda: _connect(path, read_only), stop)
        try:
            yield connection
        finally:
            connection.close()

    def close(self) -> None:
        """Close the shared database (and with it every file still attached)."""
        with self._lock:
            if self._database is not None:
                self._database.close()
                self._database = None
                self._attached.clear()

    def _retrying(
        self, path: Path, open_file: Callable[[], Any], stop: threading.Event | None
    ) -> Any:
        import duckdb

        deadline = time.monotonic() + self.busy_wait
        attempt = 0
        while True:
            try:
                return open_file()
            except duckdb.IOException as error:
                remaining = deadline - time.monotonic()
                if not is_lock_error(error) or remaining <= 0:
                    if is_lock_error(error):
                        raise WarehouseBusy(
                            f"The warehouse is busy: another process (a dbt run) holds the "
                            f"DuckDB file {path.name}, still after {self.busy_wait:.0f} s of "
                            "retries. Run the query again when the run has finished."
                        ) from error
                    raise
                delay = min(BACKOFF[min(attempt, len(BACKOFF) - 1)], remaining)
                attempt += 1
                if stop is not None and stop.wait(delay):
                    raise QueryStopped() from None
                if stop is None:
                    time.sleep(delay)

    def _attach(self, path: Path) -> Any | None:
        """A cursor on the shared database using ``path`` (attached if needed), or None when
        its name is taken."""
        import duckdb

        key = str(path)
        with self._lock:
            if self._database is None:
                self.spill.mkdir(parents=True, exist_ok=True)
                self._database = duckdb.connect(
                    ":memory:", config={"temp_directory": str(self.spill)}
                )
            attached = self._attached.get(key)
            if attached is None:
                try:
                    self._database.execute(f"ATTACH {literal(key)} (READ_ONLY)")
                except duckdb.BinderException:
                    return None
                found = self._database.execute(
                    "SELECT database_name FROM duckdb_databases() WHERE path = ?", [key]
                ).fetchone()
                attached = self._attached[key] = _Attached(found[0])
            attached.readers += 1
            cursor = self._database.cursor()
        try:
            cursor.execute(f"USE {quote(attached.name)}")
        except BaseException:
            self._release(path, cursor)
            raise
        return cursor

    def _release(self, path: Path, cursor: Any) -> None:
        cursor.close()
        key = str(path)
        with self._lock:
            attached = self._attached[key]
            attached.readers -= 1
            if attached.readers == 0:
                del self._attached[key]
                self._database.execute(f"DETACH {quote(attached.name)}")


def _connect(path: Path, read_only: bool) -> Any:
    import duckdb

    return duckdb.connect(str(path), read_only=read_only)
