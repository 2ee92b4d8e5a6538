"""``%%dbt_sql`` / ``%dbt_sql``: run dbt-flavoured SQL from a notebook, get a pandas DataFrame.

The query goes through the same core as the SQL workspace (compile ``ref()``/``source()``,
refuse writes unless the server allows them, run on the warehouse with a row limit), with the
server's settings, and is recorded in the same SQL history. No server is needed.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from IPython.core.error import UsageError
from IPython.core.magic import Magics, line_cell_magic, magics_class, no_var_expand
from IPython.core.magic_arguments import argument, magic_arguments, parse_argstring

from jupyterlab_dbt_workbench.errors import WorkbenchError

from .magics import _user, find_project, server_root
from .session import session_for

# The magic's own options at the start of the line; the SQL after them is kept verbatim
# (an argument parser would strip the quotes of 'string literals').
_OPTIONS = re.compile(
    r"""^\s*((?:(?:--limit|--target|--project|--output|-o)(?:=|\s+)(?:"[^"]*"|'[^']*'|\S+)\s*
    |(?:-h|--help)(?:\s+|$))*)(.*)$""",
    re.DOTALL | re.VERBOSE,
)


def split_options(line: str) -> tuple[str, str]:
    """(the magic's options, the SQL) of a ``%dbt_sql`` line."""
    match = _OPTIONS.match(line)
    assert match is not None  # the pattern matches any text
    return match.group(1), match.group(2).strip()


@magics_class
class SqlMagics(Magics):
    """The ``%dbt_sql`` magic."""

    @magic_arguments()
    @argument("-h", "--help", action="store_true", help="show this help and return")
    @argument("--limit", type=int, metavar="N", help="at most N rows (default: the server's)")
    @argument("--target", metavar="T", help="the dbt target to query (default: the profile's)")
    @argument("-o", "--output", metavar="NAME", help="also store the DataFrame in NAME")
    @argument(
        "--project",
        metavar="PATH",
        help=(
            "the dbt project folder (default: the project containing the current directory, "
            "or the only project under it)"
        ),
    )
    @line_cell_magic
    # {{ ref('x') }} is dbt's, not a Python variable for IPython to expand.
    @no_var_expand
    def dbt_sql(self, line: str, cell: str | None = None) -> Any:
        """Run SQL with ``ref()``/``source()`` on the project's warehouse; returns a DataFrame.

        ``%%dbt_sql [--limit N] [--target T] [-o NAME] [--project PATH]`` with the SQL in the
        cell, or ``%dbt_sql [options] SELECT ...`` on one line. Writes are refused unless the
        server allows them. The query appears in the SQL workspace's history.
        """
        options, rest = split_options(line)
        args = parse_argstring(self.dbt_sql, options)
        sql = cell if cell is not None else rest
        if cell is not None and rest:
            raise UsageError(
                f"Unexpected text after the options: {rest!r}. Put the SQL in the cell."
            )
        if args.help or not (sql and sql.strip()):
            print(self.dbt_sql.parser.format_help())
            return None
        cwd = Path.cwd()
        project = find_project(cwd, args.project)
        root = server_root(cwd, os.environ.get("JPY_SESSION_NAME"))
        if root is None or not project.is_relative_to(root):
            root = project
        from jupyterlab_dbt_workbench.project.paths import project_id_for

        try:
            workspace = session_for(root).sql
            frame, query = workspace.run_dataframe(
                project_id_for(root, project),
                sql,
                limit=args.limit,
                target=args.target,
                user=_user(),
            )
        except WorkbenchError as error:
            # The warehouse's or the workbench's message, not a Python traceback.
            raise UsageError(error.message) from None
        if query["truncated"]:
            print(
                f"The result stops at the row limit ({query['limit']:,} rows); "
                "ask for more with --limit N."
            )
        if args.output and self.shell is not None:
            self.shell.user_ns[args.output] = frame
        return frame
