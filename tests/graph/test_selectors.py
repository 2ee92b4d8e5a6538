"""Selection on the small project: methods, graph operators, tests, state, bad input."""

from __future__ import annotations

import pytest
from graph_builders import StateFactory, changed, small_manifest

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.graph import SelectorError, project_graph, select

M = "model.shop."
STG_TESTS = ["test.shop.not_null_stg_orders_id", "test.shop.unique_stg_orders_id"]
REL = "test.shop.relationships_int_orders_customer"
UNIT = "unit_test.shop.int_orders.test_int_orders_join"


def models(ids: list[str]) -> list[str]:
    return [uid for uid in ids if uid.startswith("model.")]


def test_the_graph_holds_every_kind_and_is_built_once(shop: ProjectState) -> None:
    graph = project_graph(shop)
    assert graph is project_graph(shop)
    kinds = {graph.members[uid].resource_type for uid in graph.graph.nodes}
    assert kinds == {"seed", "model", "source", "test", "unit_test", "exposure"}
    assert set(graph.graph.successors(f"{M}int_orders")) >= {f"{M}fct_orders", REL, UNIT}


def test_a_name_selects_the_node_and_its_tests(shop: ProjectState) -> None:
    assert select(shop, "stg_orders") == [f"{M}stg_orders", *STG_TESTS]


def test_graph_operators_follow_depth(shop: ProjectState) -> None:
    assert models(select(shop, "stg_orders+1")) == [f"{M}int_orders", f"{M}stg_orders"]
    assert select(shop, "+stg_customers") == [
        f"{M}stg_customers",
        "source.shop.shop.customers",
        REL,
    ]
    downstream = select(shop, "int_orders+")
    assert "exposure.shop.weekly_report" in downstream
    assert "test.shop.assert_orders_positive" in downstream
    # @ adds the parents of everything downstream: the other branch comes in.
    assert f"{M}stg_customers" in select(shop, "@stg_orders")
    assert f"{M}stg_customers" not in select(shop, "stg_orders+")


def test_eager_selection_takes_tests_of_any_selected_parent(shop: ProjectState) -> None:
    assert REL in select(shop, "stg_customers")
    assert REL not in select(shop, "stg_customers", indirect_selection="cautious")
    assert REL in select(shop, "stg_customers int_orders", indirect_selection="cautious")
    assert select(shop, "stg_orders", indirect_selection="empty") == [f"{M}stg_orders"]


def test_union_intersection_and_exclude(shop: ProjectState) -> None:
    assert models(select(shop, "tag:staging,tag:pii")) == [f"{M}stg_customers"]
    assert models(select(shop, "stg_orders stg_customers", "tag:pii")) == [f"{M}stg_orders"]
    # Excluding a model excludes its tests with it.
    assert select(shop, "tag:staging", "stg_orders") == [
        f"{M}stg_customers",
        REL,
    ]


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("path:models/marts", [f"{M}dim_customers.v1", f"{M}dim_customers.v2", f"{M}fct_orders"]),
        ("models/staging/stg_orders.sql", [f"{M}stg_orders"]),
        ("fct_orders.sql", [f"{M}fct_orders"]),
        ("file:stg_*", [f"{M}stg_customers", f"{M}stg_orders"]),
        ("marts", [f"{M}dim_customers.v1", f"{M}dim_customers.v2", f"{M}fct_orders"]),
        ("shop.staging.stg_c*", [f"{M}stg_customers"]),
        ("config.materialized:ephemeral", [f"{M}int_orders"]),
        ("config.meta.owner:finance", [f"{M}fct_orders"]),
        ("group:fin*", [f"{M}fct_orders"]),
        ("access:public", [f"{M}fct_orders"]),
        ("dim_customers", [f"{M}dim_customers.v1", f"{M}dim_customers.v2"]),
        ("dim_customers_v2", [f"{M}dim_customers.v2"]),
        ("version:latest", [f"{M}dim_customers.v1"]),
        ("version:prerelease", [f"{M}dim_customers.v2"]),
        ("package:this,resource_type:model,tag:finance", [f"{M}fct_orders"]),
    ],
)
def test_model_methods(shop: ProjectState, selector: str, expected: list[str]) -> None:
    assert models(select(shop, selector)) == expected


def test_source_exposure_and_test_methods(shop: ProjectState) -> None:
    assert select(shop, "source:shop") == ["source.shop.shop.customers"]
    assert select(shop, "source:*.cust*") == ["source.shop.shop.customers"]
    assert select(shop, "source:other") == []
    assert select(shop, "exposure:weekly_*") == ["exposure.shop.weekly_report"]
    assert select(shop, "test_type:singular") == ["test.shop.assert_orders_positive"]
    assert select(shop, "test_type:unit") == [UNIT]
    assert select(shop, "test_name:unique test_name:relationships") == [REL, STG_TESTS[1]]
    assert select(shop, "config.severity:WARN") == [STG_TESTS[0]]


def test_result_reads_the_run_results(make_state: StateFactory) -> None:
    state = make_state(statuses={STG_TESTS[0]: "warn", f"{M}stg_orders": "success"})
    assert select(state, "result:warn") == [STG_TESTS[0]]
    assert models(select(state, "result:success+")) == models(select(state, "stg_orders+"))


def test_analyses_are_left_out_as_dbt_ls_does(make_state: StateFactory) -> None:
    manifest = small_manifest()
    manifest["nodes"]["analysis.shop.review"] = {
        **manifest["nodes"][f"{M}fct_orders"],
        "unique_id": "analysis.shop.review",
        "resource_type": "analysis",
        "name": "review",
        "fqn": ["shop", "analysis", "review"],
    }
    state = make_state(manifest)
    assert select(state, "review") == []
    assert select(state, "review", resource_types=["analysis"]) == ["analysis.shop.review"]


def test_everything_without_a_selector(shop: ProjectState) -> None:
    assert len(select(shop)) == len(shop.nodes)


def test_state_selectors_compare_with_the_baseline(make_state: StateFactory) -> None:
    base = small_manifest()
    current = changed(base, "nodes", f"{M}stg_orders", raw_code="select 2")
    current = changed(
        current, "nodes", f"{M}fct_orders", unrendered_config={"materialized": "view"}
    )
    current = changed(
        current,
        "nodes",
        f"{M}int_orders",
        unrendered_config={"materialized": "ephemeral", "alias": "orders"},
    )
    current["nodes"][f"{M}new_model"] = {
        **base["nodes"][f"{M}int_orders"],
        "unique_id": f"{M}new_model",
        "name": "new_model",
        "fqn": ["shop", "marts", "new_model"],
    }
    state, baseline = make_state(current), make_state(base)

    def chosen(selector: str) -> list[str]:
        return models(select(state, selector, baseline=baseline))

    assert chosen("state:new") == [f"{M}new_model"]
    assert chosen("state:modified.body") == [f"{M}new_model", f"{M}stg_orders"]
    assert chosen("state:modified.configs") == [f"{M}fct_orders", f"{M}new_model"]
    assert chosen("state:modified.relation") == [f"{M}int_orders", f"{M}new_model"]
    assert chosen("state:modified") == [
        f"{M}fct_orders",
        f"{M}int_orders",
        f"{M}new_model",
        f"{M}stg_orders",
    ]
    assert f"{M}dim_customers.v1" in chosen("state:unmodified")


def test_each_baseline_gets_its_own_verdicts(make_state: StateFactory) -> None:
    """Comparisons are kept with the state; asking against another baseline recomputes."""
    base = small_manifest()
    current = changed(base, "nodes", f"{M}stg_orders", raw_code="select 2")
    state = make_state(current)
    older, same = make_state(base), make_state(current)

    assert models(select(state, "state:modified", baseline=older)) == [f"{M}stg_orders"]
    assert models(select(state, "state:modified", baseline=same)) == []
    assert models(select(state, "state:modified", baseline=older)) == [f"{M}stg_orders"]


def test_state_modified_follows_changed_macros(make_state: StateFactory) -> None:
    base = small_manifest()
    base["macros"] = {
        "macro.shop.cents": {"macro_sql": "{{ x }} * 100", "depends_on": {"macros": []}},
        "macro.shop.money": {
            "macro_sql": "{{ cents(x) }}",
            "depends_on": {"macros": ["macro.shop.cents"]},
        },
    }
    base["nodes"][f"{M}fct_orders"]["depends_on"]["macros"] = ["macro.shop.money"]
    current = changed(base, "macros", "macro.shop.cents", macro_sql="{{ x }} * 100.0")
    result = select(make_state(current), "state:modified.macros", baseline=make_state(base))
    # The singular test on fct_orders comes along (indirect selection).
    assert result == [f"{M}fct_orders", "test.shop.assert_orders_positive"]


@pytest.mark.parametrize(
    ("selector", "named"),
    [
        ("colour:red", "colour"),
        ("@stg_orders+", "@"),
        ("resource_type:table", "resource_type:table"),
        ("test_type:weird", "test_type:weird"),
        ("source:a.b.c.d", "source:a.b.c.d"),
        ("state:changed", "state:changed"),
        ("state:modified", "baseline"),
        ("config:table", "config"),
        ("version:newest", "version:newest"),
        ("tag.x:y", "tag"),
        ("path:/etc", "/etc"),
    ],
)
def test_bad_selectors_name_the_bad_part(shop: ProjectState, selector: str, named: str) -> None:
    with pytest.raises(SelectorError) as caught:
        select(shop, f"stg_orders {selector}")
    assert named in caught.value.message
    assert caught.value.reason == "bad_selector"
    assert isinstance(caught.value, InvalidRequest)


def test_a_selector_matching_nothing_is_empty(shop: ProjectState) -> None:
    assert select(shop, "no_such_model+") == []
    assert select(shop, "tag:nothing", "stg_orders") == []
    assert select(shop, "stg_orders,tag:finance") == []
