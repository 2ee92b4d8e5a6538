"""The workbench as the server holds it: built off the event loop, polled in the background.

Every call into the core touches files or SQLite, so it runs in a thread pool (a small second
pool takes the calls that can last seconds); the event loop only awaits. The core's
``Workbench`` is itself thread-safe (readers take an immutable snapshot, reloads swap a
reference), which is what makes this arrangement sound. The ``RunManager`` shares the
workbench's database and runs dbt in its own threads.
"""

from __future__ import annotations

import asyncio
import atexit
import gc
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tornado.ioloop import PeriodicCallback

from jupyterlab_dbt_workbench.config import DbtWorkbench
from jupyterlab_dbt_workbench.errors import StoreBusy
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace
from jupyterlab_dbt_workbench.workbench import Workbench

T = TypeVar("T")

# Seconds the schedules' loop pauses after it found the store locked by another process.
_BUSY_PAUSE = 5.0


class WorkbenchService:
    """Owns one ``Workbench`` for the server's root directory."""

    def __init__(self, root: Path, config: DbtWorkbench, log: logging.Logger) -> None:
        self.root = root
        self.config = config
        self.log = log
        self._executor = ThreadPoolExecutor(max_workers=8, thread_name_prefix="dbt-workbench")
        # Calls that take seconds on a big project (a forced reload, the artifact poll, a
        # whole-graph lineage) get a pool of their own: however many of them are queued, the
        # quick calls every panel makes (a node page, health) still find a free thread
        # (measured with benchmarks/load.py). Two: one per core, and a bound on the memory
        # that many large payloads built at once would take.
        self._heavy = ThreadPoolExecutor(max_workers=2, thread_name_prefix="dbt-workbench-heavy")
        self._workbench: asyncio.Future[Workbench] | None = None
        self._runs: asyncio.Future[RunManager] | None = None
        self._sql: asyncio.Future[SqlWorkspace] | None = None
        self._stopped = False
        self._poller: PeriodicCallback | None = None
        self._polling = False
        self._scheduler: asyncio.Future[Scheduler] | None = None
        self._ticker: PeriodicCallback | None = None
        self._ticking = False
        self._tick_after = 0.0

    def start(self) -> None:
        """Begin loading projects and watching their artifacts (call on the running loop)."""
        self._ensure_started()
        # Created at once, not on the first request: it marks the runs a previous server
        # left unfinished as interrupted.
        self._ensure_runs()
        if self.config.poll_interval > 0 and self._poller is None:
            self._poller = PeriodicCallback(self._poll, self.config.poll_interval * 1000)
            self._poller.start()
        # Created at once too: it marks executions a previous server left running.
        self._ensure_scheduler()
        if self.config.scheduler_enabled and self._ticker is None:
            self._ticker = PeriodicCallback(self._tick, self.config.scheduler_interval * 1000)
            self._ticker.start()
        # A plain server extension gets no stop hook from jupyter_server: stop dbt runs
        # (recorded as interrupted) when the server process exits.
        atexit.register(self.stop)

    def stop(self) -> None:
        """Stop polling, cancel the runs in progress and release the database (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        atexit.unregister(self.stop)
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        if self._ticker is not None:
            self._ticker.stop()
            self._ticker = None
        scheduler = _result(self._scheduler)
        if scheduler is not None:
            scheduler.stop()
        runs = _result(self._runs)
        if runs is not None:
            try:
                runs.shutdown()
            except Exception:
                self.log.exception("dbt workbench: stopping the runs in progress failed")
        if scheduler is not None:
            # Its executions end (interrupted) with their runs; let them record it.
            scheduler.wait_idle(5.0)
            scheduler.notifier.close(2.0)
        sql = _result(self._sql)
        if sql is not None:
            try:
                sql.shutdown()
            except Exception:
                self.log.exception("dbt workbench: stopping the SQL queries in progress failed")
        workbench = _result(self._workbench)
        if workbench is not None:
            workbench.close()
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._heavy.shutdown(wait=False, cancel_futures=True)

    def _ensure_started(self) -> asyncio.Future[Workbench]:
        if self._workbench is None:
            loop = asyncio.get_running_loop()
            self._workbench = asyncio.ensure_future(
                loop.run_in_executor(
                    self._executor, _then_freeze, self.config.make_workbench, self.root
                )
            )
        return self._workbench

    def _ensure_runs(self) -> asyncio.Future[RunManager]:
        if self._runs is None or _store_was_busy(self._runs):
            workbench = self._ensure_started()
            config = self.config
            loop = asyncio.get_running_loop()
            runs: asyncio.Future[RunManager] = loop.create_future()

            def build(loaded: Workbench) -> RunManager:
                return config.make_run_manager(loaded)

            def loaded(done: asyncio.Future[Workbench]) -> None:
                # Chained by callbacks, not a coroutine: a server stopped before the
                # workbench loads leaves no pending task behind.
                if done.cancelled() or done.exception() is not None:
                    _copy_outcome(done, runs)
                    return
                job = loop.run_in_executor(self._executor, build, done.result())
                job.add_done_callback(lambda job: _copy_outcome(job, runs))

            workbench.add_done_callback(loaded)
            self._runs = runs
        return self._runs

    def _ensure_scheduler(self) -> asyncio.Future[Scheduler]:
        if self._scheduler is None or _store_was_busy(self._scheduler):
            runs = self._ensure_runs()
            loop = asyncio.get_running_loop()
            scheduler: asyncio.Future[Scheduler] = loop.create_future()

            def ready(done: asyncio.Future[RunManager]) -> None:
                if done.cancelled() or done.exception() is not None:
                    _copy_outcome(done, scheduler)
                    return
                manager = done.result()
                job = loop.run_in_executor(
                    self._executor, self.config.make_scheduler, manager.workbench, manager
                )
                job.add_done_callback(lambda job: _copy_outcome(job, scheduler))

            runs.add_done_callback(ready)
            self._scheduler = scheduler
        return self._scheduler

    async def scheduler(self) -> Scheduler:
        """The scheduler, created once the run manager exists."""
        return await asyncio.shield(self._ensure_scheduler())

    async def _tick(self) -> None:
        # A slow turn (many schedules, a busy store) must not pile up behind itself.
        if self._ticking or time.monotonic() < self._tick_after:
            return
        self._ticking = True
        try:
            scheduler = await self.scheduler()
            await self.call(scheduler.tick)
        except StoreBusy as error:
            # Another process holds the store: wait a little rather than retry every turn.
            self._tick_after = time.monotonic() + _BUSY_PAUSE
            self.log.warning("dbt workbench: the schedules' loop waits: %s", error.message)
        except Exception:
            self.log.exception("dbt workbench: a turn of the schedules' loop failed")
        finally:
            self._ticking = False

    async def run_manager(self) -> RunManager:
        """The run manager, created once the workbench has loaded."""
        return await asyncio.shield(self._ensure_runs())

    async def sql_workspace(self) -> SqlWorkspace:
        """The SQL workspace, created on first use once the workbench has loaded."""
        if self._sql is None:
            loop = asyncio.get_running_loop()
            sql: asyncio.Future[SqlWorkspace] = loop.create_future()
            self._sql = sql
            try:
                workbench = await self.workbench()
                sql.set_result(await self.call(self.config.make_sql_workspace, workbench))
            except Exception as error:
                sql.set_exception(error)
        return await asyncio.shield(self._sql)

    async def workbench(self) -> Workbench:
        """The loaded workbench, waiting for the first load if it is still running."""
        return await asyncio.shield(self._ensure_started())

    async def call(self, fn: Callable[..., T], *args: Any, heavy: bool = False) -> T:
        """Run a blocking core call in the pool (``heavy``: in the pool of the long calls)."""
        loop = asyncio.get_running_loop()
        if heavy:
            return await loop.run_in_executor(self._heavy, _then_freeze, fn, *args)
        return await loop.run_in_executor(self._executor, fn, *args)

    async def _poll(self) -> None:
        # A slow reload (a 50 MB manifest) must not pile up behind itself.
        if self._polling:
            return
        self._polling = True
        try:
            workbench = await self.workbench()
            changed = await self.call(workbench.poll, heavy=True)
            if changed:
                self.log.info("dbt workbench reloaded artifacts of %s", ", ".join(changed))
        except Exception:
            self.log.exception("dbt workbench: checking artifacts for changes failed")
        finally:
            self._polling = False


def _then_freeze(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)``, then what exists now leaves the garbage collector's reach.

    A loaded 5,000-model project is millions of long-lived objects (states, graphs, the search
    index). Every full collection walks them all, about 2 s with the GIL held: every request,
    and the event loop, stopped (measured with benchmarks/load.py). Frozen objects are still
    freed by reference counting when a reload replaces them (a state holds no reference
    cycles: after a reload a full collection finds no garbage). The young generations are
    collected first so that little cyclic garbage is frozen with them.
    """
    try:
        return fn(*args)
    finally:
        gc.collect(1)
        gc.freeze()


def _result(future: asyncio.Future[T] | None) -> T | None:
    """The value of a finished future, None if it is missing, pending or failed."""
    if future is None or not future.done() or future.cancelled() or future.exception():
        return None
    return future.result()


def _store_was_busy(future: asyncio.Future[Any]) -> bool:
    """Whether ``future`` failed because another process held the store's lock: the service
    was not built (it marks interrupted runs on creation, a write), so build it again."""
    return future.done() and not future.cancelled() and isinstance(future.exception(), StoreBusy)


def _copy_outcome(source: asyncio.Future[Any], target: asyncio.Future[Any]) -> None:
    """Give ``target`` the outcome (result, error or cancellation) of the finished ``source``."""
    if target.done():
        return
    error = None if source.cancelled() else source.exception()
    if source.cancelled():
        target.cancel()
    elif error is not None:
        target.set_exception(error)
    else:
        target.set_result(source.result())
