"""Metadata edits on hand-written YAML: only the edited lines change, in the file's own style."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import (
    FileChanged,
    InvalidRequest,
    InvalidYaml,
    NodeNotFound,
    UnsafePath,
)
from jupyterlab_dbt_workbench.metadata import (
    MISSING,
    ColumnEdit,
    GenericTest,
    MetadataEdit,
    apply,
    edit_from_json,
    editable,
    preview,
)

State = Callable[[], ProjectState]
MARTS = "models/marts/_marts.yml"


def changed_lines(diff: str) -> list[str]:
    return [
        line
        for line in diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]


def save(state: ProjectState, edit: MetadataEdit) -> str:
    return apply(state, edit, preview(state, edit)["base"])["diff"]


def test_description_edit_changes_one_line_and_keeps_comments_and_quotes(
    shop: Path, shop_state: State
) -> None:
    before = (shop / MARTS).read_text()
    edit = MetadataEdit(node="model.shop.orders", description="Every order, once.")
    shown = preview(shop_state(), edit)
    assert changed_lines(shown["diff"]) == [
        "-    description: 'One row per order.'",
        "+    description: 'Every order, once.'",
    ]
    assert (shop / MARTS).read_text() == before, "a preview writes nothing"
    result = apply(shop_state(), edit, shown["base"])
    after = (shop / MARTS).read_text()
    assert after == before.replace("'One row per order.'", "'Every order, once.'")
    assert "# Marts: the tables people query." in after
    assert "- name: orders  # one row per order" in after
    assert "dbt parses" in result["message"]


def test_folded_description_keeps_its_block_style(shop: Path, shop_state: State) -> None:
    edit = MetadataEdit(
        node="model.shop.orders",
        columns=(ColumnEdit("status", description="Placed, shipped or returned."),),
    )
    save(shop_state(), edit)
    text = (shop / MARTS).read_text()
    assert "description: >\n          Placed, shipped or returned.\n" in text
    data = YAML(typ="safe").load(text)
    status = data["models"][0]["columns"][1]
    assert status["description"] == "Placed, shipped or returned.\n"


def test_multiline_description_becomes_a_literal_block(shop: Path, shop_state: State) -> None:
    save(shop_state(), MetadataEdit(node="model.shop.orders", description="Line one.\nLine two."))
    data = YAML(typ="safe").load((shop / MARTS).read_text())
    assert data["models"][0]["description"] == "Line one.\nLine two.\n"
    assert "description: |\n      Line one.\n      Line two.\n" in (shop / MARTS).read_text()


def test_tags_and_owner_go_where_the_file_keeps_them(shop: Path, shop_state: State) -> None:
    edit = MetadataEdit(node="model.shop.orders", tags=("finance", "daily"), owner="revenue-team")
    assert changed_lines(preview(shop_state(), edit)["diff"]) == [
        '-      tags: ["finance"]',
        '+      tags: ["finance", "daily"]',
        "-        owner: finance-team",
        "+        owner: revenue-team",
    ]


def test_top_level_form_and_tests_key_of_an_older_file_are_kept(
    shop: Path, shop_state: State
) -> None:
    edit = MetadataEdit(
        node="model.shop.legacy",
        tags=("old", "frozen"),
        owner="archive",
        columns=(ColumnEdit("id", add_tests=(GenericTest("unique"),)),),
    )
    save(shop_state(), edit)
    text = (shop / "models/old/schema.yml").read_text()
    assert text == (
        "version: 2\n"
        "models:\n"
        "- name: legacy\n"
        "  description: Old model.\n"
        "  tags: [old, frozen]\n"
        "  meta: {owner: archive}\n"
        "  columns:\n"
        "  - name: id\n"
        "    tests:\n"
        "    - not_null\n"
        "    - unique\n"
    )


def test_new_tags_and_owner_use_config_when_the_file_does(shop: Path, shop_state: State) -> None:
    save(shop_state(), MetadataEdit(node="model.shop.customers", tags=("crm",), owner="crm-team"))
    data = YAML(typ="safe").load((shop / MARTS).read_text())
    customers = data["models"][1]
    assert customers["config"] == {"tags": ["crm"], "meta": {"owner": "crm-team"}}
    assert "tags" not in customers
    assert "meta" not in customers


def test_adding_tests_with_arguments_uses_data_tests_and_arguments(
    shop: Path, shop_state: State
) -> None:
    edit = MetadataEdit(
        node="model.shop.orders",
        columns=(
            ColumnEdit(
                "status",
                add_tests=(
                    GenericTest("not_null"),
                    GenericTest("accepted_values", {"values": ["placed", "shipped", "returned"]}),
                ),
            ),
            ColumnEdit(
                "customer_id",
                description="Who ordered.",
                add_tests=(
                    GenericTest(
                        "relationships", {"to": "ref('customers')", "field": "customer_id"}
                    ),
                ),
            ),
        ),
    )
    save(shop_state(), edit)
    text = (shop / MARTS).read_text()
    assert (
        "        data_tests:\n"
        "          - not_null\n"
        "          - accepted_values:\n"
        "              arguments:\n"
        '                values: ["placed", "shipped", "returned"]\n'
    ) in text
    orders = YAML(typ="safe").load(text)["models"][0]
    assert orders["columns"][2] == {
        "name": "customer_id",
        "description": "Who ordered.",
        "data_tests": [
            {"relationships": {"arguments": {"to": "ref('customers')", "field": "customer_id"}}}
        ],
    }


def test_a_test_the_column_has_is_not_added_twice(shop: Path, shop_state: State) -> None:
    edit = MetadataEdit(
        node="model.shop.orders",
        columns=(ColumnEdit("order_id", add_tests=(GenericTest("unique"),)),),
    )
    shown = preview(shop_state(), edit)
    assert shown["changed"] is False
    assert shown["diff"] == ""


def test_anchored_columns_are_refused_not_changed_for_every_alias(
    shop: Path, shop_state: State
) -> None:
    edit = MetadataEdit(
        node="model.shop.customers", columns=(ColumnEdit("customer_id", description="Id."),)
    )
    with pytest.raises(InvalidRequest, match="anchor &shared_columns"):
        preview(shop_state(), edit)


def test_anchors_aliases_and_merges_elsewhere_survive_an_edit(
    shop: Path, shop_state: State
) -> None:
    text = """\
version: 2
x-common: &common
  config:
    tags: ["shared"]
models:
  - name: orders
    <<: *common
    description: "Orders."
  - name: customers
    <<: *common
    description: Customers.
"""
    (shop / MARTS).write_text(text)
    save(shop_state(), MetadataEdit(node="model.shop.customers", description="All customers."))
    assert (shop / MARTS).read_text() == text.replace("Customers.", "All customers.")
    with pytest.raises(InvalidRequest, match="merge"):
        preview(shop_state(), MetadataEdit(node="model.shop.orders", tags=("x",)))


def test_seed_and_source_table_are_edited_in_their_files(shop: Path, shop_state: State) -> None:
    save(shop_state(), MetadataEdit(node="seed.shop.countries", description="Countries."))
    save(shop_state(), MetadataEdit(node="source.shop.web.events", owner="growth"))
    seeds = YAML(typ="safe").load((shop / "seeds/_seeds.yml").read_text())
    assert seeds["seeds"][0]["description"] == "Countries."
    sources = YAML(typ="safe").load((shop / "models/staging/_sources.yml").read_text())
    assert sources["sources"][0]["tables"][0]["config"] == {"meta": {"owner": "growth"}}


def test_a_model_without_properties_file_gets_one_next_to_it(shop: Path, shop_state: State) -> None:
    edit = MetadataEdit(node="model.shop.fresh", description="Fresh rows.", tags=("new",))
    shown = preview(shop_state(), edit)
    assert shown["file"] == "models/staging/_staging__models.yml"
    assert shown["created"] is True
    assert shown["base"] == MISSING
    assert shown["diff"].startswith("--- /dev/null\n+++ b/models/staging/_staging__models.yml")
    apply(shop_state(), edit, shown["base"])
    assert (shop / "models/staging/_staging__models.yml").read_text() == (
        "version: 2\n"
        "\n"
        "models:\n"
        "  - name: fresh\n"
        "    description: Fresh rows.\n"
        "    config:\n"
        '      tags: ["new"]\n'
    )
    again = preview(shop_state(), MetadataEdit(node="model.shop.fresh", owner="me"))
    assert again["created"] is False
    assert changed_lines(again["diff"]) == ["+      meta:", "+        owner: me"]


def test_a_file_with_a_syntax_error_is_refused_saying_where(shop: Path, shop_state: State) -> None:
    broken = "version: 2\nmodels:\n  - name: orders\n    description: [unclosed\n"
    (shop / MARTS).write_text(broken)
    with pytest.raises(InvalidYaml, match=r"line \d+, column \d+") as caught:
        preview(shop_state(), MetadataEdit(node="model.shop.orders", description="x"))
    assert caught.value.line is not None and caught.value.line >= 4
    assert (shop / MARTS).read_text() == broken


def test_a_file_changed_after_the_preview_is_not_written(shop: Path, shop_state: State) -> None:
    edit = MetadataEdit(node="model.shop.orders", description="Mine.")
    shown = preview(shop_state(), edit)
    theirs = (shop / MARTS).read_text().replace("One row per order.", "Theirs.")
    (shop / MARTS).write_text(theirs)
    with pytest.raises(FileChanged, match="changed since"):
        apply(shop_state(), edit, shown["base"])
    assert (shop / MARTS).read_text() == theirs


def test_two_applies_at_once_one_wins_and_the_file_stays_valid(
    shop: Path, shop_state: State
) -> None:
    state = shop_state()
    edits = [MetadataEdit(node="model.shop.orders", description=f"Writer {n}.") for n in range(2)]
    bases = [preview(state, edit)["base"] for edit in edits]
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        barrier.wait()
        try:
            apply(state, edits[index], bases[index])
            outcomes.append(f"won {index}")
        except FileChanged:
            outcomes.append("conflict")

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes)[0] == "conflict" and sorted(outcomes)[1].startswith("won")
    winner = outcomes[0] if outcomes[0] != "conflict" else outcomes[1]
    data = YAML(typ="safe").load((shop / MARTS).read_text())
    assert data["models"][0]["description"] == f"Writer {winner[-1]}."
    assert not list((shop / "models/marts").glob("*.tmp")), "no temp file is left behind"


def test_a_patch_path_outside_the_project_is_refused(shop: Path, shop_state: State) -> None:
    with pytest.raises(UnsafePath):
        preview(shop_state(), MetadataEdit(node="model.shop.escape", description="x"))
    assert not (shop.parent / "outside.yml").exists()


def test_unknown_nodes_and_bad_bodies_are_refused(shop_state: State) -> None:
    with pytest.raises(NodeNotFound):
        preview(shop_state(), MetadataEdit(node="model.shop.nope", description="x"))
    for body, message in [
        ({"node": "model.shop.orders"}, "changes nothing"),
        ({"node": "model.shop.orders", "tags": ["has space"]}, "not allowed"),
        ({"node": "model.shop.orders", "colour": "red"}, "Unknown field"),
        (
            {"node": "model.shop.orders", "columns": [{"name": "a", "add_tests": ["magic"]}]},
            "cannot be added",
        ),
        (
            {
                "node": "model.shop.orders",
                "columns": [{"name": "a", "add_tests": [{"name": "accepted_values"}]}],
            },
            "needs values",
        ),
    ]:
        with pytest.raises(InvalidRequest, match=message):
            edit_from_json(body)


def test_editable_reads_the_file_not_the_inherited_values(shop_state: State) -> None:
    form = editable(shop_state(), "model.shop.orders")
    assert form["file"] == MARTS
    assert form["description"] == "One row per order."
    assert form["tags"] == ["finance"]
    assert form["owner"] == "finance-team"
    assert [(c["name"], c["tests"]) for c in form["columns"]] == [
        ("order_id", ["unique"]),
        ("status", []),
    ]
    fresh = editable(shop_state(), "model.shop.fresh")
    assert fresh["file_exists"] is False and fresh["in_file"] is False


def test_dbt_project_edit_metadata_previews_then_writes(shop: Path) -> None:
    from jupyterlab_dbt_workbench import DbtProject

    project = DbtProject(shop)
    try:
        shown = project.edit_metadata("orders", owner="ops", dry_run=True)
        assert "+        owner: ops" in shown["diff"]
        assert "owner: finance-team" in (shop / MARTS).read_text()
        saved = project.edit_metadata(
            "orders", columns=[{"name": "status", "add_tests": ["not_null"]}]
        )
        assert saved["changed"] is True
        assert "          - not_null\n" in (shop / MARTS).read_text()
    finally:
        project.close()
