"""``%dbt search`` and ``%dbt node`` on a small hand-written project."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from IPython.core.error import UsageError
from search_states import manifest

from jupyterlab_dbt_workbench.notebook.catalog import NodeView, SearchResults, catalog_command


@pytest.fixture
def shop(tmp_path: Path) -> str:
    folder = tmp_path / "shop"
    (folder / "target").mkdir(parents=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\nversion: '1.0'\n")
    data = manifest()
    # A description with markup must come out escaped, not as HTML.
    data["nodes"]["model.shop.payments"]["description"] = "Payments <b>& refunds</b>"
    data["nodes"]["model.shop.payments"]["depends_on"]["nodes"] = ["model.shop.orders"]
    data["parent_map"] = {"model.shop.payments": ["model.shop.orders"]}
    data["child_map"] = {"model.shop.orders": ["model.shop.payments"]}
    (folder / "target" / "manifest.json").write_bytes(orjson.dumps(data))
    return str(folder)


def test_search_shows_a_table_and_gives_a_dataframe(shop: str) -> None:
    found = catalog_command(["search", "order_total"], shop)
    assert isinstance(found, SearchResults)
    assert found.total == 1
    html = found._repr_html_()
    assert "customer_revenue" in html and "<mark>order</mark>_<mark>total</mark>" in html
    df = found.df
    assert list(df["name"]) == ["customer_revenue"]
    assert list(df["matched_column"]) == ["order_total"]


def test_search_keeps_phrases_and_limits(shop: str) -> None:
    found = catalog_command(["search", "lifetime value"], shop)
    assert isinstance(found, SearchResults)
    assert found.result["query"]["phrases"] == ["lifetime value"]
    assert found.total == 1
    limited = catalog_command(["search", "orders", "--limit", "2"], shop)
    assert isinstance(limited, SearchResults)
    assert len(limited) == 2 and limited.total == 6
    assert "showing 2" in limited._repr_html_()


def test_search_escapes_what_it_shows(shop: str) -> None:
    found = catalog_command(["search", "refunds"], shop)
    assert isinstance(found, SearchResults)
    html = found._repr_html_()
    assert "<b>& refunds</b>" not in html and "&lt;b&gt;&amp; refunds&lt;/b&gt;" in html
    nothing = catalog_command(["search", "<script>"], shop)
    assert isinstance(nothing, SearchResults)
    assert "<script>" not in nothing._repr_html_()


def test_node_shows_columns_tests_and_neighbours(shop: str) -> None:
    view = catalog_command(["node", "stg_orders"], shop)
    assert isinstance(view, NodeView)
    html = view._repr_html_()
    assert "<code>order_id</code>" in html and "When it was ordered." in html
    assert "unique_stg_orders_order_id" in html
    payments = catalog_command(["node", "payments"], shop)
    assert isinstance(payments, NodeView)
    assert "<b>Upstream</b> orders" in payments._repr_html_()


def test_bad_catalog_commands_say_what_to_type(shop: str) -> None:
    with pytest.raises(UsageError, match="%dbt search TEXT"):
        catalog_command(["search"], shop)
    with pytest.raises(UsageError, match="--limit needs a whole number"):
        catalog_command(["search", "x", "--limit", "many"], shop)
    with pytest.raises(UsageError, match="too long"):
        catalog_command(["search", "x" * 2000], shop)
    with pytest.raises(UsageError, match="nope"):
        catalog_command(["node", "nope"], shop)


def test_the_dbt_magic_dispatches_search_and_node(shop: str) -> None:
    from IPython.testing.globalipapp import get_ipython

    from jupyterlab_dbt_workbench.notebook.magics import DbtMagics

    magics = DbtMagics(get_ipython())
    found = magics.dbt(f'search "lifetime value" --project {shop}')
    assert isinstance(found, SearchResults) and found.total == 1
    assert isinstance(magics.dbt(f"node orders --project {shop}"), NodeView)
