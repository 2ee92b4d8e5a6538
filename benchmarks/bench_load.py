"""Loading a project's manifest and catalog into the project state, against plain JSON parsing."""

from __future__ import annotations

import json

from fixtures import Fixture
from results import Result, timed

from jupyterlab_dbt_workbench.artifacts.loader import read_artifact
from jupyterlab_dbt_workbench.artifacts.state import build_state
from jupyterlab_dbt_workbench.project.discovery import discover_projects

TARGET_RATIO = 3.0
REPEAT = 3


def bench_load(fixture: Fixture) -> list[Result]:
    """Read + parse + validate manifest.json and catalog.json and build the state, and the
    same through the workbench (with its snapshot bookkeeping), over ``json.loads`` alone."""
    target = fixture.project / "target"
    files = [target / "manifest.json", target / "catalog.json"]
    payloads = [path.read_bytes() for path in files]
    size_mb = sum(len(p) for p in payloads) / 1e6
    floor = timed(lambda: [json.loads(p) for p in payloads], REPEAT)

    info = next(p for p in discover_projects(fixture.root / "current"))

    def load_state() -> None:
        artifacts = {
            kind: read_artifact(kind, target / f"{kind}.json", f"target/{kind}.json")
            for kind in ("manifest", "catalog")
        }
        build_state(info, artifacts, "now")

    state_time = timed(load_state, REPEAT)
    every = [path.read_bytes() for path in sorted(target.glob("*.json"))]
    floor_all = timed(lambda: [json.loads(p) for p in every], REPEAT)
    workbench_time = timed(lambda: fixture.workbench.reload(None), REPEAT)
    size = f"{size_mb:.0f} MB of JSON, {fixture.models} models"
    return [
        Result(
            "load manifest+catalog into the state / json.loads",
            f"{state_time / floor:.2f}x ({state_time:.2f} s vs {floor:.2f} s)",
            f"<= {TARGET_RATIO:g}x",
            state_time / floor <= TARGET_RATIO,
            [size, "read + sha256 + orjson + schema check + ProjectState, median of 3"],
        ),
        Result(
            "workbench reload (all artifacts, snapshot) / json.loads",
            f"{workbench_time / floor_all:.2f}x ({workbench_time:.2f} s vs {floor_all:.2f} s)",
            f"<= {TARGET_RATIO:g}x",
            workbench_time / floor_all <= TARGET_RATIO,
            ["Workbench.reload: also run_results.json and the in-memory snapshot store"],
        ),
    ]
