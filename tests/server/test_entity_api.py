"""GET dashboard, nodes/<uid>/history, nodes/<uid>/schema-history and macro pages, on the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

DIM_CUSTOMERS = "model.copper_kettle.dim_customers"


@pytest.mark.slow
async def test_dashboard_of_the_demo(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("dashboard", params={"project": "demo"})
    assert status == 200, body
    conforms("GET", "/dashboard", body)
    assert body["project"] == "demo"
    assert body["counts"]["model"] == 20
    assert body["tests"]["warn"] == 2
    assert body["warning_tests"]["total"] == 2
    assert body["last_run"] is None
    assert body["last_invocation"]["command"] == "build"


@pytest.mark.slow
async def test_entity_extras_of_the_demo(demo_root: Path, api: Any, conforms: Any) -> None:
    status, detail = await api("nodes", DIM_CUSTOMERS, params={"project": "demo"})
    assert status == 200
    conforms("GET", "/nodes/{unique_id}", detail)
    assert detail["contract"] == {"enforced": True, "alias_types": True}
    customer_id = detail["columns"][0]
    assert {c["type"] for c in customer_id["constraints"]} == {"not_null", "primary_key"}
    tier = next(c for c in detail["columns"] if c["name"] == "loyalty_tier")
    assert tier["doc_blocks"] == ["doc.copper_kettle.loyalty_tier"]

    status, history = await api("nodes", DIM_CUSTOMERS, "history", params={"project": "demo"})
    assert status == 200
    conforms("GET", "/nodes/{unique_id}/history", history)
    assert history["items"] == []

    status, schema = await api("nodes", DIM_CUSTOMERS, "schema-history", params={"project": "demo"})
    assert status == 200
    conforms("GET", "/nodes/{unique_id}/schema-history", schema)
    assert schema["first_seen"] is not None
    assert {"name": "customer_id", "type": "INTEGER"} in schema["first_seen"]["columns"]

    status, macro = await api("nodes", "macro.copper_kettle.to_money", params={"project": "demo"})
    assert status == 200
    conforms("GET", "/nodes/{unique_id}", macro)
    assert macro["macro"]["arguments"][0]["name"] == "column"

    status, error = await api("nodes", "model.copper_kettle.nope", "history",
                              params={"project": "demo"})  # fmt: skip
    assert status == 404
    assert "model.copper_kettle.nope" in error["message"]
    status, error = await api(
        "nodes", DIM_CUSTOMERS, "history", params={"project": "demo", "limit": "0"}
    )
    assert status == 400
