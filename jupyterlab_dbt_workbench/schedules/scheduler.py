"""The scheduler: the loop that turns due cron slots into executions, and the executions.

Thread model
------------
- ``tick()`` is called by the server every ``scheduler_interval`` seconds (in its thread
  pool); it never blocks on dbt. It retries due notifications, advances every schedule
  (records the executions of due slots, leasing each slot in the store) and starts the
  queued executions that may start.
- Each started execution runs in its own thread: its steps one after another through the
  ``RunManager`` (``submit`` then ``wait``), then the outcome, a retry or a notification.
- Several schedulers (server processes, a kernel) may share one store: slots are leased and
  executions started with guarded writes (see ``store.py``), so none runs twice.

Times come from ``clock`` (epoch seconds), so that tests drive the loop with a fake clock.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyterlab_dbt_workbench.errors import Conflict, InvalidRequest, WorkbenchError
from jupyterlab_dbt_workbench.project.discovery import PROJECT_FILE
from jupyterlab_dbt_workbench.runs.owner import current_owner, owner_alive
from jupyterlab_dbt_workbench.store.database import Database

from . import cron, policy
from .model import Schedule, parse_schedule
from .payloads import (
    CronPreview,
    ExecutionPayload,
    ExecutionStatus,
    PreviewTime,
    SchedulePayload,
)
from .store import Execution, NewExecution, ScheduleStore

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.notify import Channel, DeliveryPayload, Notifier
    from jupyterlab_dbt_workbench.runs.manager import RunManager
    from jupyterlab_dbt_workbench.workbench import Workbench

log = logging.getLogger(__name__)

_TEST_BODY = (
    'The body must be {"channel": {"kind": ..., ...}}, {"schedule_id": ..., "index": n} '
    "(a saved channel), or both (the typed channel, its masked secrets from the saved one)."
)

# Beyond this many due slots the loop stops counting one by one (a schedule firing every
# second, paused for weeks) and looks at the last hour only.
_COUNT_LIMIT = 200_000


@dataclass(eq=False)
class _Live:
    """An execution running in this process."""

    execution: Execution
    thread: threading.Thread | None = None
    run_id: str | None = None
    cancelled: str | None = None  # why, once cancelled
    timed_out: bool = False


class Scheduler:
    """Schedules of a workbench: their store, the loop's ``tick`` and the executions.

    ``owner`` names this process in the store (default: host, pid and start time); at
    construction, executions left running by a process that is gone are marked
    ``interrupted`` (their slots are not run again). ``grace`` is how late a slot may be and
    still count as on time rather than missed.
    """

    def __init__(
        self,
        workbench: Workbench,
        run_manager: RunManager,
        notifier: Notifier,
        database: Database,
        *,
        clock: Callable[[], float] = time.time,
        owner: str | None = None,
        grace: timedelta = policy.DEFAULT_GRACE,
    ) -> None:
        self.workbench = workbench
        self.run_manager = run_manager
        self.notifier = notifier
        self.store = ScheduleStore(database)
        self.clock = clock
        self.owner = owner or current_owner()
        self.grace = grace
        self._lock = threading.RLock()
        self._live: dict[str, _Live] = {}
        self._ticking = threading.Lock()
        self._stopped = False
        for orphan in self.store.interrupt_orphans(owner_alive, self._iso()):
            log.info("Schedule execution %s was left running; marked interrupted", orphan.id)

    # Time ------------------------------------------------------------------------------------

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock(), timezone.utc)

    def _iso(self, when: datetime | None = None) -> str:
        return cron.utc_iso(when or self.now())

    # Schedules -------------------------------------------------------------------------------

    def schedules(self, project: str | None = None) -> list[SchedulePayload]:
        """Every schedule (of ``project``, when given), by name."""
        if project is not None:
            project = self._project_id(project)
        return [schedule.payload() for schedule in self.store.all(project)]

    def get(self, schedule_id: str) -> SchedulePayload:
        return self.store.get(schedule_id).payload()

    def create(self, body: Any) -> SchedulePayload:
        """Validate and save a new schedule (``InvalidSchedule`` 400, ``Conflict`` 409 for a
        name in use); its next run is computed at once."""
        schedule = parse_schedule(body, root=self.workbench.root, project_id=self._project_id)
        stamp = self._iso()
        schedule = replace(
            schedule, created_at=stamp, updated_at=stamp, next_run_at=self._first_slot(schedule)
        )
        self.store.save(schedule, create=True)
        return self.store.get(schedule.id).payload()

    def update(self, schedule_id: str, body: Any) -> SchedulePayload:
        """Change a schedule: missing fields keep their value, masked secrets their stored
        one. A new cron, timezone or re-enabling starts counting slots from now (the paused
        time is not caught up)."""
        previous = self.store.get(schedule_id)
        schedule = parse_schedule(
            body, root=self.workbench.root, project_id=self._project_id, previous=previous
        )
        timing = (schedule.cron, schedule.timezone, schedule.enabled)
        if timing != (previous.cron, previous.timezone, previous.enabled):
            schedule = replace(schedule, next_run_at=self._first_slot(schedule))
        schedule = replace(schedule, updated_at=self._iso(), state="ok", error=None)
        self.store.save(schedule, create=False)
        return self.store.get(schedule_id).payload()

    def delete(self, schedule_id: str) -> None:
        """Delete a schedule with its executions; its running execution is cancelled."""
        self.store.get(schedule_id)
        self._cancel_active(schedule_id, "Cancelled: the schedule was deleted.")
        self.store.delete(schedule_id)

    def executions(self, schedule_id: str, limit: int = 50) -> list[ExecutionPayload]:
        """The schedule's executions, newest first."""
        self.store.get(schedule_id)
        return [execution.payload() for execution in self.store.executions(schedule_id, limit)]

    def execution(self, execution_id: str) -> ExecutionPayload | None:
        found = self.store.execution(execution_id)
        return found.payload() if found is not None else None

    def deliveries(self, schedule_id: str, limit: int = 50) -> list[DeliveryPayload]:
        """The schedule's notification deliveries, newest first."""
        self.store.get(schedule_id)
        return self.notifier.deliveries(schedule_id, limit)

    def send_test(self, body: Any) -> DeliveryPayload:
        """Send a test notification now and report the outcome (``status`` sent or failed).

        ``body`` is ``{"channel": {...}}`` for a channel as typed, ``{"schedule_id": ...,
        "index": n}`` for the ``n``-th (from 0) saved channel of a schedule, or both: the
        typed channel with its masked secrets (``********``) taken from the saved one, so a
        user can test a saved channel after editing its other fields.
        """
        from jupyterlab_dbt_workbench.notify import parse_channel

        if not isinstance(body, dict) or not isinstance(body.get("channel", {}), dict):
            raise InvalidRequest(_TEST_BODY)
        saved = self._saved_channel(body) if {"schedule_id", "index"} & set(body) else None
        if "channel" in body:
            return self.notifier.send_test(parse_channel(body["channel"], saved))
        if saved is None:
            raise InvalidRequest(_TEST_BODY)
        return self.notifier.send_test(saved)

    def _saved_channel(self, body: dict[str, Any]) -> Channel:
        schedule_id, index = body.get("schedule_id"), body.get("index")
        if (
            not isinstance(schedule_id, str)
            or isinstance(index, bool)
            or not isinstance(index, int)
        ):
            raise InvalidRequest(
                'To test a saved channel give both "schedule_id" (the schedule\'s id) and '
                '"index" (the channel\'s position among its notifications, from 0).'
            )
        schedule = self.store.get(schedule_id)
        count = len(schedule.channels)
        if not 0 <= index < count:
            held = f"channels 0 to {count - 1}" if count else "no notification channels"
            raise InvalidRequest(
                f"Schedule {schedule.name!r} has {held}, not {index}: save the schedule "
                "first, or send the channel as typed."
            )
        return schedule.channels[index]

    def preview(self, expression: Any, timezone_name: Any, count: int = 5) -> CronPreview:
        """The next ``count`` (1 to 20) run times of a cron expression, or why it is invalid."""
        if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= 20:
            raise InvalidRequest(f"`count` must be a whole number from 1 to 20, not {count!r}.")
        try:
            text = cron.check_cron(expression)
            tz = cron.zone(timezone_name)
        except WorkbenchError as error:
            return CronPreview(valid=False, error=error.message, next=[])
        upcoming: list[PreviewTime] = []
        for instant in cron.slots(text, tz, self.now()):
            upcoming.append(
                PreviewTime(utc=cron.utc_iso(instant), local=cron.local_iso(instant, tz))
            )
            if len(upcoming) == count:
                break
        if not upcoming:
            return CronPreview(valid=False, error=f"{text!r} never fires.", next=[])
        return CronPreview(valid=True, error=None, next=upcoming)

    def _project_id(self, project: str) -> str:
        return self.workbench.artifact_status(project)["project"]

    def _first_slot(self, schedule: Schedule) -> str | None:
        if not schedule.enabled:
            return None
        found = cron.next_slot(schedule.cron, cron.zone(schedule.timezone), self.now())
        return cron.utc_iso(found) if found is not None else None

    def _project_problem(self, schedule: Schedule) -> str | None:
        root = Path(self.workbench.root)
        folder = root if schedule.project == "." else root / schedule.project
        if (folder / PROJECT_FILE).is_file():
            return None
        return (
            f"Project {schedule.project!r} is gone: {folder} no longer holds a {PROJECT_FILE}. "
            "Restore it, or edit or delete this schedule."
        )

    # The loop --------------------------------------------------------------------------------

    def tick(self) -> None:
        """One turn of the loop: retry due notifications, record the executions of due
        slots, start queued executions. A second call while one runs returns at once."""
        if self._stopped or not self._ticking.acquire(blocking=False):
            return
        try:
            self.notifier.retry_due(self._channels)
            now = self.now()
            for schedule in self.store.all():
                try:
                    self._advance(schedule, now)
                except Exception as exc:  # one broken schedule must not stop the others
                    log.exception("Schedule %s could not be advanced", schedule.name)
                    self.store.set_state(
                        schedule.id, "error", f"The scheduler failed on this schedule: {exc}"
                    )
            self._start_ready(now)
        finally:
            self._ticking.release()

    def _channels(self, schedule_id: str) -> Sequence[Channel] | None:
        found = self.store.find(schedule_id)
        return found.channels if found is not None else None

    def _advance(self, schedule: Schedule, now: datetime) -> None:
        problem = self._project_problem(schedule)
        if problem is not None:
            if (schedule.state, schedule.error) != ("error", problem):
                self.store.set_state(schedule.id, "error", problem)
            return
        if schedule.state == "error":
            self.store.set_state(schedule.id, "ok", None)
        if not schedule.enabled:
            return
        tz = cron.zone(schedule.timezone)
        if schedule.next_run_at is None:
            first = cron.next_slot(schedule.cron, tz, now)
            if first is not None:
                self.store.set_next(schedule.id, None, cron.utc_iso(first))
            return
        first = cron.parse_utc(schedule.next_run_at)
        if first > now:
            return
        due, missed_before = self._due(schedule, tz, first, now)
        decision = policy.plan(due, missed_before, now, schedule.catch_up, self.grace)
        upcoming = cron.next_slot(schedule.cron, tz, now)
        entries = self._entries(schedule, decision)
        created = self.store.claim(
            schedule.id,
            schedule.next_run_at,
            cron.utc_iso(upcoming) if upcoming is not None else None,
            entries,
            owner=self.owner,
            now=self._iso(now),
        )
        if created and schedule.overlap == "cancel_previous":
            fresh = {execution.id for execution in created}
            self._cancel_active(
                schedule.id, "Cancelled: a newer slot started (overlap: cancel_previous).", fresh
            )

    def _due(
        self, schedule: Schedule, tz: Any, first: datetime, now: datetime
    ) -> tuple[list[datetime], int]:
        """The newest due slots (enough for the catch-up policy), and how many older ones."""
        recent: deque[datetime] = deque([first], maxlen=schedule.catch_up.max + 1)
        count = 1
        start = first
        while True:
            for instant in cron.slots(schedule.cron, tz, start):
                if instant > now:
                    return list(recent), count - len(recent)
                recent.append(instant)
                count += 1
                if count % _COUNT_LIMIT == 0:
                    break
            else:
                return list(recent), count - len(recent)
            start = max(recent[-1], now - timedelta(hours=1))

    def _entries(self, schedule: Schedule, decision: policy.Plan) -> list[NewExecution]:
        entries: list[NewExecution] = []
        if decision.last_skipped is not None and decision.skipped:
            entries.append(
                NewExecution(
                    slot=cron.utc_iso(decision.last_skipped),
                    trigger="catch_up",
                    status="skipped",
                    message=(
                        f"{decision.skipped} slot(s) missed while no scheduler was running, "
                        f"up to this one, were not run (catch-up: {schedule.catch_up.mode})."
                    ),
                )
            )
        busy = [e for e in self.store.active(schedule.id) if e.status == "running"]
        for slot, trigger in decision.runs:
            if busy and schedule.overlap == "skip":
                entries.append(
                    NewExecution(
                        slot=cron.utc_iso(slot),
                        trigger=trigger,
                        status="skipped",
                        message=(
                            f"Skipped: execution {busy[0].id} was still running (overlap: skip)."
                        ),
                    )
                )
            else:
                entries.append(NewExecution(slot=cron.utc_iso(slot), trigger=trigger))
        return entries

    def _start_ready(self, now: datetime, schedule_id: str | None = None) -> None:
        """Start the queued executions that are due, one per schedule at a time."""
        for execution in self.store.queued():
            if schedule_id is not None and execution.schedule_id != schedule_id:
                continue
            if execution.not_before and cron.parse_utc(execution.not_before) > now:
                continue
            self._start(execution)

    # Executions ------------------------------------------------------------------------------

    def run_now(self, schedule_id: str, requested_by: str | None = None) -> ExecutionPayload:
        """Run a schedule's steps now, outside its cron slots. Starts at once unless another
        execution of the schedule is running (then it waits in the queue; with overlap
        ``cancel_previous`` that one is cancelled first)."""
        if self._stopped:
            raise Conflict("The scheduler is stopping: nothing new can start.")
        schedule = self.store.get(schedule_id)
        problem = self._project_problem(schedule)
        if problem is not None:
            raise Conflict(problem)
        note = f"Run now by {requested_by}." if requested_by else "Run now."
        execution = self.store.add_execution(
            schedule_id, NewExecution(slot=None, trigger="manual", message=note), self._iso()
        )
        if schedule.overlap == "cancel_previous":
            self._cancel_active(
                schedule_id, "Cancelled: Run now started (overlap: cancel_previous).",
                {execution.id},
            )  # fmt: skip
        self._start(execution)
        found = self.store.execution(execution.id)
        return (found or execution).payload()

    def _start(self, execution: Execution) -> bool:
        if self._stopped:
            return False
        if not self.store.start(execution.id, owner=self.owner, now=self._iso()):
            return False
        schedule = self.store.find(execution.schedule_id)
        if schedule is None:
            return False
        live = _Live(execution=replace(execution, status="running"))
        live.thread = threading.Thread(
            target=self._execute,
            args=(live, schedule),
            name=f"dbt-workbench-schedule-{execution.id}",
            daemon=True,
        )
        with self._lock:
            self._live[execution.id] = live
        live.thread.start()
        return True

    def _execute(self, live: _Live, schedule: Schedule) -> None:
        started = time.monotonic()
        execution = live.execution
        statuses: list[str] = []
        counts: dict[str, int] = {}
        run_ids: list[str] = []
        message: str | None = None
        status: ExecutionStatus
        try:
            for index, (step, request) in enumerate(
                zip(schedule.steps, schedule.requests(), strict=True), start=1
            ):
                if live.cancelled or self._stopped:
                    break
                try:
                    summary = self.run_manager.submit(request)
                except WorkbenchError as error:
                    if self._stopped:
                        break  # the run manager refused it because the server is stopping
                    statuses.append("error")
                    message = f"Step {index} (`{step}`) could not start: {error.message}"
                    break
                run_ids.append(summary["id"])
                live.run_id = summary["id"]
                self.store.add_run(execution.id, tuple(run_ids))
                detail = self._wait(live, summary["id"], schedule.timeout)
                statuses.append(detail["status"])
                policy.merge_counts(counts, detail["counts"])
                if detail["status"] != "success":
                    why = detail["message"] or detail["status"]
                    message = f"Step {index} (`{step}`) ended {detail['status']}: {why}"
                    break
            status = self._status(live, statuses, len(schedule.steps), counts)
            if status == "timeout":
                message = f"Timed out after {schedule.timeout:g} s; the run was cancelled."
            elif status == "cancelled":
                message = live.cancelled or message
            elif status == "interrupted":
                message = "The server stopped while it ran; its slot is not run again."
            elif status in ("success", "warning"):
                message = _success_message(len(statuses), counts)
        except Exception as exc:  # the execution must end recorded, whatever happened
            log.exception("Schedule execution %s failed", execution.id)
            status, message = "failed", f"The scheduler failed: {exc}"
        finally:
            with self._lock:
                self._live.pop(execution.id, None)
        self._conclude(schedule, execution, status, message, counts, run_ids, started)

    def _wait(self, live: _Live, run_id: str, timeout: float | None) -> Any:
        detail = self.run_manager.wait(run_id, timeout)
        if detail["status"] in ("queued", "running"):
            live.timed_out = True
            self.run_manager.cancel(run_id)
            manager = self.run_manager
            detail = manager.wait(
                run_id, manager.interrupt_timeout + manager.terminate_timeout + 30
            )
        return detail

    def _status(
        self, live: _Live, statuses: list[str], steps: int, counts: dict[str, int]
    ) -> ExecutionStatus:
        if live.timed_out:
            return "timeout"
        if live.cancelled:
            return "cancelled"
        if len(statuses) < steps and (not statuses or statuses[-1] == "success"):
            # The loop stopped between steps: the scheduler is stopping.
            return "interrupted"
        return policy.outcome(statuses, counts)

    def _conclude(
        self,
        schedule: Schedule,
        execution: Execution,
        status: ExecutionStatus,
        message: str | None,
        counts: dict[str, int],
        run_ids: list[str],
        started: float,
    ) -> None:
        now = self._iso()
        if not self.store.finish(
            execution.id, status, message, now=now, counts=counts, only_from=frozenset({"running"})
        ):
            return  # another process marked it interrupted meanwhile
        delay = policy.retry_delay(schedule.retry, execution.attempt)
        if status in ("failed", "timeout") and delay is not None and not self._stopped:
            due = self.now() + timedelta(seconds=delay)
            self.store.add_execution(
                schedule.id,
                NewExecution(
                    slot=execution.slot,
                    trigger="retry",
                    attempt=execution.attempt + 1,
                    not_before=cron.utc_iso(due),
                    message=(
                        f"Attempt {execution.attempt + 1} of {schedule.retry.max_attempts}, "
                        f"after {execution.id} ended {status}."
                    ),
                ),
                now,
            )
        else:
            current = self.store.find(schedule.id)
            previous = current.last_status if current is not None else None
            self.store.set_last(schedule.id, now, status)
            self._notify(schedule, execution, status, previous, message, counts, run_ids, started)
        if not self._stopped:
            self._start_ready(self.now(), schedule.id)

    def _notify(
        self,
        schedule: Schedule,
        execution: Execution,
        status: ExecutionStatus,
        previous: str | None,
        message: str | None,
        counts: dict[str, int],
        run_ids: list[str],
        started: float,
    ) -> None:
        from jupyterlab_dbt_workbench.notify import Notification

        happened = policy.event(status, previous)
        if happened is None or not schedule.channels:
            return
        done = self.store.execution(execution.id)
        self.notifier.notify(
            schedule.channels,
            Notification(
                event=happened,
                schedule_id=schedule.id,
                schedule_name=schedule.name,
                project=schedule.project,
                execution_id=execution.id,
                started_at=(done.started_at if done else None) or execution.created_at,
                finished_at=done.finished_at if done else None,
                duration=round(time.monotonic() - started, 3),
                run_ids=tuple(run_ids),
                message=message or status,
                counts=dict(counts),
            ),
        )

    def _cancel_active(
        self, schedule_id: str, reason: str, keep: set[str] | frozenset[str] = frozenset()
    ) -> None:
        """Cancel the schedule's queued executions and those running in this process."""
        for execution in self.store.active(schedule_id):
            if execution.id in keep:
                continue
            if execution.status == "queued":
                self.store.finish(
                    execution.id, "cancelled", reason, now=self._iso(),
                    only_from=frozenset({"queued"}),
                )  # fmt: skip
                continue
            with self._lock:
                live = self._live.get(execution.id)
            if live is None:
                continue  # running in another process: the new one waits for it instead
            live.cancelled = reason
            if live.run_id is not None:
                self.run_manager.cancel(live.run_id)

    def cancel(self, execution_id: str, reason: str = "Cancelled by a user.") -> None:
        """Cancel one execution: a queued one at once, one running in this process by
        cancelling its current run."""
        found = self.store.execution(execution_id)
        if found is None or found.status not in ("queued", "running"):
            return
        others = {e.id for e in self.store.active(found.schedule_id)} - {execution_id}
        self._cancel_active(found.schedule_id, reason, others)

    def wait(self, execution_id: str, timeout: float | None = None) -> ExecutionPayload | None:
        """Block until an execution running in this process ends; return it as stored."""
        with self._lock:
            live = self._live.get(execution_id)
        if live is not None and live.thread is not None:
            live.thread.join(timeout)
        return self.execution(execution_id)

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no execution runs in this process; False when ``timeout`` ran out."""
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                threads = [live.thread for live in self._live.values() if live.thread]
            if not threads:
                return True
            for thread in threads:
                thread.join(max(0.0, deadline - time.monotonic()))
            if time.monotonic() >= deadline:
                with self._lock:
                    return not self._live

    def stop(self) -> None:
        """Start nothing new. Executions in flight end when their run ends: stop the run
        manager next (its runs end ``interrupted``), then ``wait_idle``."""
        self._stopped = True


def _success_message(steps: int, counts: dict[str, int]) -> str:
    warnings = counts.get("warn", 0)
    text = f"{steps} step(s) succeeded"
    return f"{text}, with {warnings} warning(s)." if warnings else f"{text}."
