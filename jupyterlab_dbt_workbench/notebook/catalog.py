"""``%dbt search <text>`` and ``%dbt node <name>``: the catalog in a notebook.

Both return objects that show as HTML in a notebook and stay usable from Python: a search
gives a ``SearchResults`` (``.df`` is a pandas DataFrame, ``.result`` the API payload), a node
gives a ``NodeView`` (``.detail`` is the ``GET nodes/<id>`` payload).
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from jupyterlab_dbt_workbench.payloads import NodeDetail
from jupyterlab_dbt_workbench.search.payloads import SearchHit, SearchMatch, SearchResult

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.dbt_project import DbtProject

_STYLE = (
    "<style>.dbtwb-cat td,.dbtwb-cat th{text-align:left;vertical-align:top;padding:2px 8px}"
    ".dbtwb-cat mark{padding:0 1px}.dbtwb-cat .kind{opacity:.7;font-size:90%}</style>"
)


def highlighted(match: SearchMatch) -> str:
    """The match's snippet as HTML, the matched words in ``<mark>``; the rest escaped."""
    snippet, parts, last = match["snippet"], [], 0
    for start, end in match["highlights"]:
        parts.append(escape(snippet[last:start]))
        parts.append(f"<mark>{escape(snippet[start:end])}</mark>")
        last = end
    parts.append(escape(snippet[last:]))
    return "".join(parts)


def _where(hit: SearchHit) -> str:
    match = hit["match"]
    if match is None:
        return ""
    field = match["field"].replace("_", " ")
    column = f" <code>{escape(match['column'])}</code>" if match["column"] else ""
    return f"{field}{column}: {highlighted(match)}"


class SearchResults:
    """What ``%dbt search`` returns: the ranked hits, as HTML and as a DataFrame."""

    def __init__(self, result: SearchResult) -> None:
        self.result = result

    def __len__(self) -> int:
        return len(self.result["items"])

    def __repr__(self) -> str:
        shown = ", ".join(hit["name"] for hit in self.result["items"][:5])
        return f"<SearchResults {self.result['total']} found: {shown}>"

    @property
    def total(self) -> int:
        """How many matched in all (the hits are the first page)."""
        return self.result["total"]

    @property
    def df(self) -> Any:
        """One row per hit: unique_id, name, resource_type, ..., matched field and column."""
        import pandas as pd

        rows = [
            {
                "unique_id": hit["unique_id"],
                "name": hit["name"],
                "resource_type": hit["resource_type"],
                "package": hit["package_name"],
                "schema": hit["schema"],
                "materialized": hit["materialized"],
                "owner": hit["owner"],
                "tags": hit["tags"],
                "matched_field": hit["match"]["field"] if hit["match"] else None,
                "matched_column": hit["match"]["column"] if hit["match"] else None,
                "description": hit["description"],
            }
            for hit in self.result["items"]
        ]
        return pd.DataFrame(rows)

    def _repr_html_(self) -> str:
        result = self.result
        if not result["items"]:
            return f"<p>Nothing matches <code>{escape(result['query']['text'])}</code>.</p>"
        rows = "".join(
            "<tr>"
            f"<td><b>{escape(hit['name'])}</b><br><span class='kind'>"
            f"{escape(hit['resource_type'])} · {escape(hit['unique_id'])}</span></td>"
            f"<td>{_where(hit)}</td>"
            f"<td>{escape(hit['description'][:160])}</td>"
            "</tr>"
            for hit in result["items"]
        )
        shown = len(result["items"])
        more = f" (showing {shown})" if shown < result["total"] else ""
        return (
            f"{_STYLE}<div class='dbtwb-cat'><p>{result['total']} found for "
            f"<code>{escape(result['query']['text'])}</code>{more}</p>"
            "<table><tr><th>Node</th><th>Matched</th><th>Description</th></tr>"
            f"{rows}</table></div>"
        )


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    if not rows:
        return "<p><i>None.</i></p>"
    head = "".join(f"<th>{escape(header)}</th>" for header in headers)
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows)
    return f"<table><tr>{head}</tr>{body}</table>"


def _age(seconds: float | None) -> str:
    if seconds is None:
        return "unknown"
    hours = seconds / 3600
    return f"{hours:.1f} h" if hours < 48 else f"{hours / 24:.1f} days"


class NodeView:
    """What ``%dbt node`` returns: one node, with columns, tests and neighbours."""

    def __init__(self, detail: NodeDetail) -> None:
        self.detail = detail

    def __repr__(self) -> str:
        return f"<NodeView {self.detail['resource_type']} {self.detail['unique_id']}>"

    def _repr_html_(self) -> str:
        node = self.detail
        parts = [
            _STYLE,
            "<div class='dbtwb-cat'>",
            f"<h3>{escape(node['name'])} <span class='kind'>{escape(node['resource_type'])}"
            f"</span></h3><p class='kind'>{escape(node['unique_id'])}"
            f"{' · ' + escape(node['relation_name']) if node['relation_name'] else ''}</p>",
        ]
        facts = [
            ("Owner", node["owner"]),
            ("Materialized", node["materialized"]),
            ("Tags", ", ".join(node["tags"]) or None),
            ("Status", node["status"]),
        ]
        parts.append(
            " · ".join(f"<b>{label}</b> {escape(value)}" for label, value in facts if value)
        )
        parts.append(f"<p>{escape(node['description']) or '<i>No description.</i>'}</p>")
        freshness = node["freshness"]
        if freshness is not None:
            parts.append(
                f"<p><b>Freshness</b> {escape(freshness['status'])}: max loaded at "
                f"{escape(freshness['max_loaded_at'] or 'unknown')}, "
                f"age {_age(freshness['age_seconds'])}</p>"
            )
        parts.append("<h4>Columns</h4>")
        parts.append(
            _table(
                ("Column", "Type", "Description", "Tests"),
                [
                    (
                        f"<code>{escape(column['name'])}</code>",
                        escape(column["data_type"] or ""),
                        escape(column["description"]),
                        escape(", ".join(t["test_name"] or t["name"] for t in column["tests"])),
                    )
                    for column in node["columns"]
                ],
            )
        )
        parts.append("<h4>Tests</h4>")
        parts.append(
            _table(
                ("Test", "Column", "Status"),
                [
                    (
                        escape(test["name"]),
                        escape(test["column_name"] or ""),
                        escape(test["status"] or "not run"),
                    )
                    for test in node["tests"]
                ],
            )
        )
        for title, refs in (
            ("Upstream", node["depends_on"]),
            ("Downstream", node["referenced_by"]),
        ):
            names = ", ".join(
                f"{escape(ref['name'])} <span class='kind'>{escape(ref['resource_type'])}</span>"
                for ref in refs
            )
            parts.append(f"<p><b>{title}</b> {names or '<i>none</i>'}</p>")
        parts.append("</div>")
        return "".join(parts)


def search_nodes(project: DbtProject, text: str, limit: int = 20) -> SearchResults:
    """The first ``limit`` hits of a search in ``project``."""
    return SearchResults(project.search(text, limit=limit))


def show_node(project: DbtProject, name: str) -> NodeView:
    """One node of ``project``, by name or unique id."""
    return NodeView(project.node(name))


def catalog_command(words: list[str], project: str | None) -> SearchResults | NodeView | None:
    """``%dbt search TEXT [--limit N]`` or ``%dbt node NAME``; ``words`` starts with the verb."""
    from IPython.core.error import UsageError

    from jupyterlab_dbt_workbench.errors import WorkbenchError

    from .widgets import project_for

    verb, rest = words[0], words[1:]
    if rest[:1] in (["-h"], ["--help"]):
        print(_HELP[verb])
        return None
    limit = 20
    if verb == "search" and "--limit" in rest:
        at = rest.index("--limit")
        try:
            limit = int(rest[at + 1])
        except (IndexError, ValueError):
            raise UsageError("--limit needs a whole number, e.g. --limit 50.") from None
        rest = rest[:at] + rest[at + 2 :]
    if not rest:
        raise UsageError(_HELP[verb])
    try:
        if verb == "search":
            # The magic's words come unquoted: a word with a space was a quoted phrase.
            text = " ".join(f'"{word}"' if " " in word else word for word in rest)
            return search_nodes(project_for(project), text, limit)
        return show_node(project_for(project), rest[0])
    except WorkbenchError as error:
        raise UsageError(error.message) from None


_HELP = {
    "search": (
        "%dbt search TEXT [--limit N]: search names, columns, descriptions, tags, owners and "
        'SQL; "quoted phrase", filters type:model tag:x owner:x schema:x package:x '
        "materialized:x. Returns SearchResults (.df for a DataFrame)."
    ),
    "node": "%dbt node NAME: a node's description, columns, tests, upstream and downstream.",
}
