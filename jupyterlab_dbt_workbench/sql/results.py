"""Query results as Parquet files: paging, sorting, export and pruning.

A result is written once, by the warehouse connection itself, to ``<id>.parquet`` in the
results folder; everything after that (pages, sorts, profiles, exports, DataFrames) reads
the file with a short-lived in-memory DuckDB connection, so neither the server nor the browser
ever holds a whole result. The file may hold one row more than the result (``limit + 1`` rows
are asked to learn whether the limit was hit): every read stops at the result's row count,
using the Parquet row number that DuckDB exposes.

Pages are read by row number (a row-group skip, not a scan); a sort is written once to a
sorted copy of the file and then paged the same way, so paging deep into a sorted
10-million-row result costs what paging an unsorted one does.
"""

from __future__ import annotations

import hashlib
import math
import os
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from jupyterlab_dbt_workbench.errors import Gone, InvalidRequest

from .payloads import SqlColumn

ExportFormat = Literal["csv", "parquet"]
EXPORT_FORMATS: tuple[ExportFormat, ...] = ("csv", "parquet")

# Sorting a large result spills to disk beyond this instead of growing the server.
READER_MEMORY = "256MB"
_ROW = "file_row_number"
# Partial files older than this were left by a process that died while writing.
_STALE_PARTIAL_S = 24 * 3600


class ResultGone(Gone):
    """The query's result file was pruned (the workbench keeps the newest results only)."""

    reason = "result_gone"


def quote(name: str) -> str:
    """A DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A DuckDB string literal (for file paths, which statements like COPY cannot bind)."""
    return "'" + text.replace("'", "''") + "'"


def scan(path: Path, total: int | None = None, *, row_numbers: bool = False) -> str:
    """A FROM-clause expression over the first ``total`` rows of a result file."""
    source = f"read_parquet({literal(str(path))}, file_row_number = true)"
    columns = "*" if row_numbers else f"* EXCLUDE ({_ROW})"
    where = f" WHERE {_ROW} < {int(total)}" if total is not None else ""
    return f"(SELECT {columns} FROM {source}{where})"


def json_safe(value: Any) -> Any:
    """A DuckDB value as JSON: ISO dates and times, numbers for decimals, hex for blobs."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        # JSON has no NaN or infinity; their names keep them visible in the grid.
        return value if math.isfinite(value) else str(value)
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, (datetime, date, clock_time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(item) for item in value]
    return str(value)


class ResultFiles:
    """The results folder: one Parquet file per query (and its sorted copies and exports).

    The folder may be shared by the server and notebook kernels; pruning goes by the files'
    ages on disk, so every process keeps the same newest ``keep`` results.
    """

    def __init__(self, folder: Path, keep: int) -> None:
        self.folder = folder
        self.keep = max(1, keep)
        self._locks: dict[str, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._database: Any = None

    @contextmanager
    def reader(self) -> Iterator[Any]:
        """A cursor on the workspace's in-memory DuckDB database (bounded memory, spilling
        to the results folder). Opening a DuckDB database costs tens of milliseconds; a cursor
        on one that is open costs nothing, and each thread gets its own."""
        import duckdb

        with self._locks_guard:
            if self._database is None:
                self.folder.mkdir(parents=True, exist_ok=True)
                config: dict[str, str | bool | int | float | list[str]] = {
                    "memory_limit": READER_MEMORY,
                    "temp_directory": str(self.folder / ".spill"),
                }
                self._database = duckdb.connect(":memory:", config=config)
            cursor = self._database.cursor()
        try:
            yield cursor
        finally:
            cursor.close()

    def close(self) -> None:
        """Close the in-memory database (the files stay)."""
        with self._locks_guard:
            if self._database is not None:
                self._database.close()
                self._database = None

    def path(self, query_id: str) -> Path:
        """Where the result of ``query_id`` lives (whether or not it still does)."""
        return self.folder / f"{query_id}.parquet"

    def partial(self, query_id: str) -> Path:
        """A fresh file name to write a result to before it is complete."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / f".{query_id}.{uuid.uuid4().hex[:8]}.partial"

    def existing(self, query_id: str) -> Path:
        """The result file; ``ResultGone`` when it was pruned."""
        path = self.path(query_id)
        if not path.is_file():
            raise ResultGone(
                "This result is no longer kept (the workbench keeps the newest "
                f"{self.keep} results): run the query again."
            )
        return path

    def prune(self) -> None:
        """Delete the oldest results beyond ``keep``, with their sorted copies and exports."""
        try:
            entries = list(os.scandir(self.folder))
        except FileNotFoundError:
            return
        results: list[tuple[float, str]] = []
        now = time.time()
        for item in entries:
            name = item.name
            try:
                modified = item.stat().st_mtime
            except FileNotFoundError:
                continue
            if name.endswith(".partial"):
                if now - modified > _STALE_PARTIAL_S:
                    _remove(Path(item.path))
            elif name.endswith(".parquet") and name.count(".") == 1:
                results.append((modified, name.split(".", 1)[0]))
        results.sort(reverse=True)
        doomed = {query_id for _, query_id in results[self.keep :]}
        if not doomed:
            return
        for item in entries:
            if item.name.split(".", 1)[0] in doomed:
                _remove(Path(item.path))

    def _lock(self, key: str) -> threading.Lock:
        with self._locks_guard:
            return self._locks.setdefault(key, threading.Lock())

    def sorted_copy(self, query_id: str, total: int, column: str, descending: bool) -> Path:
        """The result sorted by ``column`` (nulls last, ties in result order), written once."""
        source = self.existing(query_id)
        digest = hashlib.sha1(column.encode()).hexdigest()[:12]
        target = self.folder / f"{query_id}.sort-{digest}-{'d' if descending else 'a'}.parquet"
        with self._lock(target.name):
            if target.is_file():
                return target
            direction = "DESC" if descending else "ASC"
            partial = self.partial(query_id)
            with self.reader() as connection:
                connection.execute(
                    f"COPY (SELECT * EXCLUDE ({_ROW}) FROM {scan(source, total, row_numbers=True)}"
                    f" ORDER BY {quote(column)} {direction} NULLS LAST, {_ROW})"
                    f" TO {literal(str(partial))} (FORMAT parquet)"
                )
            partial.replace(target)
            return target

    def page(
        self,
        query_id: str,
        total: int,
        columns: Sequence[SqlColumn],
        offset: int,
        limit: int,
        sort: str | None = None,
        descending: bool = False,
    ) -> list[list[Any]]:
        """Rows ``offset`` to ``offset + limit`` of the result (sorted when asked), JSON-safe."""
        if sort is not None and sort not in {column["name"] for column in columns}:
            names = ", ".join(column["name"] for column in columns)
            raise InvalidRequest(f"No column {sort!r} in this result to sort by; it has {names}.")
        end = min(total, offset + limit)
        if offset >= end:
            return []
        if sort is None:
            path = self.existing(query_id)
        else:
            path = self.sorted_copy(query_id, total, sort, descending)
        with self.reader() as connection:
            rows = connection.execute(
                f"SELECT * EXCLUDE ({_ROW}) FROM read_parquet(?, file_row_number = true) "
                f"WHERE {_ROW} >= ? AND {_ROW} < ? ORDER BY {_ROW}",
                [str(path), offset, end],
            ).fetchall()
        return [[json_safe(value) for value in row] for row in rows]

    def export(self, query_id: str, total: int, truncated: bool, fmt: str) -> Path:
        """A file of the whole result in ``fmt`` (csv or parquet), written once."""
        if fmt not in EXPORT_FORMATS:
            raise InvalidRequest(f"Export format must be csv or parquet, not {fmt!r}.")
        source = self.existing(query_id)
        if fmt == "parquet" and not truncated:
            return source
        target = self.folder / f"{query_id}.export.{fmt}"
        with self._lock(target.name):
            if target.is_file():
                return target
            options = "FORMAT csv, HEADER true" if fmt == "csv" else "FORMAT parquet"
            partial = self.partial(query_id)
            with self.reader() as connection:
                connection.execute(
                    f"COPY (SELECT * FROM {scan(source, total)}) TO {literal(str(partial))} "
                    f"({options})"
                )
            partial.replace(target)
            return target

    def dataframe(self, query_id: str, total: int) -> Any:
        """The result as a pandas DataFrame (for notebooks; the whole result in memory)."""
        path = self.existing(query_id)
        with self.reader() as connection:
            return connection.execute(f"SELECT * FROM {scan(path, total)}").df()


def write_rows(connection: Any, rows_json: Path, target: Path) -> list[SqlColumn]:
    """Turn a JSON array of row objects (what ``dbt show`` prints) into a Parquet result,
    letting DuckDB infer the column types; returns the columns."""
    relation = connection.sql(
        f"SELECT * FROM read_json({literal(str(rows_json))}, format = 'array')"
    )
    relation.to_parquet(str(target))
    return [
        {"name": name, "type": str(kind)}
        for name, kind in zip(relation.columns, relation.types, strict=True)
    ]


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
