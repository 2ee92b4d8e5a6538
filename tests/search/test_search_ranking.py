"""Search on a small hand-made project: what is found, in which order, and what is refused."""

from __future__ import annotations

import pytest

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.search import MAX_QUERY_LENGTH, parse_query, search, search_index


def names(state: ProjectState, query: str, **filters: list[str]) -> list[str]:
    return [hit["name"] for hit in search(state, query, filters=filters, limit=50)["items"]]


def test_an_exact_name_comes_first_then_name_prefixes_then_other_fields(shop: ProjectState) -> None:
    found = names(shop, "orders")
    assert found[0] == "orders"
    # Both other names start with or contain the word; the column hit and the tests follow.
    assert set(found[1:3]) == {"orders_daily", "stg_orders"}
    assert found.index("customer_revenue") > 2
    assert names(shop, "orders_daily")[0] == "orders_daily"


def test_a_prefix_finds_the_names_it_starts(shop: ProjectState) -> None:
    assert names(shop, "stg_ord")[0] == "stg_orders"
    assert names(shop, "cents") == ["cents_to_dollars"]


def test_a_typo_still_finds_the_word(shop: ProjectState) -> None:
    assert names(shop, "ordres")[:3] == ["orders", "orders_daily", "stg_orders"]
    # Two typos in a long word: "revenue" is 7 letters, "customer" 8.
    assert names(shop, "custmoer")[0] == "customer_revenue"
    assert names(shop, "cutsomre") == names(shop, "customer")[: len(names(shop, "cutsomre"))]
    # Short words must be exact or prefixes: "ltx" is not "ltv".
    assert names(shop, "ltx") == []


def test_a_column_hit_says_which_column(shop: ProjectState) -> None:
    hit = search(shop, "order_total")["items"][0]
    assert hit["name"] == "customer_revenue"
    assert hit["match"] is not None
    assert hit["match"]["field"] == "column"
    assert hit["match"]["column"] == "order_total"
    snippet, (start, end) = hit["match"]["snippet"], hit["match"]["highlights"][0]
    assert snippet[start:end] == "order"


def test_a_phrase_must_appear_as_written(shop: ProjectState) -> None:
    hit = search(shop, '"lifetime value"')["items"][0]
    assert hit["match"] is not None
    assert (hit["match"]["field"], hit["match"]["column"]) == ("column_description", "ltv")
    assert names(shop, '"value lifetime"') == []


def test_sql_matches_rank_after_everything_else(shop: ProjectState) -> None:
    hit = search(shop, "refunds")["items"][0]
    assert hit["name"] == "payments"
    assert hit["match"] is not None and hit["match"]["field"] == "sql"


def test_owners_tags_meta_and_labels_are_searched(shop: ProjectState) -> None:
    assert set(names(shop, "finance")) == {"orders", "customer_revenue", "weekly_report"}
    assert names(shop, "growth") == ["raw_customers"]
    assert names(shop, "contains_pii") == ["raw_customers"]
    assert names(shop, "weekly revenue report") == ["weekly_report"]


def test_macros_of_the_project_are_found_not_those_of_dbt(shop: ProjectState) -> None:
    assert names(shop, "dollars") == ["cents_to_dollars"]
    assert names(shop, "get_orders_relation") == []
    assert names(shop, "duckdb__orders") == []


def test_facets_count_the_whole_match_set(shop: ProjectState) -> None:
    result = search(shop, "orders", limit=1)
    assert result["total"] == 6
    assert len(result["items"]) == 1
    types = {f["value"]: f["count"] for f in result["facets"]["resource_type"]}
    assert types == {"model": 4, "test": 2}


def test_facet_filters_combine_and_keep_the_other_values_of_their_own_facet(
    shop: ProjectState,
) -> None:
    result = search(shop, "orders type:model", filters={"materialized": ["table"]})
    assert [hit["name"] for hit in result["items"]] == ["orders_daily", "customer_revenue"]
    # The type facet counts what the materialized filter lets through, tests excluded by
    # nothing but their own facet.
    assert {f["value"]: f["count"] for f in result["facets"]["materialized"]} == {
        "table": 2,
        "view": 2,
    }
    assert names(shop, "tag:pii") == ["raw_customers"]
    assert names(shop, "", owner=["FINANCE"]) == ["weekly_report"]


def test_ties_break_the_same_way_every_time(shop: ProjectState) -> None:
    first = search(shop, "order", limit=50)
    assert all(search(shop, "order", limit=50)["items"] == first["items"] for _ in range(3))
    paged = [
        hit["unique_id"]
        for offset in range(0, 6, 2)
        for hit in search(shop, "order", offset=offset, limit=2)["items"]
    ]
    assert paged == [hit["unique_id"] for hit in first["items"]]


def test_a_unique_id_finds_its_node(shop: ProjectState) -> None:
    assert names(shop, "model.shop.payments") == ["payments"]


def test_the_index_is_built_once_per_state(shop: ProjectState) -> None:
    assert search_index(shop) is search_index(shop)


def test_an_empty_query_gives_no_result_but_the_facets_of_everything(shop: ProjectState) -> None:
    for query in ("", "   "):
        result = search(shop, query)
        assert result["total"] == 0 and result["items"] == []
        assert sum(f["count"] for f in result["facets"]["resource_type"]) == 10


def test_a_huge_query_is_refused() -> None:
    with pytest.raises(InvalidRequest, match="too long") as caught:
        parse_query("x" * 1_000_000)
    assert caught.value.reason == "query_too_long"
    parse_query("x" * MAX_QUERY_LENGTH)


@pytest.mark.parametrize(
    ("query", "same_as"),
    [("(orders", "orders"), ("[orders]", "orders"), ("ord*", "ord"), ("orders\\", "orders")],
)
def test_special_characters_are_literal(shop: ProjectState, query: str, same_as: str) -> None:
    assert names(shop, query) == names(shop, same_as)


@pytest.mark.parametrize("query", [".*", "[a-z]+", "%", '"', "^$"])
def test_patterns_match_nothing(shop: ProjectState, query: str) -> None:
    assert search(shop, query)["total"] == 0


def test_unknown_keys_are_words_and_bad_filters_and_pages_are_refused(shop: ProjectState) -> None:
    assert parse_query("colour:red").words == ("colour", "red")
    with pytest.raises(InvalidRequest, match="Unknown search filter"):
        search(shop, "x", filters={"color": ["red"]})
    with pytest.raises(InvalidRequest, match="limit"):
        search(shop, "x", limit=0)
    with pytest.raises(InvalidRequest, match="offset"):
        search(shop, "x", offset=-1)
