"""Bad artifacts and bad requests: a clear message, and the last good state keeps being served."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest


async def test_no_project_under_the_root(api: Any, jp_root_dir: Path) -> None:
    status, body = await api("projects")
    assert status == 200
    assert body["projects"] == []
    status, body = await api("nodes")
    assert status == 404
    assert body["reason"] == "no_projects"
    assert "dbt_project.yml" in body["message"]


async def test_project_without_artifacts_says_to_run_dbt(api: Any, jp_root_dir: Path) -> None:
    project = jp_root_dir / "fresh"
    project.mkdir()
    (project / "dbt_project.yml").write_text("name: fresh\nprofile: fresh\nversion: '1.0'\n")
    # Created after the server started: the user (or the panel's refresh button) rescans.
    status, body = await api("projects/rescan", method="POST")
    assert [p["id"] for p in body["projects"]] == ["fresh"]
    assert body["projects"][0]["loaded"] is False
    status, body = await api("nodes", params={"project": "fresh"})
    assert status == 409
    assert body["reason"] == "artifacts_not_loaded"
    assert "dbt parse" in body["message"] or "dbt build" in body["message"]


async def node_count(api: Any) -> int:
    status, page = await api("nodes", params={"project": "demo", "limit": 1})
    assert status == 200, page
    return int(page["total"])


async def project_error(api: Any) -> Any:
    _, body = await api("projects")
    return body["projects"][0]["error"]


@pytest.mark.slow
async def test_truncated_manifest_keeps_the_last_good_state(
    demo_root: Path, api: Any, wait_for: Any
) -> None:
    before = await node_count(api)
    manifest = demo_root / "target" / "manifest.json"
    good = manifest.read_bytes()
    manifest.write_bytes(good[: len(good) // 2])

    error = await wait_for(lambda: project_error(api))
    assert error["artifact"] == "manifest"
    assert error["reason"] == "malformed_artifact"
    assert "manifest.json" in error["message"]
    assert await node_count(api) == before

    _, health = await api("health")
    assert health["status"] == "degraded"
    assert any("manifest.json" in problem for problem in health["problems"])

    manifest.write_bytes(good)

    async def recovered() -> bool:
        return await project_error(api) is None

    await wait_for(recovered)
    assert await node_count(api) == before


@pytest.mark.slow
async def test_unsupported_manifest_version_is_refused(
    demo_root: Path, api: Any, wait_for: Any
) -> None:
    before = await node_count(api)
    manifest = demo_root / "target" / "manifest.json"
    data = json.loads(manifest.read_text())
    data["metadata"]["dbt_schema_version"] = "https://schemas.getdbt.com/dbt/manifest/v8.json"
    manifest.write_text(json.dumps(data))

    status, body = await api("artifacts/reload", method="POST", params={"project": "demo"})
    assert status == 422
    assert body["reason"] == "unsupported_schema_version"
    assert "v8" in body["message"]
    assert await node_count(api) == before
    _, status_body = await api("artifacts", params={"project": "demo"})
    assert status_body["error"]["reason"] == "unsupported_schema_version"


@pytest.mark.slow
async def test_manifest_deleted_while_serving(demo_root: Path, api: Any, wait_for: Any) -> None:
    before = await node_count(api)
    (demo_root / "target" / "manifest.json").unlink()
    error = await wait_for(lambda: project_error(api))
    assert "manifest.json" in error["message"]
    assert await node_count(api) == before


@pytest.mark.slow
async def test_new_artifacts_are_picked_up_and_versioned(
    demo_root: Path, api: Any, wait_for: Any
) -> None:
    _, body = await api("artifacts/snapshots", params={"project": "demo"})
    first = body["snapshots"][0]["version"]
    manifest = demo_root / "target" / "manifest.json"
    data = json.loads(manifest.read_text())
    model_id = next(k for k in data["nodes"] if k.startswith("model."))
    data["nodes"][model_id]["description"] = "Changed by a test."
    manifest.write_text(json.dumps(data))

    async def new_version() -> Any:
        _, body = await api("artifacts/snapshots", params={"project": "demo"})
        return body["snapshots"][0]["version"] > first

    await wait_for(new_version)
    _, detail = await api("nodes", model_id, params={"project": "demo"})
    assert detail["description"] == "Changed by a test."
