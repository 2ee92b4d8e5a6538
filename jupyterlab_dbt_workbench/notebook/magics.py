"""``%dbt <command> [args]``: run dbt from a notebook through the workbench's run manager.

The run is recorded in the workbench's store like a run started from the UI, so it appears in
the Runs panel's history. The cell shows a live progress display while dbt runs (an interrupt
cancels the run) and then returns a ``RunResult``.
"""

from __future__ import annotations

import argparse
import functools
import getpass
import os
import queue
import shlex
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_magic, magics_class
from IPython.core.magic_arguments import (
    MagicArgumentParser,
    argument,
    magic_arguments,
    parse_argstring,
)
from IPython.display import display

from jupyterlab_dbt_workbench.audit import record
from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.project.discovery import PROJECT_FILE, discover_projects

from .progress import LiveProgress
from .result import RunResult
from .session import session_for

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.runs.manager import RunManager

    from .catalog import NodeView, SearchResults
    from .changes import Changes
    from .widgets import LineageWidget


def find_project(cwd: Path, explicit: str | None) -> Path:
    """The dbt project to run in: ``explicit`` (a folder, relative to ``cwd``), else the
    project containing ``cwd``, else the only project under it."""
    if explicit:
        path = (cwd / Path(explicit).expanduser()).resolve()
        if path.name == PROJECT_FILE:
            path = path.parent
        if not (path / PROJECT_FILE).is_file():
            raise UsageError(f"{path} is not a dbt project: it has no {PROJECT_FILE}.")
        return path
    cwd = cwd.resolve()
    for folder in (cwd, *cwd.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    found = discover_projects(cwd)
    if len(found) == 1:
        return found[0].path
    if not found:
        raise UsageError(
            f"No dbt project contains {cwd} or lives under it. Say which one with "
            "`%dbt --project PATH <command>`."
        )
    names = ", ".join(sorted(info.id for info in found))
    raise UsageError(
        f"Several dbt projects live under {cwd} ({names}); choose one with "
        "`%dbt --project PATH <command>`."
    )


def server_root(cwd: Path, session_name: str | None) -> Path | None:
    """The Jupyter server's root, when this kernel was started by one for a notebook.

    jupyter_server starts a notebook's kernel in ``<root>/<notebook folder>`` and names the
    notebook's path relative to the root in ``JPY_SESSION_NAME``. Knowing the root gives runs
    the same project ids as in the UI, so they show in the same history.
    """
    if not session_name:
        return None
    folder = PurePosixPath(session_name).parent
    if folder.is_absolute() or ".." in folder.parts:
        return None
    parts = tuple(part for part in folder.parts if part != ".")
    if not parts:
        return cwd
    if cwd.parts[-len(parts) :] != parts:
        return None
    return Path(*cwd.parts[: -len(parts)])


def _publisher() -> Any:
    handle: list[Any] = []

    def publish(bundle: dict[str, str], first: bool) -> None:
        if first:
            handle.append(display(bundle, raw=True, display_id=True))
        else:
            handle[0].update(bundle, raw=True)

    return publish


def follow(
    manager: RunManager,
    run: dict[str, Any],
    progress: LiveProgress,
    on_cancel: Callable[[], None] | None = None,
) -> RunResult:
    """Show the run's progress until it ends; an interrupt cancels it (a second one stops
    following and leaves it to finish cancelling). ``on_cancel`` is called after that cancel."""
    run_id = run["id"]
    messages: queue.Queue[dict[str, Any]] = queue.Queue()
    events: list[dict[str, Any]] = []
    unsubscribe = manager.subscribe(run_id, messages.put)
    cancelling = False
    try:
        while True:
            try:
                try:
                    message = messages.get(timeout=progress_interval(progress))
                except queue.Empty:
                    progress.draw()
                    continue
                kind = message.get("type")
                if kind == "event":
                    events.append(message["event"])
                    progress.add_event(message["event"])
                elif kind == "run":
                    progress.update_run(message["run"])
                elif kind == "end":
                    progress.update_run(message["run"])
                    break
            except KeyboardInterrupt:
                if cancelling:
                    raise
                cancelling = True
                progress.set_note("Cancelling the dbt run (interrupt again to stop waiting)...")
                manager.cancel(run_id)
                if on_cancel is not None:
                    on_cancel()
    finally:
        unsubscribe()
    return RunResult(manager.get(run_id), events)


def progress_interval(progress: LiveProgress) -> float:
    # Redraw the elapsed time about once a second while nothing else happens.
    return 1.0 if progress.run.get("status") in ("queued", "running") else 0.1


@magics_class
class DbtMagics(Magics):
    """The workbench's notebook magics."""

    @magic_arguments()
    @argument("-h", "--help", action="store_true", help="show this help and return")
    @argument(
        "--project",
        metavar="PATH",
        help=(
            "the dbt project folder (default: the project containing the current directory, "
            "or the only project under it)"
        ),
    )
    @argument(
        "command",
        nargs=argparse.REMAINDER,
        help=(
            "a dbt command and its options in dbt's own syntax, e.g. build -s orders+; "
            "or lineage NODE for a lineage widget (%%dbt lineage --help); search TEXT or "
            "node NAME for the catalog; schedules, or schedule run NAME; changes [--base REF] "
            "for what the working tree changes in the project"
        ),
    )
    @line_magic
    def dbt(
        self, line: str
    ) -> RunResult | LineageWidget | SearchResults | NodeView | Changes | None:
        """Run a dbt command through the workbench, e.g. ``%dbt build -s stg_orders+``.

        Shows live progress, then returns a RunResult (``.status``, ``.nodes`` DataFrame,
        ``.log``, ``.run_id``). The run appears in the workbench's Runs history. Interrupt the
        kernel to cancel it. ``%dbt lineage NODE`` returns a lineage widget instead.
        """
        args = parse_argstring(self.dbt, line)
        if args.help or not args.command:
            print(self.dbt.parser.format_help())
            return None
        # dbt's words are read again with POSIX quoting, which IPython's splitter keeps.
        try:
            words, project_arg = _split_project(shlex.split(line))
        except ValueError as error:
            raise UsageError(f"Cannot read the command line: {error}.") from None
        if words[:1] == ["lineage"]:
            return lineage_widget(words[1:], project_arg)
        if words[:1] in (["search"], ["node"]):
            from .catalog import catalog_command

            return catalog_command(words, project_arg)
        cwd = Path.cwd()
        project = find_project(cwd, project_arg)
        root = server_root(cwd, os.environ.get("JPY_SESSION_NAME"))
        if root is None or not project.is_relative_to(root):
            root = project
        if words[:1] in (["schedules"], ["schedule"]):
            from .schedules import schedules_command

            return schedules_command(words, session_for(root))
        from jupyterlab_dbt_workbench.project.paths import project_id_for

        if words[:1] == ["changes"]:
            from .changes import changes_command

            return changes_command(words[1:], session_for(root), project_id_for(root, project))
        from jupyterlab_dbt_workbench.runs.options import parse_cli

        try:
            session = session_for(root)
            request = parse_cli(
                shlex.join(words), project=project_id_for(root, project), user=_user()
            )
            summary = session.manager.submit(request)
        except WorkbenchError as error:
            # dbt's or the workbench's message, not a Python traceback.
            raise UsageError(error.message) from None
        # A run from a notebook writes to the warehouse like one from the UI: same log.
        audit = functools.partial(
            record,
            session.workbench.database,
            user=request.user,
            project=summary["project"],
            target=summary["id"],
            details={"command": summary["command"], "via": "notebook"},
        )
        audit(action="run.submit")
        run = dict(summary)
        progress = LiveProgress(run, _publisher())
        progress.draw(force=True)
        return follow(session.manager, run, progress, lambda: audit(action="run.cancel"))


def _lineage_parser() -> MagicArgumentParser:
    parser = MagicArgumentParser(
        prog="dbt lineage",
        description="Show the lineage of a node (or of a selection) as an interactive widget.",
        add_help=False,
    )
    parser.add_argument("node", nargs="?", help="name or unique id of the node to centre on")
    parser.add_argument("--upstream", type=int, default=1, metavar="N", help="steps upstream")
    parser.add_argument("--downstream", type=int, default=1, metavar="N", help="steps downstream")
    parser.add_argument("-s", "--select", metavar="S", help="a dbt selector to show instead")
    parser.add_argument("--exclude", metavar="S", help="a dbt selector of nodes to leave out")
    parser.add_argument("--columns", action="store_true", help="start in column mode")
    parser.add_argument("-h", "--help", action="store_true", help="show this help and return")
    return parser


def lineage_widget(words: list[str], project: str | None) -> LineageWidget | None:
    """``%dbt lineage NODE [--upstream N] [--downstream N] [--select S] [--columns]``."""
    from traitlets import TraitError

    from .widgets import LineageWidget

    parser = _lineage_parser()
    args = parser.parse_args(words)
    if args.help:
        print(parser.format_help())
        return None
    if args.node is None and args.select is None:
        raise UsageError("Say which node: `%dbt lineage orders` (or give --select).")
    try:
        return LineageWidget(
            args.node,
            upstream=args.upstream,
            downstream=args.downstream,
            project=project,
            select=args.select,
            exclude=args.exclude,
            column_mode=args.columns,
        )
    except (WorkbenchError, TraitError) as error:
        raise UsageError(str(error)) from None


def _split_project(words: list[str]) -> tuple[list[str], str | None]:
    """Take ``--project PATH`` out of the dbt words wherever it was typed (dbt has no such
    option, so it can only be meant for the magic)."""
    rest: list[str] = []
    project = None
    it = iter(words)
    for word in it:
        if word == "--project":
            project = next(it, None)
            if project is None:
                raise UsageError("--project needs a PATH.")
        elif word.startswith("--project="):
            project = word.split("=", 1)[1]
        else:
            rest.append(word)
    return rest, project


def _user() -> str | None:
    name = os.environ.get("JUPYTERHUB_USER")
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return None
