"""The model-lineage API over the really built demo project."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

P = {"project": "demo"}


async def test_lineage_around_a_focus_node(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("lineage", params={**P, "focus": "fct_orders"})
    assert status == 200, body
    conforms("get", "/lineage", body)
    assert body["select"] == "1+fct_orders+1"
    assert body["focus"] == "model.copper_kettle.fct_orders"
    by_id = {node["unique_id"]: node for node in body["nodes"]}
    assert by_id["model.copper_kettle.fct_orders"]["distance"] == 0
    assert by_id["model.copper_kettle.fct_orders"]["materialized"] == "table"
    assert {node["distance"] for node in body["nodes"]} == {-1, 0, 1}
    assert "test" not in {node["resource_type"] for node in body["nodes"]}
    assert all(a in by_id and b in by_id for a, b in body["edges"])
    assert any(b == "model.copper_kettle.fct_orders" for _, b in body["edges"])
    assert body["truncated"] is False and body["total"] == len(body["nodes"])


async def test_lineage_grouped_and_capped(demo_root: Path, api: Any, conforms: Any) -> None:
    params = {**P, "select": "+exposure:*", "group_by": "folder", "max_nodes": "5"}
    status, body = await api("lineage", params=params)
    assert status == 200, body
    conforms("get", "/lineage", body)
    assert len(body["nodes"]) == 5 and body["truncated"] is True and body["total"] > 5
    assert sum(group["count"] for group in body["groups"]) == 5
    status, whole = await api("lineage", params={**params, "max_nodes": "500"})
    assert whole["truncated"] is False
    keys = {group["key"] for group in whole["groups"]}
    assert {"models/staging", "models/marts/finance"} <= keys
    assert all(edge["from"] in keys and edge["to"] in keys for edge in whole["group_edges"])


async def test_select_is_the_dbt_ls_equivalent(demo_root: Path, api: Any, conforms: Any) -> None:
    params = {**P, "select": "tag:finance,resource_type:model", "exclude": "fct_orders"}
    status, body = await api("lineage", "select", params=params)
    assert status == 200, body
    conforms("get", "/lineage/select", body)
    assert body["total"] == len(body["unique_ids"]) > 0
    assert "model.copper_kettle.fct_orders" not in body["unique_ids"]
    # The tests of the selected models come along, as with dbt ls (eager indirect selection).
    assert {uid.split(".")[0] for uid in body["unique_ids"]} == {"model", "test"}

    status, nothing = await api("lineage", "select", params={**P, "select": "tag:nope"})
    assert status == 200 and nothing["unique_ids"] == [] and nothing["total"] == 0


async def test_state_compares_with_a_snapshot_or_a_folder(
    demo_root: Path, api: Any, conforms: Any
) -> None:
    status, snapshots = await api("artifacts", "snapshots", params=P)
    version = str(snapshots["snapshots"][0]["version"])
    params = {**P, "select": "state:modified", "state": version}
    status, body = await api("lineage", "select", params=params)
    assert status == 200, body
    conforms("get", "/lineage/select", body)
    assert body["unique_ids"] == []

    baseline = demo_root.parent / "prod"
    baseline.mkdir()
    shutil.copy(demo_root / "target" / "manifest.json", baseline / "manifest.json")
    status, body = await api(
        "lineage", "select", params={**params, "select": "state:new", "state": "prod"}
    )
    assert status == 200 and body["unique_ids"] == []

    status, error = await api("lineage", "select", params={**params, "state": "999"})
    assert status == 404 and "999" in error["message"]
    status, error = await api("lineage", "select", params={**params, "state": "../x"})
    assert status == 400


async def test_impact_of_nodes(demo_root: Path, api: Any, conforms: Any) -> None:
    params = [
        ("project", "demo"),
        ("node", "model.copper_kettle.stg_orders"),
        ("node", "model.copper_kettle.stg_payments"),
    ]
    status, body = await api("lineage", "impact", params=params)
    assert status == 200, body
    conforms("get", "/lineage/impact", body)
    assert body["total"] == len(body["nodes"]) > 0
    assert body["nodes"][0]["distance"] == 1
    assert [n["distance"] for n in body["nodes"]] == sorted(n["distance"] for n in body["nodes"])
    assert body["exposures"] and all(e["resource_type"] == "exposure" for e in body["exposures"])

    status, error = await api("lineage", "impact", params={**P, "node": "model.copper_kettle.nope"})
    assert status == 404 and "nope" in error["message"]


@pytest.mark.parametrize(
    ("path", "params", "named"),
    [
        ("lineage", {"select": "colour:red"}, "colour"),
        ("lineage/select", {"select": "@stg_orders+"}, "@"),
        ("lineage/select", {"select": "state:modified"}, "baseline"),
        ("lineage", {}, "focus"),
        ("lineage", {"select": "stg_orders", "group_by": "colour"}, "colour"),
        ("lineage", {"select": "stg_orders", "max_nodes": "0"}, "max_nodes"),
        ("lineage", {"select": "stg_orders", "depth": "x"}, "depth"),
        ("lineage/impact", {}, "node"),
    ],
)
async def test_bad_requests_are_400_with_the_reason(
    demo_root: Path, api: Any, path: str, params: dict[str, str], named: str
) -> None:
    status, error = await api(*path.split("/"), params={**P, **params})
    assert status == 400, error
    assert named in error["message"]
    if "select" in params and params["select"] != "stg_orders":
        assert error["reason"] == "bad_selector"
