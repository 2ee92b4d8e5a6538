"""Schedules: list, create, edit, delete, run now, executions, deliveries, cron preview and
test notifications. Thin handlers over the core ``Scheduler``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from tornado import web

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.notify.payloads import DeliveryPayload
from jupyterlab_dbt_workbench.schedules import payloads
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter, http_error
from jupyterlab_dbt_workbench.server.handlers.audit import audited
from jupyterlab_dbt_workbench.server.handlers.runs import user_name
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

T = TypeVar("T")

RESOURCE = "dbt_workbench:schedules"
MAX_ITEMS = 500


def audit_details(schedule: payloads.SchedulePayload, body: Any = None) -> dict[str, Any]:
    """What the audit log keeps of a schedule: its settings, the NAMES of its environment
    variables and the kinds of its channels, never a value that may be secret."""
    details: dict[str, Any] = {
        "id": schedule["id"],
        "steps": list(schedule["steps"]),
        "cron": schedule["cron"],
        "timezone": schedule["timezone"],
        "enabled": schedule["enabled"],
        "env": sorted(schedule["env"]),
        "notifications": [
            {"kind": channel["kind"], "events": list(channel["events"])}
            for channel in schedule["notifications"]
        ],
    }
    if isinstance(body, dict):
        details["fields"] = sorted(str(name) for name in body)
    return details


class SchedulesBase(WorkbenchHandler):
    """The scheduler's calls, off the event loop, with the central error mapping."""

    auth_resource = RESOURCE

    async def schedules(self, fn: Callable[[Scheduler], T]) -> T:
        try:
            scheduler = await self.service.scheduler()
            return await self.service.call(fn, scheduler)
        except WorkbenchError as error:
            raise http_error(error) from error

    def body(self) -> Any:
        try:
            return self.get_json_body()
        except web.HTTPError:
            raise bad_parameter("The body must be JSON.") from None


class SchedulesHandler(SchedulesBase):
    """GET schedules: every schedule (of a project); POST schedules: create one."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        found = await self.schedules(lambda s: s.schedules(project))
        self.reply(payloads.ScheduleList(schedules=found))

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body()
        async with audited(self, "schedule.create", project=self.project) as note:
            created = await self.schedules(lambda s: s.create(body))
            note.project, note.target = created["project"], created["name"]
            note.details = audit_details(created)
        self.set_status(201)
        self.reply(created)


class ScheduleHandler(SchedulesBase):
    """GET, PUT (missing fields keep their value) and DELETE one schedule."""

    @web.authenticated
    @authorized
    async def get(self, schedule_id: str) -> None:
        self.reply(await self.schedules(lambda s: s.get(schedule_id)))

    @web.authenticated
    @authorized
    async def put(self, schedule_id: str) -> None:
        body = self.body()
        async with audited(self, "schedule.update", target=schedule_id) as note:
            updated = await self.schedules(lambda s: s.update(schedule_id, body))
            note.project, note.target = updated["project"], updated["name"]
            note.details = audit_details(updated, body)
        self.reply(updated)

    @web.authenticated
    @authorized
    async def delete(self, schedule_id: str) -> None:
        async with audited(self, "schedule.delete", target=schedule_id) as note:
            # Read first: the log names what was deleted, not just an id.
            schedule = await self.schedules(lambda s: s.get(schedule_id))
            note.project, note.target = schedule["project"], schedule["name"]
            note.details = audit_details(schedule)
            await self.schedules(lambda s: s.delete(schedule_id))
        self.reply(payloads.ScheduleDeleted(deleted=schedule_id))


class ScheduleRunHandler(SchedulesBase):
    """POST schedules/<id>/run: run the schedule's steps now."""

    @web.authenticated
    @authorized
    async def post(self, schedule_id: str) -> None:
        user = user_name(self.current_user)
        async with audited(self, "schedule.run", target=schedule_id) as note:
            schedule = await self.schedules(lambda s: s.get(schedule_id))
            note.project, note.target = schedule["project"], schedule["name"]
            execution = await self.schedules(lambda s: s.run_now(schedule_id, requested_by=user))
            note.details = {"id": schedule_id, "execution": execution["id"]}
        self.reply(execution)


class ScheduleExecutionsHandler(SchedulesBase):
    """GET schedules/<id>/executions: the newest executions first, with their run ids."""

    @web.authenticated
    @authorized
    async def get(self, schedule_id: str) -> None:
        limit = self.int_argument("limit", 50, 1, MAX_ITEMS)
        found = await self.schedules(lambda s: s.executions(schedule_id, limit))
        self.reply(payloads.ExecutionList(executions=found))


class ScheduleDeliveriesHandler(SchedulesBase):
    """GET schedules/<id>/deliveries: the schedule's notification deliveries, newest first."""

    @web.authenticated
    @authorized
    async def get(self, schedule_id: str) -> None:
        limit = self.int_argument("limit", 50, 1, MAX_ITEMS)
        found = await self.schedules(lambda s: s.deliveries(schedule_id, limit))
        self.reply(payloads.DeliveryList(deliveries=found))


class PreviewHandler(SchedulesBase):
    """POST schedules/preview: is a cron expression valid, and its next run times."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body()
        if not isinstance(body, dict):
            raise bad_parameter('The body must be {"cron": ..., "timezone": ..., "count": 5}.')
        count = body.get("count", 5)
        expression, zone = body.get("cron"), body.get("timezone")
        self.reply(await self.schedules(lambda s: s.preview(expression, zone, count)))


class TestNotificationHandler(SchedulesBase):
    """POST schedules/test-notification: send a test message to a channel now: one as typed,
    a schedule's saved one, or a typed one whose masked secrets come from a saved one."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        body = self.body()
        saved = body.get("schedule_id") if isinstance(body, dict) else None
        async with audited(self, "schedule.test_notification") as note:
            delivery = await self.schedules(lambda s: s.send_test(body))
            # The channel's kind only: its address (a Slack or webhook URL) can be a secret.
            note.details = {"kind": delivery["kind"], "status": delivery["status"]}
            if isinstance(saved, str):
                note.target = saved
            if delivery["status"] == "failed":
                note.outcome = "error"
        self.reply(delivery)


SCHEDULE_ID = Parameter("schedule_id", "the schedule's id", where="path", required=True)
LIMIT = Parameter(
    "limit",
    "how many, newest first",
    schema={"type": "integer", "minimum": 1, "maximum": MAX_ITEMS},
)

SCHEDULE_ROUTES: tuple[Route, ...] = (
    Route(
        "/schedules",
        SchedulesHandler,
        (
            Operation(
                "get", "Every schedule, by name", payloads.ScheduleList, (PROJECT,), (400, 404)
            ),
            Operation(
                "post",
                "Create a schedule. Body: ScheduleInput {name, project, steps, target, vars, env, "
                "cron, timezone, enabled, retry, catch_up, overlap, timeout, notifications}",
                payloads.SchedulePayload,
                (),
                (400, 404, 409),
                status=201,
            ),
        ),
    ),
    Route(
        "/schedules/preview",
        PreviewHandler,
        (
            Operation(
                "post",
                "Validate a cron expression and list its next run times. Body: {cron, timezone, "
                "count (1-20, default 5)}",
                payloads.CronPreview,
                (),
                (400,),
            ),
        ),
    ),
    Route(
        "/schedules/test-notification",
        TestNotificationHandler,
        (
            Operation(
                "post",
                "Send a test notification to a channel. Body: {channel} (as typed), "
                "{schedule_id, index} (a saved channel, index from 0) or both (the typed "
                "channel; its masked secrets keep the saved channel's values)",
                DeliveryPayload,
                (),
                (400, 404),
            ),
        ),
    ),
    Route(
        "/schedules/{schedule_id}",
        ScheduleHandler,
        (
            Operation("get", "One schedule", payloads.SchedulePayload, (SCHEDULE_ID,), (404,)),
            Operation(
                "put",
                "Change a schedule (missing fields keep their value; masked secrets keep theirs)",
                payloads.SchedulePayload,
                (SCHEDULE_ID,),
                (400, 404, 409),
            ),
            Operation(
                "delete",
                "Delete a schedule and its executions (a running one is cancelled)",
                payloads.ScheduleDeleted,
                (SCHEDULE_ID,),
                (404,),
            ),
        ),
    ),
    Route(
        "/schedules/{schedule_id}/run",
        ScheduleRunHandler,
        (
            Operation(
                "post",
                "Run the schedule's steps now",
                payloads.ExecutionPayload,
                (SCHEDULE_ID,),
                (404, 409),
            ),
        ),
    ),
    Route(
        "/schedules/{schedule_id}/executions",
        ScheduleExecutionsHandler,
        (
            Operation(
                "get",
                "The schedule's executions, newest first, with their run ids",
                payloads.ExecutionList,
                (SCHEDULE_ID, LIMIT),
                (400, 404),
            ),
        ),
    ),
    Route(
        "/schedules/{schedule_id}/deliveries",
        ScheduleDeliveriesHandler,
        (
            Operation(
                "get",
                "The schedule's notification deliveries, newest first",
                payloads.DeliveryList,
                (SCHEDULE_ID, LIMIT),
                (400, 404),
            ),
        ),
    ),
)
