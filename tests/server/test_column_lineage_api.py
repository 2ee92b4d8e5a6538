"""The column lineage API: a model's edges, a column's trace and impact, coverage, errors."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "fixtures" / "artifacts"
ORDERS = "model.jaffle_shop.orders"
STG_ORDERS = "model.jaffle_shop.stg_orders"


def write_shop(root: Path, *, compiled: bool) -> Path:
    """jaffle_shop's artifacts under ``root/shop`` (optionally without compiled code)."""
    folder = root / "shop"
    target = folder / "target"
    target.mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: jaffle_shop\nprofile: jaffle_shop\n")
    manifest = json.loads(
        gzip.decompress((ARTIFACTS / "manifest_v12_dbt-1.12.json.gz").read_bytes())
    )
    if not compiled:
        for node in manifest["nodes"].values():
            node.pop("compiled_code", None)
    (target / "manifest.json").write_text(json.dumps(manifest))
    catalog = gzip.decompress((ARTIFACTS / "catalog_v1_dbt-1.12.json.gz").read_bytes())
    (target / "catalog.json").write_bytes(catalog)
    return folder


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    return write_shop(jp_root_dir, compiled=True)


@pytest.fixture
def uncompiled_shop(jp_root_dir: Path) -> Path:
    return write_shop(jp_root_dir, compiled=False)


async def test_model_edges(shop: Path, api: Any, conforms: Any) -> None:
    status, body = await api("lineage", "columns", ORDERS, params={"project": "shop"})
    assert status == 200, body
    conforms("get", "/lineage/columns/{unique_id}", body)
    assert body["status"] == "ok" and body["reason"] is None
    columns = {c["name"]: c for c in body["columns"]}
    assert columns["order_total"]["sources"] == [
        {
            "source": STG_ORDERS,
            "source_column": "order_total",
            "kind": "passthrough",
            "expression": None,
        }
    ]
    assert {"source": STG_ORDERS, "source_column": "order_id", "kind": "join"} in body[
        "dependencies"
    ]


async def test_column_trace_both_ways(shop: Path, api: Any, conforms: Any) -> None:
    params = {"project": "shop", "node": "orders", "column": "ORDER_TOTAL"}
    status, body = await api("lineage", "column", params=params)
    assert status == 200, body
    conforms("get", "/lineage/column", body)
    assert (body["node"], body["column"], body["direction"]) == (ORDERS, "order_total", "upstream")
    assert {n["id"] for n in body["nodes"]} >= {
        f"{ORDERS}.order_total",
        f"{STG_ORDERS}.order_total",
        "source.jaffle_shop.ecom.raw_orders.order_total",
    }
    kinds = {(e["source"], e["kind"]) for e in body["edges"]}
    assert ("source.jaffle_shop.ecom.raw_orders", "transformation") in kinds

    status, body = await api(
        "lineage", "column", params={**params, "direction": "downstream", "depth": "1"}
    )
    assert status == 200
    conforms("get", "/lineage/column", body)
    assert {e["target"] for e in body["edges"]} == {"model.jaffle_shop.customers"}
    assert {e["distance"] for e in body["edges"]} == {1}


async def test_column_impact(shop: Path, api: Any, conforms: Any) -> None:
    params = {"project": "shop", "node": STG_ORDERS, "column": "order_total"}
    status, body = await api("lineage", "column", "impact", params=params)
    assert status == 200, body
    conforms("get", "/lineage/column/impact", body)
    models = {m["unique_id"]: m for m in body["models"]}
    assert models[ORDERS]["via"] == "value" and models[ORDERS]["distance"] == 1
    assert "model.jaffle_shop.customers" in models
    assert body["exposures"] == []


async def test_coverage(shop: Path, api: Any, conforms: Any) -> None:
    status, body = await api("lineage", "coverage", params={"project": "shop"})
    assert status == 200, body
    conforms("get", "/lineage/coverage", body)
    assert body["counts"]["ok"] == body["models"] == 13
    assert body["columns"]["percent"] == 100.0


async def test_unknown_node_or_column_is_404_naming_it(shop: Path, api: Any) -> None:
    status, body = await api(
        "lineage", "columns", "model.jaffle_shop.nope", params={"project": "shop"}
    )
    assert status == 404 and "model.jaffle_shop.nope" in body["message"]
    params = {"project": "shop", "node": ORDERS, "column": "no_such_column"}
    status, body = await api("lineage", "column", params=params)
    assert status == 404
    assert body["reason"] == "column_not_found" and "no_such_column" in body["message"]
    status, body = await api("lineage", "column", "impact", params={**params, "node": "ghost"})
    assert status == 404 and "ghost" in body["message"]


async def test_bad_parameters_are_400(shop: Path, api: Any) -> None:
    status, body = await api("lineage", "column", params={"project": "shop", "node": ORDERS})
    assert status == 400 and "column" in body["message"]
    params = {"project": "shop", "node": ORDERS, "column": "order_id"}
    status, body = await api("lineage", "column", params={**params, "direction": "sideways"})
    assert status == 400 and "direction" in body["message"]
    status, body = await api("lineage", "column", params={**params, "depth": "-1"})
    assert status == 400 and "depth" in body["message"]


async def test_no_compiled_code_is_409_run_dbt_compile(uncompiled_shop: Path, api: Any) -> None:
    for parts, params in (
        (("lineage", "coverage"), {}),
        (("lineage", "columns", ORDERS), {}),
        (("lineage", "column"), {"node": ORDERS, "column": "order_id"}),
    ):
        status, body = await api(*parts, params={"project": "shop", **params})
        assert status == 409, (parts, body)
        assert body["reason"] == "no_compiled_code"
        assert "run dbt compile" in body["message"]


@pytest.mark.slow
async def test_demo_column_lineage(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("lineage", "coverage", params={"project": "demo"})
    assert status == 200, body
    conforms("get", "/lineage/coverage", body)
    assert body["counts"]["failed"] == 0 and body["counts"]["not_analysed"] == 0
    params = {"project": "demo", "node": "fct_orders", "column": "order_total"}
    status, body = await api("lineage", "column", params=params)
    assert status == 200
    conforms("get", "/lineage/column", body)
    assert any(n["resource_type"] == "seed" for n in body["nodes"])
    status, body = await api(
        "lineage", "column", "impact", params={**params, "node": "stg_orders", "column": "order_id"}
    )
    assert status == 200
    conforms("get", "/lineage/column/impact", body)
    assert body["exposures"]
