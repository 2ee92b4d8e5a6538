"""The workbench as the server holds it: built off the event loop, polled in the background.

Every call into the core touches files or SQLite, so it runs in a small thread pool; the event
loop only awaits. The core's ``Workbench`` is itself thread-safe (readers take an immutable
snapshot, reloads swap a reference), which is what makes this arrangement sound.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

from tornado.ioloop import PeriodicCallback

from jupyterlab_dbt_workbench.config import DbtWorkbench
from jupyterlab_dbt_workbench.workbench import Workbench

T = TypeVar("T")


class WorkbenchService:
    """Owns one ``Workbench`` for the server's root directory."""

    def __init__(self, root: Path, config: DbtWorkbench, log: logging.Logger) -> None:
        self.root = root
        self.config = config
        self.log = log
        self._executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="dbt-workbench")
        self._workbench: asyncio.Future[Workbench] | None = None
        self._poller: PeriodicCallback | None = None
        self._polling = False

    def start(self) -> None:
        """Begin loading projects and watching their artifacts (call on the running loop)."""
        self._ensure_started()
        if self.config.poll_interval > 0 and self._poller is None:
            self._poller = PeriodicCallback(self._poll, self.config.poll_interval * 1000)
            self._poller.start()

    def stop(self) -> None:
        if self._poller is not None:
            self._poller.stop()
            self._poller = None
        if (
            self._workbench is not None
            and self._workbench.done()
            and not self._workbench.exception()
        ):
            self._workbench.result().close()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def _ensure_started(self) -> asyncio.Future[Workbench]:
        if self._workbench is None:
            loop = asyncio.get_running_loop()
            store = self.config.store_path
            store_path = None if store == ":memory:" else Path(store)
            self._workbench = asyncio.ensure_future(
                loop.run_in_executor(
                    self._executor,
                    lambda: Workbench(
                        self.root,
                        store_path=store_path,
                        snapshot_limit=self.config.snapshot_limit,
                    ),
                )
            )
        return self._workbench

    async def workbench(self) -> Workbench:
        """The loaded workbench, waiting for the first load if it is still running."""
        return await asyncio.shield(self._ensure_started())

    async def call(self, fn: Callable[..., T], *args: Any) -> T:
        """Run a blocking core call in the pool."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, fn, *args)

    async def _poll(self) -> None:
        # A slow reload (a 50 MB manifest) must not pile up behind itself.
        if self._polling:
            return
        self._polling = True
        try:
            workbench = await self.workbench()
            changed = await self.call(workbench.poll)
            if changed:
                self.log.info("dbt workbench reloaded artifacts of %s", ", ".join(changed))
        except Exception:
            self.log.exception("dbt workbench: checking artifacts for changes failed")
        finally:
            self._polling = False
