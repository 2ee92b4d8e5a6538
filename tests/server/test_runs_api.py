"""Runs over REST and the websocket, with real dbt runs of the demo project."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

WS_TIMEOUT = 180.0


async def submit(api: Any, status: int = 201, **body: Any) -> Any:
    code, run = await api("runs", method="POST", body=json.dumps(body))
    assert code == status, run
    return run


async def listen(jp_ws_fetch: Any, run_id: str) -> list[dict[str, Any]]:
    """Every message of a run's websocket until the server closes it."""
    ws = await jp_ws_fetch("dbt-workbench", "api", "runs", run_id, "ws")
    messages = []
    try:
        while True:
            raw = await asyncio.wait_for(ws.read_message(), WS_TIMEOUT)
            if raw is None:
                return messages
            messages.append(json.loads(raw))
    finally:
        ws.close()


def event_seqs(messages: list[dict[str, Any]]) -> list[int]:
    return [m["event"]["seq"] for m in messages if m["type"] == "event"]


@pytest.mark.slow
async def test_build_one_model_followed_live_by_several_listeners(
    demo_root: Path, api: Any, jp_ws_fetch: Any, conforms: Any
) -> None:
    run = await submit(api, project="demo", cli="build -s stg_orders")
    conforms("post", "/runs", run)
    assert run["status"] in ("queued", "running")
    assert run["project"] == "demo" and run["command"] == "build"
    assert "stg_orders" in run["cli"]
    assert run["user"], "the Jupyter user is recorded on the run"

    # Two listeners at once, both from the start of the run.
    first, second = await asyncio.gather(
        listen(jp_ws_fetch, run["id"]), listen(jp_ws_fetch, run["id"])
    )
    for messages in (first, second):
        conforms_each(conforms, messages)
        assert messages[-1]["type"] == "end"
        assert messages[-1]["run"]["status"] == "success", messages[-1]["run"]
        seqs = event_seqs(messages)
        assert seqs == sorted(seqs) and len(seqs) == len(set(seqs)), "no event twice"
        assert any(m["type"] == "run" for m in messages)
        texts = [m["event"]["message"] for m in messages if m["type"] == "event"]
        assert any("stg_orders" in text for text in texts)
    assert event_seqs(first) == event_seqs(second)

    # A listener arriving after the end gets the whole backlog, then the end.
    late = await listen(jp_ws_fetch, run["id"])
    assert event_seqs(late) == event_seqs(first)
    assert late[-1]["type"] == "end"

    status, detail = await api("runs", run["id"])
    assert status == 200
    conforms("get", "/runs/{run_id}", detail)
    assert detail["status"] == "success" and detail["returncode"] == 0
    results = {node["unique_id"]: node for node in detail["nodes"]}
    assert results["model.copper_kettle.stg_orders"]["status"] == "success"
    assert detail["counts"].get("success", 0) >= 1
    assert detail["progress"]["done"] == detail["progress"]["total"]

    status, page = await api("runs", params={"project": "demo", "command": "build"})
    assert status == 200
    conforms("get", "/runs", page)
    assert [item["id"] for item in page["items"]] == [run["id"]]
    status, page = await api("runs", params={"status": "failed"})
    assert status == 200 and page["total"] == 0

    status, events = await api("runs", run["id"], "events", params={"limit": 5})
    assert status == 200
    conforms("get", "/runs/{run_id}/events", events)
    assert [e["seq"] for e in events["items"]] == event_seqs(first)[:5]
    status, rest = await api("runs", run["id"], "events", params={"after": events["next"]})
    assert [e["seq"] for e in rest["items"]] == event_seqs(first)[5:]


def conforms_each(conforms: Any, messages: list[dict[str, Any]]) -> None:
    for message in messages:
        conforms("get", "/runs/{run_id}/ws", message)


@pytest.mark.slow
async def test_cancel_a_running_build(demo_root: Path, api: Any, jp_ws_fetch: Any) -> None:
    run = await submit(api, project="demo", command="build")
    ws = await jp_ws_fetch("dbt-workbench", "api", "runs", run["id"], "ws")
    # Cancel once dbt has started working on nodes.
    while True:
        raw = await asyncio.wait_for(ws.read_message(), WS_TIMEOUT)
        assert raw is not None, "the run ended before it could be cancelled"
        message = json.loads(raw)
        if message["type"] == "event" and message["event"]["unique_id"]:
            break
    status, cancelling = await api("runs", run["id"], "cancel", method="POST")
    assert status == 200, cancelling
    while True:
        raw = await asyncio.wait_for(ws.read_message(), WS_TIMEOUT)
        assert raw is not None, "the socket closed without an end message"
        message = json.loads(raw)
        if message["type"] == "end":
            break
    assert message["run"]["status"] == "cancelled"
    status, detail = await api("runs", run["id"])
    assert detail["status"] == "cancelled"
    assert detail["progress"]["done"] < (detail["progress"]["total"] or 10**6)
    status, events = await api("runs", run["id"], "events")
    assert events["items"], "the log of a cancelled run is kept"


@pytest.mark.slow
async def test_bad_requests_are_told_plainly(demo_root: Path, api: Any, jp_ws_fetch: Any) -> None:
    status, body = await api("runs", method="POST", body=json.dumps({"cli": "bogus -s x"}))
    assert status == 400
    assert "`bogus`" in body["message"] and "build" in body["message"]

    status, body = await api("runs", method="POST", body=json.dumps({"command": "run", "sel": 1}))
    assert status == 400 and "'sel'" in body["message"]
    status, body = await api(
        "runs", method="POST", body=json.dumps({"command": "run", "select": [1]})
    )
    assert status == 400 and "'select'" in body["message"]
    status, body = await api("runs", "nope", method="GET")
    assert status == 404 and "nope" in body["message"]
    status, body = await api("runs", "nope", "cancel", method="POST")
    assert status == 404

    # dbt itself refuses this selector: the run ends `error` with dbt's own words.
    run = await submit(api, project="demo", cli="run -s nosuchmethod:x")
    messages = await listen(jp_ws_fetch, run["id"])
    end = messages[-1]["run"]
    assert end["status"] == "error", end
    assert "nosuchmethod" in (end["message"] or ""), end
