"""The run manager: validates, queues, starts, follows, cancels, retries and records dbt runs.

Thread model
------------
- Every method may be called from any thread; one lock guards the in-memory state, and the
  database serializes its own access.
- Each running dbt process has one reader thread (``executor.Execution``). It parses the
  output, updates the run and calls the ``subscribe`` callbacks, so **callbacks run in that
  thread** (or, for status changes, in the thread that caused them: ``submit``, ``cancel``,
  ``shutdown``). A callback must be quick and must not block: hand the message to your own
  loop (``loop.call_soon_threadsafe``). It may call the manager's reading methods.
- One flusher thread writes new events, node results and progress to the database every
  ``flush_interval`` seconds, so a server killed outright loses at most that much of a log.
- When a run ends, its reader thread swaps the artifacts into the project, reloads the
  workbench, records the result and starts the next queued run.
"""

from __future__ import annotations

import json
import shutil
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.errors import (
    InvalidRunRequest,
    RunConflict,
    RunNotFound,
    WorkbenchError,
)
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

from . import artifacts
from .command import dbt_environment, dbt_executable
from .executor import Execution
from .history import RunHistory, check_event_filters, select_events
from .live import (
    Callback,
    LiveRun,
    ProjectDirs,
    explain,
    new_run_id,
    now,
    relative,
    summary_of,
)
from .models import STATUSES, RunStatus, signal_name, status_for_exit
from .options import NO_TARGET_PATH, RunRequest, validate
from .owner import current_owner, owner_alive
from .payloads import EventPage, NodeResult, RunDetail, RunPage, RunSummary

# Files of the project's target a run starts with, by command: the parse cache always, and
# for `dbt retry` the results (and manifest) of the invocation it retries.
_SEED = (artifacts.PARSE_CACHE,)
_RETRY_SEED = (artifacts.PARSE_CACHE, artifacts.RUN_RESULTS, artifacts.MANIFEST)


class RunManager:
    """Runs dbt commands for the projects of a ``Workbench`` and keeps their history.

    ``runs_dir`` holds one folder per run (``<id>/target``, ``<id>/logs``). At most
    ``max_concurrent`` runs execute at once; the others wait in a FIFO queue. The newest
    ``history_limit`` runs are kept (older finished ones are deleted with their folders).
    ``dbt`` is the executable to run (default: the one beside this Python, else on PATH).
    ``interrupt_timeout`` and ``terminate_timeout`` are the seconds a cancelled run gets
    after SIGINT and after SIGTERM before the next signal.

    On construction, runs that a previous server left running or queued are marked
    ``interrupted``.
    """

    def __init__(
        self,
        workbench: Workbench,
        database: Database,
        runs_dir: Path,
        *,
        max_concurrent: int = 2,
        history_limit: int = 500,
        dbt: str | None = None,
        interrupt_timeout: float = 10.0,
        terminate_timeout: float = 5.0,
        flush_interval: float = 1.0,
        one_run_per_project: bool = True,
    ) -> None:
        self.workbench = workbench
        self.history = RunHistory(database)
        self.runs_dir = runs_dir
        self.max_concurrent = max(1, max_concurrent)
        self.history_limit = max(1, history_limit)
        self.dbt = dbt
        self.interrupt_timeout = interrupt_timeout
        self.terminate_timeout = terminate_timeout
        self._lock = threading.RLock()
        self._runs: dict[str, LiveRun] = {}
        self._queue: deque[LiveRun] = deque()
        self._running = 0
        self._closed = False
        # Runs of one project wait for each other: two dbt processes on one DuckDB file fail on
        # its lock, and two builds of one project race for the same relations on any adapter.
        self.one_run_per_project = one_run_per_project
        self._busy_projects: set[str] = set()
        self._launching = threading.local()
        runs_dir.mkdir(parents=True, exist_ok=True)
        self.owner = current_owner()
        self.history.interrupt_unfinished(now(), owner_alive)
        self._prune()
        self._stop_flusher = threading.Event()
        self._flusher = threading.Thread(
            target=self._flush_loop,
            args=(flush_interval,),
            name="dbt-workbench-run-flusher",
            daemon=True,
        )
        self._flusher.start()

    # Submitting ------------------------------------------------------------------------------

    def submit(self, request: RunRequest) -> RunSummary:
        """Validate ``request``, record it, and start it (or queue it behind the limit).

        Raises ``InvalidRunRequest`` (or ``UnsafePath``) naming a bad option, and the
        workbench's errors for an unknown project.
        """
        return self._submit(request)

    def retry(self, run_id: str, user: str | None = None) -> RunSummary:
        """Run ``dbt retry`` on a finished run: only its failed and skipped nodes run again.

        dbt retry reads the run_results.json of the run it retries from its target folder,
        so the new run starts with a copy of that run's artifacts.
        """
        original = self.get(run_id)
        if original["status"] in ("queued", "running"):
            raise RunConflict(
                f"Run {run_id} has not finished yet: wait for it, or cancel it first."
            )
        if original["status"] == "success":
            raise RunConflict(f"Run {run_id} succeeded: nothing to retry. Rerun it instead.")
        previous = self.runs_dir / run_id / "target"
        if not (previous / artifacts.RUN_RESULTS).is_file():
            raise RunConflict(
                f"Run {run_id} left no run_results.json (dbt stopped before running any "
                "node), so dbt retry has nothing to go on. Rerun it instead."
            )
        request = RunRequest(
            project=original["project"],
            command="retry",
            user=user if user is not None else original["user"],
        )
        return self._submit(request, seed_from=previous, retry_of=run_id)

    def rerun(self, run_id: str, user: str | None = None) -> RunSummary:
        """Run the same request again, as a new run."""
        original = self.get(run_id)
        request = RunRequest.from_payload(original["request"])
        request = replace(
            request,
            project=original["project"],
            user=user if user is not None else request.user,
        )
        return self._submit(request, rerun_of=run_id)

    def _submit(
        self,
        request: RunRequest,
        *,
        seed_from: Path | None = None,
        retry_of: str | None = None,
        rerun_of: str | None = None,
    ) -> RunSummary:
        state_dir = validate(request, self.workbench.root)
        project = self._resolve_project(request.project)
        request = replace(request, project=project.id)
        run_id = new_run_id()
        folder = self.runs_dir / run_id
        argv, display = self._argv(request, project, folder, state_dir)
        summary = RunSummary(
            id=run_id,
            project=project.id,
            command=request.command,
            cli=request.cli,
            argv=display,
            user=request.user,
            status="queued",
            created_at=now(),
            started_at=None,
            finished_at=None,
            duration=None,
            returncode=None,
            exit_signal=None,
            retry_of=retry_of,
            rerun_of=rerun_of,
            progress={"done": 0, "total": None},
            counts={},
            message=None,
        )
        run = LiveRun(
            summary=summary,
            request=request,
            project=project,
            argv=argv,
            folder=folder,
            # By default a run starts from the project's own target folder (its parse cache,
            # and for `dbt retry` its last results).
            seed_from=seed_from or project.target,
            seed_names=_RETRY_SEED if request.command == "retry" else _SEED,
        )
        with self._lock:
            if self._closed:
                raise RunConflict("The server is stopping: no new run can start.")
            self.history.insert(
                summary, request.payload(), str(run.logs / "dbt.log"), owner=self.owner
            )
            self._runs[run_id] = run
            self._queue.append(run)
            changed = self._describe_queue()
        self._announce(changed)
        self._launch_ready()
        return self._summary(run)

    def _resolve_project(self, project: str | None) -> ProjectDirs:
        # artifact_status resolves the name exactly as every other area does (and raises
        # the same errors); the summary then gives the project's target folder.
        project_id = self.workbench.artifact_status(project)["project"]
        for summary in self.workbench.projects():
            if summary["id"] == project_id:
                root = self.workbench.root
                path = root / project_id if project_id != "." else root
                return ProjectDirs(id=project_id, path=path, target=path / summary["target_path"])
        raise RunConflict(f"Project {project_id!r} disappeared while the run was submitted.")

    def _argv(
        self, request: RunRequest, project: ProjectDirs, folder: Path, state_dir: Path | None
    ) -> tuple[list[str], list[str]]:
        """The argv to run, and the same for display (``dbt``, paths relative to the project
        when they are inside it)."""
        options = request.options(state_dir)
        paths: list[tuple[str, Path]] = [("--log-path", folder / "logs")]
        if request.command not in NO_TARGET_PATH:
            paths.insert(0, ("--target-path", folder / "target"))
        if (project.path / "profiles.yml").is_file():
            paths.append(("--profiles-dir", project.path))
        tail: list[str] = ["--log-format", "json"]
        shown: list[str] = list(tail)
        for flag, path in paths:
            tail += [flag, str(path)]
            shown += [flag, relative(path, project.path)]
        display = ["dbt", *request.options(None), *shown]
        return ["dbt", *options, *tail], display

    # Starting and queueing -------------------------------------------------------------------

    def _describe_queue(self) -> list[LiveRun]:
        """Write each queued run's position in its ``message``; return the runs whose message
        changed, for ``_announce`` once the lock is released. Caller holds the lock."""
        changed = []
        for position, run in enumerate(self._queue, start=1):
            message = (
                f"Queued: position {position} of {len(self._queue)}; {self._running} of at "
                f"most {self.max_concurrent} runs are running."
            )
            if self._running < self.max_concurrent and run.project.id in self._busy_projects:
                message = (
                    f"Queued: position {position} of {len(self._queue)}; waiting for the run "
                    f"of project {run.project.id} in progress to end."
                )
            if run.summary["message"] != message:
                run.summary["message"] = message
                changed.append(run)
        return changed

    def _announce(self, runs: list[LiveRun]) -> None:
        # Outside the manager lock: listeners are called under each run's emit lock, which is
        # always taken before the manager lock, never after. The flusher stores the change.
        for run in runs:
            self._notify(run, {"type": "run", "run": self._summary(run)})

    def _launch_ready(self) -> None:
        """Start queued runs while there is room under the limit.

        A run that cannot start finishes at once and calls this again from inside the loop;
        that inner call returns and the outer loop goes on, so a long queue of runs that all
        fail to start never recurses.
        """
        if getattr(self._launching, "active", False):
            return
        self._launching.active = True
        try:
            while True:
                with self._lock:
                    run = self._next_ready()
                    if run is None:
                        return
                    self._queue.remove(run)
                    self._running += 1
                    self._busy_projects.add(run.project.id)
                    run.summary["status"] = "running"
                    run.summary["message"] = None
                    run.summary["started_at"] = now()
                    run.started = time.monotonic()
                    changed = self._describe_queue()
                self._announce(changed)
                self._begin(run)
        finally:
            self._launching.active = False

    def _next_ready(self) -> LiveRun | None:
        """The first queued run that may start now. Caller holds the lock."""
        if self._closed or self._running >= self.max_concurrent:
            return None
        for run in self._queue:
            if not self.one_run_per_project or run.project.id not in self._busy_projects:
                return run
        return None

    def _begin(self, run: LiveRun) -> None:
        try:
            executable = self.dbt or dbt_executable()
            artifacts.seed(run.target, run.seed_from, run.seed_names)
            run.logs.mkdir(parents=True, exist_ok=True)
            run.before = artifacts.signatures(run.target)
            env = dbt_environment()
            env.update(run.request.env)
            # dbt would prefer it to the working directory and run another project.
            env.pop("DBT_PROJECT_DIR", None)
            run.execution = Execution(
                [executable, *run.argv[1:]],
                cwd=run.project.path,
                env=env,
                on_line=lambda line: self._on_line(run, line),
                on_exit=lambda code: self._finish(run, code),
                name=run.id,
            )
            self._save(run)
            self._notify(run, {"type": "run", "run": self._summary(run)})
            run.execution.start()
        except (OSError, WorkbenchError) as exc:
            if isinstance(exc, WorkbenchError):
                detail = exc.message
            elif isinstance(exc, FileNotFoundError) and exc.filename:
                detail = f"{exc.filename} was not found."
            else:
                detail = str(exc)
            self._finish(run, None, failure=f"dbt could not be started: {detail}")
            return
        if run.cancelled:
            # Cancelled while it was being started, before there was a process to signal.
            run.execution.cancel(self.interrupt_timeout, self.terminate_timeout)

    # Following the output --------------------------------------------------------------------

    def _on_line(self, run: LiveRun, line: str) -> None:
        with run.emit_lock:
            with self._lock:
                event, changed = run.log.feed(line)
                if event is None:
                    return
                if event["unique_id"] is not None and event["unique_id"] in run.log.nodes:
                    run.dirty.add(event["unique_id"])
                summary = self._summary(run) if changed else None
            self._notify(run, {"type": "event", "event": event})
            if summary is not None:
                self._notify(run, {"type": "run", "run": summary})

    def _notify(self, run: LiveRun, message: dict[str, Any]) -> None:
        with run.emit_lock:
            for callback in list(run.subscribers):
                try:
                    callback(message)
                except Exception:  # one broken listener must not stop the run
                    self._unsubscribe(run, callback)

    def _summary(self, run: LiveRun) -> RunSummary:
        with self._lock:
            summary = dict(run.summary)
            if run.summary["status"] == "running":
                summary["progress"] = run.log.progress
                summary["counts"] = run.log.counts
                if run.started is not None:
                    summary["duration"] = round(time.monotonic() - run.started, 3)
            summary["argv"] = list(run.summary["argv"])
            return RunSummary(**summary)  # type: ignore[typeddict-item]

    # Finishing -------------------------------------------------------------------------------

    def _finish(self, run: LiveRun, returncode: int | None, *, failure: str | None = None) -> None:
        """Record the end of a run: its status, results and artifacts; start the next.

        ``returncode`` None means no dbt process ran (it could not start, or the run left
        the queue); ``failure`` then says why.
        """
        produced: list[str] = []
        if returncode is not None and returncode >= 0 and not run.interrupted:
            # dbt exited by itself: every file it wrote is complete. A cancelled run's
            # partial results stay with the run; the project keeps its last complete state.
            produced = self._collect(run, swap=not run.cancelled)
        with self._lock:
            summary = run.summary
            status, message = self._outcome(run, returncode, failure)
            summary["status"] = status
            summary["returncode"] = returncode
            summary["exit_signal"] = signal_name(returncode)
            summary["message"] = message
            summary["finished_at"] = now()
            for unique_id in run.log.settle(None if status == "success" else status):
                run.dirty.add(unique_id)
            summary["progress"] = run.log.progress
            summary["counts"] = run.log.counts
            if run.started is not None:
                summary["duration"] = round(time.monotonic() - run.started, 3)
                self._running -= 1
                self._busy_projects.discard(run.project.id)
            elif run in self._queue:
                self._queue.remove(run)
            changed = self._describe_queue()
        self._save(run, artifacts=produced)
        with run.emit_lock:
            self._notify(run, {"type": "end", "run": self._summary(run)})
            with self._lock:
                run.subscribers.clear()
                run.ended = True
                self._runs.pop(run.id, None)
        self._prune()
        run.done.set()
        self._announce(changed)
        self._launch_ready()

    def _outcome(
        self, run: LiveRun, returncode: int | None, failure: str | None
    ) -> tuple[RunStatus, str | None]:
        """The final status of a run and the sentence saying why. Caller holds the lock."""
        if run.interrupted:
            if run.started is None:
                return "interrupted", (
                    "The server stopped while this run was waiting in the queue; it never "
                    "started. Rerun it."
                )
            return "interrupted", (
                "The server stopped while this run was running; dbt was stopped and the log "
                "up to that point is kept. Retry or rerun it."
            )
        if returncode is None:
            if run.cancelled:
                return "cancelled", "Cancelled before it started."
            return "error", failure
        status = status_for_exit(returncode, cancelled=run.cancelled)
        return status, explain(run, status, returncode)

    def _collect(self, run: LiveRun, *, swap: bool) -> list[str]:
        """Read the run's results and (if ``swap``) put its artifacts into the project and
        reload it; return the files the run produced."""
        produced = artifacts.written(run.target, run.before)
        if artifacts.RUN_RESULTS in produced:
            try:
                data = json.loads((run.target / artifacts.RUN_RESULTS).read_bytes())
            except (OSError, ValueError):
                data = None
            if isinstance(data, dict):
                with self._lock:
                    run.log.apply_run_results(data)
                    run.dirty.update(run.log.nodes)
        if not swap:
            return [name for name in produced if name.endswith(".json")]
        wanted = artifacts.swapped_files(run.request.command, run.request.args)
        names = [name for name in wanted if name in produced]
        if artifacts.PARSE_CACHE in produced:
            names.append(artifacts.PARSE_CACHE)
        note = None
        try:
            swapped = artifacts.swap_into(run.project.target, run.target, names, run.id)
            shown = [name for name in swapped if name != artifacts.PARSE_CACHE]
            if shown:
                self.workbench.reload(run.project.id)
                note = ("info", f"Updated the project's {', '.join(shown)} from this run.")
        except (OSError, WorkbenchError) as exc:
            detail = exc.message if isinstance(exc, WorkbenchError) else str(exc)
            note = ("warn", f"The run's artifacts could not be put into the project: {detail}")
        if note is not None:
            self._workbench_event(run, *note)
        return [name for name in produced if name.endswith(".json")]

    def _workbench_event(self, run: LiveRun, level: str, message: str) -> None:
        with run.emit_lock:
            with self._lock:
                event = run.log.add(level, "Workbench", message, ts=now())
            self._notify(run, {"type": "event", "event": event})

    # Persisting ------------------------------------------------------------------------------

    def _save(self, run: LiveRun, *, artifacts: list[str] | None = None) -> None:
        """Write the run's new events, changed nodes and summary to the history."""
        with run.flush_lock:
            with self._lock:
                events = run.log.events[run.flushed :]
                positions = {uid: i for i, uid in enumerate(run.log.nodes)}
                nodes = [(positions[uid], dict(run.log.nodes[uid])) for uid in run.dirty]
                run.dirty = set()
                summary = self._summary(run)
            self.history.save(
                summary,
                events=events,
                nodes=nodes,  # type: ignore[arg-type]
                artifacts=artifacts,
            )
            run.flushed += len(events)

    def _flush_loop(self, interval: float) -> None:
        while not self._stop_flusher.wait(interval):
            with self._lock:
                active = list(self._runs.values())
            for run in active:
                try:
                    self._save(run)
                except WorkbenchError:
                    # The database is busy or gone; the next flush (or the end) tries again.
                    continue

    def _prune(self) -> None:
        try:
            removed = self.history.prune(self.history_limit)
        except WorkbenchError:
            return
        for run_id in removed:
            shutil.rmtree(self.runs_dir / run_id, ignore_errors=True)

    # Reading ---------------------------------------------------------------------------------

    def _active(self, run_id: str) -> LiveRun | None:
        with self._lock:
            return self._runs.get(run_id)

    def get(self, run_id: str) -> RunDetail:
        """One run with its request, per-node results and artifacts; ``RunNotFound``."""
        run = self._active(run_id)
        if run is not None:
            with self._lock:
                return RunDetail(
                    **self._summary(run),
                    request=run.request.payload(),
                    nodes=[NodeResult(**node) for node in run.log.nodes.values()],
                    artifacts=[],
                    log_path=str(run.logs / "dbt.log"),
                )
        detail = self.history.detail(run_id)
        if detail is None:
            raise RunNotFound(f"No run {run_id!r}: it never existed or was pruned from history.")
        return detail

    def list(
        self,
        *,
        project: str | None = None,
        status: str | None = None,
        command: str | None = None,
        offset: int = 0,
        limit: int = 50,
    ) -> RunPage:
        """Runs matching the filters, newest first, one page."""
        if status is not None and status not in STATUSES:
            raise InvalidRunRequest(
                f"Unknown run status {status!r}: use one of {', '.join(STATUSES)}."
            )
        if offset < 0 or limit < 1:
            raise InvalidRunRequest("`offset` must be 0 or more and `limit` 1 or more.")
        page = self.history.page(
            project=project, status=status, command=command, offset=offset, limit=limit
        )
        # The history has the live runs' status; their progress is fresher in memory.
        for index, item in enumerate(page["items"]):
            run = self._active(item["id"])
            if run is not None:
                page["items"][index] = self._summary(run)
        return page

    def events(
        self,
        run_id: str,
        *,
        after: int = 0,
        level: str | None = None,
        q: str | None = None,
        limit: int = 1000,
    ) -> EventPage:
        """One page of a run's log after event ``after`` (see ``history.select_events``)."""
        check_event_filters(level, limit)
        run = self._active(run_id)
        if run is not None:
            with self._lock:
                backlog = run.log.events[max(after, 0) :]
            return select_events(backlog, after=after, level=level, q=q, limit=limit)
        if self.history.summary(run_id) is None:
            raise RunNotFound(f"No run {run_id!r}: it never existed or was pruned from history.")
        return select_events(
            self.history.iter_events(run_id, after), after=after, level=level, q=q, limit=limit
        )

    def subscribe(self, run_id: str, callback: Callback) -> Callable[[], None]:
        """Send ``callback`` the run's messages: first ``{"type": "event"}`` for each event so
        far and ``{"type": "run"}`` with its summary, then live events and a ``run`` message
        on each status or progress change, and ``{"type": "end"}`` last.

        For a finished run, the backlog and ``end`` are sent at once. Returns a function that
        unsubscribes. Live messages come from the run's reader thread (see the module doc).
        """
        run = self._active(run_id)
        if run is not None:
            with run.emit_lock:
                if not run.ended:
                    with self._lock:
                        backlog = list(run.log.events)
                        run.subscribers.append(callback)
                    for event in backlog:
                        callback({"type": "event", "event": event})
                    callback({"type": "run", "run": self._summary(run)})
                    return lambda: self._unsubscribe(run, callback)
        summary = self.history.summary(run_id)
        if summary is None:
            raise RunNotFound(f"No run {run_id!r}: it never existed or was pruned from history.")
        for event in self.history.iter_events(run_id):
            callback({"type": "event", "event": event})
        callback({"type": "end", "run": summary})
        return lambda: None

    def _unsubscribe(self, run: LiveRun, callback: Callback) -> None:
        with self._lock:
            if callback in run.subscribers:
                run.subscribers.remove(callback)

    def wait(self, run_id: str, timeout: float | None = None) -> RunDetail:
        """Block until the run ends (or ``timeout`` seconds pass); return its detail."""
        run = self._active(run_id)
        if run is not None:
            run.done.wait(timeout)
        return self.get(run_id)

    # Stopping --------------------------------------------------------------------------------

    def cancel(self, run_id: str) -> RunSummary:
        """Cancel a run: a queued one ends at once; a running one gets SIGINT, then SIGTERM,
        then SIGKILL (see the timeouts) and ends ``cancelled`` with its log. A finished run is
        returned as it is."""
        run = self._active(run_id)
        if run is None:
            return summary_of(self.get(run_id))
        with self._lock:
            if run.ended:
                return self._summary(run)
            run.cancelled = True
            queued = run in self._queue
            if not queued:
                run.summary["message"] = "Cancelling: dbt was asked to stop (SIGINT)."
        if queued:
            self._finish(run, None)
            return self._summary(run)
        self._notify(run, {"type": "run", "run": self._summary(run)})
        if run.execution is not None:
            run.execution.cancel(self.interrupt_timeout, self.terminate_timeout)
        return self._summary(run)

    def shutdown(self) -> None:
        """Stop every run (queued ones at once, running ones like a cancel) and record them
        as ``interrupted``; waits for them to end, then stops the flusher."""
        with self._lock:
            self._closed = True
            queued = list(self._queue)
            running = [run for run in self._runs.values() if run not in queued]
            for run in self._runs.values():
                run.interrupted = True
        for run in queued:
            self._finish(run, None)
        for run in running:
            if run.execution is not None:
                run.execution.cancel(self.interrupt_timeout, self.terminate_timeout)
        deadline = time.monotonic() + self.interrupt_timeout + self.terminate_timeout + 5.0
        for run in running:
            run.done.wait(max(0.0, deadline - time.monotonic()))
        self._stop_flusher.set()
        self._flusher.join(5.0)
