"""The JSON payloads of runs (REST and websocket), as TypedDicts mirroring docs/runs.md."""

from __future__ import annotations

from typing import Literal, TypedDict, Union

from .models import RunStatus


class RunProgress(TypedDict):
    done: int
    total: int | None


class RunSummary(TypedDict):
    id: str
    project: str
    command: str
    cli: str
    argv: list[str]
    user: str | None
    status: RunStatus
    created_at: str
    started_at: str | None
    finished_at: str | None
    duration: float | None
    returncode: int | None
    exit_signal: str | None
    retry_of: str | None
    rerun_of: str | None
    progress: RunProgress
    counts: dict[str, int]
    message: str | None


class NodeResult(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    status: str | None
    started_at: str | None
    finished_at: str | None
    execution_time: float | None
    message: str | None
    rows_affected: int | None
    failures: int | None


class RunRequestPayload(TypedDict):
    project: str | None
    command: str
    select: list[str]
    exclude: list[str]
    selector: str | None
    target: str | None
    vars: str | None
    full_refresh: bool
    fail_fast: bool
    threads: int | None
    defer: bool
    state: str | None
    args: list[str]
    user: str | None


class RunDetail(RunSummary):
    request: RunRequestPayload
    nodes: list[NodeResult]
    artifacts: list[str]
    log_path: str | None


class RunEvent(TypedDict):
    seq: int
    ts: str | None
    level: str
    name: str
    message: str
    unique_id: str | None
    node_status: str | None
    index: int | None
    total: int | None


class RunPage(TypedDict):
    total: int
    offset: int
    limit: int
    items: list[RunSummary]


class EventPage(TypedDict):
    items: list[RunEvent]
    next: int


class EventMessage(TypedDict):
    type: Literal["event"]
    event: RunEvent


class RunMessage(TypedDict):
    type: Literal["run", "end"]
    run: RunSummary


class HeartbeatMessage(TypedDict):
    type: Literal["heartbeat"]
    ts: str


# A Union, not `|`: the alias is evaluated at import time, on Python 3.10 too.
RunSocketMessage = Union[EventMessage, RunMessage, HeartbeatMessage]  # noqa: UP007
