"""The projects the benchmarks measure: a synthetic project, its run results, and a baseline.

Everything is written once per run into a temporary folder and loaded through the workbench,
as a user's project would be.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.demo.synthetic import DBT_VERSION, GENERATED_AT, write_artifacts
from jupyterlab_dbt_workbench.workbench import Workbench

# Run results: mostly passing, a few warnings, failures, errors and skips, as after a build.
_OUTCOMES = (("success", 0.9), ("error", 0.03), ("skipped", 0.07))
_TEST_OUTCOMES = (("pass", 0.9), ("warn", 0.04), ("fail", 0.04), ("error", 0.02))


@dataclass
class Fixture:
    """The benchmark project, loaded, and the baseline that ``state:`` compares with."""

    root: Path
    project: Path
    models: int
    state: ProjectState
    baseline: ProjectState
    workbench: Workbench
    baseline_workbench: Workbench

    def close(self) -> None:
        """Close both workbenches."""
        self.workbench.close()
        self.baseline_workbench.close()


def _pick(rng: random.Random, outcomes: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([o for o, _ in outcomes], [w for _, w in outcomes])[0]


def write_run_results(project: Path, manifest: dict[str, Any]) -> None:
    """A run_results.json (v6) as ``dbt build`` of every node would leave it."""
    rng = random.Random(0)
    results = []
    for unique_id, node in manifest["nodes"].items():
        kind = node["resource_type"]
        if kind not in ("model", "seed", "snapshot", "test"):
            continue
        status = _pick(rng, _TEST_OUTCOMES if kind == "test" else _OUTCOMES)
        results.append(
            {
                "status": status,
                "timing": [],
                "thread_id": "Thread-1",
                "execution_time": round(rng.uniform(0.01, 3.0), 3),
                "adapter_response": {},
                "message": None if status in ("pass", "success") else f"{status} on {unique_id}",
                "failures": (1 if status in ("fail", "warn") else 0) if kind == "test" else None,
                "unique_id": unique_id,
                "compiled": True,
                "compiled_code": node.get("compiled_code"),
                "relation_name": node.get("relation_name"),
                "batch_results": None,
            }
        )
    run_results = {
        "metadata": {
            "dbt_schema_version": "https://schemas.getdbt.com/dbt/run-results/v6.json",
            "dbt_version": DBT_VERSION,
            "generated_at": GENERATED_AT,
            "invocation_id": "00000000-0000-4000-8000-000000000001",
            "invocation_started_at": GENERATED_AT,
            "env": {},
        },
        "results": results,
        "elapsed_time": 120.0,
        "args": {"which": "build"},
    }
    (project / "target" / "run_results.json").write_text(json.dumps(run_results))


def make_baseline(project: Path, baseline: Path) -> None:
    """The same project as it was before a change: a few models differ in body, config or
    relation, and a few did not exist yet (``state:modified``/``state:new`` find them)."""
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    models = sorted(uid for uid, n in manifest["nodes"].items() if n["resource_type"] == "model")
    rng = random.Random(1)
    picked = rng.sample(models, 40)
    for uid in picked[:15]:
        node = manifest["nodes"][uid]
        node["raw_code"] += "\n-- before the change"
        node["checksum"] = {"name": "sha256", "checksum": "0" * 64}
    for uid in picked[15:25]:
        manifest["nodes"][uid]["config"]["materialized"] = "table"
        manifest["nodes"][uid]["unrendered_config"]["materialized"] = "table"
    for uid in picked[25:30]:
        manifest["nodes"][uid]["schema"] = "main_legacy"
    for uid in picked[30:]:
        manifest["nodes"].pop(uid)
        for links in (manifest["parent_map"], manifest["child_map"]):
            links.pop(uid, None)
            for key, values in links.items():
                if uid in values:
                    links[key] = [value for value in values if value != uid]
    target = baseline / "target"
    target.mkdir(parents=True, exist_ok=True)
    (target / "manifest.json").write_text(json.dumps(manifest))
    (baseline / "dbt_project.yml").write_text((project / "dbt_project.yml").read_text())


def build(root: Path, models: int, seed: int = 0) -> Fixture:
    """Write and load the benchmark project (and its baseline) under ``root``."""
    project = root / "current" / "synthetic"
    write_artifacts(project, models=models, seed=seed)
    manifest = json.loads((project / "target" / "manifest.json").read_text())
    write_run_results(project, manifest)
    baseline_dir = root / "baseline" / "synthetic"
    make_baseline(project, baseline_dir)
    workbench = Workbench(root / "current", store_path=None)
    baseline_workbench = Workbench(root / "baseline", store_path=None)
    return Fixture(
        root=root,
        project=project,
        models=models,
        state=workbench.state(None),
        baseline=baseline_workbench.state(None),
        workbench=workbench,
        baseline_workbench=baseline_workbench,
    )
