"""The API over a really built demo project (dbt build + docs generate + source freshness)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


async def nodes(api: Any, **params: Any) -> list[dict[str, Any]]:
    status, page = await api("nodes", params={"project": "demo", "limit": 5000, **params})
    assert status == 200, page
    assert page["total"] == len(page["items"])
    return page["items"]


async def test_projects_lists_the_built_demo(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("projects")
    assert status == 200
    conforms("get", "/projects", body)
    (project,) = body["projects"]
    assert project["id"] == "demo"
    assert project["loaded"] is True
    assert project["error"] is None
    assert project["adapter_type"] == "duckdb"
    counts = project["counts"]
    assert counts["model"] >= 12
    assert counts["seed"] >= 5
    assert counts["snapshot"] >= 1
    assert counts["source"] >= 1
    assert counts["exposure"] >= 1


async def test_nodes_filters(demo_root: Path, api: Any, conforms: Any) -> None:
    status, page = await api("nodes", params={"project": "demo", "limit": 3})
    conforms("get", "/nodes", page)
    assert status == 200 and len(page["items"]) == 3 and page["total"] > 3

    models = await nodes(api, resource_type="model")
    assert {n["resource_type"] for n in models} == {"model"}
    marts = await nodes(api, resource_type="model", path="models/marts")
    assert marts and all(n["original_file_path"].startswith("models/marts") for n in marts)
    assert all(
        n["folder"] == "models/marts" or n["folder"].startswith("models/marts/") for n in marts
    )
    assert len(marts) < len(models)

    views = await nodes(api, materialized="view")
    assert views and all(n["materialized"] == "view" for n in views)
    assert any(n["materialized"] == "incremental" for n in models)

    everything = await nodes(api)
    assert "test" not in {n["resource_type"] for n in everything}
    tests = await nodes(api, resource_type="test")
    assert tests and all(n["status"] in ("pass", "warn", "fail", "error", "skipped") for n in tests)
    assert any(n["status"] == "warn" for n in tests), "the demo has a test that warns"

    tagged = await nodes(api, tag=models[0]["tags"][0]) if models[0]["tags"] else models
    assert all(models[0]["tags"][0] in n["tags"] for n in tagged) or not models[0]["tags"]

    first = models[0]
    found = await nodes(api, q=first["name"].upper())
    assert first["unique_id"] in {n["unique_id"] for n in found}


async def test_model_detail_has_catalog_columns_tests_and_lineage(
    demo_root: Path, api: Any, conforms: Any
) -> None:
    catalog = json.loads((demo_root / "target" / "catalog.json").read_text())
    marts = await nodes(api, resource_type="model", path="models/marts")
    mart = next(n for n in marts if n["unique_id"] in catalog["nodes"])
    status, detail = await api("nodes", mart["unique_id"], params={"project": "demo"})
    assert status == 200
    conforms("get", "/nodes/{unique_id}", detail)

    expected = catalog["nodes"][mart["unique_id"]]["columns"]
    got = {c["name"].lower(): c["data_type"] for c in detail["columns"]}
    for name, column in expected.items():
        assert got[name.lower()] == column["type"]
    assert detail["compiled_code"] and "select" in detail["compiled_code"].lower()
    assert detail["raw_code"] and "ref(" in detail["raw_code"]
    assert detail["depends_on"], "a mart has parents"
    assert detail["last_run"]["status"] == "success"
    parent = detail["depends_on"][0]["unique_id"]
    status, parent_detail = await api("nodes", parent, params={"project": "demo"})
    assert mart["unique_id"] in {r["unique_id"] for r in parent_detail["referenced_by"]}


async def test_tests_are_attached_to_columns(demo_root: Path, api: Any) -> None:
    tests = await nodes(api, resource_type="test")
    column_test = next(t for t in tests if t["name"].startswith(("not_null", "unique")))
    status, test_detail = await api("nodes", column_test["unique_id"], params={"project": "demo"})
    assert status == 200
    model_id = test_detail["depends_on"][0]["unique_id"]
    _, model = await api("nodes", model_id, params={"project": "demo"})
    attached = {t["unique_id"]: t for t in model["tests"]}
    assert column_test["unique_id"] in attached
    assert attached[column_test["unique_id"]]["status"] in ("pass", "warn")
    column_tests = [t for c in model["columns"] for t in c["tests"]]
    assert column_test["unique_id"] in {t["unique_id"] for t in column_tests}


async def test_sources_have_freshness_and_exposures_owners(demo_root: Path, api: Any) -> None:
    sources = await nodes(api, resource_type="source")
    fresh = []
    for source in sources:
        _, detail = await api("nodes", source["unique_id"], params={"project": "demo"})
        if detail["freshness"]:
            fresh.append(detail)
    assert fresh, "the demo checks the freshness of at least one source"
    assert all(d["freshness"]["status"] in ("pass", "warn") for d in fresh)
    assert all(d["loaded_at_field"] for d in fresh)

    (exposure, *_) = await nodes(api, resource_type="exposure")
    _, detail = await api("nodes", exposure["unique_id"], params={"project": "demo"})
    assert detail["owner"]
    assert detail["depends_on"]


async def test_unknown_node_is_a_404_naming_it(demo_root: Path, api: Any) -> None:
    status, body = await api("nodes", "model.demo.no_such_model", params={"project": "demo"})
    assert status == 404
    assert body["reason"] == "node_not_found"
    assert "model.demo.no_such_model" in body["message"]


@pytest.mark.parametrize("project", ["../demo", "/etc", "demo/../../x", "..", "demo/../.."])
async def test_project_parameter_cannot_escape_the_root(
    demo_root: Path, api: Any, project: str
) -> None:
    status, body = await api("nodes", params={"project": project})
    assert status == 400
    assert body["reason"] == "unsafe_path"


async def test_unknown_project_is_a_404(demo_root: Path, api: Any) -> None:
    status, body = await api("nodes", params={"project": "elsewhere"})
    assert status == 404
    assert "elsewhere" in body["message"]


async def test_snapshots_and_artifact_status(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("artifacts", params={"project": "demo"})
    assert status == 200
    conforms("get", "/artifacts", body)
    kinds = {a["kind"]: a for a in body["artifacts"]}
    assert set(kinds) == {"manifest", "catalog", "run_results", "sources"}
    assert kinds["manifest"]["schema_version"] == 12
    assert all(a["present"] for a in kinds.values())

    status, body = await api("artifacts/snapshots", params={"project": "demo"})
    assert status == 200
    conforms("get", "/artifacts/snapshots", body)
    assert body["snapshots"][0]["version"] >= 1
    assert "manifest" in body["snapshots"][0]["kinds"]


async def test_health(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("health")
    assert status == 200
    conforms("get", "/health", body)
    assert body["status"] == "ok"
    assert body["projects"] == 1
    assert body["dbt_version"].startswith("1.11")
