"""`jupyter dbt-workbench`: the demo, and headless use of the core from a terminal."""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

from . import __version__
from .errors import WorkbenchError


def _print(message: str) -> None:
    print(message, flush=True)


def demo(args: argparse.Namespace) -> int:
    """Prepare the demo project and start JupyterLab on it."""
    from .demo.command import default_directory, init_repository, lab_command, prepare

    directory = Path(args.directory).resolve() if args.directory else default_directory(Path.cwd())
    prepare(directory, _print)
    init_repository(directory, _print)
    if args.prepare_only:
        _print(f"The demo is ready in {directory}. Start it with:")
        _print(f"  jupyter lab --ServerApp.root_dir={directory}")
        return 0
    argv = lab_command(directory, port=args.port, open_browser=not args.no_browser)
    _print("Starting JupyterLab: " + " ".join(argv[1:]))
    return subprocess.call(argv, cwd=directory)


def projects(args: argparse.Namespace) -> int:
    """List the dbt projects under a folder and the state of their artifacts."""
    from .workbench import Workbench

    workbench = Workbench(Path(args.root).resolve(), store_path=None)
    try:
        summaries = workbench.projects()
    finally:
        workbench.close()
    if args.json:
        _print(json.dumps(summaries, indent=2, default=str))
        return 0
    if not summaries:
        _print(f"No dbt project (dbt_project.yml) under {Path(args.root).resolve()}.")
        return 1
    for summary in summaries:
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(summary["counts"].items()))
        state = "loaded" if summary["loaded"] else "no manifest"
        _print(f"{summary['id']}: {summary['name']} ({state}) {counts}")
        if summary["error"]:
            _print(f"  problem: {summary['error']['message']}")
    return 0


def synthetic(args: argparse.Namespace) -> int:
    """Write a synthetic dbt project of any size (and, optionally, its artifacts)."""
    from .demo.synthetic import write_artifacts, write_project

    directory = Path(args.directory).resolve()
    if args.models < 5:
        print("error: --models must be at least 5.", file=sys.stderr)
        return 2
    marker = directory / ".dbt-workbench-synthetic"
    if directory.exists() and any(directory.iterdir()) and not marker.exists():
        print(
            f"error: {directory} is not empty and was not written by this command; "
            "choose a new or empty folder.",
            file=sys.stderr,
        )
        return 2
    if marker.exists():
        # Another size or seed names its models differently: no file of the last one may stay.
        for folder in ("models", "seeds", "snapshots", "tests", "target"):
            shutil.rmtree(directory / folder, ignore_errors=True)
    write = write_artifacts if args.artifacts else write_project
    write(directory, models=args.models, seed=args.seed)
    marker.write_text("Created by `jupyter dbt-workbench synthetic`.\n")
    _print(
        f"Wrote a synthetic dbt project of {args.models} models (seed {args.seed}) to {directory}."
    )
    if args.artifacts:
        _print("target/manifest.json and target/catalog.json are ready: no dbt run is needed.")
    else:
        _print(f"Parse it with: dbt parse --profiles-dir {directory} --project-dir {directory}")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(
        prog="jupyter dbt-workbench", description="The dbt workbench for JupyterLab."
    )
    root.add_argument("--version", action="version", version=__version__)
    commands = root.add_subparsers(dest="command", required=True)

    demo_cmd = commands.add_parser(
        "demo",
        help="copy the demo dbt project, build it and open JupyterLab on it",
        description=(
            "Copy the bundled demo dbt project (DuckDB) into DIRECTORY, run dbt build, "
            "dbt docs generate and dbt source freshness, then start JupyterLab there."
        ),
    )
    demo_cmd.add_argument(
        "directory", nargs="?", help="where to put it (default: ./dbt-workbench-demo)"
    )
    demo_cmd.add_argument("--no-browser", action="store_true", help="do not open a browser")
    demo_cmd.add_argument("--port", type=int, help="the port JupyterLab listens on")
    demo_cmd.add_argument(
        "--prepare-only", action="store_true", help="build the demo but do not start JupyterLab"
    )
    demo_cmd.set_defaults(func=demo)

    synthetic_cmd = commands.add_parser(
        "synthetic",
        help="write a synthetic dbt project of N models, to try the workbench at scale",
        description=(
            "Write a dbt project for DuckDB with N models in layers (staging, intermediate, "
            "marts), seeds, sources, tests and exposures into DIRECTORY. The same seed always "
            "writes the same project. With --artifacts, also write the manifest.json and "
            "catalog.json that dbt compile and dbt docs generate would, without running dbt."
        ),
    )
    synthetic_cmd.add_argument(
        "directory", help="where to write it: a new or empty folder, or one it wrote before"
    )
    synthetic_cmd.add_argument("--models", type=int, required=True, help="how many models")
    synthetic_cmd.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    synthetic_cmd.add_argument(
        "--artifacts", action="store_true", help="also write target/manifest.json and catalog.json"
    )
    synthetic_cmd.set_defaults(func=synthetic)

    projects_cmd = commands.add_parser("projects", help="list dbt projects under a folder")
    projects_cmd.add_argument("root", nargs="?", default=".", help="folder to search (default: .)")
    projects_cmd.add_argument("--json", action="store_true", help="print JSON")
    projects_cmd.set_defaults(func=projects)
    return root


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return int(args.func(args))
    except WorkbenchError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
