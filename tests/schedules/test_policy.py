"""The policies as pure decisions: catch-up plans, retry delays, outcomes and events."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from jupyterlab_dbt_workbench.schedules.model import CatchUpPolicy, RetryPolicy
from jupyterlab_dbt_workbench.schedules.policy import event, outcome, plan, retry_delay

NOW = datetime(2026, 1, 5, 13, 0, 30, tzinfo=timezone.utc)
HOURS = [NOW.replace(second=0) - timedelta(hours=n) for n in (4, 3, 2, 1, 0)]


def runs(result: object) -> list[tuple[int, str]]:
    return [(slot.hour, trigger) for slot, trigger in result.runs]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("mode", "maximum", "expected_runs", "skipped"),
    [
        ("skip", 3, [(13, "cron")], 4),
        ("once", 3, [(13, "cron")], 4),
        ("each", 3, [(10, "catch_up"), (11, "catch_up"), (12, "catch_up"), (13, "cron")], 1),
        ("each", 10, [(9, "catch_up"), (10, "catch_up"), (11, "catch_up"), (12, "catch_up"),
                      (13, "cron")], 0),
    ],
)  # fmt: skip
def test_missed_slots_before_an_on_time_one(
    mode: str, maximum: int, expected_runs: list[tuple[int, str]], skipped: int
) -> None:
    decided = plan(HOURS, 0, NOW, CatchUpPolicy(mode, maximum))  # type: ignore[arg-type]
    assert runs(decided) == expected_runs
    assert decided.skipped == skipped


def test_when_every_due_slot_is_late_once_runs_the_newest_as_a_catch_up() -> None:
    late = NOW + timedelta(minutes=30)
    assert runs(plan(HOURS, 0, late, CatchUpPolicy("once", 3))) == [(13, "catch_up")]
    skipped = plan(HOURS, 0, late, CatchUpPolicy("skip", 3))
    assert (runs(skipped), skipped.skipped, skipped.last_skipped) == ([], 5, HOURS[-1])
    # Slots older than the ones looked at count as skipped too.
    assert plan(HOURS, 100, late, CatchUpPolicy("each", 2)).skipped == 103


def test_a_single_slot_a_little_late_is_on_time() -> None:
    decided = plan([HOURS[-1]], 0, NOW + timedelta(seconds=90), CatchUpPolicy("skip", 1))
    assert (runs(decided), decided.skipped) == ([(13, "cron")], 0)
    assert plan([], 0, NOW, CatchUpPolicy("each", 5)).runs == ()


def test_retry_delays() -> None:
    fixed = RetryPolicy(max_attempts=3, backoff="fixed", delay=30)
    assert [retry_delay(fixed, n) for n in (1, 2, 3)] == [30, 30, None]
    exponential = RetryPolicy(max_attempts=4, backoff="exponential", delay=10)
    assert [retry_delay(exponential, n) for n in (1, 2, 3, 4)] == [10, 20, 40, None]
    assert retry_delay(RetryPolicy(), 1) is None


def test_outcomes_and_events() -> None:
    assert outcome(["success", "success"], {"success": 3}) == "success"
    assert outcome(["success"], {"success": 2, "warn": 1}) == "warning"
    assert outcome(["success", "failed"], {}) == "failed"
    assert outcome(["error"], {}) == "failed"
    assert outcome(["cancelled"], {}) == "cancelled"
    assert outcome(["interrupted"], {}) == "interrupted"
    assert event("success", None) == "success"
    assert event("success", "failed") == "recovery"
    assert event("warning", "timeout") == "recovery"
    assert event("warning", "success") == "warning"
    assert event("timeout", "success") == "failure"
    assert event("cancelled", None) == "cancel"
    assert event("skipped", None) is None
    assert event("interrupted", "failed") is None
