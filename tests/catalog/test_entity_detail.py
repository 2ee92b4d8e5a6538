"""Node pages: docs blocks, constraints, contracts, statistics, freshness rules and macros."""

from __future__ import annotations

from pathlib import Path

import pytest
from entity_builders import NOT_NULL, ORDERS, RAW_ORDERS, REVENUE, UNIQUE, build

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.catalog.detail import node_detail
from jupyterlab_dbt_workbench.catalog.docs import docs_index, resolve_docs
from jupyterlab_dbt_workbench.errors import NodeNotFound


@pytest.fixture
def state(tmp_path: Path) -> ProjectState:
    return build(tmp_path)


def test_doc_calls_are_resolved_from_the_nodes_own_package_first(state: ProjectState) -> None:
    detail = node_detail(state, ORDERS)
    # "orders_intro" exists in two packages: the model's own (shop) wins.
    assert detail["description"].startswith("Orders. One row per **order**. See the glossary.")
    assert "From another package" not in detail["description"]
    assert detail["description_raw"].startswith("Orders. {{ doc('orders_intro') }}")
    assert detail["doc_blocks"] == ["doc.shop.orders_intro", "doc.shop.glossary"]


def test_an_unknown_doc_block_is_left_as_written(state: ProjectState) -> None:
    assert detail_text(state).endswith("{{ doc('nowhere') }}")


def detail_text(state: ProjectState) -> str:
    return node_detail(state, ORDERS)["description"]


def test_two_argument_doc_calls_name_the_package(state: ProjectState) -> None:
    index = docs_index(state)
    text = resolve_docs("{{ doc('other', 'orders_intro') }}", index, "shop")
    assert text.text == "From another package."
    assert text.blocks == ("doc.other.orders_intro",)


def test_blocks_dbt_already_resolved_are_reported(state: ProjectState) -> None:
    text = resolve_docs("The order's key.", docs_index(state), "shop", ["doc.shop.order_id"])
    assert text.text == "The order's key."
    assert text.blocks == ("doc.shop.order_id",)


def test_column_descriptions_are_resolved_too(state: ProjectState) -> None:
    column = node_detail(state, ORDERS)["columns"][0]
    assert column["name"] == "order_id"
    assert column["description"] == "The order's key."
    assert column["description_raw"] == '{{ doc("order_id") }}'
    assert column["doc_blocks"] == ["doc.shop.order_id"]


def test_column_and_model_constraints_and_the_contract(state: ProjectState) -> None:
    detail = node_detail(state, ORDERS)
    order_id = detail["columns"][0]
    assert [c["type"] for c in order_id["constraints"]] == ["not_null", "primary_key"]
    assert order_id["constraints"][1]["name"] == "pk"
    assert order_id["constraints"][0]["columns"] == ["order_id"]
    assert detail["constraints"] == [
        {"type": "check", "name": None, "expression": "amount >= 0", "columns": ["amount"],
         "to": None, "to_columns": []}
    ]  # fmt: skip
    assert detail["contract"] == {"enforced": True, "alias_types": True}
    assert node_detail(state, REVENUE)["contract"] is None


def test_column_tests_carry_their_latest_status_and_failures(state: ProjectState) -> None:
    tests = {t["unique_id"]: t for t in node_detail(state, ORDERS)["columns"][0]["tests"]}
    assert tests[NOT_NULL]["status"] == "fail"
    assert tests[NOT_NULL]["failures"] == 3
    assert tests[UNIQUE]["status"] == "warn"


def test_catalog_statistics_give_rows_when_the_adapter_reports_them(state: ProjectState) -> None:
    catalog = node_detail(state, ORDERS)["catalog"]
    assert catalog is not None
    assert catalog["rows"] == 42
    assert catalog["bytes"] is None
    # Stats the adapter marks as not for display stay out of the list.
    assert list(catalog["stats"]) == ["num_rows"]


def test_a_source_without_a_check_still_shows_its_thresholds(tmp_path: Path) -> None:
    state = build(tmp_path, sources={"metadata": build_sources_metadata(), "results": []})
    detail = node_detail(state, RAW_ORDERS)
    assert detail["freshness"] is None
    assert detail["freshness_criteria"] == {
        "warn_after": "12 hour", "error_after": "2 day", "filter": None
    }  # fmt: skip
    assert node_detail(state, ORDERS)["freshness_criteria"] is None


def build_sources_metadata() -> dict[str, str]:
    return {"dbt_schema_version": "https://schemas.getdbt.com/dbt/sources/v3.json"}


def test_macros_have_pages_with_arguments_and_callers(state: ProjectState) -> None:
    detail = node_detail(state, "macro.shop.cents")
    assert detail["resource_type"] == "macro"
    assert detail["name"] == "cents"
    assert detail["raw_code"] == "{% macro cents(x) %}{{ x }} * 100{% endmacro %}"
    assert detail["description"] == "Amount in cents: the glossary"
    assert detail["macro"] == {
        "arguments": [{"name": "x", "type": "number", "description": "an amount"}]
    }
    assert [ref["unique_id"] for ref in detail["referenced_by"]] == [ORDERS]
    assert node_detail(state, ORDERS)["macro"] is None


def test_an_unknown_macro_is_not_found(state: ProjectState) -> None:
    with pytest.raises(NodeNotFound):
        node_detail(state, "macro.shop.missing")
