"""A schedule: what it runs (dbt steps, target, vars, env), when (cron in a timezone), and
its policies; how it is read from a request (validated) and shown back (secrets masked)."""

from __future__ import annotations

import functools
import json
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from jupyterlab_dbt_workbench.errors import InvalidRequest, InvalidSchedule, WorkbenchError
from jupyterlab_dbt_workbench.runs.options import RunRequest, parse_cli, validate

from . import cron
from .payloads import (
    Backoff,
    CatchUpMode,
    ExecutionStatus,
    Overlap,
    SchedulePayload,
)

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.notify.model import Channel
    from jupyterlab_dbt_workbench.notify.payloads import ChannelPayload

MASK = "********"
# Environment variables whose names contain one of these words are shown masked.
SECRET_WORDS = ("PASSWORD", "SECRET", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE")

BACKOFFS: tuple[Backoff, ...] = ("fixed", "exponential")
CATCH_UP_MODES: tuple[CatchUpMode, ...] = ("skip", "once", "each")
OVERLAPS: tuple[Overlap, ...] = ("skip", "queue", "cancel_previous")

_FIELDS = frozenset(
    {"name", "project", "steps", "target", "vars", "env", "cron", "timezone", "enabled",
     "retry", "catch_up", "overlap", "timeout", "notifications"}
)  # fmt: skip
# Fields the server sets, accepted (and ignored) so a client may send a schedule back as read.
_READ_ONLY = frozenset(
    {"id", "created_at", "updated_at", "next_run_at", "next_run_local", "last_run_at",
     "last_status", "state", "error"}
)  # fmt: skip
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_MAX_ATTEMPTS = 20
_MAX_DELAY = 7 * 24 * 3600.0
_MAX_CATCH_UP = 100


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` in all (1: no retry); the wait before attempt n+1 is ``delay``
    (fixed) or ``delay * 2**(n-1)`` (exponential)."""

    max_attempts: int = 1
    backoff: Backoff = "fixed"
    delay: float = 60.0


@dataclass(frozen=True)
class CatchUpPolicy:
    """What to do with slots missed while no scheduler ran (see ``policy.plan``)."""

    mode: CatchUpMode = "once"
    max: int = 10


@dataclass(frozen=True)
class Schedule:
    """One schedule as stored: its definition and the loop's bookkeeping."""

    id: str
    name: str
    project: str
    steps: tuple[str, ...]
    cron: str
    timezone: str
    target: str | None = None
    vars: str | None = None
    env: tuple[tuple[str, str], ...] = ()
    enabled: bool = True
    retry: RetryPolicy = field(default_factory=RetryPolicy)
    catch_up: CatchUpPolicy = field(default_factory=CatchUpPolicy)
    overlap: Overlap = "skip"
    timeout: float | None = None
    channels: tuple[Channel, ...] = ()
    created_at: str = ""
    updated_at: str = ""
    next_run_at: str | None = None
    last_run_at: str | None = None
    last_status: ExecutionStatus | None = None
    state: str = "ok"
    error: str | None = None

    @property
    def user(self) -> str:
        """The user recorded on the runs it starts, so the run history says where they came
        from."""
        return f"schedule:{self.name}"

    def requests(self) -> list[RunRequest]:
        """One run request per step, with the schedule's target, vars and environment
        (a step's own ``--target`` or ``--vars`` wins)."""
        return [self._request(step) for step in self.steps]

    def _request(self, step: str) -> RunRequest:
        request = parse_cli(step, project=self.project, user=self.user)
        return replace(
            request,
            target=request.target or self.target,
            vars=request.vars or self.vars,
            env=self.env,
        )

    def definition(self) -> dict[str, Any]:
        """The JSON document stored for it (secrets included: the store is the server's)."""
        return {
            "steps": list(self.steps),
            "target": self.target,
            "vars": self.vars,
            "env": dict(self.env),
            "cron": self.cron,
            "timezone": self.timezone,
            "retry": {
                "max_attempts": self.retry.max_attempts,
                "backoff": self.retry.backoff,
                "delay": self.retry.delay,
            },
            "catch_up": {"mode": self.catch_up.mode, "max": self.catch_up.max},
            "overlap": self.overlap,
            "timeout": self.timeout,
            "notifications": [
                {"kind": c.kind, "events": sorted(c.events), "config": dict(c.config)}
                for c in self.channels
            ],
        }

    def payload(self, now: datetime | None = None) -> SchedulePayload:
        """The schedule as the API shows it: secrets masked, next run in UTC and local time."""
        from jupyterlab_dbt_workbench.notify import public_channel

        next_local = None
        if self.next_run_at is not None:
            next_local = cron.local_iso(cron.parse_utc(self.next_run_at), cron.zone(self.timezone))
        return SchedulePayload(
            id=self.id,
            name=self.name,
            project=self.project,
            steps=list(self.steps),
            target=self.target,
            vars=self.vars,
            env={name: MASK if is_secret(name) else value for name, value in self.env},
            cron=self.cron,
            timezone=self.timezone,
            enabled=self.enabled,
            retry={
                "max_attempts": self.retry.max_attempts,
                "backoff": self.retry.backoff,
                "delay": self.retry.delay,
            },
            catch_up={"mode": self.catch_up.mode, "max": self.catch_up.max},
            overlap=self.overlap,
            timeout=self.timeout,
            notifications=[public_channel(channel) for channel in self.channels],
            created_at=self.created_at,
            updated_at=self.updated_at,
            next_run_at=self.next_run_at,
            next_run_local=next_local,
            last_run_at=self.last_run_at,
            last_status=self.last_status,
            state="error" if self.state == "error" else "ok",
            error=self.error,
        )


def is_secret(name: str) -> bool:
    """Whether an environment variable's value is masked when shown (its name looks like a
    secret's)."""
    upper = name.upper()
    return any(word in upper for word in SECRET_WORDS)


def new_schedule_id() -> str:
    return f"sch-{secrets.token_hex(6)}"


def from_definition(row: Mapping[str, Any], definition: Mapping[str, Any]) -> Schedule:
    """The schedule stored as ``row`` (the table's columns) and its JSON ``definition``."""
    from jupyterlab_dbt_workbench.notify.model import Channel

    retry, catch_up = definition.get("retry") or {}, definition.get("catch_up") or {}
    return Schedule(
        id=row["id"],
        name=row["name"],
        project=row["project"],
        steps=tuple(definition["steps"]),
        cron=definition["cron"],
        timezone=definition["timezone"],
        target=definition.get("target"),
        vars=definition.get("vars"),
        env=tuple((definition.get("env") or {}).items()),
        enabled=bool(row["enabled"]),
        retry=RetryPolicy(**retry),
        catch_up=CatchUpPolicy(**catch_up),
        overlap=definition.get("overlap", "skip"),
        timeout=definition.get("timeout"),
        channels=tuple(
            Channel(kind=item["kind"], events=frozenset(item["events"]), config=item["config"])
            for item in definition.get("notifications") or ()
        ),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        next_run_at=row["next_run_at"],
        last_run_at=row["last_run_at"],
        last_status=row["last_status"],
        state=row["state"],
        error=row["error"],
    )


def parse_schedule(
    body: Any,
    *,
    root: Path,
    project_id: Any,
    previous: Schedule | None = None,
) -> Schedule:
    """Read a ``ScheduleInput`` body into a schedule, checking everything a user can get
    wrong; ``InvalidSchedule`` (400) names the field.

    With ``previous`` (an update) missing fields keep their value and masked secrets
    (``********``) keep the stored one. ``project_id`` resolves the ``project`` field to the
    workbench's project id (raising its usual errors). Each step is checked with the run
    options' own ``parse_cli`` and ``validate``.
    """
    if not isinstance(body, dict):
        raise InvalidSchedule('The body must be a JSON object: {"name": ..., "steps": [...]}.')
    unknown = sorted(set(body) - _FIELDS - _READ_ONLY)
    if unknown:
        raise InvalidSchedule(
            f"Unknown field(s) {', '.join(map(repr, unknown))}; known fields: "
            f"{', '.join(sorted(_FIELDS))}."
        )
    data = {key: value for key, value in body.items() if key in _FIELDS}
    if previous is None:
        missing = [name for name in ("name", "project", "steps", "cron", "timezone")
                   if data.get(name) in (None, "", [])]  # fmt: skip
        if missing:
            raise InvalidSchedule(f"Missing field(s): {', '.join(missing)}.")

    def pick(name: str, default: Any) -> Any:
        return data.get(name, default)

    base = previous or Schedule(id=new_schedule_id(), name="", project="", steps=(), cron="",
                                timezone="")  # fmt: skip
    name = _name(pick("name", base.name))
    project = project_id(_text(pick("project", base.project), "project"))
    expression = cron.check_cron(pick("cron", base.cron))
    tz_name = _text(pick("timezone", base.timezone), "timezone")
    tz = cron.zone(tz_name)
    if cron.next_slot(expression, tz, datetime.now(tz)) is None:
        raise InvalidSchedule(f"The cron expression {expression!r} never fires.")
    schedule = replace(
        base,
        name=name,
        project=project,
        cron=expression,
        timezone=tz_name,
        target=_optional_text(pick("target", base.target), "target"),
        vars=_vars(pick("vars", base.vars)),
        env=_env(pick("env", dict(base.env)), dict(base.env)),
        enabled=_bool(pick("enabled", base.enabled), "enabled"),
        retry=_retry(pick("retry", None), base.retry),
        catch_up=_catch_up(pick("catch_up", None), base.catch_up),
        overlap=_choice(pick("overlap", base.overlap), "overlap", OVERLAPS),
        timeout=_timeout(pick("timeout", base.timeout)),
        channels=_channels(pick("notifications", None), base.channels),
        steps=_steps(pick("steps", list(base.steps))),
    )
    _check_steps(schedule, root)
    return schedule


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidSchedule(f"`{name}` must be a non-empty string.")
    return value.strip()


def _optional_text(value: Any, name: str) -> str | None:
    if value is None or value == "":
        return None
    return _text(value, name)


def _name(value: Any) -> str:
    name = _text(value, "name")
    if len(name) > 200:
        raise InvalidSchedule("`name` is too long: at most 200 characters.")
    return name


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidSchedule(f"`{name}` must be true or false, not {value!r}.")
    return value


def _choice(value: Any, name: str, choices: tuple[str, ...]) -> Any:
    if value not in choices:
        raise InvalidSchedule(f"`{name}` must be one of {', '.join(choices)}, not {value!r}.")
    return value


def _number(value: Any, name: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not low <= value <= high:
        raise InvalidSchedule(f"`{name}` must be a number from {low:g} to {high:g}, not {value!r}.")
    return float(value)


def _whole(value: Any, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise InvalidSchedule(
            f"`{name}` must be a whole number from {low} to {high}, not {value!r}."
        )
    return value


def _vars(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return json.dumps(value)
    if not isinstance(value, str):
        raise InvalidSchedule("`vars` must be YAML or JSON text, or a JSON object.")
    return value


def _env(value: Any, stored: dict[str, str]) -> tuple[tuple[str, str], ...]:
    if value is None:
        return ()
    if not isinstance(value, dict):
        raise InvalidSchedule('`env` must be an object of names and values: {"DBT_ENV": "prod"}.')
    pairs = []
    for name, raw in value.items():
        if not _ENV_NAME.match(name):
            raise InvalidSchedule(
                f"`env` name {name!r} is not a valid environment variable name (letters, "
                "digits and _, not starting with a digit)."
            )
        if raw == MASK:
            if name not in stored:
                raise InvalidSchedule(
                    f"`env` {name} is masked but no value is stored for it: give its value."
                )
            raw = stored[name]
        if isinstance(raw, bool) or not isinstance(raw, (str, int, float)):
            raise InvalidSchedule(f"`env` {name} must be a string, not {raw!r}.")
        pairs.append((name, str(raw)))
    return tuple(pairs)


def _retry(value: Any, base: RetryPolicy) -> RetryPolicy:
    if value is None:
        return base
    if not isinstance(value, dict):
        raise InvalidSchedule("`retry` must be an object {max_attempts, backoff, delay}.")
    return RetryPolicy(
        max_attempts=_whole(
            value.get("max_attempts", base.max_attempts), "retry.max_attempts", 1, _MAX_ATTEMPTS
        ),
        backoff=_choice(value.get("backoff", base.backoff), "retry.backoff", BACKOFFS),
        delay=_number(value.get("delay", base.delay), "retry.delay", 0, _MAX_DELAY),
    )


def _catch_up(value: Any, base: CatchUpPolicy) -> CatchUpPolicy:
    if value is None:
        return base
    if not isinstance(value, dict):
        raise InvalidSchedule("`catch_up` must be an object {mode, max}.")
    return CatchUpPolicy(
        mode=_choice(value.get("mode", base.mode), "catch_up.mode", CATCH_UP_MODES),
        max=_whole(value.get("max", base.max), "catch_up.max", 1, _MAX_CATCH_UP),
    )


def _timeout(value: Any) -> float | None:
    if value is None:
        return None
    return _number(value, "timeout", 1, _MAX_DELAY)


def _channels(value: Any, stored: tuple[Channel, ...]) -> tuple[Channel, ...]:
    from jupyterlab_dbt_workbench.notify import parse_channel

    if value is None:
        return stored
    if not isinstance(value, list):
        raise InvalidSchedule("`notifications` must be a list of channels.")
    channels = []
    for index, item in enumerate(value):
        try:
            previous = _previous_channel(item, index, stored)
            if isinstance(item, dict):
                item = {key: field for key, field in item.items() if key != "saved_index"}
            channels.append(parse_channel(cast("ChannelPayload", item), previous))
        except InvalidRequest as error:
            raise InvalidSchedule(f"Notification {index + 1}: {error.message}") from None
    return tuple(channels)


def _previous_channel(item: Any, index: int, stored: tuple[Channel, ...]) -> Channel | None:
    """The saved channel whose masked secrets ``item`` may keep.

    ``saved_index`` (the channel's position when it was loaded; null for a new channel)
    says which one, so removing a channel above it does not hand it a neighbour's secret.
    Without it, the channel at the same place is the one being edited (a GET payload sent
    back as it is). Either way it must be of the same kind.
    """
    if not isinstance(item, dict):
        return None
    position = item.get("saved_index", index)
    if position is None:
        return None
    if isinstance(position, bool) or not isinstance(position, int) or position < 0:
        raise InvalidRequest(
            f"'saved_index' must be the channel's position when loaded (from 0) or null, "
            f"not {position!r}."
        )
    previous = stored[position] if position < len(stored) else None
    return previous if previous is not None and item.get("kind") == previous.kind else None


def _steps(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InvalidSchedule(
            "`steps` must be a non-empty list of dbt command lines, e.g. "
            '["source freshness", "build -s tag:daily"].'
        )
    steps = []
    for index, step in enumerate(value, start=1):
        if not isinstance(step, str) or not step.strip():
            raise InvalidSchedule(f"Step {index} must be a dbt command line such as `build`.")
        steps.append(step.strip())
    return tuple(steps)


def _check_steps(schedule: Schedule, root: Path) -> None:
    for index, step in enumerate(schedule.steps, start=1):
        try:
            request = schedule._request(step)
            validate(request, root)
        except WorkbenchError as error:
            raise InvalidSchedule(f"Step {index} (`{step}`): {error.message}") from None
        # The run options pass options they do not know on to dbt; a typo there would
        # only show when the schedule fires (at night), so ask dbt's own CLI now.
        flags = [arg.partition("=")[0] for arg in request.args if arg.startswith("-")]
        known = _dbt_options(request.command) if flags else None
        wrong = [flag for flag in flags if known is not None and flag not in known]
        if wrong:
            raise InvalidSchedule(
                f"Step {index} (`{step}`): `dbt {request.command}` has no option `{wrong[0]}`; "
                f"see `dbt {request.command} --help`."
            )


@functools.cache
def _dbt_options(command: str) -> frozenset[str] | None:
    """The options of ``command`` (``"source freshness"`` too) in the dbt-core installed
    here; None when it cannot say (dbt-core not importable, or a command it lacks)."""
    try:
        from dbt.cli.main import cli
    except Exception:  # dbt-core missing or broken here: dbt itself will judge at run time
        return None
    found: Any = cli
    for word in command.split():
        found = getattr(found, "commands", {}).get(word)
        if found is None:
            return None
    return frozenset(
        option for param in found.params for option in (*param.opts, *param.secondary_opts)
    )
