"""A run while it is queued or running: its folders, process, log and listeners."""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from . import artifacts
from .executor import Execution
from .models import RunStatus, signal_name
from .options import RunRequest
from .payloads import RunDetail, RunSummary
from .progress import RunLog

Callback = Callable[[dict[str, Any]], None]

# How much of dbt's error text a run's message carries.
_MESSAGE_LIMIT = 2000


def now() -> str:
    """The current UTC time as ISO 8601 with milliseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def new_run_id() -> str:
    """A new run id such as ``20260101-120000-a1b2c3``."""
    # Sortable by creation, readable in a folder listing, unique without coordination.
    return f"{datetime.now(timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


@dataclass(frozen=True)
class ProjectDirs:
    """Where a run's project lives: its id, folder and target folder."""

    id: str
    path: Path
    target: Path


@dataclass(eq=False)
class LiveRun:
    """A run that is queued or running; everything else lives in the history."""

    summary: RunSummary
    request: RunRequest
    project: ProjectDirs
    argv: list[str]
    folder: Path
    seed_from: Path | None
    seed_names: tuple[str, ...]
    log: RunLog = field(default_factory=RunLog)
    execution: Execution | None = None
    started: float | None = None
    before: dict[str, artifacts.Signature] = field(default_factory=dict)
    subscribers: list[Callback] = field(default_factory=list)
    # Held while messages go out, so a new subscriber gets the backlog, then every new
    # message, without a gap or a repeat.
    emit_lock: threading.RLock = field(default_factory=threading.RLock)
    flush_lock: threading.Lock = field(default_factory=threading.Lock)
    flushed: int = 0
    dirty: set[str] = field(default_factory=set)
    cancelled: bool = False
    interrupted: bool = False
    ended: bool = False
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def id(self) -> str:
        return self.summary["id"]

    @property
    def target(self) -> Path:
        return self.folder / "target"

    @property
    def logs(self) -> Path:
        return self.folder / "logs"


def explain(run: LiveRun, status: RunStatus, returncode: int) -> str | None:
    """Why a run did not succeed, in a sentence (plus dbt's own error text)."""
    exit_signal = signal_name(returncode)
    if status == "cancelled":
        sent = run.execution.last_signal if run.execution is not None else None
        return f"Cancelled by the user; dbt stopped after {sent or 'SIGINT'}."
    if exit_signal is not None:
        return (
            f"dbt was killed by {exit_signal} from outside the workbench; the log up to "
            "that point is kept."
        )
    if status == "failed":
        failing = [
            f"{node['name']} ({node['status']})"
            for node in run.log.nodes.values()
            if node["status"] in ("error", "fail", "runtime error")
        ]
        if failing:
            shown = ", ".join(failing[:5]) + (" ..." if len(failing) > 5 else "")
            return f"{len(failing)} node(s) failed: {shown}."
    if status in ("failed", "error"):
        errors = [e["message"] for e in run.log.events if e["level"] == "error"]
        text = "\n".join(errors[-3:])
        if not text:
            lines = [e["message"] for e in run.log.events if e["name"] == "Output"]
            text = "\n".join(lines[-5:])
        return (text or f"dbt exited with code {returncode}.")[-_MESSAGE_LIMIT:]
    return None


def summary_of(detail: RunDetail) -> RunSummary:
    """The summary fields of a run's detail."""
    fields = {key: value for key, value in detail.items() if key in RunSummary.__annotations__}
    return RunSummary(**fields)  # type: ignore[typeddict-item]


def relative(path: Path, base: Path) -> str:
    """``path`` relative to ``base`` when inside it (``.`` for ``base``), else absolute."""
    try:
        relative = path.relative_to(base)
    except ValueError:
        return str(path)
    return relative.as_posix() or "."
