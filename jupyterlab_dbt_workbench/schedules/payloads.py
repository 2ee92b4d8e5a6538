"""The JSON payloads of schedules (REST), as TypedDicts mirroring docs/schedules.md."""

from __future__ import annotations

from typing import Literal, TypedDict

from jupyterlab_dbt_workbench.notify.payloads import ChannelPayload, DeliveryPayload

Backoff = Literal["fixed", "exponential"]
CatchUpMode = Literal["skip", "once", "each"]
Overlap = Literal["skip", "queue", "cancel_previous"]
Trigger = Literal["cron", "catch_up", "manual", "retry"]
ExecutionStatus = Literal[
    "queued",
    "running",
    "success",
    "warning",
    "failed",
    "cancelled",
    "skipped",
    "timeout",
    "interrupted",
]


class RetryPayload(TypedDict):
    max_attempts: int
    backoff: Backoff
    delay: float


class CatchUpPayload(TypedDict):
    mode: CatchUpMode
    max: int


class ScheduleInput(TypedDict):
    name: str
    project: str
    steps: list[str]
    target: str | None
    vars: str | None
    env: dict[str, str]
    cron: str
    timezone: str
    enabled: bool
    retry: RetryPayload
    catch_up: CatchUpPayload
    overlap: Overlap
    timeout: float | None
    notifications: list[ChannelPayload]


class SchedulePayload(ScheduleInput):
    id: str
    created_at: str
    updated_at: str
    next_run_at: str | None
    next_run_local: str | None
    last_run_at: str | None
    last_status: ExecutionStatus | None
    state: Literal["ok", "error"]
    error: str | None


class ScheduleList(TypedDict):
    schedules: list[SchedulePayload]


class ExecutionPayload(TypedDict):
    id: str
    schedule_id: str
    slot: str | None
    trigger: Trigger
    status: ExecutionStatus
    attempt: int
    started_at: str | None
    finished_at: str | None
    run_ids: list[str]
    message: str | None


class ExecutionList(TypedDict):
    executions: list[ExecutionPayload]


class PreviewTime(TypedDict):
    utc: str
    local: str


class CronPreview(TypedDict):
    valid: bool
    error: str | None
    next: list[PreviewTime]


class DeliveryList(TypedDict):
    deliveries: list[DeliveryPayload]


class ScheduleDeleted(TypedDict):
    deleted: str
