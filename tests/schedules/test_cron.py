"""Cron slots as wall-clock times in a timezone, through daylight-saving changes: a fake
clock steps the scheduler's loop minute by minute through the change days of Europe/Berlin
and America/New_York; no slot is skipped, none runs twice."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from itertools import takewhile
from zoneinfo import ZoneInfo

import pytest

from jupyterlab_dbt_workbench.schedules import cron

from .schedule_helpers import FakeClock, MakeScheduler, schedule_body

# (zone, day of the spring-forward change, day of the fall-back change) in 2026.
ZONES = [
    ("Europe/Berlin", date(2026, 3, 29), date(2026, 10, 25)),
    ("America/New_York", date(2026, 3, 8), date(2026, 11, 1)),
]


def local_runs(expression: str, zone: str, day: date) -> list[str]:
    """The local times (with offsets) at which ``expression`` fires on ``day``."""
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, tzinfo=tz) - timedelta(seconds=1)
    within = takewhile(lambda instant: instant.astimezone(tz).date() == day,
                       cron.slots(expression, tz, start))  # fmt: skip
    return [cron.local_iso(instant, tz)[11:] for instant in within]


@pytest.mark.parametrize(("zone", "spring", "fall"), ZONES)
def test_a_daily_0230_slot_runs_once_on_both_change_days(
    zone: str, spring: date, fall: date
) -> None:
    # 02:30 does not exist on the spring day: it runs at 03:00, the first instant after.
    spring_offset = "+02:00" if zone == "Europe/Berlin" else "-04:00"
    assert local_runs("30 2 * * *", zone, spring) == [f"03:00:00{spring_offset}"]
    # 02:30 exists twice in Berlin's fold (02:00-03:00) and once in New York (its fold is
    # 01:00-02:00): either way it runs once, at its first occurrence.
    fall_offset = "+02:00" if zone == "Europe/Berlin" else "-05:00"
    assert local_runs("30 2 * * *", zone, fall) == [f"02:30:00{fall_offset}"]
    before, after = spring - timedelta(days=1), spring + timedelta(days=1)
    assert len(local_runs("30 2 * * *", zone, before)) == 1
    assert len(local_runs("30 2 * * *", zone, after)) == 1


@pytest.mark.parametrize(("zone", "spring", "fall"), ZONES)
def test_hourly_and_quarter_hourly_slots_through_the_changes(
    zone: str, spring: date, fall: date
) -> None:
    gap_hour = 2  # both zones skip 02:00-03:00 in spring
    fold_hour = 2 if zone == "Europe/Berlin" else 1  # the hour that happens twice in autumn
    for expression, per_hour in (("0 * * * *", 1), ("*/15 * * * *", 4)):
        spring_runs = local_runs(expression, zone, spring)
        # The gap's slots collapse into one run at 03:00: 23 hours, none skipped.
        assert len(spring_runs) == 23 * per_hour
        assert not any(time.startswith(f"0{gap_hour}:") for time in spring_runs)
        assert spring_runs.count(spring_runs[0]) == 1
        fall_runs = local_runs(expression, zone, fall)
        # 25 hours long, but the repeated hour's wall-clock slots run once each.
        assert len(fall_runs) == 24 * per_hour
        repeated = [time for time in fall_runs if time.startswith(f"0{fold_hour}:")]
        assert len(repeated) == per_hour
        assert len(set(fall_runs)) == len(fall_runs)


def test_six_fields_count_seconds_last() -> None:
    tz = ZoneInfo("UTC")
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    first = [
        cron.utc_iso(t)
        for t, _ in zip(cron.slots("*/20 * * * * 15", tz, start), range(3), strict=False)
    ]
    assert first == [
        "2026-01-01T00:00:15+00:00",
        "2026-01-01T00:20:15+00:00",
        "2026-01-01T00:40:15+00:00",
    ]


def quarters(first: str, last: str, offset: str) -> list[str]:
    """Local times every 15 minutes from ``first`` to ``last`` (HH:MM), with ``offset``."""
    hour, minute = map(int, first.split(":"))
    times = []
    while f"{hour:02d}:{minute:02d}" <= last:
        times.append(f"{hour:02d}:{minute:02d}:00{offset}")
        hour, minute = (hour + 1, 0) if minute == 45 else (hour, minute + 15)
    return times


# The loop ticks every minute from 00:59 local for 3 h 20 min of real time.
LOOP_CASES = [
    ("Europe/Berlin", date(2026, 3, 29), "30 2 * * *", ["03:00:00+02:00"]),
    ("Europe/Berlin", date(2026, 10, 25), "30 2 * * *", ["02:30:00+02:00"]),
    ("America/New_York", date(2026, 3, 8), "0 * * * *",
     ["01:00:00-05:00", "03:00:00-04:00", "04:00:00-04:00", "05:00:00-04:00"]),
    ("America/New_York", date(2026, 11, 1), "0 * * * *",
     ["01:00:00-04:00", "02:00:00-05:00", "03:00:00-05:00"]),
    ("Europe/Berlin", date(2026, 3, 29), "*/15 * * * *",
     quarters("01:00", "01:45", "+01:00") + quarters("03:00", "05:15", "+02:00")),
    ("America/New_York", date(2026, 11, 1), "*/15 * * * *",
     quarters("01:00", "01:45", "-04:00") + quarters("02:00", "03:15", "-05:00")),
]  # fmt: skip


@pytest.mark.parametrize(("zone", "day", "expression", "expected_local"), LOOP_CASES)
def test_the_loop_with_a_fake_clock_runs_each_slot_once_through_a_change(
    make_scheduler: MakeScheduler,
    clock: FakeClock,
    zone: str,
    day: date,
    expression: str,
    expected_local: list[str],
) -> None:
    tz = ZoneInfo(zone)
    start = datetime(day.year, day.month, day.day, 0, 59, tzinfo=tz).astimezone(timezone.utc)
    clock.set(start)
    harness = make_scheduler()
    created = harness.scheduler.create(
        schedule_body(cron=expression, timezone=zone, catch_up={"mode": "each", "max": 5})
    )
    end = start + timedelta(hours=3, minutes=20)
    while clock() < end.timestamp():
        clock.advance(60)
        harness.scheduler.tick()
        assert harness.scheduler.wait_idle(20)
    got = list(reversed(harness.scheduler.executions(created["id"], 100)))
    assert all(e["status"] == "success" and e["trigger"] == "cron" for e in got)
    shown = [cron.local_iso(cron.parse_utc(e["slot"]), tz)[11:] for e in got]
    assert shown == expected_local
