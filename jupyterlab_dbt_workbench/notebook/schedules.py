"""``%dbt schedules`` and ``%dbt schedule run NAME``: the workbench's schedules in a notebook.

A kernel has no scheduler loop: ``%dbt schedule run NAME`` runs the schedule's steps in the
kernel, through the kernel's run manager, exactly as ``%dbt`` runs a command, and records the
execution in the shared store, where the Schedules panel shows it. Its notifications are sent
from the kernel too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError

from jupyterlab_dbt_workbench.audit import record
from jupyterlab_dbt_workbench.errors import WorkbenchError

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler

    from .session import KernelSession

USAGE = "Use `%dbt schedules` to list the schedules, `%dbt schedule run NAME` to run one now."
_COLUMNS = ("name", "project", "cron", "timezone", "enabled", "next_run_local", "last_status",
            "last_run_at", "state", "error", "id")  # fmt: skip


def schedule_table(schedules: list[Any]) -> Any:
    """The schedules as a pandas DataFrame, one row each, the columns a reader wants first."""
    import pandas as pd

    rows = [{column: schedule[column] for column in _COLUMNS} for schedule in schedules]
    return pd.DataFrame(rows, columns=list(_COLUMNS))


def scheduler_for(session: KernelSession) -> Scheduler:
    """A scheduler over the kernel's workbench and run manager (no loop: nothing ticks)."""
    from jupyterlab_dbt_workbench.notify import Notifier
    from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler

    database = session.workbench.database
    return Scheduler(session.workbench, session.manager, Notifier(database), database)


def schedules_command(words: list[str], session: KernelSession) -> Any:
    """``schedules`` → a DataFrame; ``schedule run NAME`` → the finished execution."""
    try:
        scheduler = scheduler_for(session)
        if words == ["schedules"]:
            return schedule_table(scheduler.schedules())
        if len(words) >= 3 and words[:2] == ["schedule", "run"]:
            return run_schedule(scheduler, " ".join(words[2:]))
    except WorkbenchError as error:
        raise UsageError(error.message) from None
    raise UsageError(USAGE)


def run_schedule(scheduler: Scheduler, name: str) -> dict[str, Any]:
    """Run the named schedule now in this kernel and wait for it (an interrupt cancels it)."""
    schedule = scheduler.store.by_name(name)
    from .magics import _user

    started = scheduler.run_now(schedule.id, requested_by="a notebook")
    record(
        scheduler.workbench.database,
        user=_user(),
        action="schedule.run",
        project=schedule.project,
        target=schedule.name,
        details={"id": schedule.id, "execution": started["id"], "via": "notebook"},
    )
    if started["status"] == "queued":
        print(
            f"Schedule {name!r} is already running elsewhere; this run waits in its queue and "
            "the server's loop starts it when that one ends."
        )
        return dict(started)
    print(f"Running schedule {name!r}: {len(schedule.steps)} step(s)...")
    try:
        done = scheduler.wait(started["id"])
    except KeyboardInterrupt:
        scheduler.cancel(started["id"])
        done = scheduler.wait(started["id"], 60)
    result = dict(done or started)
    print(f"{result['status']}: {result['message']}")
    return result
