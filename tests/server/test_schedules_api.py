"""Schedules over REST, with the fake dbt of the run tests at the subprocess seam and the
server's own loop ticking every 0.2 s."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

MASK = "********"


@pytest.fixture
def jp_server_config(fake_dbt: str, tmp_path: Path) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0.2,
            "scheduler_interval": 0.2,
            "dbt_executable": fake_dbt,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    folder = jp_root_dir / "shop"
    folder.mkdir()
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    (folder / "profiles.yml").write_text("shop: {}\n")
    (folder / "fake_dbt.json").write_text("{}")
    return folder


def body(**fields: Any) -> str:
    data = {
        "name": "nightly",
        "project": "shop",
        "steps": ["seed", "build -s tag:daily"],
        "cron": "30 2 * * *",
        "timezone": "Europe/Berlin",
        "env": {"DBT_TARGET_SCHEMA": "ci", "SNOWFLAKE_PASSWORD": "hunter2"},
        "retry": {"max_attempts": 2, "backoff": "exponential", "delay": 30},
        "notifications": [
            {"kind": "webhook", "events": ["failure"], "url": "http://127.0.0.1:9/h", "secret": "k"}
        ],
    }
    data.update(fields)
    return json.dumps(data)


async def test_create_edit_run_now_and_delete_a_schedule(
    shop: Path, api: Any, conforms: Any, wait_for: Any
) -> None:
    code, created = await api("schedules", method="POST", body=body())
    assert code == 201, created
    conforms("post", "/schedules", created)
    assert created["env"] == {"DBT_TARGET_SCHEMA": "ci", "SNOWFLAKE_PASSWORD": MASK}
    assert created["notifications"][0]["secret"] == MASK
    assert created["next_run_local"].endswith(
        ("T02:30:00+01:00", "T02:30:00+02:00", "T03:00:00+02:00")
    )
    assert (created["state"], created["last_status"]) == ("ok", None)

    code, listing = await api("schedules", params={"project": "shop"})
    assert code == 200
    conforms("get", "/schedules", listing)
    assert [s["id"] for s in listing["schedules"]] == [created["id"]]

    # The schedule comes back as read, with a change: the masked secrets keep their values.
    edited = {**created, "steps": ["build"], "enabled": False}
    code, updated = await api("schedules", created["id"], method="PUT", body=json.dumps(edited))
    assert code == 200, updated
    conforms("put", "/schedules/{schedule_id}", updated)
    assert (updated["steps"], updated["next_run_at"]) == (["build"], None)
    assert updated["env"]["SNOWFLAKE_PASSWORD"] == MASK

    code, execution = await api("schedules", created["id"], "run", method="POST")
    assert code == 200, execution
    conforms("post", "/schedules/{schedule_id}/run", execution)
    assert execution["trigger"] == "manual"

    async def finished() -> Any:
        code, page = await api("schedules", created["id"], "executions")
        assert code == 200
        done = page["executions"][0]["status"] not in ("queued", "running")
        return page if done else None

    page = await wait_for(finished)
    conforms("get", "/schedules/{schedule_id}/executions", page)
    (done,) = page["executions"]
    assert done["status"] == "success", done
    code, run = await api("runs", done["run_ids"][0])
    assert (run["user"], run["command"]) == ("schedule:nightly", "build")
    assert "hunter2" not in json.dumps(run)

    code, deliveries = await api("schedules", created["id"], "deliveries")
    assert code == 200
    conforms("get", "/schedules/{schedule_id}/deliveries", deliveries)

    code, deleted = await api("schedules", created["id"], method="DELETE")
    assert (code, deleted) == (200, {"deleted": created["id"]})
    code, error = await api("schedules", created["id"])
    assert code == 404 and error["reason"] == "schedule_not_found"


async def test_the_servers_loop_runs_a_due_slot(shop: Path, api: Any, wait_for: Any) -> None:
    # Every second (the 6th field is seconds): the loop, ticking every 0.2 s, runs it.
    code, created = await api("schedules", method="POST", body=body(cron="* * * * * *"))
    assert code == 201, created

    async def ran() -> Any:
        _code, page = await api("schedules", created["id"], "executions")
        return [e for e in page["executions"] if e["status"] == "success"]

    (first, *_) = await wait_for(ran)
    assert first["trigger"] == "cron" and first["slot"].endswith("+00:00")
    await api("schedules", created["id"], method="PUT", body=json.dumps({"enabled": False}))


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cron": "61 2 * * *"}, "Invalid cron expression '61 2 * * *'"),
        ({"timezone": "Europe/Atlantis"}, "Unknown timezone 'Europe/Atlantis'"),
        ({"steps": ["build -s tag:daily", "frobnicate"]}, "Step 2 (`frobnicate`)"),
        (
            {"steps": ["seed", "build --bogus"]},
            "Step 2 (`build --bogus`): `dbt build` has no option `--bogus`",
        ),
        ({"catch_up": {"mode": "all"}}, "`catch_up.mode` must be one of skip, once, each"),
    ],
)
async def test_bad_schedules_answer_400_with_a_clear_message(
    shop: Path, api: Any, fields: dict[str, Any], message: str
) -> None:
    code, error = await api("schedules", method="POST", body=body(**fields))
    assert code == 400
    assert message in error["message"]
    assert error["reason"] == "invalid_schedule"


async def test_an_unknown_project_is_404(shop: Path, api: Any) -> None:
    code, error = await api("schedules", method="POST", body=body(project="nope"))
    assert code == 404, error


async def test_preview_lists_the_next_runs_across_a_dst_change(
    shop: Path, api: Any, conforms: Any
) -> None:
    code, preview = await api(
        "schedules", "preview", method="POST",
        body=json.dumps({"cron": "@daily", "timezone": "America/New_York", "count": 3}),
    )  # fmt: skip
    assert code == 200
    conforms("post", "/schedules/preview", preview)
    assert preview["valid"] and len(preview["next"]) == 3
    assert all(
        item["local"].endswith(("T00:00:00-05:00", "T00:00:00-04:00")) for item in preview["next"]
    )

    code, invalid = await api(
        "schedules", "preview", method="POST", body=json.dumps({"cron": "* *", "timezone": "UTC"})
    )
    assert code == 200
    assert invalid == {
        "valid": False,
        "error": "The cron expression '* *' has 2 field(s): give 5 (minute hour day month "
        "weekday) or 6 (the same, then seconds).",
        "next": [],
    }
    code, error = await api(
        "schedules", "preview", method="POST",
        body=json.dumps({"cron": "@daily", "timezone": "UTC", "count": 21}),
    )  # fmt: skip
    assert code == 400 and "`count` must be a whole number from 1 to 20" in error["message"]


async def test_a_test_notification_reports_the_failure(shop: Path, api: Any, conforms: Any) -> None:
    channel = {"kind": "webhook", "events": ["failure"], "url": "http://127.0.0.1:9/hook"}
    code, delivery = await api(
        "schedules", "test-notification", method="POST", body=json.dumps({"channel": channel})
    )
    assert code == 200, delivery
    conforms("post", "/schedules/test-notification", delivery)
    assert delivery["status"] == "failed" and delivery["last_error"]


class Hooks:
    """A local HTTP server recording the path, signature header and body of each POST."""

    def __init__(self) -> None:
        received: list[tuple[str, str | None, bytes]] = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((self.path, self.headers.get("X-Dbt-Workbench-Signature"), body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def signed_with(self, secret: str) -> list[str]:
        """The paths of the requests whose signature matches ``secret``."""
        return [
            path
            for path, header, body in self.received
            if header == "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        ]


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[Hooks]:
    for name in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    server = Hooks()
    yield server
    server.server.shutdown()
    server.server.server_close()


async def test_a_saved_channel_is_tested_with_its_hidden_secret(
    shop: Path, api: Any, conforms: Any, hooks: Hooks
) -> None:
    channels = [
        {"kind": "webhook", "events": ["failure"], "url": f"{hooks.base}/a", "secret": "first"},
        {"kind": "webhook", "events": ["failure"], "url": f"{hooks.base}/b", "secret": "second"},
    ]
    code, created = await api("schedules", method="POST", body=body(notifications=channels))
    assert code == 201, created
    sid = created["id"]

    async def test(**fields: Any) -> tuple[int, Any]:
        return await api(  # type: ignore[no-any-return]
            "schedules", "test-notification", method="POST", body=json.dumps(fields)
        )

    # The saved channel itself: the UI holds no secret, the server signs with the stored one.
    code, delivery = await test(schedule_id=sid, index=1)
    assert code == 200, delivery
    conforms("post", "/schedules/test-notification", delivery)
    assert delivery["status"] == "sent", delivery
    assert hooks.signed_with("second") == ["/b"]

    # Edited but unsaved: the new URL, with the masked secret of saved channel 0.
    edited = {**created["notifications"][0], "url": f"{hooks.base}/edited"}
    assert edited["secret"] == MASK
    code, delivery = await test(channel=edited, schedule_id=sid, index=0)
    assert (code, delivery["status"]) == (200, "sent"), delivery
    assert hooks.signed_with("first") == ["/edited"]

    # Without a saved channel a masked secret cannot be filled in.
    code, error = await test(channel=edited)
    assert code == 400 and "'secret' is masked but no saved value exists" in error["message"]
    code, error = await test(schedule_id=sid, index=2)
    assert code == 400 and "has channels 0 to 1, not 2" in error["message"]
    code, error = await test(schedule_id=sid)
    assert code == 400 and '"index"' in error["message"]
    code, error = await test(schedule_id="no-such-schedule", index=0)
    assert code == 404 and error["reason"] == "schedule_not_found"
    assert len(hooks.received) == 2


async def test_removing_a_channel_does_not_hand_its_secret_to_the_next(
    shop: Path, api: Any, hooks: Hooks
) -> None:
    channels = [
        {"kind": "webhook", "events": ["failure"], "url": f"{hooks.base}/a", "secret": "first"},
        {"kind": "webhook", "events": ["failure"], "url": f"{hooks.base}/b", "secret": "second"},
    ]
    code, created = await api("schedules", method="POST", body=body(notifications=channels))
    assert code == 201, created
    # The editor removed channel 0; channel 1 moves up and says where it was loaded from.
    kept = {**created["notifications"][1], "saved_index": 1}
    code, updated = await api(
        "schedules", created["id"], method="PUT", body=json.dumps({"notifications": [kept]})
    )
    assert code == 200, updated
    assert "saved_index" not in updated["notifications"][0]

    code, delivery = await api(
        "schedules", "test-notification", method="POST",
        body=json.dumps({"schedule_id": created["id"], "index": 0}),
    )  # fmt: skip
    assert (code, delivery["status"]) == (200, "sent"), delivery
    assert hooks.signed_with("second") == ["/b"]
    assert hooks.signed_with("first") == []

    # A new channel (saved_index null) cannot borrow a stored secret either.
    fresh = {**created["notifications"][1], "saved_index": None}
    code, error = await api(
        "schedules", created["id"], method="PUT", body=json.dumps({"notifications": [fresh]})
    )
    assert code == 400
    assert error["message"].startswith("Notification 1: Webhook channel: 'secret' is masked")
