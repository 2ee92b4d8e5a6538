"""Helpers of the scheduler tests (a module of its own: several test folders have a
conftest.py, and ``from conftest import`` would find whichever was loaded last)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

from fake_dbt_exe import FakeDbtProject

from jupyterlab_dbt_workbench.notify import Channel, Notification
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench


class FakeClock:
    """Epoch seconds that move only when a test says so."""

    def __init__(self, start: datetime) -> None:
        self.value = start.timestamp()

    def __call__(self) -> float:
        return self.value

    def set(self, when: datetime) -> None:
        self.value = when.timestamp()

    def advance(self, seconds: float) -> None:
        self.value += seconds


class RecordingNotifier:
    """Stands in for the Notifier: records what the scheduler asks it to send."""

    def __init__(self) -> None:
        self.sent: list[tuple[tuple[Channel, ...], Notification]] = []
        self.retries = 0
        self._lock = threading.Lock()

    def notify(self, channels: Sequence[Channel], notification: Notification) -> None:
        with self._lock:
            self.sent.append((tuple(channels), notification))

    def retry_due(self, lookup: Any = None) -> int:
        self.retries += 1
        return 0

    def deliveries(self, schedule_id: str | None = None, limit: int = 50) -> list[Any]:
        return []

    def events(self) -> list[str]:
        with self._lock:
            return [notification.event for _, notification in self.sent]


class Project(FakeDbtProject):
    """The fake dbt's project folder, with the environments its calls saw."""

    def environments(self) -> list[dict[str, str]]:
        path = self.path / "fake_dbt_env.jsonl"
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text().splitlines()]


class Harness:
    """One scheduler with its workbench, run manager and notifier."""

    def __init__(
        self,
        scheduler: Scheduler,
        manager: RunManager,
        notifier: RecordingNotifier,
        workbench: Workbench,
        database: Database,
    ) -> None:
        self.scheduler = scheduler
        self.manager = manager
        self.notifier = notifier
        self.workbench = workbench
        self.database = database
        self.closed = False

    def close(self) -> None:
        """Stop like a server does: no new executions, runs interrupted, store released."""
        if self.closed:
            return
        self.closed = True
        self.scheduler.stop()
        self.manager.shutdown()
        self.scheduler.wait_idle(10)
        self.workbench.close()
        self.database.close()


MakeScheduler = Callable[..., Harness]


def schedule_body(**fields: Any) -> dict[str, Any]:
    """A valid ScheduleInput for the project ``shop``, with ``fields`` changed."""
    body: dict[str, Any] = {
        "name": "nightly",
        "project": "shop",
        "steps": ["build"],
        "cron": "0 * * * *",
        "timezone": "UTC",
    }
    body.update(fields)
    return body


def _event(name: str, msg: str, level: str, unique_id: str, status: str) -> str:
    node = {
        "unique_id": unique_id,
        "node_name": unique_id.split(".")[2],
        "resource_type": unique_id.split(".")[0],
        "node_status": status,
        "node_started_at": "2026-01-01T00:00:01",
        "node_finished_at": "2026-01-01T00:00:02",
    }
    info = {"name": name, "level": level, "msg": msg, "ts": "2026-01-01T00:00:00.000000Z"}
    return json.dumps({"info": info, "data": {"node_info": node}})


# dbt's log of a build where a model succeeds and a test warns (dbt exits 0).
WARN_BUILD = [
    _event(
        "LogModelResult", "1 of 2 OK created model orders", "info", "model.shop.orders", "success"
    ),
    _event("LogTestResult", "2 of 2 WARN 3 not_null", "warn", "test.shop.not_null.x1", "warn"),
]
