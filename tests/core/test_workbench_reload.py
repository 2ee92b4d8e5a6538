"""The Workbench facade: projects, reloads that fail or lose files, snapshots, threads."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from artifact_builders import (
    CATALOG,
    MANIFEST,
    ProjectFactory,
    fixture_bytes,
    run_results_with_test_outcomes,
)

from jupyterlab_dbt_workbench.artifacts import loader
from jupyterlab_dbt_workbench.artifacts.loader import FileSignature
from jupyterlab_dbt_workbench.catalog.listing import NodeFilter
from jupyterlab_dbt_workbench.errors import (
    ArtifactsNotLoaded,
    InvalidRequest,
    NoProjects,
    ProjectNotFound,
    UnsafePath,
)
from jupyterlab_dbt_workbench.store.migrations import LATEST_VERSION
from jupyterlab_dbt_workbench.workbench import Workbench


def rewrite(path: Path, data: bytes) -> None:
    """Replace a file and move its mtime forward, as a later dbt run would."""
    before = path.stat().st_mtime_ns if path.exists() else 0
    path.write_bytes(data)
    later = max(before, path.stat().st_mtime_ns) + 1_000_000_000
    os.utime(path, ns=(later, later))


def models(bench: Workbench, project: str | None = None) -> int:
    return bench.list_nodes(project, NodeFilter(resource_types=("model",)), 0, 5000)["total"]


def test_a_truncated_manifest_keeps_the_last_good_state_and_is_reported(
    workbench: Workbench, full_project: Path
) -> None:
    manifest = full_project / "target" / "manifest.json"
    good = manifest.read_bytes()

    rewrite(manifest, good[: len(good) // 3])

    assert workbench.poll() == ["shop"]
    assert models(workbench) == 13
    summary = workbench.projects()[0]
    assert summary["loaded"] is True
    assert summary["error"] is not None
    assert summary["error"]["artifact"] == "manifest"
    assert summary["error"]["reason"] == "malformed_artifact"
    assert "target/manifest.json" in summary["error"]["message"]
    assert "Showing the state loaded at" in summary["error"]["message"]
    assert workbench.artifact_status(None)["error"] == summary["error"]
    health = workbench.health()
    assert health["status"] == "degraded"
    assert any("manifest.json" in problem for problem in health["problems"])
    # Nothing changed since: the broken file is not parsed again on every poll.
    assert workbench.poll() == []

    rewrite(manifest, fixture_bytes("manifest_v12_dbt-1.10.json"))

    assert workbench.poll() == ["shop"]
    summary = workbench.projects()[0]
    assert summary["error"] is None
    assert summary["dbt_version"] == "1.10.13"
    assert summary["version"] == 2
    assert workbench.health()["status"] == "ok"


def test_a_deleted_manifest_keeps_the_last_state_and_says_so(
    workbench: Workbench, full_project: Path
) -> None:
    loaded_at = workbench.artifact_status(None)["loaded_at"]

    (full_project / "target" / "manifest.json").unlink()

    assert workbench.poll() == ["shop"]
    assert models(workbench) == 13
    status = workbench.artifact_status(None)
    assert status["error"] is not None
    assert status["error"]["message"] == (
        f"target/manifest.json was removed; showing the state loaded at {loaded_at}."
    )
    manifest_info = status["artifacts"][0]
    assert (manifest_info["kind"], manifest_info["present"]) == ("manifest", False)
    assert manifest_info["schema_version"] == 12


def test_a_broken_optional_artifact_is_reported_and_the_manifest_still_loads(
    workbench: Workbench, full_project: Path
) -> None:
    rewrite(full_project / "target" / "catalog.json", b'{"metadata": {"dbt_schema_version": ')

    assert workbench.poll() == ["shop"]

    detail = workbench.node(None, "model.jaffle_shop.orders")
    assert detail["catalog"] is None
    assert detail["columns"][0]["data_type"] is None
    assert detail["status"] == "success"
    status = workbench.artifact_status(None)
    assert status["error"] is not None
    assert status["error"]["artifact"] == "catalog"
    kinds = {info["kind"]: info for info in status["artifacts"]}
    assert (kinds["catalog"]["present"], kinds["catalog"]["sha256"]) == (True, None)
    assert kinds["catalog"]["size"] == len(b'{"metadata": {"dbt_schema_version": ')
    assert kinds["manifest"]["sha256"] is not None
    assert workbench.snapshots(None)[0]["kinds"] == [
        "manifest",
        "run_results",
        "sources",
    ]


def test_an_unsupported_manifest_leaves_the_project_unloaded_with_a_clear_error(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    make_project(manifest="manifest_v8_unsupported.json")
    bench = Workbench(tmp_path, store_path=None)

    manifest_info = bench.artifact_status(None)["artifacts"]
    assert [(info["kind"], info["present"], info["sha256"]) for info in manifest_info] == [
        ("manifest", True, None)
    ]

    summary = bench.projects()[0]
    assert summary["loaded"] is False
    assert summary["error"] is not None
    assert summary["error"]["reason"] == "unsupported_schema_version"
    with pytest.raises(ArtifactsNotLoaded) as caught:
        bench.state(None)
    assert "dbt parse" in caught.value.message
    assert "v8" in caught.value.message


def test_a_project_without_artifacts_asks_for_a_dbt_parse(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    folder = make_project(manifest=None)
    bench = Workbench(tmp_path, store_path=None)

    assert bench.projects()[0]["loaded"] is False
    assert bench.projects()[0]["error"] is None
    assert bench.health()["status"] == "ok"
    with pytest.raises(ArtifactsNotLoaded) as caught:
        bench.list_nodes(None, NodeFilter(), 0, 10)
    assert "`dbt parse` or `dbt build`" in caught.value.message
    assert str(folder.resolve()) in caught.value.message

    (folder / "target" / "manifest.json").write_bytes(fixture_bytes("manifest_v12_dbt-1.12.json"))
    assert bench.poll() == ["shop"]
    assert models(bench) == 13


def test_no_projects_tells_the_user_what_to_open(tmp_path: Path) -> None:
    bench = Workbench(tmp_path, store_path=None)

    with pytest.raises(NoProjects) as caught:
        bench.state(None)

    assert "dbt_project.yml" in caught.value.message
    assert "demo" in caught.value.message
    assert bench.projects() == []
    assert bench.health()["projects"] == 0


def test_projects_are_chosen_by_id_and_paths_outside_the_root_refused(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    make_project("team/a", name="a")
    make_project("b", name="b", manifest="manifest_v10_dbt-1.6.json")
    bench = Workbench(tmp_path, store_path=None)

    assert [summary["id"] for summary in bench.projects()] == ["b", "team/a"]
    assert models(bench, "team/a") == 13
    assert models(bench, "b") == 6
    with pytest.raises(InvalidRequest, match="Several dbt projects"):
        bench.state(None)
    with pytest.raises(ProjectNotFound, match="'missing'"):
        bench.state("missing")
    for unsafe in ("../elsewhere", "%2e%2e/elsewhere", str(tmp_path / "b")):
        with pytest.raises(UnsafePath):
            bench.state(unsafe)


def test_a_broken_dbt_project_yml_is_shown_but_its_artifacts_still_load(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    make_project(project_yml="name: [broken\n")
    bench = Workbench(tmp_path, store_path=None)

    summary = bench.projects()[0]
    assert summary["loaded"] is True
    assert summary["error"] is not None
    assert summary["error"]["artifact"] == "dbt_project.yml"
    assert bench.health()["status"] == "degraded"


def test_snapshot_versions_follow_changes_and_survive_a_restart(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    folder = make_project(catalog=CATALOG)
    store = tmp_path / "store" / "workbench.sqlite"
    bench = Workbench(tmp_path, store_path=store, snapshot_limit=2)
    assert bench.artifact_status(None)["version"] == 1

    rewrite(folder / "target" / "run_results.json", run_results_with_test_outcomes())
    bench.poll()
    status = bench.reload(None)
    bench.close()

    assert status["version"] == 2
    restarted = Workbench(tmp_path, store_path=store, snapshot_limit=2)
    assert restarted.artifact_status(None)["version"] == 2
    listing = restarted.snapshot_list(None)
    assert (listing["project"], listing["limit"]) == ("shop", 2)
    snapshots = restarted.snapshots(None)
    assert listing["snapshots"] == snapshots
    assert [snapshot["version"] for snapshot in snapshots] == [2, 1]
    assert snapshots[0]["kinds"] == ["catalog", "manifest", "run_results"]
    assert snapshots[0]["sha256"]["manifest"] == snapshots[1]["sha256"]["manifest"]
    health = restarted.health()
    assert health["store"] == {"path": str(store), "schema_version": LATEST_VERSION, "ok": True}

    (folder / "target" / "catalog.json").unlink()
    restarted.poll()
    assert [snapshot["version"] for snapshot in restarted.snapshots(None)] == [3, 2]
    restarted.close()


def test_rescan_finds_new_projects_and_keeps_loaded_ones(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    make_project("one", name="one")
    bench = Workbench(tmp_path, store_path=None)
    before = bench.state("one")

    make_project("two", name="two")
    summaries = bench.rescan()

    assert [summary["id"] for summary in summaries] == ["one", "two"]
    assert bench.state("one") is before
    assert bench.projects()[1]["loaded"] is True


def test_readers_see_whole_states_while_reloads_swap_them(
    workbench: Workbench, full_project: Path
) -> None:
    manifest = full_project / "target" / "manifest.json"
    versions = [fixture_bytes("manifest_v12_dbt-1.10.json"), fixture_bytes(MANIFEST)]
    errors: list[BaseException] = []
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                state = workbench.state(None)
                page = workbench.list_nodes(None, NodeFilter(include_tests=True), 0, 5000)
                seen.add(page["total"])
                assert len(state.nodes) == len(state.order)
        except BaseException as exc:  # collected and re-raised by the main thread
            errors.append(exc)

    readers = [threading.Thread(target=read) for _ in range(2)]
    for reader in readers:
        reader.start()
    try:
        for round_number in range(4):
            rewrite(manifest, versions[round_number % 2])
            workbench.reload(None)
    finally:
        stop.set()
        for reader in readers:
            reader.join()

    assert errors == []
    assert seen <= {87, 77}
    assert workbench.projects()[0]["error"] is None


def test_a_file_still_being_written_is_read_on_a_later_poll(
    workbench: Workbench, full_project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    results = full_project / "target" / "run_results.json"
    rewrite(results, fixture_bytes("run_results_v6_dbt-1.12.json"))
    real_signature = loader.file_signature
    growing = iter(range(10**6))

    def signature_while_writing(path: Path) -> FileSignature | None:
        found = real_signature(path)
        if path == results and found is not None:
            return FileSignature(found.mtime_ns + next(growing), found.size)
        return found

    monkeypatch.setattr(loader, "file_signature", signature_while_writing)
    monkeypatch.setattr(loader, "_RETRY_DELAY", 0)

    assert workbench.poll() == []
    assert workbench.node(None, "model.jaffle_shop.orders")["test_status"] == "fail"
    assert workbench.projects()[0]["error"] is None

    monkeypatch.setattr(loader, "file_signature", real_signature)

    assert workbench.poll() == ["shop"]
    kinds = {a["kind"]: a for a in workbench.artifact_status(None)["artifacts"]}
    assert kinds["run_results"]["size"] == results.stat().st_size
    # That file comes from `dbt docs generate`: it lists compiled nodes, not test outcomes,
    # so the outcomes of the last real run stay.
    assert workbench.node(None, "model.jaffle_shop.orders")["test_status"] == "fail"
