"""`jupyter dbt-workbench demo`: copy the demo project, build it, open JupyterLab on it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from jupyterlab_dbt_workbench.errors import ExternalToolError, InvalidRequest
from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable
from jupyterlab_dbt_workbench.runs.events import DbtEvent, parse_log_line

from .seeddata import write_seed_data

PROJECT_TEMPLATE = Path(__file__).parent / "project"
MARKER = ".dbt-workbench-demo"
DEFAULT_FOLDER = "dbt-workbench-demo"

# What the demo runs, in order, after copying the project and generating its data. The order
# matters for the artifacts left in target/: `source freshness` rewrites manifest.json without
# compiled SQL, and `docs generate` (unless --no-compile) rewrites run_results.json with
# compile-only results; run last, the build's manifest and results would be lost.
STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("dbt source freshness", ("source", "freshness")),
    ("dbt build", ("build",)),
    ("dbt docs generate", ("docs", "generate", "--no-compile")),
)

# Files of the template that a copy must not carry (a developer may have built it in place).
_IGNORED = shutil.ignore_patterns(
    "target", "logs", "dbt_packages", "*.duckdb", "*.duckdb.wal", ".user.yml", "__pycache__"
)


@dataclass
class StepResult:
    name: str
    returncode: int
    seconds: float
    nodes: int = 0
    problems: list[str] = field(default_factory=list)


Progress = Callable[[str], None]


def default_directory(cwd: Path) -> Path:
    """A new folder under ``cwd``: dbt-workbench-demo, then -2, -3... if taken."""
    candidate = cwd / DEFAULT_FOLDER
    number = 2
    while candidate.exists():
        candidate = cwd / f"{DEFAULT_FOLDER}-{number}"
        number += 1
    return candidate


def copy_project(directory: Path, *, now: datetime | None = None) -> dict[str, int]:
    """Copy the demo project into ``directory`` and generate its data.

    An existing demo folder (it has our marker file) is refreshed in place; any other non-empty
    folder is refused so that nothing of the user's is overwritten.
    """
    if directory.exists() and any(directory.iterdir()) and not (directory / MARKER).exists():
        raise InvalidRequest(
            f"{directory} is not empty and is not a workbench demo folder. "
            "Choose a new or empty folder, e.g. `jupyter dbt-workbench demo my-demo`.",
            reason="demo_folder_not_empty",
        )
    shutil.copytree(PROJECT_TEMPLATE, directory, ignore=_IGNORED, dirs_exist_ok=True)
    (directory / MARKER).write_text("Created by `jupyter dbt-workbench demo`.\n")
    return write_seed_data(directory, now=now)


def run_step(directory: Path, name: str, args: tuple[str, ...], progress: Progress) -> StepResult:
    """Run one dbt command in the demo folder, reporting each finished node."""
    argv = [
        dbt_executable(),
        *args,
        "--log-format",
        "json",
        "--project-dir",
        str(directory),
        "--profiles-dir",
        str(directory),
    ]
    started = time.monotonic()
    result = StepResult(name, returncode=-1, seconds=0.0)
    with subprocess.Popen(
        argv,
        cwd=directory,
        env=dbt_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
    ) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            event = parse_log_line(line)
            if event is None:
                if line.strip():
                    result.problems.append(line.rstrip())
                continue
            _report(event, name, result, progress)
        result.returncode = proc.wait()
    result.seconds = time.monotonic() - started
    return result


def _report(event: DbtEvent, step: str, result: StepResult, progress: Progress) -> None:
    if event.is_node_result:
        result.nodes += 1
        count = f"{event.index}/{event.total}" if event.index and event.total else str(result.nodes)
        progress(f"  {step} [{count}] {event.unique_id}: {event.node_status}")
    elif event.level == "error":
        result.problems.append(event.message)


def prepare(
    directory: Path, progress: Progress, *, now: datetime | None = None
) -> list[StepResult]:
    """Copy, generate and build the demo; raise ExternalToolError when a dbt step fails."""
    progress(f"Copying the demo project to {directory}")
    rows = copy_project(directory, now=now)
    progress(f"Generated {len(rows)} data files, {sum(rows.values())} rows")
    results = []
    for index, (name, args) in enumerate(STEPS, start=1):
        progress(f"[{index}/{len(STEPS)}] {name}")
        result = run_step(directory, name, args, progress)
        results.append(result)
        progress(f"[{index}/{len(STEPS)}] {name}: {result.nodes} nodes in {result.seconds:.1f} s")
        if result.returncode != 0:
            details = "\n".join(result.problems[-15:])
            raise ExternalToolError(
                f"`{name}` failed (exit code {result.returncode}) in {directory}.\n{details}\n"
                f"See {directory / 'logs' / 'dbt.log'} for the full log.",
                reason="dbt_failed",
            )
    return results


def init_repository(directory: Path, progress: Progress) -> bool:
    """Make the demo folder a Git repository with one commit, so the dbt Git panel has
    something to show; False (and nothing done) when git is missing or the folder already
    belongs to a repository (the user's own, or a demo made before)."""
    import git

    try:
        git.Repo(directory, search_parent_directories=True)
        return False
    except git.InvalidGitRepositoryError:
        pass
    except git.GitCommandNotFound:
        return False
    try:
        repo = git.Repo.init(directory, initial_branch="main")
    except git.GitCommandNotFound:
        return False
    try:
        repo.git.add("--all")
        reader = repo.config_reader()
        if not (reader.has_option("user", "name") and reader.has_option("user", "email")):
            # Without an identity git refuses every commit, the demo's first one and the
            # user's from the Git panel: give this repository (only) a demo identity.
            with repo.config_writer() as writer:
                writer.set_value("user", "name", "dbt workbench demo")
                writer.set_value("user", "email", "demo@example.invalid")
            progress("git has no user identity here: the demo repository uses its own")
        repo.index.commit("The demo project")
    finally:
        repo.close()
    progress(f"Made {directory} a Git repository (branch main, one commit)")
    return True


def lab_command(directory: Path, *, port: int | None, open_browser: bool) -> list[str]:
    """The JupyterLab command line that opens the workbench on the demo folder."""
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        f"--ServerApp.root_dir={directory}",
        "--DbtWorkbench.open_on_start=True",
    ]
    if port is not None:
        argv.append(f"--port={port}")
    if not open_browser:
        argv.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        # Jupyter refuses to start as root without it; CI and containers run as root.
        argv.append("--allow-root")
    return argv
