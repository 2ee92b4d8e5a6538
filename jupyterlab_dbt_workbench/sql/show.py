"""Queries on adapters other than DuckDB: ``dbt show --inline ... --output json``.

dbt runs as a subprocess (its own process group, so a cancel or a timeout kills it whole)
with its own target and log folders, so the project's artifacts stay as they are. The rows it
prints become the same Parquet result a DuckDB query writes.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path

from .payloads import SqlColumn
from .results import ResultFiles, write_rows


class ShowFailed(Exception):
    """dbt show ended without rows; the message is dbt's own errors (or its exit code)."""


def run_show(
    project_dir: Path,
    sql: str,
    *,
    query_id: str,
    limit: int,
    target: str | None,
    dbt: str | None,
    results: ResultFiles,
    started: Callable[[subprocess.Popen[bytes] | None], None],
    check_stop: Callable[[], None],
) -> tuple[list[SqlColumn], int]:
    """Run ``sql`` through dbt show (asking ``limit`` rows) into the result file of
    ``query_id``; returns its columns and its row count.

    ``started`` is told the process while it runs (and None once it ended), so that a stop
    can kill it; ``check_stop`` raises when the query was stopped meanwhile.
    """
    from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable

    with tempfile.TemporaryDirectory(prefix="dbt-workbench-show-") as folder:
        scratch = Path(folder)
        argv = [
            dbt or dbt_executable(),
            "show",
            "--inline",
            sql,
            "--limit",
            str(limit),
            "--output",
            "json",
            "--log-format",
            "json",
            "--project-dir",
            str(project_dir),
            "--target-path",
            str(scratch / "target"),
            "--log-path",
            str(scratch / "logs"),
        ]
        if (project_dir / "profiles.yml").is_file():
            argv += ["--profiles-dir", str(project_dir)]
        if target:
            argv += ["--target", target]
        output = scratch / "output.jsonl"
        with output.open("wb") as sink:
            process = subprocess.Popen(
                argv,
                cwd=project_dir,
                env=dbt_environment(),
                stdin=subprocess.DEVNULL,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=os.name == "posix",
            )
            started(process)
            try:
                check_stop()
                returncode = process.wait()
            finally:
                started(None)
        check_stop()
        preview, errors = read_show_output(output)
        if returncode != 0 or preview is None:
            raise ShowFailed("\n".join(errors) or f"dbt show failed (exit code {returncode}).")
        if preview.strip() in ("", "[]"):
            # dbt prints no column names for an empty result.
            return [], 0
        rows = scratch / "rows.json"
        rows.write_text(preview, encoding="utf-8")
        partial = results.partial(query_id)
        try:
            with results.reader() as connection:
                columns = write_rows(connection, rows, partial)
                count = connection.execute(
                    "SELECT count(*) FROM read_parquet(?)", [str(partial)]
                ).fetchone()[0]
            partial.replace(results.path(query_id))
        finally:
            partial.unlink(missing_ok=True)
    return columns, int(count)


def read_show_output(path: Path) -> tuple[str | None, list[str]]:
    """The rows dbt show printed (a JSON array as text) and its error messages."""
    preview: str | None = None
    errors: list[str] = []
    with path.open("rb") as handle:
        for raw in handle:
            try:
                event = json.loads(raw)
            except ValueError:
                continue
            info = event.get("info") or {}
            data = event.get("data") or {}
            if info.get("name") == "ShowNode" and isinstance(data.get("preview"), str):
                preview = data["preview"]
            elif info.get("level") == "error" and info.get("msg"):
                errors.append(str(info["msg"]))
    return preview, errors


def kill(process: subprocess.Popen[bytes]) -> None:
    """Kill dbt and whatever it started (its process group on POSIX)."""
    try:
        if os.name == "posix":
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    except (ProcessLookupError, PermissionError):
        pass
