"""Compiling the SQL workspace's dbt SQL: from the manifest, and through real dbt."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sql_states import demo_copy, shop_state

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import SqlCompileError, UnknownRelation
from jupyterlab_dbt_workbench.sql.compile import compile_sql, parse_dbt_output


@pytest.fixture
def shop(tmp_path: Path) -> ProjectState:
    return shop_state(tmp_path)


def test_ref_source_var_this_and_target_come_from_the_manifest(shop: ProjectState) -> None:
    compiled = compile_sql(
        shop,
        "{# revenue #}select * from {{ ref('orders') }} o\n"
        "join {{ source('shop', 'raw_customers') }} c using (customer_id)\n"
        "where region = '{{ var('region') }}' and day >= '{{ var('start_date') }}'\n"
        "and x = {{ var('missing', 7) }} -- {{ target.name }} {{ target.schema }} {{ this }}",
    )
    assert compiled.method == "manifest"
    assert compiled.sql == (
        'select * from "db"."analytics"."orders" o\n'
        'join "db"."raw"."customers" c using (customer_id)\n'
        "where region = 'emea' and day >= '2024-01-01'\n"
        'and x = 7 -- dev analytics "shop"."analytics"."inline_query"'
    )
    assert [(r.unique_id, r.name) for r in compiled.relations] == [
        ("model.shop.orders", "orders"),
        ("source.shop.shop.raw_customers", "shop.raw_customers"),
    ]
    assert compiled.payload()["relations"][0]["relation"] == '"db"."analytics"."orders"'


def test_plain_sql_is_returned_as_it_is(shop: ProjectState) -> None:
    compiled = compile_sql(shop, "select 1 as {x}")
    assert (compiled.sql, compiled.method, compiled.relations) == (
        "select 1 as {x}",
        "manifest",
        (),
    )


def test_an_unknown_ref_names_the_closest_models(shop: ProjectState) -> None:
    with pytest.raises(UnknownRelation) as caught:
        compile_sql(shop, "select * from {{ ref('ordrs') }}")
    assert str(caught.value).startswith(
        "Unknown model 'ordrs' in ref('ordrs'); did you mean orders, stg_orders"
    )
    assert caught.value.suggestions[:2] == ["orders", "stg_orders"]
    assert caught.value.details == {"suggestions": caught.value.suggestions}


def test_an_unknown_ref_is_reported_even_when_the_text_also_needs_dbt(shop: ProjectState) -> None:
    # The macro alone would send the text to dbt; the bad ref is caught first, in milliseconds.
    with pytest.raises(UnknownRelation, match="did you mean payments"):
        compile_sql(shop, "select {{ cents_to_dollars('x') }} from {{ ref('paymnts') }}")


def test_an_unknown_source_suggests_source_and_table(shop: ProjectState) -> None:
    with pytest.raises(UnknownRelation) as caught:
        compile_sql(shop, "select * from {{ source('shopp', 'raw_customers') }}")
    assert "Unknown source 'shopp.raw_customers'" in str(caught.value)
    assert caught.value.suggestions == ["shop.raw_customers"]


def test_a_ref_to_a_disabled_model_says_it_is_disabled(tmp_path: Path) -> None:
    def disable(manifest: dict[str, Any]) -> None:
        node = manifest["nodes"].pop("model.shop.payments")
        node["config"]["enabled"] = False
        manifest["disabled"] = {"model.shop.payments": [node]}

    state = shop_state(tmp_path, disable)
    with pytest.raises(UnknownRelation, match="'payments' in ref\\('payments'\\) is disabled"):
        compile_sql(state, "select * from {{ ref('payments') }}")


def test_versioned_models_resolve_to_the_latest_or_the_pinned_version(tmp_path: Path) -> None:
    def version(manifest: dict[str, Any]) -> None:
        old = manifest["nodes"].pop("model.shop.orders")
        for number in (1, 2):
            node = {
                **old,
                "unique_id": f"model.shop.orders.v{number}",
                "alias": f"orders_v{number}",
            }
            manifest["nodes"][node["unique_id"]] = {**node, "version": number, "latest_version": 2}

    state = shop_state(tmp_path, version)
    assert compile_sql(state, "{{ ref('orders') }}").sql == '"db"."analytics"."orders_v2"'
    assert compile_sql(state, "{{ ref('orders', v=1) }}").sql == '"db"."analytics"."orders_v1"'
    with pytest.raises(UnknownRelation, match=r"no version 3 .*versions are 1, 2"):
        compile_sql(state, "{{ ref('orders', version=3) }}")


def test_a_required_var_that_is_not_set_is_named(shop: ProjectState) -> None:
    with pytest.raises(SqlCompileError, match="Required var 'nope' is not set"):
        compile_sql(shop, "select {{ var('nope') }}")


def test_env_var_reads_the_server_environment_but_never_secrets(
    shop: ProjectState, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_REGION", "nordics")
    monkeypatch.setenv("DBT_ENV_SECRET_TOKEN", "hunter2")
    sql = "select '{{ env_var('SHOP_REGION') }}', '{{ env_var('UNSET_THING', 'x') }}'"
    assert compile_sql(shop, sql).sql == "select 'nordics', 'x'"
    with pytest.raises(SqlCompileError, match="secret") as caught:
        compile_sql(shop, "select '{{ env_var('DBT_ENV_SECRET_TOKEN') }}'")
    assert "hunter2" not in str(caught.value)
    with pytest.raises(SqlCompileError, match="Env var required but not provided: 'UNSET_X'"):
        compile_sql(shop, "select '{{ env_var('UNSET_X') }}'")


def test_the_sandbox_refuses_python_internals(shop: ProjectState) -> None:
    with pytest.raises(SqlCompileError, match="not allowed"):
        compile_sql(shop, "select '{{ ''.__class__.__mro__ }}'")


def test_a_jinja_syntax_error_is_reported_without_dbt(shop: ProjectState) -> None:
    with pytest.raises(SqlCompileError, match="Jinja syntax error at line 2"):
        compile_sql(shop, "select 1\n{% if true %}")


def test_dbt_output_parsing_reads_the_compiled_node_and_dbt_errors() -> None:
    lines = [
        '{"info": {"name": "MainReportVersion", "level": "info", "msg": "Running"}, "data": {}}',
        "not json",
        '{"info": {"name": "CompiledNode", "level": "info", "msg": "x"},'
        ' "data": {"compiled": "select 1"}}',
    ]
    assert parse_dbt_output("\n".join(lines)) == ("select 1", [])
    failed = [
        '{"info": {"name": "X", "level": "error", "msg": "Compilation Error\\n  boom"},'
        ' "data": {}}',
        '{"info": {"name": "MainEncounteredError", "level": "error",'
        ' "msg": "Encountered an error:"}, "data": {}}',
    ]
    assert parse_dbt_output("\n".join(failed)) == (None, ["Compilation Error\n  boom"])


# The really built demo -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProjectState]:
    yield from demo_copy(built_demo, tmp_path_factory.mktemp("sql-compile"))


@pytest.mark.slow
def test_models_of_the_demo_compile_exactly_as_dbt_compiled_them(demo: ProjectState) -> None:
    same = 0
    for node in demo.nodes.values():
        raw_code = node.raw.get("raw_code", "")
        if node.resource_type != "model" or "config(" in raw_code or "to_money" in raw_code:
            continue
        if any(
            demo.nodes[p].raw["config"].get("materialized") == "ephemeral"
            for p in demo.parents.get(node.unique_id, ())
            if p in demo.nodes
        ):
            continue
        compiled = compile_sql(demo, raw_code)
        assert compiled.method == "manifest", node.name
        assert compiled.sql == node.raw["compiled_code"], node.name
        same += 1
    assert same >= 6


@pytest.mark.slow
def test_demo_relations_are_quoted_as_dbt_writes_them(demo: ProjectState) -> None:
    compiled = compile_sql(
        demo,
        "select * from {{ ref('fct_orders') }} join {{ source('web_tracking', 'web_events') }}"
        " -- {{ target.type }} {{ this }}",
    )
    assert compiled.sql == (
        'select * from "demo"."main_marts"."fct_orders" join \'raw_data/web_events.csv\''
        ' -- duckdb "demo"."main"."inline_query"'
    )


@pytest.mark.slow
def test_macros_and_ephemeral_models_compile_through_dbt(demo: ProjectState) -> None:
    target = demo.project.target_dir
    before = sorted(p.relative_to(target) for p in target.rglob("*"))
    manifest_mtime = (target / "manifest.json").stat().st_mtime_ns
    compiled = compile_sql(
        demo,
        "-- money per line\nselect {{ to_money('line_revenue') }} as revenue\n"
        "from {{ ref('int_order_lines') }}",
    )
    assert compiled.method == "dbt"
    # dbt puts the ephemeral model's CTE in front of the query, as in the project's models.
    assert compiled.sql.startswith("with __dbt__cte__int_order_lines as (")
    assert compiled.sql.endswith(
        ") -- money per line\nselect cast(line_revenue as decimal(12, 2)) as revenue\n"
        "from __dbt__cte__int_order_lines"
    )
    assert [r.relation for r in compiled.relations] == ["__dbt__cte__int_order_lines"]
    # dbt wrote into a temporary folder: the project's target/ is as it was.
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == before
    assert (target / "manifest.json").stat().st_mtime_ns == manifest_mtime


@pytest.mark.slow
def test_a_dbt_compile_error_carries_dbts_message(demo: ProjectState) -> None:
    with pytest.raises(SqlCompileError) as caught:
        compile_sql(demo, "select {{ no_such_macro_anywhere() }} from {{ ref('fct_orders') }}")
    assert "'no_such_macro_anywhere' is undefined" in str(caught.value)
