"""Every artifact version dbt 1.5+ writes loads; older or foreign files are refused clearly."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from artifact_builders import fixture_bytes, project_info

from jupyterlab_dbt_workbench.artifacts.loader import read_artifact
from jupyterlab_dbt_workbench.artifacts.state import build_state
from jupyterlab_dbt_workbench.errors import MalformedArtifact, UnsupportedSchemaVersion

MANIFESTS = {
    "manifest_v9_dbt-1.5.json": (9, "1.5.0rc1", {"model": 34, "seed": 3, "test": 21}),
    "manifest_v10_dbt-1.6.json": (10, "1.6.0", {"model": 6, "seed": 3, "test": 20}),
    "manifest_v11_dbt-1.7.json": (11, "1.7.0", {"model": 35, "seed": 3, "test": 20}),
    "manifest_v12_dbt-1.8.json": (12, "1.8.9", {"model": 36, "seed": 3, "test": 20}),
    "manifest_v12_dbt-1.10.json": (
        12,
        "1.10.13",
        {
            "metric": 19,
            "model": 13,
            "saved_query": 3,
            "semantic_model": 6,
            "source": 6,
            "test": 27,
            "unit_test": 3,
        },
    ),
    "manifest_v12_dbt-1.12.json": (
        12,
        "1.12.0",
        {
            "metric": 23,
            "model": 13,
            "saved_query": 3,
            "seed": 6,
            "semantic_model": 6,
            "source": 6,
            "test": 27,
            "unit_test": 3,
        },
    ),
}


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fixture", sorted(MANIFESTS))
def test_every_supported_manifest_loads_with_its_nodes(tmp_path: Path, fixture: str) -> None:
    version, dbt_version, counts = MANIFESTS[fixture]
    path = write(tmp_path, "manifest.json", fixture_bytes(fixture))

    artifact = read_artifact("manifest", path, "target/manifest.json")
    state = build_state(project_info(tmp_path), {"manifest": artifact}, "now")

    assert artifact.metadata.schema_version == version
    assert state.metadata.dbt_version == dbt_version
    assert dict(state.counts) == counts
    customers = state.nodes["model.jaffle_shop.customers"]
    assert customers.name == "customers"
    assert customers.resource_type == "model"
    assert customers.original_file_path.endswith("customers.sql")


def test_manifest_v8_is_refused_naming_the_version_and_what_is_supported(tmp_path: Path) -> None:
    path = write(tmp_path, "manifest.json", fixture_bytes("manifest_v8_unsupported.json"))

    with pytest.raises(UnsupportedSchemaVersion) as caught:
        read_artifact("manifest", path, "target/manifest.json")

    message = caught.value.message
    assert "target/manifest.json" in message
    assert "v8" in message
    assert "dbt 1.4.1" in message
    assert "v9, v10, v11, v12" in message
    assert "dbt 1.5" in message
    assert caught.value.reason == "unsupported_schema_version"
    assert caught.value.artifact == "manifest"


@pytest.mark.parametrize(
    ("fixture", "version", "results"),
    [
        ("run_results_v4.json", 4, 29),
        ("run_results_v5.json", 5, 58),
        ("run_results_v6_dbt-1.12.json", 6, 46),
    ],
)
def test_run_results_v4_to_v6_load(
    tmp_path: Path, fixture: str, version: int, results: int
) -> None:
    path = write(tmp_path, "run_results.json", fixture_bytes(fixture))

    artifact = read_artifact("run_results", path, "target/run_results.json")

    assert artifact.metadata.schema_version == version
    assert len(artifact.data["results"]) == results


def test_run_results_v4_statuses_reach_the_nodes(tmp_path: Path) -> None:
    manifest = read_artifact(
        "manifest",
        write(tmp_path, "manifest.json", fixture_bytes("manifest_v10_dbt-1.6.json")),
        "manifest.json",
    )
    results = read_artifact(
        "run_results",
        write(tmp_path, "run_results.json", fixture_bytes("run_results_v4.json")),
        "run_results.json",
    )

    state = build_state(
        project_info(tmp_path), {"manifest": manifest, "run_results": results}, "now"
    )

    assert state.nodes["seed.jaffle_shop.raw_customers"].status == "success"
    assert state.nodes["model.jaffle_shop.customers"].test_status == "pass"
    assert state.run_results["model.jaffle_shop.test_insert_overwrite"].status == "error"


def test_catalog_v1_loads(tmp_path: Path) -> None:
    path = write(tmp_path, "catalog.json", fixture_bytes("catalog_v1_dbt-1.12.json"))

    artifact = read_artifact("catalog", path, "target/catalog.json")

    assert artifact.metadata.schema_version == 1
    assert "model.jaffle_shop.customers" in artifact.data["nodes"]


def test_sources_v3_loads_and_other_versions_do_not(tmp_path: Path) -> None:
    def sources(version: int) -> bytes:
        url = f"https://schemas.getdbt.com/dbt/sources/v{version}.json"
        return orjson.dumps({"metadata": {"dbt_schema_version": url}, "results": []})

    ok = read_artifact("sources", write(tmp_path, "a.json", sources(3)), "sources.json")
    assert ok.metadata.schema_version == 3
    with pytest.raises(UnsupportedSchemaVersion, match="v2"):
        read_artifact("sources", write(tmp_path, "b.json", sources(2)), "sources.json")


def test_truncated_manifest_is_malformed_naming_file_and_position(tmp_path: Path) -> None:
    data = fixture_bytes("manifest_v12_dbt-1.12.json")
    path = write(tmp_path, "manifest.json", data[: len(data) // 2])

    with pytest.raises(MalformedArtifact) as caught:
        read_artifact("manifest", path, "target/manifest.json")

    message = caught.value.message
    assert "target/manifest.json" in message
    assert "line 1, column" in message
    assert caught.value.reason == "malformed_artifact"


@pytest.mark.parametrize(
    "document",
    [
        {"nodes": {}},
        {"metadata": {"dbt_schema_version": 12}},
        {"metadata": {"dbt_schema_version": "manifest twelve"}},
        [1, 2, 3],
    ],
)
def test_missing_or_garbled_metadata_is_malformed(tmp_path: Path, document: object) -> None:
    path = write(tmp_path, "manifest.json", orjson.dumps(document))

    with pytest.raises(MalformedArtifact, match="dbt_schema_version"):
        read_artifact("manifest", path, "target/manifest.json")


def test_a_catalog_saved_as_manifest_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "manifest.json", fixture_bytes("catalog_v1_dbt-1.12.json"))

    with pytest.raises(MalformedArtifact, match="holds a catalog artifact, not a manifest"):
        read_artifact("manifest", path, "target/manifest.json")
