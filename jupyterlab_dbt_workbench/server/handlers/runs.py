"""dbt runs: submit, list, follow (REST and a websocket per run), cancel, retry, rerun."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any, TypeVar

from jupyter_core.utils import ensure_async
from jupyter_server.auth.decorator import ws_authenticated
from jupyter_server.base.handlers import JupyterHandler
from jupyter_server.base.websocket import WebSocketMixin
from tornado import web
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.runs import payloads
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.runs.options import RunRequest, parse_cli
from jupyterlab_dbt_workbench.server.base import UNEXPECTED, WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import WorkbenchHTTPError, bad_parameter, http_error
from jupyterlab_dbt_workbench.server.handlers.audit import audited
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

T = TypeVar("T")

RESOURCE = "dbt_workbench:runs"
MAX_PAGE = 1000
MAX_EVENTS = 10000

# The request fields of POST runs, and the JSON type each must have.
_STRINGS = ("selector", "target", "state")
_STRING_LISTS = ("select", "exclude", "args")
_BOOLS = ("full_refresh", "fail_fast", "defer")
FIELDS = frozenset(
    {"project", "command", "cli", "vars", "threads", *_STRINGS, *_STRING_LISTS, *_BOOLS}
)


def user_name(user: Any) -> str | None:
    """The name to record on a run for a Jupyter user (a ``User`` model, or a plain string)."""
    if user is None:
        return None
    if isinstance(user, str):
        return user
    return getattr(user, "name", None) or getattr(user, "username", None) or str(user)


def request_from_body(body: Any, user: str | None) -> RunRequest:
    """Build the core's request from the JSON body of POST runs; 400 naming any bad field."""
    if not isinstance(body, dict):
        raise bad_parameter(
            'The body must be a JSON object, e.g. {"project": "demo", "cli": "build -s orders"}.'
        )
    unknown = sorted(set(body) - FIELDS)
    if unknown:
        raise bad_parameter(
            f"Unknown field(s) {', '.join(map(repr, unknown))}; known fields: "
            f"{', '.join(sorted(FIELDS))}."
        )
    project = _optional(body, "project", str)
    if "cli" in body:
        cli = body["cli"]
        if not isinstance(cli, str) or not cli.strip():
            raise bad_parameter("'cli' must be a dbt command line such as 'build -s orders+'.")
        others = sorted(set(body) - {"cli", "project"})
        if others:
            raise bad_parameter(
                f"Send either 'cli' or the separate fields, not both ({', '.join(others)})."
            )
        try:
            return parse_cli(cli, project=project, user=user)
        except WorkbenchError as error:
            raise http_error(error) from error
    command = body.get("command")
    if not isinstance(command, str) or not command.strip():
        raise bad_parameter("'command' is required: a dbt command such as 'build' or 'run'.")
    threads = body.get("threads")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int)):
        raise bad_parameter(f"'threads' must be a whole number, not {threads!r}.")
    raw_vars = body.get("vars")
    if isinstance(raw_vars, dict):
        # An object is as good as its JSON text (which is YAML too).
        raw_vars = json.dumps(raw_vars)
    elif raw_vars is not None and not isinstance(raw_vars, str):
        raise bad_parameter("'vars' must be YAML or JSON text, or a JSON object.")
    strings = {name: _optional(body, name, str) for name in _STRINGS}
    lists = {name: _string_list(body, name) for name in _STRING_LISTS}
    flags = {name: bool(_optional(body, name, bool)) for name in _BOOLS}
    return RunRequest(
        project=project,
        command=command.strip(),
        vars=raw_vars or None,
        threads=threads,
        user=user,
        selector=strings["selector"],
        target=strings["target"],
        state=strings["state"],
        select=lists["select"],
        exclude=lists["exclude"],
        args=lists["args"],
        full_refresh=flags["full_refresh"],
        fail_fast=flags["fail_fast"],
        defer=flags["defer"],
    )


def _request_details(request: RunRequest) -> dict[str, Any]:
    """What the audit log keeps of a run request: the command and its selection; whether vars
    were given, never their values (they may hold credentials)."""
    details: dict[str, Any] = {"command": request.command}
    for name in ("select", "exclude", "selector", "target", "state"):
        value = getattr(request, name)
        if value:
            details[name] = list(value) if isinstance(value, tuple) else value
    if request.full_refresh:
        details["full_refresh"] = True
    if request.vars:
        details["vars_given"] = True
    return details


def _optional(body: dict[str, Any], name: str, kind: type[T]) -> T | None:
    value = body.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, kind):
        raise bad_parameter(f"{name!r} must be a {kind.__name__}, not {value!r}.")
    return value


def _string_list(body: dict[str, Any], name: str) -> tuple[str, ...]:
    value = body.get(name)
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise bad_parameter(f"{name!r} must be a list of strings, not {value!r}.")
    return tuple(value)


class RunsBase(WorkbenchHandler):
    """The run manager's calls, off the event loop, with the central error mapping."""

    auth_resource = RESOURCE

    async def runs(self, fn: Callable[[RunManager], T]) -> T:
        try:
            manager = await self.service.run_manager()
            return await self.service.call(fn, manager)
        except WorkbenchError as error:
            raise http_error(error) from error

    @property
    def user(self) -> str | None:
        return user_name(self.current_user)


class RunsHandler(RunsBase):
    """GET runs: the history, newest first; POST runs: start (or queue) a dbt command."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, status, command = (
            self.project,
            self.text_argument("status"),
            self.text_argument("command"),
        )
        offset = self.int_argument("offset", 0, 0, 10**9)
        limit = self.int_argument("limit", 50, 1, MAX_PAGE)
        self.reply(
            await self.runs(
                lambda m: m.list(
                    project=project, status=status, command=command, offset=offset, limit=limit
                )
            )
        )

    @web.authenticated
    @authorized
    async def post(self) -> None:
        request = request_from_body(self.get_json_body(), self.user)
        async with audited(
            self, "run.submit", project=request.project, details=_request_details(request)
        ) as note:
            summary = await self.runs(lambda m: m.submit(request))
            note.project, note.target = summary["project"], summary["id"]
        self.set_status(201)
        self.reply(summary)


class RunHandler(RunsBase):
    """GET runs/<id>: one run with its request, per-node results and artifacts."""

    @web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        self.reply(await self.runs(lambda m: m.get(run_id)))


class RunEventsHandler(RunsBase):
    """GET runs/<id>/events: a page of the run's log events after a sequence number."""

    @web.authenticated
    @authorized
    async def get(self, run_id: str) -> None:
        after = self.int_argument("after", 0, 0, 10**12)
        limit = self.int_argument("limit", 1000, 1, MAX_EVENTS)
        level, q = self.text_argument("level"), self.text_argument("q")
        self.reply(
            await self.runs(lambda m: m.events(run_id, after=after, level=level, q=q, limit=limit))
        )


class RunCancelHandler(RunsBase):
    """POST runs/<id>/cancel: stop a queued or running run (it ends ``cancelled``)."""

    @web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        async with audited(self, "run.cancel", target=run_id) as note:
            summary = await self.runs(lambda m: m.cancel(run_id))
            note.project = summary["project"]
            note.details["command"] = summary["command"]
        self.reply(summary)


class RunRetryHandler(RunsBase):
    """POST runs/<id>/retry: ``dbt retry`` of a failed run, as a new run."""

    @web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        user = self.user
        async with audited(self, "run.retry", details={"of": run_id}) as note:
            summary = await self.runs(lambda m: m.retry(run_id, user=user))
            note.project, note.target = summary["project"], summary["id"]
            note.details["command"] = summary["command"]
        self.set_status(201)
        self.reply(summary)


class RunRerunHandler(RunsBase):
    """POST runs/<id>/rerun: the same request again, as a new run."""

    @web.authenticated
    @authorized
    async def post(self, run_id: str) -> None:
        user = self.user
        async with audited(self, "run.rerun", details={"of": run_id}) as note:
            summary = await self.runs(lambda m: m.rerun(run_id, user=user))
            note.project, note.target = summary["project"], summary["id"]
            note.details["command"] = summary["command"]
        self.set_status(201)
        self.reply(summary)


class RunSocketHandler(WebSocketMixin, WebSocketHandler, JupyterHandler):
    """WS runs/<id>/ws: the run's events (backlog, then live), status changes, heartbeats.

    The manager calls back from its executor thread; each connection has its own asyncio
    queue fed through ``call_soon_threadsafe``, so a slow client never holds up dbt or the
    other listeners.
    """

    auth_resource = RESOURCE

    _closed = False
    _pump: asyncio.Task[None] | None = None
    _unsubscribe: Callable[[], None] | None = None

    @property
    def service(self) -> Any:
        return self.settings["dbt_workbench_service"]

    def set_default_headers(self) -> None:
        """No API headers on an upgrade response (as jupyter_server's own websockets)."""

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Refusals before the upgrade are JSON ``{"message", "reason"}`` like the REST API."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(error, WorkbenchHTTPError):
            message, reason = error.message, error.reason
        elif isinstance(error, web.HTTPError):
            message, reason = error.log_message or self._reason, error.reason or self._reason
        else:
            message, reason = UNEXPECTED, "internal_error"
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({"message": message, "reason": reason}))

    async def pre_get(self, run_id: str) -> None:
        authorized = await ensure_async(
            self.authorizer.is_authorized(self, self.current_user, "read", RESOURCE)
        )
        if not authorized:
            raise web.HTTPError(403, f"Not authorized to follow runs ({RESOURCE}).")
        # Refuse an unknown run with a plain 404 before upgrading the connection.
        try:
            manager = await self.service.run_manager()
            await self.service.call(manager.get, run_id)
        except WorkbenchError as error:
            raise http_error(error) from error
        self._manager = manager

    @ws_authenticated
    async def get(self, run_id: str) -> None:
        await self.pre_get(run_id)
        result = super().get(run_id)
        if result is not None:
            await result

    async def open(self, run_id: str) -> None:
        super().open()
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

        def deliver(message: dict[str, Any]) -> None:
            # Called in the run's thread: hand over and return, never raise into the core
            # (RuntimeError: the server's loop has closed).
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(queue.put_nowait, message)

        self._pump = asyncio.ensure_future(self._send_all(queue))
        try:
            # The backlog replay reads the store: keep it off the loop.
            unsubscribe = await self.service.call(self._manager.subscribe, run_id, deliver)
        except WorkbenchError as error:
            self.close(4004, error.message[:120])
            return
        if self._closed:
            unsubscribe()  # the client left while the backlog was being read
        else:
            self._unsubscribe = unsubscribe

    async def _send_all(self, queue: asyncio.Queue[dict[str, Any]]) -> None:
        interval = float(self.service.config.run_heartbeat_interval)
        try:
            while True:
                try:
                    message = await asyncio.wait_for(queue.get(), timeout=interval)
                except asyncio.TimeoutError:
                    message = {"type": "heartbeat", "ts": _utc_now()}
                await self.write_message(json.dumps(message, default=str))
                if message.get("type") == "end":
                    self.close(1000, "run ended")
                    return
        except WebSocketClosedError:
            return

    def on_message(self, message: str | bytes) -> None:
        """Clients only listen; anything they send is ignored."""

    def on_close(self) -> None:
        self._closed = True
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if self._pump is not None and not self._pump.done():
            self._pump.cancel()


def _utc_now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).isoformat(timespec="seconds")


RUN_ID = Parameter("run_id", "the run's id", where="path", required=True)

RUN_ROUTES: tuple[Route, ...] = (
    Route(
        "/runs",
        RunsHandler,
        (
            Operation(
                "get",
                "The run history, newest first",
                payloads.RunPage,
                (
                    PROJECT,
                    Parameter("status", "queued, running, success, failed, error, cancelled, ..."),
                    Parameter("command", "dbt command, e.g. build"),
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
                    ),
                ),
                (400, 404),
            ),
            Operation(
                "post",
                "Start a dbt command (queued beyond the concurrency limit). Body: "
                "{project, cli} or {project, command, select, exclude, selector, target, vars, "
                "full_refresh, fail_fast, threads, defer, state, args}",
                payloads.RunSummary,
                (),
                (400, 404, 409),
                status=201,
            ),
        ),
    ),
    Route(
        "/runs/{run_id}",
        RunHandler,
        (Operation("get", "One run in full", payloads.RunDetail, (RUN_ID,), (404,)),),
    ),
    Route(
        "/runs/{run_id}/events",
        RunEventsHandler,
        (
            Operation(
                "get",
                "The run's log events after a sequence number",
                payloads.EventPage,
                (
                    RUN_ID,
                    Parameter(
                        "after", "events after this seq", schema={"type": "integer", "minimum": 0}
                    ),
                    Parameter("level", "debug, info, warn or error (that level and above)"),
                    Parameter("q", "text in the message or node id"),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_EVENTS},
                    ),
                ),
                (400, 404),
            ),
        ),
    ),
    Route(
        "/runs/{run_id}/cancel",
        RunCancelHandler,
        (
            Operation(
                "post", "Cancel a queued or running run", payloads.RunSummary, (RUN_ID,), (404,)
            ),
        ),
    ),
    Route(
        "/runs/{run_id}/retry",
        RunRetryHandler,
        (
            Operation(
                "post",
                "dbt retry of a failed run, as a new run",
                payloads.RunSummary,
                (RUN_ID,),
                (400, 404, 409),
                status=201,
            ),
        ),
    ),
    Route(
        "/runs/{run_id}/rerun",
        RunRerunHandler,
        (
            Operation(
                "post",
                "The same request again, as a new run",
                payloads.RunSummary,
                (RUN_ID,),
                (400, 404),
                status=201,
            ),
        ),
    ),
    Route(
        "/runs/{run_id}/ws",
        RunSocketHandler,
        (
            Operation(
                "get",
                "WebSocket (upgrade only): the run's events, backlog then live, status changes, "
                "heartbeats, and 'end'",
                payloads.RunSocketMessage,
                (RUN_ID,),
                (404,),
                status=101,
            ),
        ),
    ),
)
