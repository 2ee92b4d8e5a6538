"""Column changes of changed models: read with sqlglot before and now, followed through CTEs,
and the downstream columns that use them (through the column-lineage engine)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from impact_repos import DemoRepository, demo_repository

from jupyterlab_dbt_workbench.repository.changes import project_changes
from jupyterlab_dbt_workbench.repository.columns import (
    RelationColumns,
    Unreadable,
    output_columns,
)
from jupyterlab_dbt_workbench.repository.impact_payloads import ModelColumns
from jupyterlab_dbt_workbench.workbench import Workbench


class Known:
    """The columns of relations, by their dotted name."""

    def __init__(self, **tables: tuple[str, ...]) -> None:
        self.tables = tables

    def columns(self, parts: Iterable[str]) -> tuple[str, ...] | None:
        return self.tables.get(".".join(part for part in parts if part))


def read(sql: str, **tables: tuple[str, ...]) -> dict[str, str]:
    known = cast(RelationColumns, Known(**tables))
    return {column.name: column.expression for column in output_columns(sql, "duckdb", known)}


def test_an_edit_inside_a_cte_shows_on_the_output_column_it_feeds() -> None:
    before = read(
        "with base as (select id, amount * 100 as cents from db.raw.orders) select * from base",
        **{"db.raw.orders": ("id", "amount", "note")},
    )
    after = read(
        "with base as (select id, amount * 1000 as cents from db.raw.orders)\n"
        "select * from base -- a comment",
        **{"db.raw.orders": ("id", "amount", "note")},
    )
    assert list(before) == ["id", "cents"]
    assert before["id"] == after["id"]
    assert before["cents"] != after["cents"]
    assert "1000" in after["cents"] and "orders.amount" in after["cents"]


def test_case_and_whitespace_do_not_count_and_stars_expand_from_known_columns() -> None:
    one = read("SELECT  Upper(name) AS n, * FROM db.raw.t", **{"db.raw.t": ("a", "b")})
    two = read("select upper(NAME) as n,\n  * from db.raw.t", **{"db.raw.t": ("a", "b")})
    assert one == two
    assert list(one) == ["n", "a", "b"]
    # A star over a relation of unknown columns is left out, not guessed.
    assert list(read("select x, * from db.raw.unknown")) == ["x"]


def test_union_branches_are_followed_and_bad_sql_is_unreadable() -> None:
    before = read("with u as (select 1 as k union all select 2 as k) select k from u")
    after = read("with u as (select 1 as k union all select 3 as k) select k from u")
    assert before["k"] != after["k"]
    with pytest.raises(Unreadable, match="sqlglot cannot parse"):
        read("select from where (")
    with pytest.raises(Unreadable, match="single query"):
        read("select 1; select 2")


@pytest.fixture
def demo(built_demo: Path, tmp_path: Path) -> DemoRepository:
    return demo_repository(built_demo, tmp_path / "repo")


@pytest.fixture
def workbench(demo: DemoRepository) -> Iterator[Workbench]:
    found = Workbench(demo.root, store_path=None)
    yield found
    found.close()


def columns_of(report: Any) -> dict[str, ModelColumns]:
    return {entry["name"]: entry for entry in report["columns"]}


@pytest.mark.slow
def test_added_removed_and_changed_columns_with_their_downstream_columns(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.edit("models/staging/stg_orders.sql", "        campaign_id,\n", "")
    demo.edit(
        "models/staging/stg_orders.sql",
        "        channel,\n",
        "        upper(channel) as channel,\n",
    )
    demo.edit(
        "models/staging/stg_orders.sql", "        status\n", "        status,\n        1 as batch\n"
    )

    report = project_changes(workbench, "demo", None)

    stg_orders = columns_of(report)["stg_orders"]
    assert stg_orders["status"] == "ok", stg_orders["reason"]
    assert stg_orders["added"] == ["batch"]
    assert stg_orders["removed"] == ["campaign_id"]
    assert [change["name"] for change in stg_orders["changed"]] == ["channel"]
    change = stg_orders["changed"][0]
    assert "UPPER" in change["after"] and "UPPER" not in change["before"]
    used = {(item["name"], item["column"]) for item in stg_orders["downstream"]}
    # The campaign id (removed) and the channel (changed) flow into later models.
    assert ("fct_orders", "channel") in used
    assert ("fct_orders", "campaign_id") in used
    assert ("stg_orders", "channel") not in used


@pytest.mark.slow
def test_a_macro_change_reaches_the_columns_of_its_callers(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.edit("macros/to_money.sql", "decimal(12, 2)", "decimal(18, 4)")

    found = columns_of(project_changes(workbench, "demo", None))

    lines = found["int_order_lines"]
    assert lines["status"] == "ok", lines["reason"]
    assert {change["name"] for change in lines["changed"]} == {
        "line_revenue",
        "line_cost",
        "line_margin",
    }
    assert all("DECIMAL(18, 4)" in change["after"] for change in lines["changed"])
    assert lines["added"] == [] and lines["removed"] == []
    assert "stg_orders" not in found, "stg_orders does not call the macro"


@pytest.mark.slow
def test_a_side_that_needs_dbt_is_unavailable_with_the_reason(
    demo: DemoRepository, workbench: Workbench
) -> None:
    demo.edit(
        "models/staging/stg_shops.sql", "select * from renamed", "select {{ dbt_utils.star('x') }}"
    )

    found = columns_of(project_changes(workbench, "demo", None))

    shops = found["stg_shops"]
    assert shops["status"] == "unavailable"
    assert shops["reason"] is not None and "needs dbt" in shops["reason"]
    assert "dbt_utils" in shops["reason"]
    assert shops["added"] == shops["removed"] == shops["changed"] == []
