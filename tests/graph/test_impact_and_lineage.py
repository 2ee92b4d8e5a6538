"""Impact analysis, grouping and the lineage payload on the small project."""

from __future__ import annotations

import pytest

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest, NodeNotFound
from jupyterlab_dbt_workbench.graph import impact, model_lineage
from jupyterlab_dbt_workbench.graph.grouping import group_nodes

M = "model.shop."


def test_impact_lists_everything_downstream_with_distances(shop: ProjectState) -> None:
    result = impact(shop, [f"{M}stg_orders"])
    distances = {item["unique_id"]: item["distance"] for item in result["nodes"]}
    assert distances == {
        f"{M}int_orders": 1,
        f"{M}fct_orders": 2,
        f"{M}dim_customers.v1": 2,
        f"{M}dim_customers.v2": 2,
        "exposure.shop.weekly_report": 3,
    }
    assert [item["unique_id"] for item in result["exposures"]] == ["exposure.shop.weekly_report"]
    assert result["total"] == 5
    assert [item["distance"] for item in result["nodes"]] == [1, 2, 2, 2, 3]


def test_impact_of_several_nodes_takes_the_nearest_and_skips_the_starts(
    shop: ProjectState,
) -> None:
    result = impact(shop, [f"{M}stg_orders", f"{M}int_orders"], include_tests=True)
    distances = {item["unique_id"]: item["distance"] for item in result["nodes"]}
    assert f"{M}int_orders" not in distances
    assert distances[f"{M}fct_orders"] == 1
    assert distances["test.shop.relationships_int_orders_customer"] == 1


def test_impact_of_an_unknown_node_is_not_found(shop: ProjectState) -> None:
    with pytest.raises(NodeNotFound, match=r"model\.shop\.nope"):
        impact(shop, ["model.shop.nope"])


def test_grouping_counts_nodes_and_edges_between_groups(shop: ProjectState) -> None:
    ids = [uid for uid, node in shop.nodes.items() if node.resource_type == "model"]
    groups, edges = group_nodes(shop, ids, "folder")
    assert {group["key"]: group["count"] for group in groups} == {
        "models/staging": 2,
        "models/intermediate": 1,
        "models/marts": 3,
    }
    assert edges == [
        {"from": "models/intermediate", "to": "models/marts", "count": 3},
        {"from": "models/staging", "to": "models/intermediate", "count": 2},
    ]
    tag_groups, tag_edges = group_nodes(shop, ids, "tag")
    by_key = {group["key"]: group for group in tag_groups}
    # stg_customers has two tags: it is in both groups.
    assert f"{M}stg_customers" in by_key["pii"]["nodes"]
    assert f"{M}stg_customers" in by_key["staging"]["nodes"]
    assert by_key[""]["label"] == "(no tag)"
    assert {"from": "pii", "to": "", "count": 1} in tag_edges


def test_lineage_focus_defaults_to_one_step_each_way(shop: ProjectState) -> None:
    result = model_lineage(shop, focus="int_orders")
    assert result["select"] == "1+int_orders+1"
    assert {node["unique_id"]: node["distance"] for node in result["nodes"]} == {
        f"{M}int_orders": 0,
        f"{M}stg_orders": -1,
        f"{M}stg_customers": -1,
        f"{M}fct_orders": 1,
        f"{M}dim_customers.v1": 1,
        f"{M}dim_customers.v2": 1,
    }
    assert [f"{M}stg_orders", f"{M}int_orders"] in result["edges"]
    assert result["truncated"] is False
    assert result["total"] == 6


def test_lineage_caps_nodes_nearest_first_and_groups(shop: ProjectState) -> None:
    result = model_lineage(shop, focus=f"{M}int_orders", depth=5, max_nodes=3, group_by="folder")
    assert result["total"] == 9
    assert result["truncated"] is True
    assert result["nodes"][0]["unique_id"] == f"{M}int_orders"
    assert all(abs(node["distance"] or 0) <= 1 for node in result["nodes"])
    kept = {node["unique_id"] for node in result["nodes"]}
    assert all(source in kept and target in kept for source, target in result["edges"])
    assert sum(group["count"] for group in result["groups"]) == 3


def test_lineage_of_a_selector_with_depth_cap(shop: ProjectState) -> None:
    unlimited = model_lineage(shop, select="stg_orders+")
    capped = model_lineage(shop, select="stg_orders+", depth=1)
    assert {node["unique_id"] for node in capped["nodes"]} == {
        f"{M}stg_orders",
        f"{M}int_orders",
    }
    assert len(unlimited["nodes"]) == 6
    with_tests = model_lineage(shop, select="stg_orders", include_tests=True)
    assert with_tests["total"] == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "select"),
        ({"focus": "nope"}, "nope"),
        ({"select": "tag:x", "group_by": "colour"}, "colour"),
        ({"select": "tag:x", "max_nodes": 0}, "max_nodes"),
        ({"focus": "dim_customers_v9"}, "dim_customers_v9"),
    ],
)
def test_lineage_bad_requests(shop: ProjectState, arguments: dict, message: str) -> None:
    with pytest.raises((InvalidRequest, NodeNotFound), match=message):
        model_lineage(shop, **arguments)


def test_lineage_nodes_say_how_many_neighbours_they_have_beyond_the_view(
    shop: ProjectState,
) -> None:
    result = model_lineage(shop, focus="int_orders", depth=0)
    (node,) = result["nodes"]
    # Two staging parents and three marts children exist, none of them in this view.
    assert (node["parent_count"], node["child_count"]) == (2, 3)
    with_tests = model_lineage(shop, focus="int_orders", depth=0, include_tests=True)
    assert with_tests["nodes"][0]["child_count"] > 3
