"""GET search: over a small hand-written project, and over the really built demo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest
from search_states import manifest

P = {"project": "shop"}


@pytest.fixture
def shop_root(jp_root_dir: Path) -> Path:
    """A project ``shop`` under the server root with the search tests' manifest."""
    folder = jp_root_dir / "shop"
    (folder / "target").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\nversion: '1.0'\n")
    (folder / "target" / "manifest.json").write_bytes(orjson.dumps(manifest()))
    return folder


async def test_search_ranks_and_counts(shop_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("search", params={**P, "q": "orders", "limit": "2"})
    assert status == 200, body
    conforms("get", "/search", body)
    assert body["project"] == "shop" and body["total"] == 6
    assert body["items"][0]["name"] == "orders"
    assert len(body["items"]) == 2
    assert {f["value"]: f["count"] for f in body["facets"]["resource_type"]} == {
        "model": 4,
        "test": 2,
    }


async def test_search_filters_as_parameters(shop_root: Path, api: Any, conforms: Any) -> None:
    params = [
        ("project", "shop"),
        ("q", "orders"),
        ("type", "model"),
        ("materialized", "table"),
        ("materialized", "view"),
    ]
    status, body = await api("search", params=params)
    assert status == 200, body
    conforms("get", "/search", body)
    assert {hit["resource_type"] for hit in body["items"]} == {"model"}
    assert body["query"]["filters"] == {
        "materialized": ["table", "view"],
        "resource_type": ["model"],
    }
    column = (await api("search", params={**P, "q": "order_total"}))[1]["items"][0]
    assert column["match"]["column"] == "order_total"


async def test_an_empty_query_lists_nothing_but_counts_everything(
    shop_root: Path, api: Any, conforms: Any
) -> None:
    status, body = await api("search", params={**P, "q": ""})
    assert status == 200, body
    conforms("get", "/search", body)
    assert body["items"] == [] and body["total"] == 0
    assert sum(f["count"] for f in body["facets"]["resource_type"]) == 10


async def test_bad_search_input_is_refused(shop_root: Path, api: Any) -> None:
    # Tornado closes the connection of a request line over 64 KB; below that, the core says.
    status, body = await api("search", params={**P, "q": "x" * 60_000})
    assert (status, body["reason"]) == (400, "query_too_long")
    status, body = await api("search", params={**P, "q": "y" * 1001})
    assert (status, body["reason"]) == (400, "query_too_long")
    assert "too long" in body["message"]
    status, body = await api("search", params={**P, "q": "x", "limit": "0"})
    assert (status, body["reason"]) == (400, "bad_parameter")
    status, body = await api("search", params={**P, "q": ".*[(|"})
    assert status == 200 and body["total"] == 0
    status, body = await api("search", params={"project": "nope", "q": "x"})
    assert status == 404


@pytest.mark.slow
async def test_search_finds_a_demo_source(demo_root: Path, api: Any, conforms: Any) -> None:
    status, body = await api("search", params={"project": "demo", "q": "web_events"})
    assert status == 200, body
    conforms("get", "/search", body)
    first = body["items"][0]
    assert (first["unique_id"], first["resource_type"]) == (
        "source.copper_kettle.web_tracking.web_events",
        "source",
    )
    status, typo = await api("search", params={"project": "demo", "q": "web_evnets type:source"})
    assert typo["items"][0]["unique_id"] == first["unique_id"]
