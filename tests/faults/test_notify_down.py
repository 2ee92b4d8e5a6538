"""Fault: the SMTP server and the webhook receiver of a schedule's notifications are down when
its execution ends.

A real scheduler runs the schedule (the fake dbt at the subprocess seam) and notifies a real
closed port for each channel; then an SMTP server (aiosmtpd) and an HTTP receiver come up on
those ports and the next turn of the loop delivers the retries.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from jupyterlab_dbt_workbench.notify import Notifier
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

from .helpers import free_port, shop_project, wait_until


@pytest.fixture
def scheduler(tmp_path: Path, fake_dbt: str) -> Iterator[Scheduler]:
    shop_project(tmp_path / "root" / "shop")
    workbench = Workbench(tmp_path / "root", store_path=None)
    database = Database(tmp_path / "store.sqlite")
    manager = RunManager(workbench, database, tmp_path / "runs", dbt=fake_dbt, flush_interval=0.05)
    # The second attempt is due 0.2 s after the first; the third would wait a minute.
    notifier = Notifier(database, retry_delays=(0.2, 60.0), timeout=2.0)
    scheduler = Scheduler(workbench, manager, notifier, database)
    yield scheduler
    scheduler.stop()
    manager.shutdown()
    notifier.close(2.0)
    database.close()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(envelope.content)
        return "250 OK"


def _receiver(port: int, bodies: list[bytes]) -> ThreadingHTTPServer:
    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(204)
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_deliveries_to_endpoints_that_are_down_fail_then_are_retried(
    scheduler: Scheduler,
) -> None:
    smtp_port, hook_port = free_port(), free_port()
    created = scheduler.create(
        {
            "name": "nightly",
            "project": "shop",
            "steps": ["build"],
            "cron": "0 3 * * *",
            "timezone": "UTC",
            "notifications": [
                {
                    "kind": "email",
                    "events": ["success"],
                    "host": "127.0.0.1",
                    "port": smtp_port,
                    "sender": "dbt@example.com",
                    "recipients": ["team@example.com"],
                },
                {
                    "kind": "webhook",
                    "events": ["success"],
                    "url": f"http://127.0.0.1:{hook_port}/hook",
                },
            ],
        }
    )
    execution = scheduler.run_now(created["id"])
    done = scheduler.wait(execution["id"], timeout=30)
    assert done is not None and done["status"] == "success"

    # What the user sees: both deliveries failed once, with the reason, and wait for a retry.
    def all_failed_once() -> Any:
        deliveries = scheduler.deliveries(created["id"])
        return (
            deliveries
            if len(deliveries) == 2 and all(d["last_error"] for d in deliveries)
            else None
        )

    failed = wait_until(all_failed_once)
    assert {(d["kind"], d["status"], d["attempts"]) for d in failed} == {
        ("email", "pending", 1),
        ("webhook", "pending", 1),
    }
    assert all("refused" in str(d["last_error"]).lower() for d in failed), failed
    assert scheduler.execution(execution["id"])["status"] == "success"  # type: ignore[index]

    mailbox, bodies = _Mailbox(), list[bytes]()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    hook = _receiver(hook_port, bodies)
    try:

        def delivered() -> Any:
            scheduler.tick()
            deliveries = scheduler.deliveries(created["id"])
            return deliveries if all(d["status"] == "sent" for d in deliveries) else None

        deliveries = wait_until(delivered, timeout=15, interval=0.3)
    finally:
        smtp.stop()
        hook.shutdown()
        hook.server_close()
    assert {(d["kind"], d["attempts"]) for d in deliveries} == {("email", 2), ("webhook", 2)}
    assert len(mailbox.messages) == 1 and b"nightly" in mailbox.messages[0]
    assert len(bodies) == 1 and json.loads(bodies[0])["event"] == "success"

    # Nothing else moved: one execution, still successful, its run successful.
    (only,) = scheduler.executions(created["id"])
    assert only["status"] == "success"
    run = scheduler.run_manager.get(only["run_ids"][0])
    assert run["status"] == "success"
