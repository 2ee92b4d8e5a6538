"""The SQL editor's completions: ref() and source() names with relations and columns."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sql_states import demo_copy, shop_state

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.sql.completions import completions


def test_completions_list_models_sources_and_keywords(tmp_path: Path) -> None:
    state = shop_state(tmp_path)
    found = completions(state)
    assert found["project"] == "shop"
    assert [m["name"] for m in found["models"]] == [
        "customer_revenue",
        "orders",
        "orders_daily",
        "payments",
        "stg_orders",
    ]
    orders = next(m for m in found["models"] if m["name"] == "orders")
    assert orders["relation"] == '"db"."analytics"."orders"'
    # Without a catalog, the declared columns (no types).
    assert orders["columns"] == [{"name": "order_id", "type": ""}, {"name": "status", "type": ""}]
    assert found["sources"] == [
        {
            "source_name": "shop",
            "name": "raw_customers",
            "unique_id": "source.shop.shop.raw_customers",
            "relation": '"db"."raw"."customers"',
            "columns": [{"name": "email", "type": ""}],
        }
    ]
    assert {"SELECT", "FROM", "GROUP BY", "QUALIFY"} <= set(found["keywords"])
    # Computed once per state.
    assert completions(state) is found


@pytest.fixture(scope="module")
def demo(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectState]:
    yield from demo_copy(built_demo, tmp_path_factory.mktemp("sql-completions"))


@pytest.mark.slow
def test_demo_completions_have_warehouse_columns_and_types(demo: ProjectState) -> None:
    found = completions(demo)
    by_name = {m["name"]: m for m in found["models"]}
    assert {
        by_name[n]["resource_type"] for n in ("fct_orders", "orders", "customers_snapshot")
    } == {
        "model",
        "seed",
        "snapshot",
    }
    fct_orders = by_name["fct_orders"]
    assert fct_orders["relation"] == '"demo"."main_marts"."fct_orders"'
    assert fct_orders["package"] == "copper_kettle"
    columns = {c["name"]: c["type"] for c in fct_orders["columns"]}
    assert columns["order_id"] == "INTEGER"
    assert columns["order_total"] == "DECIMAL(12,2)"
    # An ephemeral model is completed too; dbt inlines it as this CTE.
    assert by_name["int_order_lines"]["relation"] == "__dbt__cte__int_order_lines"
    sources = {(s["source_name"], s["name"]): s for s in found["sources"]}
    assert sources[("web_tracking", "web_events")]["relation"] == "'raw_data/web_events.csv'"
    assert len(found["models"]) == 28
