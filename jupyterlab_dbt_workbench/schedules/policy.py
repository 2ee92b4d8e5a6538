"""The scheduler's decisions as pure functions of their inputs (and a clock), so that each
policy is tested without threads, dbt or a database.

- ``plan``: which due slots run, and how many missed ones are skipped (catch-up policy);
- ``retry_delay``: how long before the next attempt of a failed execution (retry policy);
- ``outcome``: an execution's status from its runs; ``event``: the notification it sends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from .model import CatchUpPolicy, RetryPolicy
from .payloads import ExecutionStatus, Trigger

# A slot this late (or later) when the loop sees it counts as missed, not on time: the loop
# ticks every few seconds, so only downtime (or a paused event loop) makes a slot this late.
DEFAULT_GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class Plan:
    """What the loop does with the due slots of one schedule."""

    runs: tuple[tuple[datetime, Trigger], ...]
    skipped: int  # missed slots that will not run
    last_skipped: datetime | None  # the newest of them, which the skip record is filed under


def plan(
    due: Sequence[datetime],
    missed_before: int,
    now: datetime,
    catch_up: CatchUpPolicy,
    grace: timedelta = DEFAULT_GRACE,
) -> Plan:
    """Decide which of the due slots run.

    ``due`` are the newest due slots, oldest first (at least ``catch_up.max + 1`` of them
    when there are that many); ``missed_before`` counts older due slots left out of ``due``.
    The newest due slot runs as a ``cron`` run if it is at most ``grace`` late; every other
    due slot was missed (the scheduler was not running) and the catch-up mode decides:

    - ``skip``: none of them runs;
    - ``once``: one run makes up for all of them: the on-time run if there is one, else a
      ``catch_up`` run for the newest missed slot;
    - ``each``: a ``catch_up`` run for each of the newest ``max`` missed slots, oldest
      first, before the on-time run.
    """
    if not due:
        return Plan((), 0, None)
    slots = list(due)
    on_time = slots[-1] if now - slots[-1] <= grace else None
    missed = slots[:-1] if on_time is not None else slots
    runs: list[tuple[datetime, Trigger]] = []
    if catch_up.mode == "each":
        runs = [(slot, "catch_up") for slot in missed[-catch_up.max :]]
        skipped = missed[: -catch_up.max] if len(missed) > catch_up.max else []
    elif catch_up.mode == "once" and on_time is None:
        runs = [(missed[-1], "catch_up")]
        skipped = missed[:-1]
    else:
        skipped = missed
    if on_time is not None:
        runs.append((on_time, "cron"))
    return Plan(tuple(runs), len(skipped) + missed_before, skipped[-1] if skipped else None)


def retry_delay(policy: RetryPolicy, attempt: int) -> float | None:
    """Seconds to wait before retrying after attempt number ``attempt`` (1-based) failed,
    or None when the attempts are used up."""
    if attempt >= policy.max_attempts:
        return None
    if policy.backoff == "exponential":
        return policy.delay * 2 ** (attempt - 1)
    return policy.delay


def outcome(run_statuses: Sequence[str], counts: Mapping[str, int]) -> ExecutionStatus:
    """The status of an execution whose runs ended with ``run_statuses`` (in step order; a
    failed step stops the execution, so only the last may be other than success)."""
    last = run_statuses[-1] if run_statuses else "success"
    if last == "success":
        return "warning" if counts.get("warn", 0) > 0 else "success"
    if last == "cancelled":
        return "cancelled"
    if last == "interrupted":
        return "interrupted"
    return "failed"


def event(status: ExecutionStatus, previous: str | None) -> str | None:
    """The notification event of an execution that ended ``status`` when the previous one
    that ran ended ``previous``; None when nothing is worth telling (skipped, interrupted).

    A success or warning after a failure is a ``recovery``.
    """
    if status in ("success", "warning"):
        if previous in ("failed", "timeout"):
            return "recovery"
        return status
    if status in ("failed", "timeout"):
        return "failure"
    if status == "cancelled":
        return "cancel"
    return None


def merge_counts(total: dict[str, int], counts: Mapping[str, int]) -> dict[str, int]:
    """``total`` with ``counts`` added, status by status."""
    for key, value in counts.items():
        total[key] = total.get(key, 0) + int(value)
    return total
