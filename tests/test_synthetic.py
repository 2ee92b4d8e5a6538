"""The synthetic project generator: a real dbt project, and artifacts dbt would write for it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_dbt_workbench import cli
from jupyterlab_dbt_workbench.demo.synthetic import (
    catalog_type,
    plan,
    write_artifacts,
    write_project,
)
from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable
from jupyterlab_dbt_workbench.workbench import Workbench

MODELS = 60


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def _manifest(directory: Path) -> dict[str, Any]:
    return json.loads((directory / "target" / "manifest.json").read_text())


@pytest.fixture(scope="module")
def synthesized(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("synthetic") / "project"
    write_artifacts(directory, models=MODELS, seed=7)
    return directory


def test_same_seed_writes_the_same_project(tmp_path: Path) -> None:
    write_project(tmp_path / "a", models=40, seed=3)
    write_project(tmp_path / "b", models=40, seed=3)
    write_project(tmp_path / "c", models=40, seed=4)
    first = _files(tmp_path / "a")
    assert first == _files(tmp_path / "b")
    assert first != _files(tmp_path / "c")
    assert "dbt_project.yml" in first and "profiles.yml" in first
    assert b"path: synthetic.duckdb" in first["profiles.yml"]
    assert sum(1 for name in first if name.endswith(".sql") and name.startswith("models/")) == 40


def test_same_seed_writes_the_same_artifacts_in_another_process(tmp_path: Path) -> None:
    write_artifacts(tmp_path / "here", models=40, seed=3)
    # Another interpreter with another string hash seed: nothing may depend on set order.
    code = (
        "import sys; from pathlib import Path; "
        "from jupyterlab_dbt_workbench.demo.synthetic import write_artifacts; "
        "write_artifacts(Path(sys.argv[1]), models=40, seed=3)"
    )
    there = tmp_path / "there"
    subprocess.run(
        [sys.executable, "-c", code, str(there)],
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "12345"},
        timeout=120,
    )
    here, elsewhere = _files(tmp_path / "here"), _files(there)
    root = str((tmp_path / "here").resolve()).encode()
    other_root = str(there.resolve()).encode()
    # Seeds record the project's absolute path, as dbt does.
    elsewhere["target/manifest.json"] = elsewhere["target/manifest.json"].replace(other_root, root)
    assert here == elsewhere


def test_models_only_read_earlier_layers(synthesized: Path) -> None:
    project = plan(MODELS, seed=7)
    tiers = {model.unique_id: model.tier for model in project.models}
    leaves = {leaf.unique_id for leaf in project.leaves}
    manifest = _manifest(synthesized)
    for unique_id, parents in manifest["parent_map"].items():
        if unique_id not in tiers:
            continue
        for parent in parents:
            assert parent in leaves or tiers[parent] < tiers[unique_id], (unique_id, parent)
        if tiers[unique_id] == 0:
            assert [p for p in parents if p in leaves] == parents and len(parents) == 1
    folders = {model.tier: model.path.split("/")[0] for model in project.models}
    assert folders == {0: "staging", 1: "intermediate", 2: "intermediate", 3: "marts", 4: "marts"}
    assert Counter(m.tier for m in project.models)[0] < MODELS / 2


def test_every_selector_method_has_something_to_select(synthesized: Path) -> None:
    manifest = _manifest(synthesized)
    nodes = list(manifest["nodes"].values())
    models = [n for n in nodes if n["resource_type"] == "model"]
    materialized = Counter(n["config"]["materialized"] for n in models)
    assert {"view", "table", "ephemeral", "incremental"} <= set(materialized)
    assert {"public", "protected", "private"} <= {n["access"] for n in models}
    assert {n["group"] for n in models} - {None}
    assert len({tag for n in models for tag in n["tags"]}) >= 8
    assert {"staging", "intermediate", "marts"} <= {n["config"]["schema"] for n in models}
    owners = {n["meta"]["owner"] for n in models}
    assert len(owners) >= 3
    tests = [n for n in nodes if n["resource_type"] == "test"]
    generic = Counter(n["test_metadata"]["name"] for n in tests if "test_metadata" in n)
    assert set(generic) == {"not_null", "unique", "accepted_values", "relationships"}
    assert any("test_metadata" not in n for n in tests), "no singular test"
    assert any(n["resource_type"] == "snapshot" for n in nodes)
    assert any(n["resource_type"] == "seed" for n in nodes)
    assert manifest["sources"] and manifest["exposures"] and manifest["groups"]
    assert manifest["disabled"], "no disabled model for config.enabled:false"
    sql = "\n".join(n["compiled_code"] for n in models)
    for construct in ("union all", " over (", "group by", "join", "case", "exclude (", "qualify"):
        assert construct in sql, construct


def test_synthesized_artifacts_load_with_the_expected_counts(synthesized: Path) -> None:
    project = plan(MODELS, seed=7)
    workbench = Workbench(synthesized, store_path=None)
    try:
        state = workbench.state(None)
        summary = workbench.projects()[0]
    finally:
        workbench.close()
    assert summary["error"] is None
    enabled = [m for m in project.models if m.enabled]
    generic = sum(len(m.tests) for m in enabled)
    sources = [leaf for leaf in project.leaves if leaf.kind == "source"]
    assert dict(state.counts) == {
        "exposure": len(project.exposures),
        "model": len(enabled),
        "seed": len(project.leaves) - len(sources),
        "snapshot": len(project.snapshots),
        "source": len(sources),
        # One not_null test per source table.
        "test": generic + len(project.singular_tests) + len(sources),
    }
    assert state.metadata.adapter_type == "duckdb"
    for model in enabled:
        columns = state.columns(model.unique_id)
        assert [c.name for c in columns] == [c.name for c in model.columns]
        if model.materialized != "ephemeral":
            assert [c.data_type for c in columns] == [catalog_type(c.type) for c in model.columns]


def test_compiled_sql_runs_in_duckdb_with_the_catalog_types(synthesized: Path) -> None:
    import duckdb

    project = plan(MODELS, seed=7)
    manifest = _manifest(synthesized)
    catalog = json.loads((synthesized / "target" / "catalog.json").read_text())
    connection = duckdb.connect()
    try:
        connection.execute("attach ':memory:' as synthetic")
        connection.execute("use synthetic")
        for entry in catalog["sources"].values():
            schema, name = entry["metadata"]["schema"], entry["metadata"]["name"]
            columns = ", ".join(
                f'"{column}" {spec["type"]}' for column, spec in entry["columns"].items()
            )
            connection.execute(f'create schema if not exists "{schema}"')
            connection.execute(f'create table "{schema}"."{name}" ({columns})')
        for unique_id, node in manifest["nodes"].items():
            if node["resource_type"] != "seed":
                continue
            entry = catalog["nodes"][unique_id]
            columns = ", ".join(f'"{c}" {s["type"]}' for c, s in entry["columns"].items())
            connection.execute(f'create schema if not exists "{node["schema"]}"')
            connection.execute(f'create table "{node["schema"]}"."{node["name"]}" ({columns})')
        for model in project.models:
            if not model.enabled:
                continue
            node = manifest["nodes"][model.unique_id]
            relation = f'"{node["schema"]}"."{model.name}"'
            connection.execute(f'create schema if not exists "{node["schema"]}"')
            connection.execute(f"create view {relation} as {node['compiled_code']}")
            described = connection.execute(f"describe {relation}").fetchall()
            expected = [(c.name, catalog_type(c.type)) for c in model.columns]
            assert [(row[0], row[1]) for row in described] == expected, model.name
    finally:
        connection.close()


def test_lineage_engine_analyses_every_model(synthesized: Path) -> None:
    from jupyterlab_dbt_workbench.lineage import compute_lineage

    workbench = Workbench(synthesized, store_path=None)
    try:
        lineage = compute_lineage(workbench.state(None), processes=1)
    finally:
        workbench.close()
    coverage = lineage.coverage()
    enabled = [m for m in plan(MODELS, seed=7).models if m.enabled]
    assert coverage["counts"]["ok"] == len(enabled) + len(plan(MODELS, seed=7).snapshots)
    assert coverage["columns"]["traced"] == coverage["columns"]["total"]


def test_cli_writes_a_project_with_artifacts(tmp_path: Path) -> None:
    directory = tmp_path / "big"
    assert cli.main(["synthetic", str(directory), "--models", "30", "--artifacts"]) == 0
    assert (directory / "target" / "catalog.json").exists()
    assert len([n for n in _manifest(directory)["nodes"] if n.startswith("model.")]) >= 29
    # Written by the command before: it writes again, leaving nothing of the last project.
    assert cli.main(["synthetic", str(directory), "--models", "20", "--seed", "2"]) == 0
    assert len(list((directory / "models").rglob("*.sql"))) == 20
    assert not (directory / "target").exists()


def test_cli_refuses_a_folder_it_did_not_write(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "notes.txt").write_text("mine")
    assert cli.main(["synthetic", str(tmp_path), "--models", "30"]) == 2
    assert "not empty" in capsys.readouterr().err
    assert not (tmp_path / "dbt_project.yml").exists()


_IGNORED = {"created_at", "root_path", "build_path"}


def _without_run_fields(value: Any) -> Any:
    # What differs from one dbt invocation to the next (time, absolute paths).
    if isinstance(value, dict):
        return {k: _without_run_fields(v) for k, v in value.items() if k not in _IGNORED}
    if isinstance(value, list):
        return [_without_run_fields(item) for item in value]
    return value


@pytest.mark.slow
def test_dbt_compile_writes_the_manifest_write_artifacts_synthesizes(tmp_path: Path) -> None:
    real_dir, ours_dir = tmp_path / "real", tmp_path / "ours"
    write_project(real_dir, models=50, seed=11)
    write_artifacts(ours_dir, models=50, seed=11)
    done = subprocess.run(
        [dbt_executable(), "compile", "--profiles-dir", ".", "--project-dir", "."],
        cwd=real_dir,
        env=dbt_environment(),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-3000:]
    real, ours = _manifest(real_dir), _manifest(ours_dir)
    assert set(real["metadata"]) == set(ours["metadata"])
    for section in (
        "nodes",
        "sources",
        "exposures",
        "groups",
        "disabled",
        "parent_map",
        "child_map",
    ):
        assert set(ours[section]) == set(real[section]), section
        for key in real[section]:
            assert _without_run_fields(ours[section][key]) == _without_run_fields(
                real[section][key]
            ), (section, key)
    # Listed in the order dbt's parser met the files, which is the file system's.
    assert {group: sorted(ids) for group, ids in ours["group_map"].items()} == {
        group: sorted(ids) for group, ids in real["group_map"].items()
    }
