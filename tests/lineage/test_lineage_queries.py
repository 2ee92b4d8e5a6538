"""Questions asked of a project's column lineage: traces, impact, coverage, bad names."""

from __future__ import annotations

from typing import Any

import pytest
from lineage_states import StateFactory

from jupyterlab_dbt_workbench.errors import NodeNotFound
from jupyterlab_dbt_workbench.lineage import ColumnNotFound, ProjectColumnLineage, compute_lineage

ORDERS = "model.jaffle_shop.orders"
STG_ORDERS = "model.jaffle_shop.stg_orders"
CUSTOMERS = "model.jaffle_shop.customers"
RAW_ORDERS = "source.jaffle_shop.ecom.raw_orders"
DASHBOARD = "exposure.jaffle_shop.revenue_dashboard"


@pytest.fixture
def lineage(make_state: StateFactory) -> ProjectColumnLineage:
    def add_exposure(manifest: dict[str, Any]) -> None:
        manifest["exposures"][DASHBOARD] = {
            "unique_id": DASHBOARD,
            "name": "revenue_dashboard",
            "resource_type": "exposure",
            "package_name": "jaffle_shop",
            "original_file_path": "models/exposures.yml",
            "depends_on": {"nodes": [CUSTOMERS]},
        }
        manifest["parent_map"][DASHBOARD] = [CUSTOMERS]
        manifest["child_map"][DASHBOARD] = []
        manifest["child_map"][CUSTOMERS].append(DASHBOARD)

    return compute_lineage(make_state(add_exposure), processes=1)


def test_upstream_of_a_mart_column_reaches_the_source(lineage: ProjectColumnLineage) -> None:
    edges = lineage.column("customers", "LIFETIME_SPEND").upstream()
    steps = [(e.target, e.target_column, e.source, e.source_column, e.distance) for e in edges]
    assert (CUSTOMERS, "lifetime_spend", ORDERS, "order_total", 1) in steps
    assert (ORDERS, "order_total", STG_ORDERS, "order_total", 2) in steps
    assert (STG_ORDERS, "order_total", RAW_ORDERS, "order_total", 3) in steps
    assert max(e.distance for e in edges) == 3
    assert all(e.distance == 1 for e in lineage.column(CUSTOMERS, "lifetime_spend").upstream(1))


def test_downstream_of_a_source_column(lineage: ProjectColumnLineage) -> None:
    edges = lineage.column(RAW_ORDERS, "order_total").downstream()
    targets = {(e.target, e.target_column) for e in edges}
    assert {(STG_ORDERS, "order_total"), (ORDERS, "order_total")} <= targets
    assert (CUSTOMERS, "lifetime_spend") in targets
    both = lineage.trace(ORDERS, "order_total", "both", depth=1)
    assert {e.source for e in both} == {STG_ORDERS, ORDERS}


def test_impact_lists_columns_models_and_exposures(lineage: ProjectColumnLineage) -> None:
    impact = lineage.column(STG_ORDERS, "order_total").impact()
    columns = {(c.node, c.column) for c in impact.columns}
    assert (ORDERS, "order_total") in columns and (CUSTOMERS, "lifetime_spend") in columns
    models = {m.unique_id: m for m in impact.models}
    assert models[ORDERS].via == "value" and models[ORDERS].distance == 1
    assert impact.exposures == (DASHBOARD,)
    # order_id is a join key of orders: a change reaches orders through the join too.
    join_impact = lineage.impact("model.jaffle_shop.order_items", "order_id")
    assert ORDERS in {m.unique_id for m in join_impact.models}


def test_unknown_nodes_and_columns_are_named(lineage: ProjectColumnLineage) -> None:
    with pytest.raises(NodeNotFound, match="nope"):
        lineage.column("nope", "id")
    with pytest.raises(ColumnNotFound, match="no_such_column") as raised:
        lineage.column(ORDERS, "no_such_column")
    assert "order_total" in raised.value.message
    with pytest.raises(NodeNotFound, match="is a source"):
        lineage.model(RAW_ORDERS)


def test_source_columns_are_known_from_the_edges_that_read_them(
    lineage: ProjectColumnLineage,
) -> None:
    # The fixture's sources declare no columns; the SQL that reads them names them.
    assert "order_total" in lineage.columns_of(RAW_ORDERS)


def test_coverage_report(lineage: ProjectColumnLineage) -> None:
    report = lineage.coverage()
    assert report["counts"] == {"ok": 13, "partial": 0, "failed": 0, "not_analysed": 0}
    assert report["columns"]["percent"] == 100.0
    assert report["columns"]["total"] == report["columns"]["traced"] > 50
    assert report["computation"]["analysed"] == 13
