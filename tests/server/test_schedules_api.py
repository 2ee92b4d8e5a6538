"""Schedules over REST, with the fake dbt of the run tests at the subprocess seam and the
server's own loop ticking every 0.2 s."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

FAKE_DBT = Path(__file__).parents[1] / "runs" / "fake_dbt.py"
MASK = "********"


@pytest.fixture
def fake_dbt(tmp_path: Path) -> str:
    executable = tmp_path / "bin" / "dbt"
    executable.parent.mkdir()
    executable.write_text(f"#!{sys.executable}\n" + FAKE_DBT.read_text())
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
    return str(executable)


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
        ({"steps": ["build --no-such-thing", "frobnicate"]}, "Step 2 (`frobnicate`)"),
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
