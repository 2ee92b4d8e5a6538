"""Deliveries: recorded in the store, sent in the background, retried, never failing a run.

Each (channel, notification) pair whose events match becomes one row of the ``deliveries``
table and is sent at once by a small thread pool. A failure stays ``pending`` with
``next_attempt_at`` set from ``retry_delays``; ``retry_due`` (called by the scheduler on
every tick) sends the rows that are due again; when the delays are used up the row becomes
``failed`` for good.

Where a retry gets the channel from. The table never holds a secret: it stores the channel's
kind, a description of the target without secrets (``describe_target``), a fingerprint
(``channel_key``, a hash of the configuration without password or webhook secret) and the
notification itself (which holds none). The channel is found again in one of two ways:

- ``retry_due(lookup)``: ``lookup(schedule_id)`` returns the schedule's current channels (or
  None when the schedule no longer exists) and the channel with the same fingerprint is used.
  This is what the scheduler does, so retries survive a server restart, and a password fixed
  in the meantime is used by the next attempt. A channel that was removed or changed (other
  host, recipients, URL) is no longer found: its delivery is marked failed, saying so.
- ``retry_due()`` without a lookup: the channel kept in memory since ``notify`` is used.
  After a restart that memory is gone, so such deliveries are marked failed
  ("the server restarted before the retry").

Several server processes may share one store: a retry is claimed with an UPDATE that only
one process can win (it moves ``next_attempt_at`` past a lease), so a delivery is never sent
twice at once. A process that dies mid-attempt leaves the lease to run out, after which the
delivery is due again.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from typing import Any, cast

from jupyterlab_dbt_workbench.store.database import Database

from .channels import channel_key, describe_target
from .errors import DeliveryError
from .messages import sample_notification
from .model import Channel, Notification
from .payloads import DeliveryPayload
from .smtp import send_email
from .webhooks import send_slack, send_webhook

log = logging.getLogger(__name__)

ChannelLookup = Callable[[str], Sequence[Channel] | None]
"""``schedule_id`` → the schedule's current channels, or None when it no longer exists."""

_COLUMNS = (
    "id, schedule_id, execution_id, kind, target, event, status, attempts, last_error, "
    "next_attempt_at, created_at, sent_at"
)

_SENDERS: dict[str, Callable[[Any, Notification, float], str | None]] = {
    "email": send_email,
    "slack": send_slack,
    "webhook": send_webhook,
}


def send(channel: Channel, notification: Notification, timeout: float) -> str | None:
    """Deliver once, synchronously; raise ``DeliveryError``; return a warning, if any."""
    return _SENDERS[channel.kind](channel.config, notification, timeout)


class Notifier:
    """Sends notifications to channels and records every delivery; never raises into callers.

    ``retry_delays`` are the waits, in seconds, before the second, third, ... attempt: a
    delivery is tried ``len(retry_delays) + 1`` times in all. ``clock`` returns the epoch
    time in seconds (tests pass a fake one); ``timeout`` bounds each network operation.
    """

    def __init__(
        self,
        database: Database,
        *,
        retry_delays: Sequence[float] = (30.0, 120.0, 600.0),
        clock: Callable[[], float] = time.time,
        timeout: float = 10.0,
        keep: int = 1000,
        workers: int = 4,
    ) -> None:
        self.database = database
        self.retry_delays = tuple(retry_delays)
        self.clock = clock
        self.timeout = timeout
        self.keep = keep
        # Long enough for any attempt to finish: an SMTP exchange is several timed operations.
        self._lease = max(60.0, timeout * 6)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="dbt-notify")
        self._idle = threading.Condition()
        self._busy: set[str] = set()
        self._inputs: dict[str, tuple[Channel, Notification]] = {}

    def notify(self, channels: Sequence[Channel], notification: Notification) -> None:
        """Record one delivery per channel subscribed to the event and send each at once.

        Returns immediately; sending happens in background threads. Never raises: a store
        failure is logged and the notification is still sent, unrecorded.
        """
        try:
            for channel in channels:
                if notification.event not in channel.events:
                    continue
                try:
                    delivery_id: str | None = self._record(channel, notification)
                except Exception:
                    log.exception("Could not record a %s delivery; sending it anyway", channel.kind)
                    delivery_id = None
                self._start(delivery_id, channel, notification)
        except Exception:
            log.exception("Notifying schedule %s failed", notification.schedule_id)

    def send_test(self, channel: Channel) -> DeliveryPayload:
        """Send a test notification now and report the outcome; the store is not touched.

        The result has ``status`` "sent" or "failed" and the error text in ``last_error``.
        """
        now = self.clock()
        notification = sample_notification(now)
        sent, error = True, None
        try:
            error = send(channel, notification, self.timeout)
        except DeliveryError as exc:
            sent, error = False, exc.message
        except Exception as exc:
            log.exception("Test notification to a %s channel failed", channel.kind)
            sent, error = False, f"Unexpected error: {exc}"
        return {
            "id": f"test-{uuid.uuid4().hex[:12]}",
            "schedule_id": None,
            "execution_id": None,
            "kind": channel.kind,
            "target": describe_target(channel),
            "event": notification.event,
            "status": "sent" if sent else "failed",
            "attempts": 1,
            "last_error": error,
            "next_attempt_at": None,
            "created_at": _iso(now),
            "sent_at": _iso(self.clock()) if sent else None,
        }

    def retry_due(self, lookup: ChannelLookup | None = None) -> int:
        """Start the pending deliveries whose next attempt is due; return how many started.

        ``lookup`` finds a delivery's channel from its schedule (see the module docstring).
        Sending happens in the background; never raises.
        """
        try:
            rows = self.database.query(
                "SELECT id, schedule_id, kind, channel_key, notification, next_attempt_at "
                "FROM deliveries WHERE status = 'pending' AND next_attempt_at <= ? "
                "ORDER BY next_attempt_at LIMIT 100",
                (_iso(self.clock()),),
            )
        except Exception:
            log.exception("Could not read the deliveries due for a retry")
            return 0
        started = 0
        for delivery_id, schedule_id, kind, key, stored, due in rows:
            try:
                with self._idle:
                    if delivery_id in self._busy:
                        continue
                if not self._claim(delivery_id, due):
                    continue
                found = self._resolve(delivery_id, schedule_id, kind, key, stored, lookup)
                if isinstance(found, str):
                    self._finish(delivery_id, error=found, final=True)
                    continue
                self._start(delivery_id, *found)
                started += 1
            except Exception:
                log.exception("Could not retry delivery %s", delivery_id)
        return started

    def deliveries(self, schedule_id: str | None = None, limit: int = 50) -> list[DeliveryPayload]:
        """The newest deliveries first, of one schedule or of all; at most ``limit`` (≤ 500)."""
        limit = max(1, min(int(limit), 500))
        where, params = ("WHERE schedule_id = ?", [schedule_id]) if schedule_id else ("", [])
        rows = self.database.query(
            f"SELECT {_COLUMNS} FROM deliveries {where} "
            "ORDER BY created_at DESC, rowid DESC LIMIT ?",
            (*params, limit),
        )
        return [_payload(row) for row in rows]

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no delivery is being sent; False when ``timeout`` ran out first."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    def close(self, timeout: float = 5.0) -> bool:
        """Let the attempts under way finish (up to ``timeout``), then stop the threads.

        Deliveries still pending stay in the store for ``retry_due`` after the next start.
        """
        idle = self.wait_idle(timeout)
        self._pool.shutdown(wait=idle, cancel_futures=True)
        return idle

    def _record(self, channel: Channel, notification: Notification) -> str:
        delivery_id = uuid.uuid4().hex
        now = self.clock()
        stored = json.dumps(_notification_json(notification), separators=(",", ":"))
        with self.database.transaction() as connection:
            connection.execute(
                "INSERT INTO deliveries (id, schedule_id, execution_id, kind, target, "
                "channel_key, event, status, attempts, last_error, next_attempt_at, "
                "created_at, sent_at, notification) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, NULL, ?, ?, NULL, ?)",
                (
                    delivery_id,
                    notification.schedule_id,
                    notification.execution_id,
                    channel.kind,
                    describe_target(channel),
                    channel_key(channel),
                    notification.event,
                    _iso(now + self._lease),
                    _iso(now),
                    stored,
                ),
            )
            connection.execute(
                "DELETE FROM deliveries WHERE status != 'pending' AND id NOT IN "
                "(SELECT id FROM deliveries ORDER BY created_at DESC, rowid DESC LIMIT ?)",
                (self.keep,),
            )
        return delivery_id

    def _start(self, delivery_id: str | None, channel: Channel, notification: Notification) -> None:
        token = delivery_id or f"unrecorded-{uuid.uuid4().hex}"
        with self._idle:
            self._busy.add(token)
            if delivery_id is not None:
                self._inputs[delivery_id] = (channel, notification)
        try:
            self._pool.submit(self._attempt, token, delivery_id, channel, notification)
        except RuntimeError:
            # The pool is shut down (server stopping): the row stays pending for later.
            self._done(token)

    def _attempt(
        self, token: str, delivery_id: str | None, channel: Channel, notification: Notification
    ) -> None:
        try:
            try:
                warning = send(channel, notification, self.timeout)
            except DeliveryError as exc:
                error: str | None = exc.message
            except Exception as exc:
                log.exception("Unexpected failure delivering to a %s channel", channel.kind)
                error = f"Unexpected error: {exc}"
            else:
                error = None
            if delivery_id is None:
                if error:
                    log.warning("Unrecorded %s delivery failed: %s", channel.kind, error)
            elif error is None:
                self._finish(delivery_id, error=warning, sent=True)
            else:
                self._finish(delivery_id, error=error)
        except Exception:
            log.exception("Could not record the outcome of delivery %s", delivery_id)
        finally:
            self._done(token)

    def _finish(
        self, delivery_id: str, *, error: str | None, sent: bool = False, final: bool = False
    ) -> None:
        now = self.clock()
        with self.database.transaction() as connection:
            row = connection.execute(
                "SELECT attempts FROM deliveries WHERE id = ?", (delivery_id,)
            ).fetchone()
            if row is None:
                return
            attempts = int(row[0]) + (0 if final else 1)
            if sent:
                status, next_at, sent_at = "sent", None, _iso(now)
            elif final or attempts > len(self.retry_delays):
                status, next_at, sent_at = "failed", None, None
            else:
                status, sent_at = "pending", None
                next_at = _iso(now + self.retry_delays[attempts - 1])
            connection.execute(
                "UPDATE deliveries SET status = ?, attempts = ?, last_error = ?, "
                "next_attempt_at = ?, sent_at = ? WHERE id = ?",
                (status, attempts, error, next_at, sent_at, delivery_id),
            )
        if status != "pending":
            with self._idle:
                self._inputs.pop(delivery_id, None)

    def _claim(self, delivery_id: str, due: str) -> bool:
        with self.database.transaction() as connection:
            cursor = connection.execute(
                "UPDATE deliveries SET next_attempt_at = ? "
                "WHERE id = ? AND status = 'pending' AND next_attempt_at = ?",
                (_iso(self.clock() + self._lease), delivery_id, due),
            )
            return cursor.rowcount == 1

    def _resolve(
        self,
        delivery_id: str,
        schedule_id: str,
        kind: str,
        key: str,
        stored: str,
        lookup: ChannelLookup | None,
    ) -> tuple[Channel, Notification] | str:
        """The channel and notification to retry with, or why the retry is impossible."""
        if lookup is None:
            with self._idle:
                kept = self._inputs.get(delivery_id)
            if kept is None:
                return (
                    "Not retried: the server restarted before the retry, and the channel's "
                    "settings are not stored with deliveries."
                )
            return kept
        channels = lookup(schedule_id)
        if channels is None:
            return f"Not retried: schedule {schedule_id} no longer exists."
        for channel in channels:
            if channel.kind == kind and channel_key(channel) == key:
                return channel, _notification_from_json(json.loads(stored))
        return (
            f"Not retried: the schedule no longer has this {kind} channel "
            "(it was removed or its target changed)."
        )

    def _done(self, token: str) -> None:
        with self._idle:
            self._busy.discard(token)
            self._idle.notify_all()


def _iso(epoch: float) -> str:
    # A fixed format so that text comparison in SQL orders like time.
    return datetime.fromtimestamp(epoch, timezone.utc).isoformat(timespec="milliseconds")


def _notification_json(notification: Notification) -> dict[str, Any]:
    return {
        "event": notification.event,
        "schedule_id": notification.schedule_id,
        "schedule_name": notification.schedule_name,
        "project": notification.project,
        "execution_id": notification.execution_id,
        "started_at": notification.started_at,
        "finished_at": notification.finished_at,
        "duration": notification.duration,
        "run_ids": list(notification.run_ids),
        "message": notification.message,
        "counts": dict(notification.counts),
    }


def _notification_from_json(data: dict[str, Any]) -> Notification:
    return Notification(**{**data, "run_ids": tuple(data["run_ids"])})


def _payload(row: tuple[Any, ...]) -> DeliveryPayload:
    keys = [name.strip() for name in _COLUMNS.split(",")]
    return cast(DeliveryPayload, dict(zip(keys, row, strict=True)))
