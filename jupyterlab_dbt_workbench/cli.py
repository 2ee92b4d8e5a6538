"""`jupyter dbt-workbench`: the demo, and headless use of the core from a terminal."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from . import __version__
from .errors import WorkbenchError


def _print(message: str) -> None:
    print(message, flush=True)


def demo(args: argparse.Namespace) -> int:
    """Prepare the demo project and start JupyterLab on it."""
    from .demo.command import default_directory, lab_command, prepare

    directory = Path(args.directory).resolve() if args.directory else default_directory(Path.cwd())
    prepare(directory, _print)
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
