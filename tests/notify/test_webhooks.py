"""Slack and generic webhook delivery against a real local HTTP server."""

from __future__ import annotations

import hashlib
import hmac
import json

from jupyterlab_dbt_workbench.notify import Notification, Notifier, parse_channel
from jupyterlab_dbt_workbench.store.database import Database

from .conftest import FakeClock, Receiver


def test_slack_gets_text_and_blocks(
    receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
) -> None:
    notifier = Notifier(database, clock=clock, timeout=5)
    channel = parse_channel({"kind": "slack", "events": ["failure"], "url": receiver.url})
    notifier.notify([channel], notification)
    assert notifier.wait_idle(10)

    [request] = receiver.requests
    assert request.path == "/hooks/T000/B000/XyzSecretToken"
    assert request.headers["Content-Type"].startswith("application/json")
    payload = json.loads(request.body)
    assert payload["text"] == (
        "Schedule 'nightly build' failed (project shop): Step 2 (build -s tag:daily) failed: "
        "1 error."
    )
    assert payload["blocks"][0]["text"]["text"] == (
        "*:x: Schedule 'nightly build' failed (project shop)*"
    )
    fields = [field["text"] for field in payload["blocks"][2]["fields"]]
    assert "*Results*\n41 success, 1 error, 3 skipped" in fields
    assert "*Runs*\nrun-a, run-b" in fields
    [delivery] = notifier.deliveries()
    assert delivery["status"] == "sent"
    # The Slack URL path is the token: the delivery shows the host only.
    assert delivery["target"] == f"Slack webhook on 127.0.0.1:{receiver.port}"


def test_webhook_json_is_signed_with_hmac_of_the_exact_body(
    receiver: Receiver, database: Database, notification: Notification
) -> None:
    notifier = Notifier(database, timeout=5)
    channel = parse_channel(
        {"kind": "webhook", "events": ["failure"], "url": receiver.url, "secret": "shh"}
    )
    notifier.notify([channel], notification)
    assert notifier.wait_idle(10)

    [request] = receiver.requests
    expected = hmac.new(b"shh", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Dbt-Workbench-Signature"] == f"sha256={expected}"
    assert json.loads(request.body) == {
        "kind": "notification",
        "event": "failure",
        "schedule_id": "sch-1",
        "schedule_name": "nightly build",
        "project": "shop",
        "execution_id": "exe-7",
        "started_at": "2025-06-15T02:00:00+00:00",
        "finished_at": "2025-06-15T02:03:05+00:00",
        "duration": 185.0,
        "run_ids": ["run-a", "run-b"],
        "message": "Step 2 (build -s tag:daily) failed: 1 error.",
        "counts": {"success": 41, "error": 1, "skipped": 3},
    }


def test_webhook_without_secret_is_unsigned_and_tests_say_so(
    receiver: Receiver, database: Database
) -> None:
    channel = parse_channel({"kind": "webhook", "events": ["success"], "url": receiver.url})
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "sent"
    [request] = receiver.requests
    assert "X-Dbt-Workbench-Signature" not in request.headers
    assert json.loads(request.body)["kind"] == "test"


def test_a_non_2xx_answer_is_a_failure_with_status_and_excerpt(
    receiver: Receiver, database: Database
) -> None:
    receiver.status = 500
    receiver.reply = b"<html>Internal\n  error: database on fire " + b"x" * 500
    channel = parse_channel({"kind": "slack", "events": ["failure"], "url": receiver.url})
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "failed"
    error = result["last_error"]
    assert error.startswith("Slack answered HTTP 500: <html>Internal error: database on fire x")
    assert error.endswith("...")
    assert len(error) < 260
    assert "XyzSecretToken" not in error


def test_a_slow_receiver_times_out(receiver: Receiver, database: Database) -> None:
    receiver.delay = 2.0
    channel = parse_channel({"kind": "webhook", "events": ["failure"], "url": receiver.url})
    result = Notifier(database, timeout=0.5).send_test(channel)
    assert result["status"] == "failed"
    assert "within 0.5 s" in result["last_error"]


def test_a_redirect_is_not_followed(receiver: Receiver, database: Database) -> None:
    receiver.status = 301
    channel = parse_channel({"kind": "webhook", "events": ["failure"], "url": receiver.url})
    result = Notifier(database, timeout=5).send_test(channel)
    assert result["status"] == "failed"
    assert "HTTP 301" in result["last_error"]
    assert len(receiver.requests) == 1
