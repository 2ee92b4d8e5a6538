"""`dbt build` of the demo project through the workbench's run manager vs plain `dbt build`.

Alternating pairs in one process (plain, then workbench, then plain...), so that both see the
same machine load; the figure is the median of the per-pair wall-time ratios
(workbench / plain), target at most 1.05. The workbench's time runs from ``submit`` until
``wait`` returns: dbt itself, reading its JSON log, recording the history, swapping the
artifacts into the project and reloading the workbench.

    python benchmarks/bench_runs.py [--pairs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from jupyterlab_dbt_workbench.demo.command import prepare
from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.runs.options import RunRequest
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench


def plain_build(project: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [dbt_executable(), "build", "--profiles-dir", str(project)],
        cwd=project,
        env=dbt_environment(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
    )
    return time.perf_counter() - started


def workbench_build(manager: RunManager) -> float:
    started = time.perf_counter()
    run = manager.submit(RunRequest("demo", "build"))
    detail = manager.wait(run["id"])
    elapsed = time.perf_counter() - started
    if detail["status"] != "success":
        raise SystemExit(f"The workbench build ended {detail['status']}: {detail['message']}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    options = parser.parse_args()

    folder = options.keep or Path(tempfile.mkdtemp(prefix="bench-runs-"))
    root = folder / "root"
    project = root / "demo"
    if not project.exists():
        print(f"Building the demo in {project} ...", file=sys.stderr)
        prepare(project, lambda line: None)
    workbench = Workbench(root, store_path=None)
    database = Database(None)
    manager = RunManager(workbench, database, folder / "runs")
    pairs = []
    try:
        for number in range(1, options.pairs + 1):
            plain = plain_build(project)
            ours = workbench_build(manager)
            pairs.append((plain, ours))
            print(f"pair {number}: plain {plain:.2f} s, workbench {ours:.2f} s, "
                  f"ratio {ours / plain:.3f}")  # fmt: skip
    finally:
        manager.shutdown()
        workbench.close()
        database.close()
    ratios = [ours / plain for plain, ours in pairs]
    median = statistics.median(ratios)
    print(
        f"median plain {statistics.median(p for p, _ in pairs):.2f} s, "
        f"median workbench {statistics.median(o for _, o in pairs):.2f} s, "
        f"median ratio {median:.3f} (target <= 1.05): {'ok' if median <= 1.05 else 'FAILED'}"
    )
    if median > 1.05:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
