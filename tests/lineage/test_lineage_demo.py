"""Column lineage of the really built demo project (dbt build + docs generate)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.lineage import ProjectColumnLineage
from jupyterlab_dbt_workbench.workbench import Workbench

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def demo_lineage(built_demo: Path) -> Iterator[ProjectColumnLineage]:
    workbench = Workbench(built_demo, store_path=None)
    yield workbench.column_lineage(None)
    workbench.close()


def test_every_demo_model_is_traced_or_says_why(demo_lineage: ProjectColumnLineage) -> None:
    state = demo_lineage.state
    analysed = {
        uid for uid, node in state.nodes.items() if node.resource_type in ("model", "snapshot")
    }
    assert set(demo_lineage.models) == analysed and len(analysed) >= 20
    for uid, model in demo_lineage.models.items():
        assert model.status in ("ok", "partial"), (uid, model.reason)
        if model.status == "partial":
            assert model.reason, uid
    report = demo_lineage.coverage()
    print(f"\ndemo coverage: {report['counts']}, columns {report['columns']}")
    assert report["columns"]["percent"] is not None and report["columns"]["percent"] >= 90


def test_a_mart_column_traces_back_to_seed_columns(demo_lineage: ProjectColumnLineage) -> None:
    edges = demo_lineage.column("fct_orders", "order_total").upstream()
    seeds = {(e.source, e.source_column) for e in edges if e.source.startswith("seed.")}
    assert ("seed.copper_kettle.order_items", "quantity") in seeds
    assert ("seed.copper_kettle.order_items", "unit_price") in seeds
    first = [e for e in edges if e.distance == 1]
    assert {(e.source, e.source_column, e.kind) for e in first} == {
        ("model.copper_kettle.int_order_lines", "line_revenue", "transformation")
    }


def test_known_demo_edges(demo_lineage: ProjectColumnLineage) -> None:
    fct_orders = {
        (e.column, e.source, e.source_column, e.kind) for e in demo_lineage.edges("fct_orders")
    }
    assert ("order_id", "model.copper_kettle.stg_orders", "order_id", "passthrough") in fct_orders
    assert (
        "customer_order_number",
        "model.copper_kettle.int_customer_order_sequence",
        "customer_order_number",
        "passthrough",
    ) in fct_orders
    sequence = {
        (e.column, e.source_column, e.kind)
        for e in demo_lineage.edges("int_customer_order_sequence")
    }
    # row_number() over (partition by customer_id order by ordered_at, order_id)
    assert ("customer_order_number", "customer_id", "transformation") in sequence
    assert ("customer_order_number", "ordered_at", "transformation") in sequence
    dependencies = {
        (d.kind, d.source_column)
        for d in demo_lineage.model("int_customer_order_sequence").dependencies
    }
    assert ("filter", "status") in dependencies  # where status <> 'cancelled'


def test_impact_of_a_staging_column_reaches_the_exposures(
    demo_lineage: ProjectColumnLineage,
) -> None:
    impact = demo_lineage.impact("stg_orders", "order_id")
    assert "model.copper_kettle.fct_orders" in {m.unique_id for m in impact.models}
    assert impact.exposures, "the demo's dashboards sit on the marts"
