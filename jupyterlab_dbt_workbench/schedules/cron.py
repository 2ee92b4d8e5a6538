"""Cron expressions read as wall-clock times in an IANA timezone, mapped to UTC instants.

croniter's own timezone arithmetic has had daylight-saving bugs (doubled or lost runs around
the changes), so it is only asked for naive wall-clock times; the conversion to UTC is done
here with zoneinfo, by one rule:

- a wall-clock slot that does not exist (inside a spring-forward gap) runs at the first
  instant after the gap (02:30 in Europe/Berlin on the last Sunday of March runs at 03:00
  CEST); several gap slots landing on that instant run once;
- a wall-clock slot that exists twice (inside a fall-back fold) runs once, at its first
  occurrence.

So each slot of the expression runs exactly once, and the UTC instants strictly increase.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from jupyterlab_dbt_workbench.errors import InvalidSchedule

PRESETS: tuple[str, ...] = ("@hourly", "@daily", "@weekly", "@monthly", "@yearly")
# croniter also knows these spellings of the presets.
_ALIASES = frozenset({*PRESETS, "@midnight", "@annually"})

# How many wall-clock slots in a row may map to no new instant (inside a fold) before the
# search gives up: a safety net; a fold holds at most a few thousand slots (one per second).
_SEARCH_LIMIT = 10_000


def zone(name: str) -> ZoneInfo:
    """The IANA timezone ``name``; ``InvalidSchedule`` naming it when it is unknown."""
    if not isinstance(name, str) or not name.strip():
        raise InvalidSchedule("`timezone` is required: an IANA name such as Europe/Berlin or UTC.")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise InvalidSchedule(
            f"Unknown timezone {name!r}: give an IANA name such as Europe/Berlin, "
            "America/New_York or UTC."
        ) from None


def check_cron(expression: str) -> str:
    """The expression, stripped, if croniter accepts it with 5 or 6 fields (the 6th being
    seconds) or as a preset; ``InvalidSchedule`` saying what is wrong otherwise."""
    from croniter import CroniterError, croniter  # type: ignore[import-untyped]

    if not isinstance(expression, str) or not expression.strip():
        raise InvalidSchedule(
            "`cron` is required: five fields (minute hour day month weekday) such as "
            "`30 2 * * *`, six with seconds last, or a preset such as @daily."
        )
    text = " ".join(expression.split())
    if text.startswith("@"):
        if text not in _ALIASES:
            raise InvalidSchedule(f"Unknown cron preset {text!r}: use one of {', '.join(PRESETS)}.")
        return text
    fields = text.split(" ")
    if len(fields) not in (5, 6):
        raise InvalidSchedule(
            f"The cron expression {text!r} has {len(fields)} field(s): give 5 (minute hour "
            "day month weekday) or 6 (the same, then seconds)."
        )
    errors = (CroniterError, ValueError, KeyError)
    try:
        croniter(text, datetime(2000, 1, 1))
    except errors as exc:
        detail = str(exc).replace(f"[{text}] ", "")
        # croniter's own words do not say which field is wrong: try each one alone.
        for index, (name, allowed) in enumerate(_FIELDS[: len(fields)]):
            alone = " ".join(f if i == index else "*" for i, f in enumerate(fields))
            try:
                croniter(alone, datetime(2000, 1, 1))
            except errors:
                detail = f"the {name} field `{fields[index]}` is not valid ({allowed})"
                break
        raise InvalidSchedule(f"Invalid cron expression {text!r}: {detail}.") from None
    return text


_FIELDS = (
    ("minute", "0-59"),
    ("hour", "0-23"),
    ("day-of-month", "1-31"),
    ("month", "1-12 or JAN-DEC"),
    ("weekday", "0-6 or SUN-SAT, 7 is Sunday too"),
    ("seconds", "0-59"),
)


def slots(expression: str, tz: ZoneInfo, after: datetime) -> Iterator[datetime]:
    """The UTC instants at which ``expression`` fires in ``tz``, strictly after ``after``
    (an aware datetime), in increasing order, without end unless the expression never fires
    again."""
    from croniter import CroniterError, croniter

    after = after.astimezone(timezone.utc)
    # Start from the wall-clock time of `after`; in a fold the next wall-clock slots may map
    # to instants before `after` (their first occurrence), which the check below drops.
    wall = after.astimezone(tz).replace(tzinfo=None)
    iterator = croniter(expression, wall)
    last = after
    idle = 0
    while idle < _SEARCH_LIMIT:
        try:
            candidate = iterator.get_next(datetime)
        except CroniterError:
            return
        instant = to_utc(candidate, tz)
        if instant > last:
            idle = 0
            last = instant
            yield instant
        else:
            idle += 1


def next_slot(expression: str, tz: ZoneInfo, after: datetime) -> datetime | None:
    """The first instant ``expression`` fires in ``tz`` strictly after ``after`` (UTC), or
    None when it never fires again."""
    return next(slots(expression, tz, after), None)


def to_utc(wall: datetime, tz: ZoneInfo) -> datetime:
    """The UTC instant of the naive wall-clock time ``wall`` in ``tz``, by the rule above."""
    first = wall.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(timezone.utc)
    if instant.astimezone(tz).replace(tzinfo=None) == wall:
        # It exists; fold=0 is its first occurrence when it exists twice.
        return instant
    return _gap_end(wall, tz)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first instant after the spring-forward gap holding the non-existent ``wall``.

    With the offsets before (fold=0) and after (fold=1) the change, ``wall`` read with the
    later offset is before the change and read with the earlier one after it: the change
    lies between, found to the second by bisection.
    """
    early = wall.replace(tzinfo=tz, fold=1).astimezone(timezone.utc)
    late = wall.replace(tzinfo=tz, fold=0).astimezone(timezone.utc)
    low, high = int(min(early, late).timestamp()), int(max(early, late).timestamp())
    before = datetime.fromtimestamp(low, tz).utcoffset()
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).utcoffset() == before:
            low = middle
        else:
            high = middle
    return datetime.fromtimestamp(high, timezone.utc)


def local_iso(instant: datetime, tz: ZoneInfo) -> str:
    """``instant`` as ISO 8601 in ``tz`` with its offset (``2026-03-29T03:00:00+02:00``)."""
    return instant.astimezone(tz).isoformat(timespec="seconds")


def utc_iso(instant: datetime) -> str:
    """``instant`` as UTC ISO 8601 to the second (the form slots are stored in)."""
    return instant.astimezone(timezone.utc).isoformat(timespec="seconds")


def parse_utc(text: str) -> datetime:
    """An ISO 8601 time written by ``utc_iso`` (or any aware ISO time) as an aware datetime."""
    value = datetime.fromisoformat(text)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)
