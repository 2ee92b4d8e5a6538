"""The life cycle of a run: its statuses and how a finished dbt process maps to one."""

from __future__ import annotations

import signal
from typing import Literal

RunStatus = Literal["queued", "running", "success", "failed", "error", "cancelled", "interrupted"]

ACTIVE: frozenset[RunStatus] = frozenset({"queued", "running"})
FINISHED: frozenset[RunStatus] = frozenset(
    {"success", "failed", "error", "cancelled", "interrupted"}
)
STATUSES: tuple[RunStatus, ...] = (
    "queued",
    "running",
    "success",
    "failed",
    "error",
    "cancelled",
    "interrupted",
)


def signal_name(returncode: int | None) -> str | None:
    """``SIGKILL`` for a process killed by signal 9 (a negative return code), else None."""
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"


def status_for_exit(returncode: int, *, cancelled: bool) -> RunStatus:
    """The status of a run whose dbt process exited with ``returncode``.

    dbt exits 0 when everything passed, 1 when nodes failed, 2 when it could not do the job
    (bad selector, parse error, missing profile); a negative code means a signal killed it,
    which counts as a failure unless the user cancelled the run.
    """
    if cancelled:
        return "cancelled"
    if returncode == 0:
        return "success"
    if returncode == 1 or returncode < 0:
        return "failed"
    return "error"
