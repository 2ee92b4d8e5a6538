"""The SQL workspace: compile, run, page, profile, export, history, completions, settings.

Waiting for a query (``wait`` on POST sql/queries and GET sql/queries/<id>) happens on the
event loop, not in the server's small thread pool: any number of clients may long-poll
without holding a thread, and the answer leaves as soon as the query ends.
"""

from __future__ import annotations

import asyncio
import math
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from tornado import web
from tornado.iostream import StreamClosedError

from jupyterlab_dbt_workbench.errors import Gone, WorkbenchError
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter, http_error
from jupyterlab_dbt_workbench.server.handlers.runs import user_name
from jupyterlab_dbt_workbench.server.permissions import ACTIONS
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route
from jupyterlab_dbt_workbench.sql import payloads
from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace

T = TypeVar("T")

RESOURCE = "dbt_workbench:sql"
MAX_PAGE = 10_000
MAX_WAIT_S = 30
CHUNK = 1 << 20
QUERY_FIELDS = frozenset({"project", "sql", "limit", "timeout", "target"})
COMPILE_FIELDS = frozenset({"project", "sql", "target"})
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


def _body(handler: WorkbenchHandler, fields: frozenset[str]) -> dict[str, Any]:
    body = handler.get_json_body()
    if not isinstance(body, dict):
        raise bad_parameter('The body must be a JSON object, e.g. {"project": "demo", "sql": ...}.')
    unknown = sorted(set(body) - fields)
    if unknown:
        raise bad_parameter(
            f"Unknown field(s) {', '.join(map(repr, unknown))}; known fields: "
            f"{', '.join(sorted(fields))}."
        )
    sql = body.get("sql")
    if not isinstance(sql, str) or not sql.strip():
        raise bad_parameter("'sql' is required: the SQL text to run.")
    for name in ("project", "target"):
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise bad_parameter(f"{name!r} must be a string, not {value!r}.")
    return body


def _number(body: dict[str, Any], name: str, kind: type) -> Any:
    value = body.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float) if kind is float else int):
        whole = "a whole number" if kind is int else "a number"
        raise bad_parameter(f"{name!r} must be {whole}, not {value!r}.")
    return value


def _wait_argument(handler: WorkbenchHandler) -> float:
    """The ``wait`` query parameter: seconds, 0 (the default) to MAX_WAIT_S."""
    raw = handler.get_query_argument("wait", None)
    if raw is None or raw == "":
        return 0.0
    try:
        value = float(raw)
    except ValueError:
        raise bad_parameter(f"'wait' must be a number of seconds, not {raw!r}.") from None
    if not math.isfinite(value) or not 0 <= value <= MAX_WAIT_S:
        raise bad_parameter(f"'wait' must be between 0 and {MAX_WAIT_S} seconds, not {raw}.")
    return value


class SqlBase(WorkbenchHandler):
    """The SQL workspace's calls, off the event loop, with the central error mapping."""

    auth_resource = RESOURCE

    async def sql(self, fn: Callable[[SqlWorkspace], T]) -> T:
        try:
            workspace = await self.service.sql_workspace()
            return await self.service.call(fn, workspace)
        except WorkbenchError as error:
            raise http_error(error) from error

    async def settled(self, query: payloads.SqlQuery, wait: float) -> payloads.SqlQuery:
        """``query`` once it has ended, or as it stands after ``wait`` seconds."""
        if not wait or query["status"] != "running":
            return query
        query_id = query["id"]
        workspace = await self.service.sql_workspace()
        future = workspace.finished(query_id)
        if future is not None:
            # asyncio.wait, unlike wait_for, leaves the query's future alone on a timeout.
            done, _ = await asyncio.wait([asyncio.wrap_future(future)], timeout=wait)
            if done:
                return future.result()
        return await self.sql(lambda ws: ws.get(query_id))


class CompileHandler(SqlBase):
    """POST sql/compile: the SQL as the warehouse receives it, and the relations it reads."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = _body(self, COMPILE_FIELDS)
        self.reply(
            await self.sql(
                lambda ws: ws.compile(body.get("project"), body["sql"], body.get("target"))
            )
        )


class QueriesHandler(SqlBase):
    """POST sql/queries: start a query; it runs in the background (poll its id).

    With ``?wait=N`` the answer waits up to N seconds for the query to end: 200 with the
    ended query, else 202 with it running (as without ``wait``).
    """

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = _body(self, QUERY_FIELDS)
        wait = _wait_argument(self)
        limit, timeout = _number(body, "limit", int), _number(body, "timeout", float)
        user = user_name(self.current_user)
        # Writes need the admin role on top of the server's allow_sql_writes.
        allow_writes = await self.permits(ACTIONS["admin"])
        query = await self.sql(
            lambda ws: ws.submit(
                body.get("project"),
                body["sql"],
                limit=limit,
                timeout=timeout,
                target=body.get("target"),
                user=user,
                allow_writes=allow_writes,
            )
        )
        query = await self.settled(query, wait)
        self.set_status(202 if query["status"] == "running" else 200)
        self.reply(query)


class QueryHandler(SqlBase):
    """GET sql/queries/<id>: the query's status; ``wait=N`` waits up to N s for it to end."""

    @web.authenticated
    @authorized
    async def get(self, query_id: str) -> None:
        wait = _wait_argument(self)
        self.reply(await self.settled(await self.sql(lambda ws: ws.get(query_id)), wait))


class CancelHandler(SqlBase):
    """POST sql/queries/<id>/cancel: interrupt a running query (it ends ``cancelled``)."""

    @web.authenticated
    @authorized
    async def post(self, query_id: str) -> None:
        self.reply(await self.sql(lambda ws: ws.cancel(query_id)))


class RowsHandler(SqlBase):
    """GET sql/queries/<id>/rows: a page of the result, optionally sorted by a column."""

    @web.authenticated
    @authorized
    async def get(self, query_id: str) -> None:
        offset = self.int_argument("offset", 0, 0, 10**12)
        limit = self.int_argument("limit", 100, 1, MAX_PAGE)
        sort, descending = self.text_argument("sort"), self.bool_argument("descending")
        self.reply(await self.sql(lambda ws: ws.rows(query_id, offset, limit, sort, descending)))


class QueryProfileHandler(SqlBase):
    """GET sql/queries/<id>/profile: column profiles of the result."""

    @web.authenticated
    @authorized
    async def get(self, query_id: str) -> None:
        self.reply(await self.sql(lambda ws: ws.profile(query_id)))


class RelationProfileHandler(SqlBase):
    """GET sql/profile: column profiles of a model, seed, snapshot or source table."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, unique_id = self.project, self.text_argument("unique_id")
        if unique_id is None:
            raise bad_parameter("The 'unique_id' parameter is required, e.g. model.shop.orders.")
        self.reply(await self.sql(lambda ws: ws.profile_relation(project, unique_id)))


class ExportHandler(SqlBase):
    """GET sql/queries/<id>/export: the whole result as a CSV or Parquet download, streamed."""

    @web.authenticated
    @authorized
    async def get(self, query_id: str) -> None:
        fmt = self.get_query_argument("format", "csv") or "csv"
        if fmt not in CONTENT_TYPES:
            raise bad_parameter(f"'format' must be csv or parquet, not {fmt!r}.")
        path = await self.sql(lambda ws: ws.export(query_id, fmt))
        try:
            # Opened before the first byte: a prune in the meantime cannot cut the download.
            handle = await self.service.call(Path.open, path, "rb")
        except FileNotFoundError:
            raise http_error(
                Gone("The result was pruned meanwhile: run the query again.")
            ) from None
        self.set_header("Content-Type", CONTENT_TYPES[fmt])
        self.set_header("Content-Disposition", f'attachment; filename="query-{query_id[:8]}.{fmt}"')
        self.set_header("Content-Length", str(os.fstat(handle.fileno()).st_size))
        try:
            while True:
                chunk = await self.service.call(handle.read, CHUNK)
                if not chunk:
                    break
                self.write(chunk)
                await self.flush()
        except StreamClosedError:
            return  # the browser went away
        finally:
            handle.close()
        self.finish()


class HistoryHandler(SqlBase):
    """GET sql/history: past queries, newest first, searchable by their text."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, q = self.project, self.text_argument("q")
        offset = self.int_argument("offset", 0, 0, 10**9)
        limit = self.int_argument("limit", 50, 1, 500)
        self.reply(await self.sql(lambda ws: ws.history(project, q, offset, limit)))


class CompletionsHandler(SqlBase):
    """GET sql/completions: model, source and column names and keywords for the editor."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        from jupyterlab_dbt_workbench.sql.completions import completions

        project = self.project
        self.reply(await self.core(lambda wb: completions(wb.state(project))))


class SettingsHandler(SqlBase):
    """GET sql/settings: what the server allows (writes, row cap, default limit, timeout)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.sql(lambda ws: ws.settings()))


QUERY_ID = Parameter("query_id", "the query's id", where="path", required=True)
WAIT = Parameter(
    "wait",
    "seconds to wait for a running query to end (answers as soon as it ends)",
    schema={"type": "number", "minimum": 0, "maximum": MAX_WAIT_S},
)
_ERRORS = (400, 404, 409, 410)

SQL_ROUTES: tuple[Route, ...] = (
    Route(
        "/sql/compile",
        CompileHandler,
        (
            Operation(
                "post",
                "Compile dbt SQL (ref, source, var, macros). Body: {project, sql, target?}",
                payloads.SqlCompiled,
                (),
                (400, 404, 409, 422, 502),
            ),
        ),
    ),
    Route(
        "/sql/queries",
        QueriesHandler,
        (
            Operation(
                "post",
                "Start a query (it runs in the background; poll GET sql/queries/{query_id}). "
                "Body: {project, sql, limit?, timeout?, target?}. With wait=N: 200 with the "
                "ended query if it ends within N seconds, else 202",
                payloads.SqlQuery,
                (WAIT,),
                (400, 404, 409),
                status=202,
            ),
        ),
    ),
    Route(
        "/sql/queries/{query_id}",
        QueryHandler,
        (
            Operation(
                "get",
                "A query's status, columns and error",
                payloads.SqlQuery,
                (QUERY_ID, WAIT),
                (400, 404),
            ),
        ),
    ),
    Route(
        "/sql/queries/{query_id}/cancel",
        CancelHandler,
        (Operation("post", "Interrupt a running query", payloads.SqlQuery, (QUERY_ID,), (404,)),),
    ),
    Route(
        "/sql/queries/{query_id}/rows",
        RowsHandler,
        (
            Operation(
                "get",
                "A page of a query's result",
                payloads.RowPage,
                (
                    QUERY_ID,
                    Parameter("offset", "first row", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                    ),
                    Parameter("sort", "column to sort by"),
                    Parameter("descending", "sort descending", schema={"type": "boolean"}),
                ),
                _ERRORS,
            ),
        ),
    ),
    Route(
        "/sql/queries/{query_id}/profile",
        QueryProfileHandler,
        (
            Operation(
                "get",
                "Column profiles of a query's result",
                payloads.SqlProfile,
                (QUERY_ID,),
                _ERRORS,
            ),
        ),
    ),
    Route(
        "/sql/queries/{query_id}/export",
        ExportHandler,
        (
            Operation(
                "get",
                "The whole result as a file download (Content-Disposition: attachment)",
                bytes,
                (
                    QUERY_ID,
                    Parameter("format", "csv or parquet", schema={"enum": ["csv", "parquet"]}),
                ),
                _ERRORS,
            ),
        ),
    ),
    Route(
        "/sql/profile",
        RelationProfileHandler,
        (
            Operation(
                "get",
                "Column profiles of a model, seed, snapshot or source table, computed in the "
                "(DuckDB) warehouse",
                payloads.SqlProfile,
                (PROJECT, Parameter("unique_id", "e.g. model.shop.orders", required=True)),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/sql/history",
        HistoryHandler,
        (
            Operation(
                "get",
                "Past queries, newest first",
                payloads.SqlHistory,
                (
                    PROJECT,
                    Parameter("q", "text in the SQL"),
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": 500},
                    ),
                ),
                (400,),
            ),
        ),
    ),
    Route(
        "/sql/completions",
        CompletionsHandler,
        (
            Operation(
                "get",
                "Names for the SQL editor's completion",
                payloads.SqlCompletions,
                (PROJECT,),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/sql/settings",
        SettingsHandler,
        (Operation("get", "What the server allows", payloads.SqlSettings),),
    ),
)
