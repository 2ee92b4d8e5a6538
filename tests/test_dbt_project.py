"""The Python interface notebooks use: selection, lineage, impact and column lineage."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench import DbtProject
from jupyterlab_dbt_workbench.errors import NodeNotFound, ProjectNotFound
from jupyterlab_dbt_workbench.graph import SelectorError

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def project(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    copy = tmp_path_factory.mktemp("facade") / "demo"
    shutil.copytree(built_demo, copy)
    # Opened from a subfolder, as a notebook in models/ would.
    return DbtProject(copy / "models" / "marts")


def test_opens_the_enclosing_project(project: DbtProject) -> None:
    assert (project.path / "dbt_project.yml").exists()
    assert "copper_kettle" in repr(project)
    models = project.nodes("model")
    assert len(models) == 20
    assert set(models["resource_type"]) == {"model"}


def test_select_matches_names_and_graph_operators(project: DbtProject) -> None:
    downstream = project.select("stg_orders+", exclude="resource_type:test")
    assert "model.copper_kettle.stg_orders" in downstream
    assert "model.copper_kettle.fct_orders" in downstream
    assert all(not uid.startswith("test.") for uid in downstream)
    assert project.select("tag:no_such_tag") == []
    with pytest.raises(SelectorError, match="nosuchmethod"):
        project.select("nosuchmethod:x")


def test_lineage_and_impact_by_name(project: DbtProject) -> None:
    lineage = project.lineage("fct_orders")
    ids = {node["unique_id"] for node in lineage["nodes"]}
    assert "model.copper_kettle.fct_orders" in ids
    assert lineage["edges"]
    found = project.impact("stg_orders")
    distances = {node["unique_id"]: node["distance"] for node in found["nodes"]}
    assert distances["model.copper_kettle.fct_orders"] >= 1
    assert found["exposures"], "stg_orders feeds the dashboards"
    with pytest.raises(NodeNotFound):
        project.impact("no_such_model")


def test_column_lineage_reaches_the_seed_columns(project: DbtProject) -> None:
    trace = project.column_lineage("fct_orders", "order_total")
    sources = {(edge.source, edge.source_column) for edge in trace.upstream()}
    assert ("seed.copper_kettle.order_items", "unit_price") in sources
    assert any(edge.kind == "transformation" for edge in trace.upstream(depth=1))


def test_no_project_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ProjectNotFound, match=r"dbt_project\.yml"):
        DbtProject(tmp_path)
