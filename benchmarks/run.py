"""Run the workbench benchmarks on a synthetic project and print each figure against its target.

    /work/venv/bin/python benchmarks/run.py [--models 5000] [--seed 0] [--only load,selectors]

Every figure comes from this one run: the floors and the peers it is compared with are
measured here too, on the same machine, at the same time. A benchmark whose code is not
there yet (or fails) is reported as such; the others still run.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from datetime import date
from pathlib import Path

from fixtures import Fixture, build
from results import Result

BENCHMARKS: dict[str, tuple[str, str]] = {
    # name: (module, function)
    "load": ("bench_load", "bench_load"),
    "selectors": ("bench_selectors", "bench_selectors"),
    "lineage": ("bench_lineage", "bench_lineage"),
    "lineage_ui": ("bench_lineage_ui", "bench_lineage_ui"),
    "search": ("bench_search", "bench_search"),
    "sql": ("bench_sql", "bench_sql"),
    "server_load": ("load", "bench_server_load"),
}


def _run_one(name: str, fixture: Fixture) -> list[Result]:
    module_name, function_name = BENCHMARKS[name]
    try:
        module = __import__(module_name)
        function: Callable[[Fixture], list[Result]] = getattr(module, function_name)
        return function(fixture)
    except ImportError as error:
        return [Result(name, f"could not run: {error}", "-", False)]
    except Exception as error:  # one broken benchmark must not hide the rest
        lines = traceback.format_exception(error)
        return [Result(name, f"failed: {type(error).__name__}: {error}", "-", False, lines)]


def _print(results: list[Result], verbose: bool) -> None:
    width = max(len(r.name) for r in results)
    measured = max(len(r.measured) for r in results)
    for result in results:
        print(
            f"{result.name:<{width}}  {result.measured:<{measured}}  "
            f"{result.target:<22}  {result.verdict}",
            flush=True,
        )
        if verbose:
            for line in result.details:
                print(f"    {line.rstrip()}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", type=int, default=5000, help="models in the project")
    parser.add_argument("--seed", type=int, default=0, help="seed of the synthetic project")
    parser.add_argument(
        "--only", default=",".join(BENCHMARKS), help=f"comma-separated: {', '.join(BENCHMARKS)}"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="print the details")
    args = parser.parse_args(argv)
    chosen = [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    load = os.getloadavg()[0]
    cores = os.cpu_count() or 1
    print(
        f"# {date.today().isoformat()}  python {platform.python_version()}  "
        f"{platform.machine()}  {cores} cores  load {load:.1f}  models={args.models} "
        f"seed={args.seed}",
        flush=True,
    )
    if load > cores:
        # Other work on the machine takes the cores: times and core counts will be off.
        print(f"# warning: load average {load:.1f} > {cores} cores; figures are pessimistic")
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="dbt-workbench-bench-") as folder:
        started = time.perf_counter()
        fixture = build(Path(folder), args.models, args.seed)
        counts = ", ".join(f"{n} {kind}" for kind, n in fixture.state.counts.items())
        print(f"# project written and loaded in {time.perf_counter() - started:.1f} s: {counts}")
        try:
            for name in chosen:
                results += _run_one(name, fixture)
        finally:
            fixture.close()
    print(f"# load average at the end: {os.getloadavg()[0]:.1f}")
    print()
    _print(results, args.verbose)
    return 0 if all(result.passed is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
