"""Listing nodes with filters and pages, and the detail of one node."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from artifact_builders import ProjectFactory, small_catalog, small_manifest

from jupyterlab_dbt_workbench.catalog.listing import NodeFilter
from jupyterlab_dbt_workbench.errors import InvalidRequest, NodeNotFound
from jupyterlab_dbt_workbench.payloads import NodePage
from jupyterlab_dbt_workbench.workbench import Workbench


def ids(page: NodePage) -> list[str]:
    return [item["unique_id"] for item in page["items"]]


@pytest.fixture
def small(tmp_path: Path, make_project: ProjectFactory) -> Iterator[Workbench]:
    make_project(name="shop", manifest=small_manifest(), catalog=small_catalog())
    bench = Workbench(tmp_path, store_path=None)
    yield bench
    bench.close()


def test_tests_are_left_out_unless_asked_for(workbench: Workbench) -> None:
    default = workbench.list_nodes(None, NodeFilter(), 0, 200)
    tests = workbench.list_nodes(None, NodeFilter(resource_types=("test",)), 0, 200)
    everything = workbench.list_nodes(None, NodeFilter(include_tests=True), 0, 200)

    assert default["total"] == 57
    assert not any(item["resource_type"] in ("test", "unit_test") for item in default["items"])
    assert tests["total"] == 27
    assert {item["resource_type"] for item in tests["items"]} == {"test"}
    assert everything["total"] == 87


def test_models_come_first_and_pages_cover_the_listing(workbench: Workbench) -> None:
    filters = NodeFilter(resource_types=("model", "seed"))
    whole = workbench.list_nodes(None, filters, 0, 200)
    pages = [workbench.list_nodes(None, filters, offset, 5) for offset in range(0, 20, 5)]

    assert whole["total"] == 19
    assert [item["resource_type"] for item in whole["items"]] == ["model"] * 13 + ["seed"] * 6
    assert [unique_id for page in pages for unique_id in ids(page)] == ids(whole)
    assert [len(page["items"]) for page in pages] == [5, 5, 5, 4]
    assert all(page["total"] == 19 and page["limit"] == 5 for page in pages)
    assert pages[2]["offset"] == 10


def test_filters_by_path_materialization_package_and_status(workbench: Workbench) -> None:
    models = ("model",)
    marts = workbench.list_nodes(None, NodeFilter(models, path="models/marts"), 0, 200)
    partial = workbench.list_nodes(None, NodeFilter(models, path="models/mar"), 0, 200)
    views = workbench.list_nodes(None, NodeFilter(materialized="view"), 0, 200)
    other_package = workbench.list_nodes(None, NodeFilter(package="dbt_utils"), 0, 200)
    warned = workbench.list_nodes(None, NodeFilter(status="warn"), 0, 200)

    assert marts["total"] == 7
    assert all(item["folder"] == "models/marts" for item in marts["items"])
    assert partial["total"] == 0
    assert {item["name"] for item in views["items"]} == {
        "stg_customers",
        "stg_locations",
        "stg_order_items",
        "stg_orders",
        "stg_products",
        "stg_supplies",
    }
    assert other_package["total"] == 0
    assert ids(warned) == ["source.jaffle_shop.ecom.raw_orders"]


def test_text_search_reads_names_descriptions_and_column_names(workbench: Workbench) -> None:
    by_column = workbench.list_nodes(None, NodeFilter(q="LIFETIME_SPEND"), 0, 200)
    by_description = workbench.list_nodes(None, NodeFilter(q="Order OVERVIEW data mart"), 0, 200)
    by_source_name = workbench.list_nodes(
        None, NodeFilter(q="ecom", resource_types=("source",)), 0, 200
    )

    assert "model.jaffle_shop.customers" in ids(by_column)
    assert ids(by_description) == ["model.jaffle_shop.orders", "semantic_model.jaffle_shop.orders"]
    assert by_source_name["total"] == 6


def test_filters_by_tags_combined_with_type(small: Workbench) -> None:
    finance = small.list_nodes(None, NodeFilter(tags=("finance",)), 0, 200)
    daily_or_missing = small.list_nodes(None, NodeFilter(tags=("daily", "nope")), 0, 200)
    finance_tables = small.list_nodes(
        None, NodeFilter(tags=("finance",), materialized="table"), 0, 200
    )

    assert ids(finance) == ["model.shop.payments", "model.shop.revenue"]
    assert ids(daily_or_missing) == ["model.shop.payments"]
    assert ids(finance_tables) == ["model.shop.revenue"]


@pytest.mark.parametrize(("offset", "limit"), [(-1, 10), (0, 0), (0, 5001)])
def test_out_of_range_paging_is_refused(workbench: Workbench, offset: int, limit: int) -> None:
    with pytest.raises(InvalidRequest):
        workbench.list_nodes(None, NodeFilter(), offset, limit)


def test_model_detail_has_catalog_types_tests_with_results_and_lineage(
    workbench: Workbench,
) -> None:
    detail = workbench.node(None, "model.jaffle_shop.orders")

    assert detail["name"] == "orders"
    assert detail["folder"] == "models/marts"
    assert detail["materialized"] == "table"
    assert detail["status"] == "success"
    assert detail["test_status"] == "fail"
    assert detail["relation_name"] == '"jaffle_shop"."main"."orders"'
    assert detail["catalog"] is not None and detail["catalog"]["type"] == "BASE TABLE"
    columns = {column["name"]: column for column in detail["columns"]}
    assert [column["index"] for column in detail["columns"]][:3] == [1, 2, 3]
    assert columns["order_id"]["data_type"] == "VARCHAR"
    assert columns["subtotal"]["data_type"] == "DECIMAL(16,2)"
    order_id_tests = {test["test_name"]: test for test in columns["order_id"]["tests"]}
    assert order_id_tests["not_null"]["status"] == "fail"
    assert order_id_tests["not_null"]["failures"] == 3
    assert order_id_tests["not_null"]["message"] == "Got 3 results"
    assert order_id_tests["unique"]["status"] == "pass"
    assert columns["customer_id"]["tests"][0]["status"] == "warn"
    assert len(detail["tests"]) == 6
    unit = [test for test in detail["tests"] if test["test_type"] == "unit"]
    assert [test["status"] for test in unit] == ["pass"]
    assert [ref["unique_id"] for ref in detail["depends_on"]] == [
        "model.jaffle_shop.order_items",
        "model.jaffle_shop.stg_orders",
    ]
    assert {ref["unique_id"] for ref in detail["referenced_by"]} == {
        "model.jaffle_shop.customers",
        "semantic_model.jaffle_shop.orders",
    }
    assert detail["last_run"] is not None
    assert detail["last_run"]["invocation_id"] == "24ad943b-c71e-497c-be0b-d037a3c525ad"
    assert detail["raw_code"] and "ref(" in detail["raw_code"]
    assert detail["freshness"] is None


def test_source_detail_has_its_freshness(workbench: Workbench) -> None:
    warned = workbench.node(None, "source.jaffle_shop.ecom.raw_orders")
    failed = workbench.node(None, "source.jaffle_shop.ecom.raw_customers")

    assert warned["status"] == "warn"
    assert warned["source_name"] == "ecom"
    assert warned["freshness"] == {
        "status": "warn",
        "max_loaded_at": "2026-08-09T08:00:00+00:00",
        "snapshotted_at": "2026-08-10T08:00:00+00:00",
        "age_seconds": 86400.0,
        "warn_after": "12 hour",
        "error_after": "2 day",
    }
    assert failed["status"] == "runtime error"
    assert [ref["unique_id"] for ref in warned["referenced_by"]] == ["model.jaffle_shop.stg_orders"]


def test_detail_merges_declared_and_catalog_columns_and_finds_owners(small: Workbench) -> None:
    payments = small.node(None, "model.shop.payments")
    revenue = small.node(None, "model.shop.revenue")
    board = small.node(None, "exposure.shop.board")

    assert [column["name"] for column in payments["columns"]] == [
        "payment_id",
        "amount",
        "LOADED_AT",
        "note",
    ]
    amount = payments["columns"][1]
    assert (amount["data_type"], amount["declared_type"], amount["index"]) == (
        "NUMBER(38,2)",
        "numeric",
        2,
    )
    assert amount["tags"] == ["pii"]
    assert amount["meta"] == {"unit": "USD"}
    note = payments["columns"][3]
    assert (note["data_type"], note["declared_type"], note["index"]) == ("text", "text", None)
    assert payments["catalog"] == {
        "type": "VIEW",
        "owner": "LOADER",
        "stats": {"row_count": {"label": "Row Count", "value": 1200}},
        "rows": 1200,
        "bytes": None,
    }
    assert payments["owner"] == "finance-team"
    assert revenue["owner"] == "cfo"
    assert board["owner"] == "Ada"
    assert board["exposure"] == {
        "type": "dashboard",
        "url": "https://bi.example.com/board",
        "maturity": "high",
    }
    # No parent/child maps in this manifest: lineage comes from depends_on.
    assert [ref["unique_id"] for ref in revenue["depends_on"]] == ["model.shop.payments"]
    assert [ref["unique_id"] for ref in revenue["referenced_by"]] == ["exposure.shop.board"]
    assert [ref["unique_id"] for ref in payments["referenced_by"]] == ["model.shop.revenue"]


def test_singular_tests_belong_to_every_node_they_read(small: Workbench) -> None:
    payments = small.node(None, "model.shop.payments")
    revenue = small.node(None, "model.shop.revenue")

    singular = {
        "unique_id": "test.shop.revenue_matches_payments",
        "name": "revenue_matches_payments",
        "test_type": "singular",
        "test_name": None,
        "column_name": None,
        "severity": "warn",
        "status": None,
        "message": None,
        "failures": None,
        "executed_at": None,
    }
    assert singular in payments["tests"]
    assert revenue["tests"] == [singular]
    assert payments["columns"][0]["tests"][0]["test_name"] == "not_null"


def test_detail_payloads_are_copies_of_the_state(small: Workbench) -> None:
    first = small.node(None, "model.shop.payments")
    first["meta"]["owner"] = "someone else"
    first["columns"][1]["meta"]["unit"] = "EUR"
    first["config"]["materialized"] = "table"

    again = small.node(None, "model.shop.payments")

    assert again["meta"]["owner"] == "finance-team"
    assert again["columns"][1]["meta"] == {"unit": "USD"}
    assert again["config"]["materialized"] == "view"


def test_unknown_node_raises_node_not_found_naming_it(workbench: Workbench) -> None:
    with pytest.raises(NodeNotFound, match=r"model\.jaffle_shop\.nope"):
        workbench.node(None, "model.jaffle_shop.nope")
