"""The delivery lifecycle: recorded, sent in the background, retried, never raising."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.notify import Channel, Notification, Notifier, parse_channel
from jupyterlab_dbt_workbench.store.database import Database

from .conftest import FakeClock, Receiver


def webhook(url: str, events: tuple[str, ...] = ("failure",), secret: str = "hmac-key") -> Channel:
    return parse_channel({"kind": "webhook", "events": list(events), "url": url, "secret": secret})


def test_only_channels_subscribed_to_the_event_get_a_delivery(
    receiver: Receiver, database: Database, notification: Notification
) -> None:
    notifier = Notifier(database, timeout=5)
    notifier.notify(
        [webhook(receiver.url, ("success",)), webhook(receiver.url, ("failure", "recovery"))],
        notification,
    )
    assert notifier.wait_idle(10)
    assert len(receiver.requests) == 1
    [delivery] = notifier.deliveries("sch-1")
    assert delivery["event"] == "failure"
    assert delivery["execution_id"] == "exe-7"
    assert delivery["kind"] == "webhook"


def test_a_down_endpoint_is_retried_when_due_and_succeeds_when_back(
    receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
) -> None:
    receiver.stop()
    notifier = Notifier(database, clock=clock, timeout=5, retry_delays=(30.0, 120.0))
    notifier.notify([webhook(receiver.url)], notification)
    assert notifier.wait_idle(10)

    [delivery] = notifier.deliveries()
    assert delivery["status"] == "pending"
    assert delivery["attempts"] == 1
    assert "connection refused" in delivery["last_error"]
    assert delivery["next_attempt_at"] == "2025-06-15T15:07:10.000+00:00"  # clock + 30 s

    clock.advance(29)
    assert notifier.retry_due() == 0

    receiver.start()
    clock.advance(1)
    assert notifier.retry_due() == 1
    assert notifier.wait_idle(10)
    [delivery] = notifier.deliveries()
    assert delivery["status"] == "sent"
    assert delivery["attempts"] == 2
    assert delivery["next_attempt_at"] is None
    assert delivery["sent_at"] == "2025-06-15T15:07:10.000+00:00"
    assert len(receiver.requests) == 1
    assert json.loads(receiver.requests[0].body)["execution_id"] == "exe-7"
    assert notifier.retry_due() == 0


def test_a_delivery_fails_for_good_when_the_delays_run_out(
    receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
) -> None:
    receiver.status = 503
    receiver.reply = b"maintenance"
    notifier = Notifier(database, clock=clock, timeout=5, retry_delays=(10.0,))
    notifier.notify([webhook(receiver.url)], notification)
    assert notifier.wait_idle(10)
    clock.advance(10)
    assert notifier.retry_due() == 1
    assert notifier.wait_idle(10)

    [delivery] = notifier.deliveries()
    assert delivery["status"] == "failed"
    assert delivery["attempts"] == 2
    assert delivery["last_error"] == "The webhook answered HTTP 503: maintenance"
    assert delivery["next_attempt_at"] is None
    clock.advance(3600)
    assert notifier.retry_due() == 0
    assert len(receiver.requests) == 2


def test_notify_never_raises(
    receiver: Receiver, tmp_path: Path, notification: Notification
) -> None:
    database = Database(tmp_path / "store.sqlite")
    notifier = Notifier(database, timeout=5)
    broken = Channel(kind="email", events=frozenset({"failure"}), config={})
    # A channel built by hand without its settings: recorded as an unexpected failure.
    notifier.notify([broken], notification)
    assert notifier.wait_idle(10)
    [delivery] = notifier.deliveries()
    assert delivery["status"] == "pending"
    assert delivery["last_error"].startswith("Unexpected error:")
    assert notifier.send_test(broken)["status"] == "failed"

    # A store that cannot be written: the notification still goes out, nothing is raised.
    database.close()
    notifier.notify([webhook(receiver.url)], notification)
    assert notifier.wait_idle(10)
    assert len(receiver.requests) == 1
    assert notifier.retry_due() == 0


def test_no_secret_is_stored_with_deliveries(
    receiver: Receiver, database: Database, notification: Notification
) -> None:
    notifier = Notifier(database, timeout=5)
    slack = parse_channel({"kind": "slack", "events": ["failure"], "url": receiver.url})
    hook = webhook(f"http://127.0.0.1:{receiver.port}/hook", secret="hmac-key")
    notifier.notify([slack, hook], notification)
    assert notifier.wait_idle(10)
    dump = json.dumps(database.query("SELECT * FROM deliveries"))
    assert "XyzSecretToken" not in dump
    assert "hmac-key" not in dump
    assert [d["status"] for d in notifier.deliveries()] == ["sent", "sent"]


def test_deliveries_are_listed_newest_first_per_schedule(
    receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
) -> None:
    notifier = Notifier(database, clock=clock, timeout=5)
    for index in range(3):
        notifier.notify([webhook(receiver.url)], replace(notification, execution_id=f"e{index}"))
        clock.advance(60)
    notifier.notify([webhook(receiver.url)], replace(notification, schedule_id="other"))
    assert notifier.wait_idle(10)
    assert [d["execution_id"] for d in notifier.deliveries("sch-1")] == ["e2", "e1", "e0"]
    assert [d["execution_id"] for d in notifier.deliveries("sch-1", limit=1)] == ["e2"]
    assert len(notifier.deliveries()) == 4


class TestAfterARestart:
    """A new Notifier on the same store: the channel must be found again through its schedule."""

    @pytest.fixture
    def pending(
        self, receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
    ) -> Channel:
        receiver.stop()
        channel = webhook(receiver.url)
        first = Notifier(database, clock=clock, timeout=5)
        first.notify([channel], notification)
        assert first.wait_idle(10)
        receiver.start()
        clock.advance(30)
        return channel

    def test_the_schedule_lookup_finds_the_channel(
        self, pending: Channel, receiver: Receiver, database: Database, clock: FakeClock
    ) -> None:
        restarted = Notifier(database, clock=clock, timeout=5)
        # The schedule was edited meanwhile: a new secret and more events keep the channel.
        edited = replace(
            pending,
            events=frozenset({"failure", "success"}),
            config={**pending.config, "secret": "rotated"},
        )
        lookups: list[str] = []

        def lookup(schedule_id: str) -> list[Channel]:
            lookups.append(schedule_id)
            return [webhook(receiver.url + "/other"), edited]

        assert restarted.retry_due(lookup) == 1
        assert restarted.wait_idle(10)
        assert lookups == ["sch-1"]
        [delivery] = restarted.deliveries()
        assert delivery["status"] == "sent"
        [request] = receiver.requests
        assert request.path.endswith("XyzSecretToken")
        assert json.loads(request.body)["message"] == "Step 2 (build -s tag:daily) failed: 1 error."

    def test_a_deleted_schedule_ends_the_retries(
        self, pending: Channel, receiver: Receiver, database: Database, clock: FakeClock
    ) -> None:
        restarted = Notifier(database, clock=clock, timeout=5)
        assert restarted.retry_due(lambda schedule_id: None) == 0
        [delivery] = restarted.deliveries()
        assert delivery["status"] == "failed"
        assert delivery["last_error"] == "Not retried: schedule sch-1 no longer exists."
        assert receiver.requests == []

    def test_a_removed_channel_ends_the_retries(
        self, pending: Channel, receiver: Receiver, database: Database, clock: FakeClock
    ) -> None:
        restarted = Notifier(database, clock=clock, timeout=5)
        assert restarted.retry_due(lambda schedule_id: [webhook(receiver.url + "/moved")]) == 0
        [delivery] = restarted.deliveries()
        assert delivery["status"] == "failed"
        assert "no longer has this webhook channel" in delivery["last_error"]

    def test_without_a_lookup_the_retry_is_given_up(
        self, pending: Channel, receiver: Receiver, database: Database, clock: FakeClock
    ) -> None:
        restarted = Notifier(database, clock=clock, timeout=5)
        assert restarted.retry_due() == 0
        [delivery] = restarted.deliveries()
        assert delivery["status"] == "failed"
        assert "the server restarted before the retry" in delivery["last_error"]


def test_two_processes_sharing_the_store_retry_a_delivery_once(
    receiver: Receiver, tmp_path: Path, clock: FakeClock, notification: Notification
) -> None:
    receiver.stop()
    channel = webhook(receiver.url)
    one = Notifier(Database(tmp_path / "shared.sqlite"), clock=clock, timeout=5)
    two = Notifier(Database(tmp_path / "shared.sqlite"), clock=clock, timeout=5)
    one.notify([channel], notification)
    assert one.wait_idle(10)
    receiver.start()
    clock.advance(30)
    started = one.retry_due(lambda _: [channel]) + two.retry_due(lambda _: [channel])
    assert one.wait_idle(10) and two.wait_idle(10)
    assert started == 1
    assert len(receiver.requests) == 1


def test_after_close_notifications_wait_in_the_store(
    receiver: Receiver, database: Database, clock: FakeClock, notification: Notification
) -> None:
    notifier = Notifier(database, clock=clock, timeout=5)
    assert notifier.close(5)
    notifier.notify([webhook(receiver.url)], notification)
    [delivery] = notifier.deliveries()
    assert delivery["status"] == "pending"
    assert receiver.requests == []
    # The next server start finds it due once the lease of the stopped process has run out.
    clock.advance(60)
    restarted = Notifier(database, clock=clock, timeout=5)
    assert restarted.retry_due(lambda _: [webhook(receiver.url)]) == 1
    assert restarted.wait_idle(10)
    assert restarted.deliveries()[0]["status"] == "sent"
