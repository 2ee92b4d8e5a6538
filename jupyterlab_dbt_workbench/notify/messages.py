"""The content of a notification for each channel: email text, Slack blocks, webhook JSON.

The formats are documented in docs/notifications.md for people writing receivers: change
them only in backward-compatible ways (new keys), never rename or remove one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from .model import Notification

SIGNATURE_HEADER = "X-Dbt-Workbench-Signature"

TEST_EVENT = "test"

_OUTCOME = {
    "success": "succeeded",
    "failure": "failed",
    "warning": "finished with warnings",
    "cancel": "was cancelled",
    "recovery": "recovered (succeeded after failing)",
    TEST_EVENT: "sent a test notification",
}

_SLACK_ICON = {
    "success": ":white_check_mark:",
    "failure": ":x:",
    "warning": ":warning:",
    "cancel": ":no_entry_sign:",
    "recovery": ":arrows_counterclockwise:",
    TEST_EVENT: ":bell:",
}


def sample_notification(now: float) -> Notification:
    """The notification "Send test" delivers: recognizable, with every field filled in."""
    stamp = datetime.fromtimestamp(now, timezone.utc).isoformat(timespec="seconds")
    return Notification(
        event=TEST_EVENT,
        schedule_id="test",
        schedule_name="Test notification",
        project="",
        execution_id="test",
        started_at=stamp,
        finished_at=stamp,
        duration=0.0,
        run_ids=(),
        message="This is a test notification from the dbt workbench: the channel works.",
        counts={},
    )


def headline(notification: Notification) -> str:
    """One line saying what happened, e.g. ``Schedule 'nightly' failed (project shop)``."""
    if notification.event == TEST_EVENT:
        return "dbt workbench: test notification"
    outcome = _OUTCOME.get(notification.event, notification.event)
    project = f" (project {notification.project})" if notification.project else ""
    return f"Schedule '{notification.schedule_name}' {outcome}{project}"


def details(notification: Notification) -> list[tuple[str, str]]:
    """The facts listed under the headline, as (label, value) pairs."""
    rows = [("Event", notification.event)]
    if notification.project:
        rows.append(("Project", notification.project))
    rows.append(("Started", notification.started_at))
    if notification.finished_at:
        rows.append(("Finished", notification.finished_at))
    if notification.duration is not None:
        rows.append(("Duration", _duration(notification.duration)))
    if notification.counts:
        rows.append(("Results", _counts(notification.counts)))
    if notification.run_ids:
        rows.append(("Runs", ", ".join(notification.run_ids)))
    rows.append(("Execution", notification.execution_id))
    return rows


def email_message(
    notification: Notification, sender: str, recipients: tuple[str, ...]
) -> EmailMessage:
    """A plain-text email: the headline as subject, the message and the details as body."""
    message = EmailMessage()
    message["Subject"] = f"[dbt] {headline(notification)}"
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    width = max(len(label) for label, _ in details(notification))
    lines = [headline(notification), ""]
    if notification.message:
        lines += [notification.message, ""]
    lines += [f"{label + ':':<{width + 1}} {value}" for label, value in details(notification)]
    lines += ["", "-- ", "Sent by the dbt workbench scheduler (jupyterlab-dbt-workbench)."]
    message.set_content("\n".join(lines) + "\n")
    return message


def slack_payload(notification: Notification) -> dict[str, Any]:
    """A Slack incoming-webhook payload: ``text`` (the fallback) and Block Kit ``blocks``."""
    icon = _SLACK_ICON.get(notification.event, ":bell:")
    title = f"{icon} {headline(notification)}"
    blocks: list[dict[str, Any]] = [
        {"type": "section", "text": {"type": "mrkdwn", "text": f"*{_escape(title)}*"}}
    ]
    if notification.message:
        blocks.append(
            {"type": "section", "text": {"type": "mrkdwn", "text": _escape(notification.message)}}
        )
    # Slack allows at most 10 fields in a section.
    fields = [
        {"type": "mrkdwn", "text": f"*{label}*\n{_escape(value)}"}
        for label, value in details(notification)
    ][:10]
    blocks.append({"type": "section", "fields": fields})
    blocks.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": "Sent by the dbt workbench scheduler"}],
        }
    )
    text = headline(notification)
    if notification.message:
        text = f"{text}: {notification.message}"
    return {"text": text, "blocks": blocks}


def webhook_payload(notification: Notification) -> dict[str, Any]:
    """The generic webhook JSON: every ``Notification`` field plus ``kind``.

    ``kind`` is ``"test"`` for "Send test" and ``"notification"`` otherwise, so receivers can
    acknowledge tests without acting on them.
    """
    payload: dict[str, Any] = {
        "kind": "test" if notification.event == TEST_EVENT else "notification"
    }
    for field in dataclasses.fields(notification):
        value = getattr(notification, field.name)
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        payload[field.name] = value
    return payload


def json_body(payload: Mapping[str, Any]) -> bytes:
    """The exact bytes posted (the signature covers these bytes, not a re-encoding)."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, body: bytes) -> str:
    """The signature header's value: ``sha256=`` and the hex HMAC-SHA256 of ``body``."""
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def _duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min" if hours else f"{minutes} min {rest:02d} s"


def _counts(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{count} {status}" for status, count in counts.items())


def _escape(text: str) -> str:
    # Slack mrkdwn treats these three as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
