"""``%dbt changes [--base REF]``: what the working tree (or the branch) changes in the project.

Returns a ``Changes`` object that shows as HTML in a notebook (modified nodes, downstream
nodes and exposures, changed columns) and keeps the ``GET git/changes`` payload in
``.report``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING

from IPython.core.error import UsageError
from IPython.core.magic_arguments import MagicArgumentParser

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.repository.impact_payloads import ChangeReport

if TYPE_CHECKING:
    from .session import KernelSession

_STYLE = (
    "<style>.dbtwb-chg td,.dbtwb-chg th{text-align:left;vertical-align:top;padding:2px 8px}"
    ".dbtwb-chg .kind{opacity:.7;font-size:90%}.dbtwb-chg code{white-space:pre-wrap}</style>"
)


def _parser() -> MagicArgumentParser:
    parser = MagicArgumentParser(
        prog="dbt changes",
        description=(
            "The dbt nodes changed by the working tree (against HEAD), or by the current "
            "branch against the merge-base with --base; their downstream nodes and columns."
        ),
        add_help=False,
    )
    parser.add_argument("--base", metavar="REF", help="compare with this branch, tag or commit")
    parser.add_argument("-h", "--help", action="store_true", help="show this help and return")
    return parser


def changes_command(words: list[str], session: KernelSession, project: str) -> Changes | None:
    """``changes [--base REF]`` for ``project`` (its id under the session's root)."""
    from jupyterlab_dbt_workbench.repository.changes import project_changes

    parser = _parser()
    args = parser.parse_args(words)
    if args.help:
        print(parser.format_help())
        return None
    try:
        return Changes(project_changes(session.workbench, project, args.base))
    except WorkbenchError as error:
        raise UsageError(error.message) from None


def _rows(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    if not rows:
        return "<p><i>None.</i></p>"
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


class Changes:
    """What ``%dbt changes`` returns; ``.report`` is the ``GET git/changes`` payload."""

    def __init__(self, report: ChangeReport) -> None:
        self.report = report

    @property
    def modified(self) -> list[str]:
        """The unique ids of the modified nodes."""
        return [node["unique_id"] for node in self.report["modified"]]

    @property
    def downstream(self) -> list[str]:
        """The unique ids of the nodes downstream of them (exposures apart)."""
        return [node["unique_id"] for node in self.report["downstream"]]

    def __repr__(self) -> str:
        report = self.report
        return (
            f"<Changes vs {report['base'] or 'HEAD'}: {len(report['modified'])} modified, "
            f"{len(report['downstream'])} downstream, {len(report['exposures'])} exposures>"
        )

    def _repr_html_(self) -> str:
        report = self.report
        against = (
            f"the merge-base with <code>{escape(report['base'])}</code>"
            if report["base"]
            else "HEAD"
        )
        sha = f" ({escape(report['base_sha'][:12])})" if report["base_sha"] else ""
        parts = [
            _STYLE,
            "<div class='dbtwb-chg'>",
            f"<p>Working tree against {against}{sha}: {len(report['files'])} changed file(s).</p>",
            "<h4>Modified</h4>",
            _rows(
                ("Node", "Why"),
                [
                    (
                        f"<b>{escape(node['name'])}</b> <span class='kind'>"
                        f"{escape(node['resource_type'])}</span>",
                        escape("; ".join(node["reasons"])),
                    )
                    for node in report["modified"]
                ],
            ),
            "<h4>Downstream</h4>",
            _rows(
                ("Node", "Distance"),
                [
                    (
                        f"{escape(node['name'])} <span class='kind'>"
                        f"{escape(node['resource_type'])}</span>",
                        str(node["distance"]),
                    )
                    for node in report["downstream"]
                ],
            ),
        ]
        if report["exposures"]:
            names = ", ".join(escape(exposure["name"]) for exposure in report["exposures"])
            parts.append(f"<p><b>Exposures</b> {names}</p>")
        parts.append("<h4>Columns</h4>")
        rows = []
        for model in report["columns"]:
            if model["status"] != "ok":
                rows.append((escape(model["name"]), f"<i>{escape(model['reason'] or '')}</i>"))
                continue
            lines = [f"+ <code>{escape(name)}</code>" for name in model["added"]]
            lines += [f"&minus; <code>{escape(name)}</code>" for name in model["removed"]]
            lines += [
                f"~ <code>{escape(change['name'])}</code>: <code>{escape(change['before'])}"
                f"</code> → <code>{escape(change['after'])}</code>"
                for change in model["changed"]
            ]
            if model["downstream"]:
                used = ", ".join(
                    f"{escape(item['name'])}.{escape(item['column'])}"
                    for item in model["downstream"]
                )
                lines.append(f"<span class='kind'>used by {used}</span>")
            if lines:
                rows.append((escape(model["name"]), "<br>".join(lines)))
        parts.append(_rows(("Model", "Column changes"), rows))
        parts.append("</div>")
        return "".join(parts)
