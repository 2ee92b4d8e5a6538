"""What a run asks dbt to do: the command, its options, and their validation before launch.

A ``RunRequest`` comes from the REST API (separate fields), from a command line typed in the UI
or the ``%dbt`` magic (``parse_cli``), or from the history (``rerun``). ``validate`` checks it
against what dbt accepts for that command, so that a mistake is reported at once with a
message naming the option, instead of as a dbt usage error after start-up.
"""

from __future__ import annotations

import importlib
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.errors import InvalidRunRequest
from jupyterlab_dbt_workbench.project.paths import resolve_under

from .payloads import RunRequestPayload

COMMANDS: frozenset[str] = frozenset(
    {
        "build",
        "run",
        "test",
        "seed",
        "snapshot",
        "compile",
        "docs generate",
        "source freshness",
        "ls",
        "list",
        "parse",
        "clean",
        "retry",
        "show",
        "debug",
        "deps",
    }
)

# Which commands take which option, as dbt 1.11's command line defines them (read from its
# click commands once; importing dbt to ask at run time costs seconds).
_SELECTING = frozenset(
    {"build", "compile", "docs generate", "list", "ls", "run", "seed", "show", "snapshot",
     "source freshness", "test"}
)  # fmt: skip
_FULL_REFRESH = frozenset({"build", "compile", "retry", "run", "seed", "show"})
_THREADS = frozenset(
    {"build", "compile", "docs generate", "parse", "retry", "run", "seed", "show", "snapshot",
     "source freshness", "test"}
)  # fmt: skip
# dbt debug and dbt deps refuse --target-path: they write no artifacts.
NO_TARGET_PATH = frozenset({"debug", "deps"})

# Options the workbench sets itself (each run has its own folders, in its project) or that
# name a path, which must go through the `state` option so that it stays under the root.
_RESERVED = {
    "--target-path": "each run gets its own target folder, swapped into the project at the end",
    "--log-path": "each run gets its own log folder",
    "--log-format": "the workbench reads dbt's JSON log",
    "--project-dir": "choose the project with the `project` parameter",
    "--profiles-dir": "the project's own profiles.yml is used when it has one",
    "--state": "use the `state` option, a folder under the server root",
    "--defer-state": "use the `state` option, a folder under the server root",
}

# parse_cli: the spellings dbt accepts for the options a request has fields for.
_SELECT_FLAGS = frozenset({"-s", "--select", "-m", "--models", "--model"})
_VALUE_FLAGS = {
    "--exclude": "exclude",
    "--selector": "selector",
    "-t": "target",
    "--target": "target",
    "--vars": "vars",
    "--threads": "threads",
    "--state": "state",
}
_BOOL_FLAGS = {
    "-f": "full_refresh",
    "--full-refresh": "full_refresh",
    "-x": "fail_fast",
    "--fail-fast": "fail_fast",
    "--defer": "defer",
}


@dataclass(frozen=True)
class RunRequest:
    """One dbt invocation as the user asked for it."""

    project: str | None
    command: str
    select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    selector: str | None = None
    target: str | None = None
    vars: str | None = None
    full_refresh: bool = False
    fail_fast: bool = False
    threads: int | None = None
    defer: bool = False
    state: str | None = None
    args: tuple[str, ...] = ()
    user: str | None = None
    # Extra environment variables for dbt (a schedule's). Never part of ``payload``: their
    # values may be secrets, and the run history must not keep them.
    env: tuple[tuple[str, str], ...] = ()

    def payload(self) -> RunRequestPayload:
        """The request as JSON-ready fields (stored with the run, shown in its detail)."""
        return RunRequestPayload(
            project=self.project,
            command=self.command,
            select=list(self.select),
            exclude=list(self.exclude),
            selector=self.selector,
            target=self.target,
            vars=self.vars,
            full_refresh=self.full_refresh,
            fail_fast=self.fail_fast,
            threads=self.threads,
            defer=self.defer,
            state=self.state,
            args=list(self.args),
            user=self.user,
        )

    @classmethod
    def from_payload(cls, data: RunRequestPayload | dict[str, Any]) -> RunRequest:
        """The request stored by ``payload`` (used to rerun a run from the history)."""
        return cls(
            project=data.get("project"),
            command=str(data["command"]),
            select=tuple(data.get("select") or ()),
            exclude=tuple(data.get("exclude") or ()),
            selector=data.get("selector"),
            target=data.get("target"),
            vars=data.get("vars"),
            full_refresh=bool(data.get("full_refresh")),
            fail_fast=bool(data.get("fail_fast")),
            threads=data.get("threads"),
            defer=bool(data.get("defer")),
            state=data.get("state"),
            args=tuple(data.get("args") or ()),
            user=data.get("user"),
        )

    def options(self, state_dir: Path | None = None) -> list[str]:
        """The dbt arguments for this request: the command words and its options.

        ``state_dir`` is the resolved ``state`` folder (``validate`` returns it).
        """
        argv = self.command.split()
        for flag, values in (("--select", self.select), ("--exclude", self.exclude)):
            if values:
                argv += [flag, *values]
        for flag, value in (
            ("--selector", self.selector),
            ("--target", self.target),
            ("--vars", self.vars),
            ("--threads", None if self.threads is None else str(self.threads)),
        ):
            if value is not None:
                argv += [flag, value]
        if self.full_refresh:
            argv.append("--full-refresh")
        if self.fail_fast:
            argv.append("--fail-fast")
        if self.defer:
            argv.append("--defer")
        if state_dir is not None:
            argv += ["--state", str(state_dir)]
        elif self.state is not None:
            argv += ["--state", self.state]
        return argv + list(self.args)

    @property
    def cli(self) -> str:
        """The request as a dbt command line without ``dbt`` (``build --select orders+``)."""
        return shlex.join(self.options())


def parse_cli(text: str, *, project: str | None = None, user: str | None = None) -> RunRequest:
    """Read a dbt command line (``"build -s orders+ --exclude x --full-refresh"``).

    dbt's own syntax, split like a shell would (quotes group words) but never run by one.
    A leading ``dbt`` is optional. Options the request has fields for fill them; any other
    option goes to ``args``. Raises ``InvalidRunRequest`` for an empty line, an option
    missing its value, or an option the workbench sets itself.
    """
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise InvalidRunRequest(f"The command line {text!r} cannot be read: {exc}.") from exc
    if words and words[0] == "dbt":
        words = words[1:]
    if not words:
        raise InvalidRunRequest(
            "The command line is empty: give a dbt command such as `build -s my_model+`."
        )
    command = words.pop(0)
    if command in ("docs", "source") and words and not words[0].startswith("-"):
        command = f"{command} {words.pop(0)}"

    fields: dict[str, Any] = {"select": [], "exclude": [], "args": []}
    while words:
        word = words.pop(0)
        flag, equals, inline = word.partition("=")
        if not flag.startswith("-"):
            fields["args"].append(word)
            continue
        _refuse_reserved(flag)
        if flag in _SELECT_FLAGS or flag == "--exclude":
            values = [inline] if equals else _take_values(words)
            if not values:
                raise InvalidRunRequest(f"`{flag}` needs at least one selector after it.")
            fields["exclude" if flag == "--exclude" else "select"].extend(values)
        elif flag in _VALUE_FLAGS:
            if not equals and (not words or words[0].startswith("-")):
                raise InvalidRunRequest(f"`{flag}` needs a value after it.")
            fields[_VALUE_FLAGS[flag]] = inline if equals else words.pop(0)
        elif flag in _BOOL_FLAGS and not equals:
            fields[_BOOL_FLAGS[flag]] = True
        else:
            fields["args"].append(word)

    threads = fields.pop("threads", None)
    if threads is not None:
        try:
            threads = int(threads)
        except ValueError as exc:
            raise InvalidRunRequest(
                f"`--threads` must be a whole number, not {threads!r}."
            ) from exc
    return RunRequest(
        project=project,
        command=command,
        select=tuple(fields.pop("select")),
        exclude=tuple(fields.pop("exclude")),
        args=tuple(fields.pop("args")),
        threads=threads,
        user=user,
        **fields,
    )


def _take_values(words: list[str]) -> list[str]:
    values = []
    while words and not words[0].startswith("-"):
        values.append(words.pop(0))
    return values


def _refuse_reserved(flag: str) -> None:
    why = _RESERVED.get(flag)
    if why is not None:
        raise InvalidRunRequest(f"`{flag}` cannot be given: {why}.")


def validate(request: RunRequest, root: Path) -> Path | None:
    """Check ``request`` before launch; return the resolved ``state`` folder, if any.

    Raises ``InvalidRunRequest`` naming the bad option: an unknown command, an option the
    command does not take, ``vars`` that are not a YAML mapping, ``threads`` below 1, a
    ``state`` folder outside ``root`` (``UnsafePath``) or without a manifest.json, or an
    extra argument the workbench sets itself.
    """
    command = request.command
    if command not in COMMANDS:
        raise InvalidRunRequest(
            f"`{command}` is not a dbt command the workbench runs. Use one of: "
            f"{', '.join(sorted(COMMANDS))}."
        )
    _check_applicable(request)
    for name in ("select", "exclude"):
        for value in getattr(request, name):
            if not isinstance(value, str) or not value.strip() or value.startswith("-"):
                raise InvalidRunRequest(
                    f"`{name}` has an empty or malformed selector {value!r}: give node names "
                    "or selector methods such as `orders+` or `tag:nightly`."
                )
    for name in ("selector", "target"):
        value = getattr(request, name)
        if value is not None and (not value.strip() or value.startswith("-")):
            raise InvalidRunRequest(f"`{name}` must be a name, not {value!r}.")
    if request.threads is not None and (
        isinstance(request.threads, bool) or not isinstance(request.threads, int)
    ):
        raise InvalidRunRequest(f"`threads` must be a whole number, not {request.threads!r}.")
    if request.threads is not None and request.threads < 1:
        raise InvalidRunRequest(
            f"`threads` must be 1 or more, not {request.threads}: it is how many nodes dbt "
            "builds at once."
        )
    if request.vars is not None:
        _check_vars(request.vars)
    for arg in request.args:
        if not isinstance(arg, str) or "\x00" in arg:
            raise InvalidRunRequest(f"The extra argument {arg!r} is not allowed.")
        if arg.startswith("-"):
            _refuse_reserved(arg.partition("=")[0])
    if request.defer and request.state is None:
        raise InvalidRunRequest(
            "`defer` needs `state`: the folder holding the manifest.json to defer to."
        )
    if request.state is None:
        return None
    state_dir = resolve_under(root, request.state)
    if not (state_dir / "manifest.json").is_file():
        raise InvalidRunRequest(
            f"The state folder {request.state!r} holds no manifest.json: give the folder of "
            "an earlier run's artifacts (such as a copy of target/)."
        )
    return state_dir


def _check_applicable(request: RunRequest) -> None:
    command = request.command
    not_taken = []
    if command not in _SELECTING:
        not_taken += [
            flag
            for flag, value in (
                ("select", request.select),
                ("exclude", request.exclude),
                ("selector", request.selector),
            )
            if value
        ]
    if request.full_refresh and command not in _FULL_REFRESH:
        not_taken.append("full_refresh")
    if request.threads is not None and command not in _THREADS:
        not_taken.append("threads")
    if not_taken:
        raise InvalidRunRequest(
            f"`dbt {command}` does not take {', '.join(f'`{name}`' for name in not_taken)}."
        )


def _check_vars(text: str) -> None:
    # PyYAML ships without type stubs; it comes with dbt-core.
    yaml: Any = importlib.import_module("yaml")
    try:
        value = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        detail = " ".join(str(exc).split())
        raise InvalidRunRequest(f"`vars` is not valid YAML: {detail}") from exc
    if not isinstance(value, dict):
        raise InvalidRunRequest(
            f"`vars` must be a YAML mapping such as `{{start_date: '2024-01-01'}}`, not {text!r}."
        )
