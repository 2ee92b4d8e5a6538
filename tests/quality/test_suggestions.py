"""Test suggestions from the built demo's DuckDB warehouse, and a warehouse a dbt run holds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_dbt_workbench.errors import UnsupportedAdapter, WarehouseBusy
from jupyterlab_dbt_workbench.metadata import ColumnEdit, GenericTest, MetadataEdit, apply, preview
from jupyterlab_dbt_workbench.quality import duckdb_path, suggest_tests
from jupyterlab_dbt_workbench.workbench import Workbench

ORDERS = "model.copper_kettle.fct_orders"


@pytest.fixture
def demo(tmp_path: Path, built_demo: Path) -> Iterator[Workbench]:
    folder = tmp_path / "demo"
    shutil.copytree(built_demo, folder)
    workbench = Workbench(folder, store_path=None)
    yield workbench
    workbench.close()


def by_test(result: Any) -> dict[tuple[str, str], Any]:
    return {(s["column"], s["test"]): s for s in result["suggestions"]}


@pytest.mark.slow
def test_fct_orders_suggestions_have_evidence_and_skip_existing_tests(demo: Workbench) -> None:
    result = suggest_tests(demo.state("."), ORDERS)
    assert result["rows"] == 3000
    status = next(column for column in result["columns"] if column["name"] == "status")
    assert status["nulls"] == 0 and status["distinct"] == 4
    assert len(status["top_values"]) == 4
    found = by_test(result)
    values = found[("status", "accepted_values")]
    assert values["arguments"] == {"values": ["cancelled", "completed", "placed", "returned"]}
    assert "4 distinct values" in values["evidence"]
    shops = found[("shop_id", "relationships")]
    assert shops["arguments"] == {"to": "ref('dim_shops')", "field": "shop_id"}
    assert "dim_shops.shop_id" in shops["evidence"]
    # order_id already has unique and not_null; customer_id has not_null.
    assert ("order_id", "unique") not in found and ("order_id", "not_null") not in found
    assert ("customer_id", "not_null") not in found
    # A key is not suggested as a reference to another node's key.
    assert ("order_id", "relationships") not in found
    # campaign_id has nulls (orders without a campaign).
    assert ("campaign_id", "not_null") not in found


@pytest.mark.slow
def test_a_suggestion_is_added_through_the_metadata_flow(demo: Workbench) -> None:
    state = demo.state(".")
    suggestion = by_test(suggest_tests(state, ORDERS))[("status", "accepted_values")]
    edit = MetadataEdit(
        node=ORDERS,
        columns=(
            ColumnEdit(
                "status",
                add_tests=(GenericTest(suggestion["test"], suggestion["arguments"]),),
            ),
        ),
    )
    apply(state, edit, preview(state, edit)["base"])
    text = (state.project.path / "models/marts/finance/_finance.yml").read_text()
    assert (
        "        description: \"{{ doc('order_status') }}\"\n"
        "        data_type: varchar\n"
        "        data_tests:\n"
        "          - accepted_values:\n"
        "              arguments:\n"
        '                values: ["cancelled", "completed", "placed", "returned"]\n'
    ) in text


@pytest.mark.slow
def test_a_warehouse_held_by_another_process_is_reported_busy(demo: Workbench) -> None:
    state = demo.state(".")
    database = duckdb_path(state)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time\n"
            f"c = duckdb.connect({str(database)!r})\n"
            "print('held', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        with pytest.raises(WarehouseBusy, match=r"warehouse is busy \(a dbt run holds the DuckDB"):
            suggest_tests(state, ORDERS)
        assert time.monotonic() - started < 10
    finally:
        holder.communicate("")
    assert suggest_tests(state, ORDERS)["rows"] == 3000, "free again once the holder ends"


def test_other_adapters_are_refused_clearly(tmp_path: Path) -> None:
    project = tmp_path / "pg"
    (project / "target").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: pg\nprofile: pg\n")
    (project / "profiles.yml").write_text(
        "pg:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n"
        "      password: secret-never-shown\n"
    )
    manifest = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/manifest/v12.json",
            "dbt_version": "1.11.2",
            "adapter_type": "postgres",
            "project_name": "pg",
        },
        "nodes": {},
        "sources": {},
    }
    (project / "target" / "manifest.json").write_text(json.dumps(manifest))
    workbench = Workbench(project, store_path=None)
    try:
        with pytest.raises(UnsupportedAdapter, match="needs a DuckDB warehouse") as caught:
            duckdb_path(workbench.state("."))
        assert "secret" not in str(caught.value)
    finally:
        workbench.close()


@pytest.mark.slow
async def test_suggestions_route(demo_root: Path, api: Any) -> None:
    from jsonschema import Draft202012Validator

    from jupyterlab_dbt_workbench.server.openapi import openapi_document

    status, body = await api("quality", "suggestions", params={"project": "demo", "node": ORDERS})
    assert status == 200, body
    doc = openapi_document()
    schema = doc["paths"]["/quality/suggestions"]["get"]["responses"]["200"]["content"]
    validator = Draft202012Validator(
        {**schema["application/json"]["schema"], "components": doc["components"]}
    )
    assert not list(validator.iter_errors(body))
    status, error = await api(
        "quality", "suggestions", params={"project": "demo", "node": "model.copper_kettle.nope"}
    )
    assert (status, error["reason"]) == (404, "node_not_found")
