"""Whole-project lineage: statuses, dependency order without a catalog, cache, worker pool."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lineage_states import StateFactory

from jupyterlab_dbt_workbench.lineage import LineageCache, NoCompiledCode, compute_lineage
from jupyterlab_dbt_workbench.store.database import Database

STG_ORDERS = "model.jaffle_shop.stg_orders"
ORDERS = "model.jaffle_shop.orders"
CUSTOMERS = "model.jaffle_shop.customers"
RAW_ORDERS = "source.jaffle_shop.ecom.raw_orders"


def edge_set(lineage: Any, node: str) -> set[tuple[str, str, str, str]]:
    return {(e.column, e.source, e.source_column, e.kind) for e in lineage.edges(node)}


def test_every_jaffle_model_is_traced(make_state: StateFactory) -> None:
    lineage = compute_lineage(make_state(), processes=1)
    assert set(lineage.models) == {
        uid for uid, node in lineage.state.nodes.items() if node.resource_type == "model"
    }
    assert {m.status for m in lineage.models.values()} == {"ok"}
    assert lineage.dialect == "duckdb"
    stg = edge_set(lineage, STG_ORDERS)
    assert ("order_id", RAW_ORDERS, "id", "rename") in stg
    assert ("order_total", RAW_ORDERS, "order_total", "transformation") in stg
    assert ("order_total", STG_ORDERS, "order_total", "passthrough") in edge_set(lineage, ORDERS)
    assert ("lifetime_spend", ORDERS, "order_total", "transformation") in edge_set(
        lineage, CUSTOMERS
    )
    dependencies = {(d.kind, d.source, d.source_column) for d in lineage.model(ORDERS).dependencies}
    assert ("join", STG_ORDERS, "order_id") in dependencies
    assert ("group", "model.jaffle_shop.order_items", "order_id") in dependencies


def test_without_catalog_parents_columns_come_from_their_lineage(
    make_state: StateFactory,
) -> None:
    with_catalog = compute_lineage(make_state(), processes=1)
    without = compute_lineage(make_state(catalog=False), processes=1)
    assert {m.status for m in without.models.values()} == {"ok"}
    # orders is `select * from stg_orders ...`: expanded from stg_orders' traced columns.
    assert without.model(ORDERS).columns == with_catalog.model(ORDERS).columns
    assert edge_set(without, ORDERS) == edge_set(with_catalog, ORDERS)


def test_python_models_and_uncompiled_models_are_reported_not_dropped(
    make_state: StateFactory,
) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["nodes"][CUSTOMERS]["language"] = "python"
        del manifest["nodes"][ORDERS]["compiled_code"]
        manifest["nodes"][ORDERS]["compiled"] = False

    lineage = compute_lineage(make_state(edit), processes=1)
    assert lineage.model(CUSTOMERS).status == "not_analysed"
    assert lineage.model(CUSTOMERS).reason == "Python model: only SQL can be analysed."
    assert lineage.model(ORDERS).status == "not_analysed"
    assert "run dbt compile" in (lineage.model(ORDERS).reason or "")
    lineage.require_compiled()  # other models are compiled: no error
    coverage = lineage.coverage()
    assert coverage["counts"]["not_analysed"] == 2
    assert coverage["models"] == len(lineage.models)
    assert {e["unique_id"] for e in coverage["by_status"]["not_analysed"]} == {CUSTOMERS, ORDERS}


def test_a_project_without_any_compiled_code_is_told_to_compile(
    make_state: StateFactory,
) -> None:
    def strip(manifest: dict[str, Any]) -> None:
        for node in manifest["nodes"].values():
            node.pop("compiled_code", None)

    lineage = compute_lineage(make_state(strip), processes=1)
    with pytest.raises(NoCompiledCode, match="run dbt compile"):
        lineage.require_compiled()


def test_unparseable_sql_fails_that_model_only(make_state: StateFactory) -> None:
    def edit(manifest: dict[str, Any]) -> None:
        manifest["nodes"][STG_ORDERS]["compiled_code"] = "select from where ((("

    lineage = compute_lineage(make_state(edit), processes=1)
    assert lineage.model(STG_ORDERS).status == "failed"
    assert "sqlglot" in (lineage.model(STG_ORDERS).reason or "")
    # Its children still read its catalog columns.
    assert lineage.model(ORDERS).status == "ok"


def test_cache_reuses_unchanged_models_in_memory_and_after_a_restart(
    make_state: StateFactory, tmp_path: Path
) -> None:
    database = Database(tmp_path / "store.sqlite")
    state = make_state()
    first = compute_lineage(state, LineageCache(database), processes=1)
    assert first.stats.analysed == len(first.models) and first.stats.cached == 0
    database.close()

    database = Database(tmp_path / "store.sqlite")  # a server restart: empty memory
    cache = LineageCache(database)
    again = compute_lineage(state, cache, processes=1)
    assert again.stats.analysed == 0 and again.stats.cached == len(first.models)
    assert again.models == first.models

    def touch(manifest: dict[str, Any]) -> None:
        manifest["nodes"][ORDERS]["compiled_code"] += "\n-- reformatted"

    changed = compute_lineage(make_state(touch), cache, processes=1)
    assert changed.stats.analysed == 1
    database.close()


def test_a_schema_change_reanalyses_the_children_that_read_it(make_state: StateFactory) -> None:
    cache = LineageCache(None)
    compute_lineage(make_state(catalog=False), cache, processes=1)

    def add_column(manifest: dict[str, Any]) -> None:
        node = manifest["nodes"][STG_ORDERS]
        node["compiled_code"] = node["compiled_code"].replace(
            "select * from renamed", "select *, 1 as one from renamed"
        )

    lineage = compute_lineage(make_state(add_column, catalog=False), cache, processes=1)
    # stg_orders; orders and order_items, which read it; customers, which reads orders, whose
    # columns changed. The other nine are untouched.
    assert (lineage.stats.analysed, lineage.stats.cached) == (4, 9)
    assert "one" in lineage.model(ORDERS).columns

    def comment_only(manifest: dict[str, Any]) -> None:
        add_column(manifest)
        manifest["nodes"][STG_ORDERS]["compiled_code"] += "\n-- same columns"

    again = compute_lineage(make_state(comment_only, catalog=False), cache, processes=1)
    assert again.stats.analysed == 1


def test_worker_pool_gives_the_same_lineage(make_state: StateFactory) -> None:
    state = make_state()
    in_process = compute_lineage(state, processes=1)
    pooled = compute_lineage(state, processes=2, pool_threshold=1)
    assert pooled.stats.processes == 2
    assert pooled.models == in_process.models
