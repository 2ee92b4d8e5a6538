"""One model's analysis: honest failures, unresolved columns, expressions, unusual input."""

from __future__ import annotations

from jupyterlab_dbt_workbench.lineage.analyse import analyse
from jupyterlab_dbt_workbench.lineage.records import ModelJob, ModelLineage, Relation

ORDERS = Relation("model.shop.orders", '"db"."main"."orders"', None, ("id", "amount"), True)


def run(sql: str, *relations: Relation, dialect: str = "duckdb") -> ModelLineage:
    return analyse(ModelJob("model.shop.m", sql, dialect, relations or (ORDERS,)))


def test_sql_sqlglot_cannot_parse_fails_with_its_message() -> None:
    result = run("select (amount from orders")
    assert result.status == "failed"
    assert result.reason is not None and "cannot parse" in result.reason
    assert "\x1b[" not in result.reason, "no terminal colour codes in the reason"
    assert result.edges == ()


def test_statements_that_are_not_one_query_fail() -> None:
    insert = run("insert into db.main.orders values (1, 2)")
    assert insert.status == "failed" and "INSERT" in (insert.reason or "")
    two = run("select 1 as a; select 2 as b")
    assert two.status == "failed" and "found 2" in (two.reason or "")


def test_a_trailing_semicolon_is_fine() -> None:
    assert run("select id from db.main.orders;").status == "ok"


def test_relation_that_is_no_dependency_is_partial_and_never_guessed() -> None:
    result = run(
        "select o.id, r.amount as refund from db.main.orders o"
        " join raw.refunds r on r.order_id = o.id"
    )
    assert result.status == "partial"
    assert "raw.refunds" in (result.reason or "")
    assert "not a ref() or source()" in (result.reason or "")
    assert "refund" in result.unresolved_columns
    # Not matched to orders.amount by name: no edge at all for the unknown side.
    assert [(e.column, e.source_column) for e in result.edges] == [("id", "id")]


def test_star_over_unknown_columns_says_why() -> None:
    unknown = Relation("source.shop.raw.orders", "raw.orders", None, None, False, "no catalog")
    result = run("select * from raw.orders", unknown)
    assert result.status == "partial"
    assert not result.columns_complete
    assert "raw.orders (no catalog)" in (result.reason or "")


def test_transformation_keeps_its_expression() -> None:
    result = run("with o as (select id, amount * 2 as doubled from db.main.orders) select * from o")
    (edge,) = [e for e in result.edges if e.column == "doubled"]
    assert edge.kind == "transformation"
    assert edge.source_column == "amount"
    assert edge.expression is not None and "amount * 2" in edge.expression
    (passthrough,) = [e for e in result.edges if e.column == "id"]
    assert passthrough.expression is None


def test_constant_columns_have_no_edges_and_are_not_unresolved() -> None:
    result = run(
        "select id, 1 as one, current_date as today, count(*) over () as n from db.main.orders"
    )
    assert result.status == "ok"
    assert result.columns == ("id", "one", "today", "n")
    assert {e.column for e in result.edges} == {"id"}


def test_relation_named_by_suffix_only_when_unambiguous() -> None:
    other = Relation("model.other.orders", '"db2"."main"."orders"', None, ("id",), True)
    result = run("select id from main.orders", ORDERS, other)
    assert result.status == "partial", "two dependencies end with main.orders: no guess"
    exact = run("select id from db2.main.orders", ORDERS, other)
    assert [e.source for e in exact.edges] == ["model.other.orders"]


def test_declared_columns_are_unquoted_names() -> None:
    declared = Relation("source.s.t", "DB.S.T", None, ("order_id", "amount"), exact=False)
    result = run("select Order_Id from db.s.t", declared, dialect="snowflake")
    assert [(e.column, e.source_column, e.kind) for e in result.edges] == [
        ("ORDER_ID", "ORDER_ID", "passthrough")
    ]


def test_output_survives_a_serialization_round_trip() -> None:
    result = run("select id, amount + 1 as a from db.main.orders where amount > 0")
    assert ModelLineage.from_json(result.to_json()) == result
