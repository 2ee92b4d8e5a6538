"""The SQL workspace: run a query against a project's warehouse, keep its result, record it.

``SqlWorkspace.submit`` returns at once; the query runs in its own thread: compile (``ref()``,
``source()``... through ``compile.py``), classify every statement and refuse writes unless
the server allows them, then execute.

DuckDB targets are queried through the duckdb library. The warehouse file is opened for the
query only (read-only unless writes are allowed; ``warehouse.py``): a dbt run cannot write
while it is open, and a run in progress makes it unopenable, so a lock is retried with backoff
for ``busy_wait`` seconds before the query fails as ``busy``. The result
(at most ``limit`` rows; one more is asked to know whether the limit cut it) is written by the
warehouse connection straight to a Parquet file, so the rows never pass through Python, and
the write itself says how many rows it wrote. A timeout or a cancel interrupts the running
statement (``connection.interrupt()``).

Other adapters go through ``dbt show`` (``show.py``), whose rows become the same Parquet
result.
"""

from __future__ import annotations

import logging
import re
import subprocess
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from jupyterlab_dbt_workbench.audit import record
from jupyterlab_dbt_workbench.errors import (
    Conflict,
    InvalidRequest,
    InvalidSql,
    NodeNotFound,
    QueryNotFound,
    SqlSyntaxError,
    UnknownRelation,
    UnsupportedAdapter,
    WarehouseBusy,
    WorkbenchError,
    WriteRefused,
)
from jupyterlab_dbt_workbench.quality.warehouse import duckdb_path

from .compile import DBT_TIMEOUT, compile_sql
from .history import SqlHistoryStore
from .payloads import (
    QueryErrorKind,
    RowPage,
    SqlColumn,
    SqlCompiled,
    SqlHistory,
    SqlProfile,
    SqlQuery,
    SqlQueryError,
    SqlSettings,
)
from .profile import columns_of, profile
from .results import ResultFiles, literal, quote, scan
from .show import ShowFailed, kill, run_show
from .statements import check_read_only, classify
from .warehouse import BACKOFF, QueryStopped, WarehouseFiles

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.artifacts.state import ProjectState
    from jupyterlab_dbt_workbench.workbench import Workbench

log = logging.getLogger(__name__)

Via = Literal["auto", "dbt"]
PROFILED_TYPES = ("model", "seed", "snapshot", "source")
# How often a stop request interrupts again, in case it came before the statement started.
_REINTERRUPT_S = 0.2
# Beyond its timeout (or a dbt compile's, which is not interrupted), a query of a process that
# is still alive has ended within this: interrupting, recording and retrying a lock.
STALE_MARGIN_S = 60.0
# A write refused by role while the server allows writes (the setting is not the reason).
ROLE_REFUSED = (
    "Statement {index} writes to the warehouse; on this server only admins may run SQL "
    "that writes. Ask an admin, or run it read-only."
)
_POSITION = re.compile(r"LINE (\d+):( ?)(.*)\n( *)\^")
# The name the result relation has inside the COPY statement that writes it.
_RESULT = "__dbt_workbench_result"


def _iso(moment: float) -> str:
    return datetime.fromtimestamp(moment, timezone.utc).isoformat(timespec="milliseconds")


def _now() -> str:
    return _iso(time.time())


@dataclass
class _Live:
    """A query in progress and what can stop it."""

    query: SqlQuery
    timeout: float
    stop: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    outcome: Literal["cancelled", "timeout"] | None = None
    allow_writes: bool = False
    connection: Any = None
    process: subprocess.Popen[bytes] | None = None
    # The query as it ended, for waiters that must not hold a thread (the server's).
    finished: Future[SqlQuery] = field(default_factory=Future)

    def __post_init__(self) -> None:
        # A running future cannot be cancelled by a waiter that gives up.
        self.finished.set_running_or_notify_cancel()


def error_position(message: str, sql: str) -> tuple[int | None, int | None]:
    """The 1-based line and column DuckDB points at (``LINE n: ...`` and a caret), if any.

    DuckDB shows a window of a long line (with ``...``); the window is found in the SQL's
    own line to give the column in the whole line.
    """
    match = _POSITION.search(message)
    if match is None:
        return None, None
    line = int(match.group(1))
    shown, caret = match.group(3), len(match.group(4)) - len(f"LINE {line}:{match.group(2)}")
    lines = sql.splitlines()
    column = caret + 1
    if 0 < line <= len(lines):
        cut = 3 if shown.startswith("...") else 0
        fragment = shown[cut:].removesuffix("...")
        found = lines[line - 1].find(fragment) if fragment else -1
        if found >= 0:
            column = found + caret - cut + 1
    return line, max(column, 1)


def _error(
    kind: QueryErrorKind,
    message: str,
    *,
    line: int | None = None,
    column: int | None = None,
    suggestions: list[str] | None = None,
) -> SqlQueryError:
    return {
        "kind": kind,
        "message": message,
        "line": line,
        "column": column,
        "suggestions": suggestions or [],
    }


def duckdb_syntax_error(connection: Any, sql: str) -> SqlQueryError | None:
    """DuckDB's own parser error for ``sql`` (message and position), None if it parses."""
    import duckdb

    try:
        connection.extract_statements(sql)
    except duckdb.ParserException as error:
        line, column = error_position(str(error), sql)
        return _error("syntax", str(error), line=line, column=column)
    return None


class SqlWorkspace:
    """Runs SQL workspace queries for one workbench and keeps their results and history.

    On start, queries that the history still shows ``running`` although they began longer
    ago than any query can live (the timeout cap, or a dbt compile's limit, plus a margin)
    are marked ``interrupted``: the process that ran them died.
    """

    def __init__(
        self,
        workbench: Workbench,
        results_dir: Path,
        *,
        allow_writes: bool = False,
        max_rows: int = 10_000_000,
        default_limit: int = 10_000,
        timeout: float = 300.0,
        keep: int = 50,
        dbt: str | None = None,
        busy_wait: float = sum(BACKOFF),
    ) -> None:
        self.workbench = workbench
        self.allow_writes = allow_writes
        self.max_rows = max_rows
        self.default_limit = min(default_limit, max_rows)
        self.timeout = timeout
        self.dbt = dbt
        self.results = ResultFiles(results_dir, keep)
        self.warehouses = WarehouseFiles(results_dir / ".spill-warehouse", busy_wait)
        self.history_store = SqlHistoryStore(workbench.database)
        self._live: dict[str, _Live] = {}
        self._lock = threading.Lock()
        self._closed = False
        longest = max(self.timeout, DBT_TIMEOUT) + STALE_MARGIN_S
        self.history_store.mark_interrupted(_iso(time.time() - longest))

    # Settings and compiling --------------------------------------------------------------

    def settings(self) -> SqlSettings:
        """What the server allows (the UI shows and applies these)."""
        return {
            "allow_writes": self.allow_writes,
            "max_rows": self.max_rows,
            "default_limit": self.default_limit,
            "timeout": self.timeout,
        }

    def compile(self, project: str | None, sql: str, target: str | None = None) -> SqlCompiled:
        """The SQL as the warehouse would receive it, with the relations it reads."""
        return compile_sql(
            self.workbench.state(project), sql, target=target, dbt=self.dbt
        ).payload()

    # Queries -----------------------------------------------------------------------------

    def submit(
        self,
        project: str | None,
        sql: str,
        *,
        limit: int | None = None,
        timeout: float | None = None,
        target: str | None = None,
        user: str | None = None,
        via: Via = "auto",
        allow_writes: bool = True,
    ) -> SqlQuery:
        """Start a query and return it at once (status ``running``).

        ``limit`` (default ``default_limit``) is capped at ``max_rows``; ``timeout`` (seconds,
        default and cap the server's). ``via="dbt"`` runs through ``dbt show`` even on DuckDB.
        ``allow_writes=False`` refuses writes for this query even when the workspace allows
        them (the server passes the user's role).
        """
        if self._closed:
            raise Conflict("The SQL workspace is shutting down.")
        if not sql or not sql.strip():
            raise InvalidRequest("There is no SQL to run: the text is empty.")
        if limit is not None and limit < 1:
            raise InvalidRequest(f"The row limit must be at least 1, not {limit}.")
        if timeout is not None and timeout <= 0:
            raise InvalidRequest(
                f"The timeout must be a positive number of seconds, not {timeout}."
            )
        state = self.workbench.state(project)
        query: SqlQuery = {
            "id": uuid.uuid4().hex,
            "project": state.project.id,
            "sql": sql,
            "compiled_sql": None,
            "method": None,
            "target": target,
            "status": "running",
            "started_at": _now(),
            "finished_at": None,
            "duration": None,
            "row_count": None,
            "truncated": False,
            "limit": min(limit or self.default_limit, self.max_rows),
            "columns": [],
            "error": None,
            "user": user,
        }
        live = _Live(
            query,
            min(timeout or self.timeout, self.timeout),
            allow_writes=self.allow_writes and allow_writes,
        )
        self.history_store.save(query)
        with self._lock:
            self._live[query["id"]] = live
        started = time.monotonic()
        timer = threading.Timer(live.timeout, self._stop, (live, "timeout"))
        timer.daemon = True
        worker = threading.Thread(
            target=self._run,
            args=(live, state, via, started, timer),
            name=f"dbt-workbench-sql-{query['id'][:8]}",
            daemon=True,
        )
        answer: SqlQuery = dict(query)  # type: ignore[assignment]
        timer.start()
        worker.start()
        return answer

    def _run(
        self, live: _Live, state: ProjectState, via: Via, started: float, timer: threading.Timer
    ) -> None:
        query = live.query
        try:
            self._execute(live, state, via)
            status, error = "success", None
        except BaseException as failure:  # every outcome ends in the history
            status, error = self._failure(live, failure)
        finally:
            timer.cancel()
        with live.lock:
            query["status"] = status  # type: ignore[typeddict-item]
            query["error"] = error
            query["finished_at"] = _now()
            query["duration"] = round(time.monotonic() - started, 3)
        try:
            self.history_store.save(query)
        except Exception:
            log.exception("dbt workbench: recording SQL query %s failed", query["id"])
        finally:
            with self._lock:
                self._live.pop(query["id"], None)
            live.done.set()
            live.finished.set_result(dict(query))  # type: ignore[arg-type]
        # After the answer: whoever waits for the query does not wait for the clean-up too.
        try:
            self.history_store.prune()
            self.results.prune()
        except Exception:
            log.exception("dbt workbench: pruning SQL results failed")

    def _execute(self, live: _Live, state: ProjectState, via: Via) -> None:
        query = live.query
        compiled = compile_sql(state, query["sql"], target=query["target"], dbt=self.dbt)
        with live.lock:
            query["compiled_sql"] = compiled.sql
            query["method"] = compiled.method
        self._check_stop(live)
        path: Path | None = None
        if via != "dbt":
            try:
                path = duckdb_path(state, query["target"])
            except UnsupportedAdapter:
                path = None  # not a DuckDB file: dbt show reaches any adapter
        try:
            statements = classify(compiled.sql, state.metadata.adapter_type or "duckdb")
        except SqlSyntaxError:
            if path is not None:
                # The warehouse's own words (and position) rather than sqlglot's.
                with self.results.reader() as connection:
                    found = duckdb_syntax_error(connection, compiled.sql)
                if found is not None:
                    raise _Described(found) from None
            raise
        if not live.allow_writes:
            try:
                check_read_only(statements)
            except WriteRefused as refused:
                if not self.allow_writes:
                    raise
                raise WriteRefused(
                    ROLE_REFUSED.format(index=refused.statement), statement=refused.statement
                ) from None
        writes = [statement.kind for statement in statements if statement.writes]
        try:
            if path is not None:
                self._run_duckdb(live, path, compiled.sql)
            else:
                self._run_dbt_show(live, state, compiled.sql)
        except BaseException:
            self._audit_writes(query, writes, "error")
            raise
        self._audit_writes(query, writes, "ok")

    def _audit_writes(self, query: SqlQuery, kinds: Sequence[str], outcome: str) -> None:
        """Record a query whose statements write (allowed writes): their kinds, never the SQL,
        which may carry data."""
        if kinds:
            record(
                self.workbench.database,
                user=query["user"],
                action="sql.write",
                project=query["project"],
                target=query["id"],
                details={"statements": kinds, "target": query["target"]},
                outcome=outcome,
            )

    # DuckDB --------------------------------------------------------------------------------

    def _run_duckdb(self, live: _Live, path: Path, sql: str) -> None:
        query = live.query
        with self.warehouses.connection(
            path, read_only=not live.allow_writes, stop=live.stop
        ) as connection:
            with live.lock:
                live.connection = connection
            try:
                self._check_stop(live)
                relation = connection.sql(sql)
                if relation is None:
                    # A statement without a result set (allowed writes): nothing to keep.
                    with live.lock:
                        query["row_count"] = 0
                    return
                columns: list[SqlColumn] = [
                    {"name": name, "type": str(kind)}
                    for name, kind in zip(relation.columns, relation.types, strict=True)
                ]
                partial = self.results.partial(query["id"])
                try:
                    # COPY answers with the number of rows it wrote.
                    written = relation.limit(query["limit"] + 1).query(
                        _RESULT, f"COPY {_RESULT} TO {literal(str(partial))} (FORMAT parquet)"
                    )
                    count = written.fetchall()[0][0]
                    partial.replace(self.results.path(query["id"]))
                finally:
                    partial.unlink(missing_ok=True)
            finally:
                with live.lock:
                    live.connection = None
        self._finish(live, columns, int(count))

    def _finish(self, live: _Live, columns: list[SqlColumn], count: int) -> None:
        query = live.query
        with live.lock:
            query["columns"] = columns
            query["truncated"] = count > query["limit"]
            query["row_count"] = min(count, query["limit"])

    # dbt show --------------------------------------------------------------------------------

    def _run_dbt_show(self, live: _Live, state: ProjectState, sql: str) -> None:
        def started(process: subprocess.Popen[bytes] | None) -> None:
            with live.lock:
                live.process = process

        try:
            columns, count = run_show(
                state.project.path,
                sql,
                query_id=live.query["id"],
                limit=live.query["limit"] + 1,
                target=live.query["target"],
                dbt=self.dbt,
                results=self.results,
                started=started,
                check_stop=lambda: self._check_stop(live),
            )
        except ShowFailed as failure:
            message = str(failure)
            line, column = error_position(message, sql)
            kind: QueryErrorKind = "syntax" if "Parser Error" in message else "warehouse"
            raise _Described(_error(kind, message, line=line, column=column)) from None
        self._finish(live, columns, count)

    # Stopping ------------------------------------------------------------------------------

    def _check_stop(self, live: _Live) -> None:
        if live.stop.is_set():
            raise QueryStopped()

    def _stop(self, live: _Live, outcome: Literal["cancelled", "timeout"]) -> None:
        """Interrupt the query now and again until it ends (the first may come too early)."""
        with live.lock:
            if live.stop.is_set() or live.done.is_set():
                return
            live.outcome = outcome
            live.stop.set()

        def keep_interrupting() -> None:
            while True:
                with live.lock:
                    if live.connection is not None:
                        live.connection.interrupt()
                    if live.process is not None and live.process.poll() is None:
                        kill(live.process)
                if live.done.wait(_REINTERRUPT_S):
                    return

        threading.Thread(
            target=keep_interrupting, name="dbt-workbench-sql-stop", daemon=True
        ).start()

    def _failure(self, live: _Live, failure: BaseException) -> tuple[str, SqlQueryError | None]:
        import duckdb

        sql = live.query["compiled_sql"] or live.query["sql"]
        if live.outcome == "cancelled":
            return "cancelled", None
        if live.outcome == "timeout":
            return "timeout", _error(
                "timeout",
                f"The query ran longer than its timeout of {live.timeout:g} s and was stopped. "
                f"Narrow it down, or give it more time (at most {self.timeout:g} s, the server "
                "setting DbtWorkbench.sql_timeout).",
            )
        if isinstance(failure, _Described):
            return "error", failure.error
        if isinstance(failure, UnknownRelation):
            return "error", _error(
                "unknown_relation", failure.message, suggestions=list(failure.suggestions)
            )
        if isinstance(failure, SqlSyntaxError):
            return "error", _error(
                "syntax", failure.message, line=failure.line, column=failure.column
            )
        if isinstance(failure, WriteRefused):
            return "error", _error("write_refused", failure.message)
        if isinstance(failure, InvalidSql):
            return "error", _error("compile", failure.message)
        if isinstance(failure, WarehouseBusy):
            return "error", _error("busy", failure.message)
        if isinstance(failure, duckdb.Error):
            line, column = error_position(str(failure), sql)
            kind: QueryErrorKind = (
                "syntax" if isinstance(failure, duckdb.ParserException) else "warehouse"
            )
            return "error", _error(kind, str(failure), line=line, column=column)
        if isinstance(failure, WorkbenchError):
            return "error", _error("warehouse", failure.message)
        log.error("dbt workbench: SQL query %s failed", live.query["id"], exc_info=failure)
        return "error", _error(
            "warehouse", f"The query failed unexpectedly ({type(failure).__name__}: {failure})."
        )

    def cancel(self, query_id: str) -> SqlQuery:
        """Stop a running query (it ends ``cancelled``); a finished one is returned as it is."""
        with self._lock:
            live = self._live.get(query_id)
        if live is not None:
            self._stop(live, "cancelled")
            live.done.wait(5.0)
        return self.get(query_id)

    def shutdown(self) -> None:
        """Cancel the queries in progress and wait briefly for them to end."""
        self._closed = True
        with self._lock:
            running = list(self._live.values())
        for live in running:
            self._stop(live, "cancelled")
        for live in running:
            live.done.wait(5.0)
        self.results.close()
        self.warehouses.close()

    # Reading -------------------------------------------------------------------------------

    def get(self, query_id: str) -> SqlQuery:
        """The query as it stands (running ones from memory, the rest from the history)."""
        with self._lock:
            live = self._live.get(query_id)
        if live is not None:
            with live.lock:
                return dict(live.query)  # type: ignore[return-value]
        found = self.history_store.get(query_id)
        if found is None:
            raise QueryNotFound(f"No SQL query {query_id!r} (it may have left the history).")
        return found

    def wait(self, query_id: str, timeout: float | None = None) -> SqlQuery:
        """The query once it has ended, or as it stands after ``timeout`` seconds."""
        with self._lock:
            live = self._live.get(query_id)
        if live is not None:
            live.done.wait(timeout)
        return self.get(query_id)

    def finished(self, query_id: str) -> Future[SqlQuery] | None:
        """A future of the query as it ends, while it runs in this process (else None: ``get``
        has its final state). For waiters that must not hold a thread meanwhile."""
        with self._lock:
            live = self._live.get(query_id)
        return live.finished if live is not None else None

    def _finished(self, query_id: str) -> SqlQuery:
        query = self.get(query_id)
        if query["status"] == "running":
            raise Conflict("The query is still running; its rows come when it ends.")
        if query["status"] != "success":
            raise Conflict(f"The query ended with status {query['status']}: it has no rows.")
        return query

    def rows(
        self,
        query_id: str,
        offset: int = 0,
        limit: int = 100,
        sort: str | None = None,
        descending: bool = False,
    ) -> RowPage:
        """A page of the result, optionally sorted by one column."""
        query = self._finished(query_id)
        total = query["row_count"] or 0
        rows: list[list[Any]] = []
        if query["columns"]:
            rows = self.results.page(
                query_id, total, query["columns"], offset, limit, sort, descending
            )
        return {
            "query": query_id,
            "offset": offset,
            "limit": limit,
            "total": total,
            "columns": query["columns"],
            "rows": rows,
            "sort": sort,
            "descending": descending,
        }

    def profile(self, query_id: str) -> SqlProfile:
        """Column profiles of the query's result."""
        query = self._finished(query_id)
        if not query["columns"]:
            return {"source": "query", "name": query_id, "row_count": 0, "columns": []}
        path = self.results.existing(query_id)
        with self.results.reader() as connection:
            return profile(
                connection,
                scan(path, query["row_count"]),
                query["columns"],
                origin="query",
                name=query_id,
            )

    def profile_relation(self, project: str | None, unique_id: str) -> SqlProfile:
        """Column profiles of a model, seed, snapshot or source table, computed in its DuckDB
        warehouse (read-only; a dbt run holding the file is retried, then ``busy``)."""
        state = self.workbench.state(project)
        node = state.nodes.get(unique_id)
        if node is None:
            raise NodeNotFound(f"No node {unique_id!r} in project {state.project.id!r}.")
        relation = _relation_name(node.raw)
        if node.resource_type not in PROFILED_TYPES or node.materialized == "ephemeral":
            raise InvalidRequest(
                f"{node.name} is a {node.materialized or node.resource_type} "
                f"{node.resource_type} without a table in the warehouse; profile a model, "
                "seed, snapshot or source that dbt built."
            )
        with self.warehouses.connection(duckdb_path(state)) as connection:
            columns = columns_of(connection, relation)
            return profile(connection, relation, columns, origin="relation", name=node.name)

    def export(self, query_id: str, fmt: str) -> Path:
        """A CSV or Parquet file of the whole result, to stream to the user."""
        query = self._finished(query_id)
        if not query["columns"]:
            raise Conflict("This query returned no result set to export.")
        return self.results.export(query_id, query["row_count"] or 0, query["truncated"], fmt)

    def dataframe(self, query_id: str) -> Any:
        """The result as a pandas DataFrame."""
        import pandas as pd

        query = self._finished(query_id)
        if not query["columns"]:
            return pd.DataFrame()
        return self.results.dataframe(query_id, query["row_count"] or 0)

    def run_dataframe(
        self,
        project: str | None,
        sql: str,
        *,
        limit: int | None = None,
        target: str | None = None,
        user: str | None = None,
    ) -> tuple[Any, SqlQuery]:
        """Run a query to its end and return (its result as a DataFrame, the query).

        For notebooks and scripts: a failure raises a ``WorkbenchError`` whose message is the
        query's error (its ``reason`` is the error kind); an interrupt cancels the query.
        """
        query = self.submit(project, sql, limit=limit, target=target, user=user)
        try:
            query = self.wait(query["id"])
        except KeyboardInterrupt:
            self.cancel(query["id"])
            raise
        error = query["error"]
        if query["status"] != "success":
            message = error["message"] if error else f"The query was {query['status']}."
            raise WorkbenchError(message, reason=error["kind"] if error else query["status"])
        return self.dataframe(query["id"]), query

    def history(
        self, project: str | None = None, q: str | None = None, offset: int = 0, limit: int = 50
    ) -> SqlHistory:
        """Past queries, newest first, whose SQL contains ``q``."""
        return self.history_store.search(project, q, offset, limit)


class _Described(Exception):
    """A failure already described as a query error (the warehouse's or dbt's own words)."""

    def __init__(self, error: SqlQueryError) -> None:
        super().__init__(error["message"])
        self.error = error


def _relation_name(raw: Mapping[str, Any]) -> str:
    """The quoted relation of a node: dbt's ``relation_name``, else database.schema.alias."""
    if raw.get("relation_name"):
        return str(raw["relation_name"])
    name = raw.get("identifier") or raw.get("alias") or raw.get("name") or ""
    parts = [raw.get("database"), raw.get("schema"), name]
    return ".".join(quote(str(part)) for part in parts if part)
