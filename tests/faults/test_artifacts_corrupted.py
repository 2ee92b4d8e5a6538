"""Fault: target/manifest.json is rewritten half-way, then with garbage, while the server
polls it (every 0.2 s here), as a crashed dbt or a bad copy would leave it.

The node list keeps serving the last good state, ``GET artifacts`` names the problem, and a
good manifest written later is picked up and clears it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sql_project import make_project


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    folder = jp_root_dir / "shop"
    make_project(folder)
    return folder


async def test_a_corrupted_manifest_keeps_the_last_good_state(
    shop: Path, api: Any, wait_for: Callable[..., Any]
) -> None:
    manifest_path = shop / "target" / "manifest.json"
    good = manifest_path.read_bytes()
    code, before = await api("nodes", params={"project": "shop", "limit": 500})
    assert code == 200 and before["total"] > 1
    code, status = await api("artifacts", params={"project": "shop"})
    assert status["error"] is None
    version = status["version"]

    async def manifest_problem(marker: str) -> Any:
        _code, status = await api("artifacts", params={"project": "shop"})
        error = status["error"]
        if error is not None and error["artifact"] == "manifest" and marker in error["message"]:
            return status
        return None

    for broken, marker in ((good[: len(good) // 2], "manifest.json"), (b"\x00garbage{{", "")):
        manifest_path.write_bytes(broken)
        status = await wait_for(lambda marker=marker: manifest_problem(marker))
        assert status["error"]["reason"] in ("malformed_artifact", "artifact_busy")
        assert "Showing the state loaded at" in status["error"]["message"]
        assert status["version"] == version
        code, nodes = await api("nodes", params={"project": "shop", "limit": 500})
        assert code == 200 and nodes == before
        code, health = await api("health")
        assert health["status"] == "degraded"

    # A good manifest (one model fewer) is picked up and the problem goes away.
    data = json.loads(good)
    dropped = next(uid for uid in data["nodes"] if uid.startswith("model."))
    del data["nodes"][dropped]
    manifest_path.write_text(json.dumps(data))

    async def recovered() -> Any:
        _code, status = await api("artifacts", params={"project": "shop"})
        return status if status["error"] is None and status["version"] != version else None

    status = await wait_for(recovered)
    code, nodes = await api("nodes", params={"project": "shop", "limit": 500})
    assert nodes["total"] == before["total"] - 1
    assert dropped not in {item["unique_id"] for item in nodes["items"]}
    code, snapshots = await api("artifacts", "snapshots", params={"project": "shop"})
    assert [entry["version"] for entry in snapshots["snapshots"]][:2] == [
        status["version"],
        version,
    ]
