"""The runs websocket and REST verbs over a fake dbt: auth, queueing, heartbeats, listeners.

The fake dbt (tests/runs/fake_dbt.py) prints recorded dbt JSON log lines from a scenario file
in the project, so these tests take a second or two instead of a real dbt's ten.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from tornado.httpclient import HTTPClientError

TIMEOUT = 30.0


def dbt_line(
    name: str, msg: str, unique_id: str | None = None, status: str = "", **data: Any
) -> str:
    if unique_id is not None:
        data["node_info"] = {"unique_id": unique_id, "node_status": status}
    info = {"name": name, "level": "info", "msg": msg, "ts": "2026-01-01T00:00:00Z"}
    return json.dumps({"info": info, "data": data})


MODELS = ("model.shop.orders", "model.shop.customers")
LINES = [dbt_line("MainReportVersion", "Running with dbt=1.11.0")] + [
    line
    for index, uid in enumerate(MODELS, start=1)
    for line in (
        dbt_line("LogStartLine", f"{index} of 2 START {uid}", uid, "started", index=index, total=2),
        dbt_line("LogModelResult", f"{index} of 2 OK {uid}", uid, "success", index=index, total=2),
    )
]


@pytest.fixture
def jp_server_config(fake_dbt: str) -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0.2,
            "store_path": ":memory:",
            "dbt_executable": fake_dbt,
            "max_concurrent_runs": 1,
            "run_heartbeat_interval": 0.2,
            "cancel_interrupt_timeout": 1.0,
            "cancel_terminate_timeout": 1.0,
        },
    }


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    """A project for the fake dbt: it prints two models' results over about a second."""
    folder = jp_root_dir / "shop"
    folder.mkdir()
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    scenario = {"lines": LINES, "line_delay": 0.2, "sleep": 0.3}
    (folder / "fake_dbt.json").write_text(json.dumps(scenario))
    return folder


async def submit(api: Any, **body: Any) -> Any:
    status, run = await api("runs", method="POST", body=json.dumps(body))
    assert status == 201, run
    return run


async def read(ws: Any) -> dict[str, Any] | None:
    raw = await asyncio.wait_for(ws.read_message(), TIMEOUT)
    return None if raw is None else json.loads(raw)


async def read_all(ws: Any) -> list[dict[str, Any]]:
    messages = []
    while (message := await read(ws)) is not None:
        messages.append(message)
    return messages


async def test_a_websocket_without_a_valid_token_is_refused(
    shop: Path, api: Any, jp_ws_fetch: Any
) -> None:
    run = await submit(api, project="shop", cli="run")
    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch(
            "dbt-workbench", "api", "runs", run["id"], "ws", headers={"Authorization": "token x"}
        )
    assert refused.value.code == 403


async def test_following_runs_needs_the_read_permission(
    shop: Path, api: Any, jp_ws_fetch: Any, jp_serverapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    run = await submit(api, project="shop", cli="run")
    authorizer = jp_serverapp.web_app.settings["authorizer"]
    seen: list[tuple[str, str]] = []

    def is_authorized(handler: Any, user: Any, action: str, resource: str) -> bool:
        seen.append((action, resource))
        return resource != "dbt_workbench:runs"

    monkeypatch.setattr(authorizer, "is_authorized", is_authorized)
    with pytest.raises(HTTPClientError) as refused:
        await jp_ws_fetch("dbt-workbench", "api", "runs", run["id"], "ws")
    assert refused.value.code == 403
    assert ("read", "dbt_workbench:runs") in seen


async def test_an_unknown_run_is_404_before_the_upgrade(
    shop: Path, api: Any, jp_ws_fetch: Any
) -> None:
    with pytest.raises(HTTPClientError) as missing:
        await jp_ws_fetch("dbt-workbench", "api", "runs", "no-such-run", "ws")
    assert missing.value.code == 404


async def test_a_run_beyond_the_limit_waits_and_the_user_is_told(
    shop: Path, api: Any, jp_ws_fetch: Any, conforms: Any
) -> None:
    first = await submit(api, project="shop", cli="run -s orders")
    second = await submit(api, project="shop", command="run", select=["customers"])
    assert second["status"] == "queued"
    assert "position 1" in second["message"]
    status, page = await api("runs", params={"status": "queued"})
    assert [item["id"] for item in page["items"]] == [second["id"]]

    ws = await jp_ws_fetch("dbt-workbench", "api", "runs", second["id"], "ws")
    messages = await read_all(ws)
    for message in messages:
        conforms("get", "/runs/{run_id}/ws", message)
    kinds = [m["type"] for m in messages]
    statuses = [m["run"]["status"] for m in messages if m["type"] in ("run", "end")]
    assert statuses[0] == "queued" and "running" in statuses and statuses[-1] == "success"
    assert kinds[-1] == "end"
    # Waiting behind the first run took longer than a heartbeat interval.
    assert "heartbeat" in kinds[: kinds.index("event")]
    events = [m["event"] for m in messages if m["type"] == "event"]
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert {e["unique_id"] for e in events if e["unique_id"]} == set(MODELS)
    assert messages[-1]["run"]["progress"] == {"done": 2, "total": 2}

    status, detail = await api("runs", first["id"])
    assert status == 200 and detail["status"] == "success"
    assert detail["request"]["select"] == ["orders"]
    status, detail = await api("runs", second["id"])
    assert status == 200 and detail["request"]["select"] == ["customers"] and detail["user"]


async def test_cancel_a_queued_run_then_rerun_and_retry(
    shop: Path, api: Any, jp_ws_fetch: Any
) -> None:
    first = await submit(api, project="shop", cli="run")
    second = await submit(api, project="shop", cli="run")
    status, cancelled = await api("runs", second["id"], "cancel", method="POST")
    assert status == 200 and cancelled["status"] == "cancelled"
    assert "before it started" in cancelled["message"]

    # Follow the first to its end, then ask for it again.
    ws = await jp_ws_fetch("dbt-workbench", "api", "runs", first["id"], "ws")
    assert (await read_all(ws))[-1]["run"]["status"] == "success"
    status, again = await api("runs", first["id"], "rerun", method="POST")
    assert status == 201 and again["rerun_of"] == first["id"]
    status, body = await api("runs", first["id"], "retry", method="POST")
    assert status == 409 and "nothing to retry" in body["message"]
    status, body = await api("runs", "nope", "rerun", method="POST")
    assert status == 404 and "nope" in body["message"]


async def test_listeners_come_and_go_while_a_run_goes_on(
    shop: Path, api: Any, jp_ws_fetch: Any, jp_serverapp: Any, wait_for: Any
) -> None:
    run = await submit(api, project="shop", cli="run")
    service = jp_serverapp.web_app.settings["dbt_workbench_service"]
    manager = await service.run_manager()

    leaving = await jp_ws_fetch("dbt-workbench", "api", "runs", run["id"], "ws")
    staying = await jp_ws_fetch("dbt-workbench", "api", "runs", run["id"], "ws")
    assert (await read(leaving)) is not None
    leaving.close()

    async def one_listener_left() -> bool:
        active = manager._active(run["id"])
        return active is None or len(active.subscribers) == 1

    await wait_for(one_listener_left)
    messages = await read_all(staying)
    assert messages[-1]["type"] == "end"
    assert messages[-1]["run"]["status"] == "success"
