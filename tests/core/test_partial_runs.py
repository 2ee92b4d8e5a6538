"""A selective dbt run rewrites the artifacts with only its own nodes: the rest must not vanish."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
from artifact_builders import fixture_json

from jupyterlab_dbt_workbench.workbench import Workbench


def rewrite(path: Path, data: object) -> None:
    path.write_bytes(orjson.dumps(data))
    # A new mtime even on coarse file systems, so the watcher sees the change.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10_000_000))


def statuses(bench: Workbench) -> dict[str, str | None]:
    return {uid: node.status for uid, node in bench.state(None).nodes.items()}


def test_a_run_of_one_node_keeps_the_results_of_the_others(
    workbench: Workbench, full_project: Path
) -> None:
    before = {uid: s for uid, s in statuses(workbench).items() if s is not None}
    target = full_project / "target" / "run_results.json"
    data = orjson.loads(target.read_bytes())
    model = next(r for r in data["results"] if r["unique_id"].startswith("model."))
    model["status"] = "error"
    model["message"] = "Database Error: boom"
    data["results"] = [model]
    data["args"] = {**data.get("args", {}), "which": "run"}
    rewrite(target, data)

    assert workbench.poll() == ["shop"]

    after = statuses(workbench)
    assert after[model["unique_id"]] == "error"
    assert workbench.node(None, model["unique_id"])["last_run"]["message"] == "Database Error: boom"
    others = {uid: s for uid, s in before.items() if uid != model["unique_id"]}
    assert others and all(after[uid] == status for uid, status in others.items())


def test_a_compile_does_not_replace_the_outcome_of_a_real_run(
    workbench: Workbench, full_project: Path
) -> None:
    target = full_project / "target" / "run_results.json"
    data = orjson.loads(target.read_bytes())
    failing = next(r for r in data["results"] if r["status"] in ("fail", "error", "warn"))
    expected = statuses(workbench)
    compiled = dict(failing, status="success", message=None)
    data["results"] = [compiled]
    data["args"] = {**data.get("args", {}), "which": "compile"}
    rewrite(target, data)

    workbench.poll()

    assert statuses(workbench) == expected


def test_compiled_sql_survives_a_manifest_without_it_while_the_code_is_unchanged(
    workbench: Workbench, full_project: Path
) -> None:
    path = full_project / "target" / "manifest.json"
    manifest = fixture_json("manifest_v12_dbt-1.12.json")
    compiled = {
        uid: node["compiled_code"]
        for uid, node in manifest["nodes"].items()
        if node.get("compiled_code") and node["resource_type"] == "model"
    }
    assert len(compiled) >= 2
    changed, kept = sorted(compiled)[:2]
    for node in manifest["nodes"].values():
        node.pop("compiled_code", None)  # what `dbt source freshness` leaves
    manifest["nodes"][changed]["checksum"] = {"name": "sha256", "checksum": "edited"}
    rewrite(path, manifest)

    workbench.poll()

    assert workbench.node(None, kept)["compiled_code"] == compiled[kept]
    assert workbench.node(None, changed)["compiled_code"] is None
