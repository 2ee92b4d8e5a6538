"""What ``%dbt`` returns: the finished run, its node results as a DataFrame, and its log."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas

# Node statuses that mean something went wrong, and those worth a second look.
BAD = frozenset({"error", "fail", "runtime error"})
WARN = frozenset({"warn"})
NODE_COLUMNS = (
    "unique_id",
    "name",
    "resource_type",
    "status",
    "execution_time",
    "rows_affected",
    "failures",
    "message",
    "started_at",
    "finished_at",
)

STATUS_COLOURS = {
    "success": "var(--jp-success-color1, #388e3c)",
    "failed": "var(--jp-error-color1, #d32f2f)",
    "error": "var(--jp-error-color1, #d32f2f)",
    "cancelled": "var(--jp-warn-color1, #f57c00)",
    "interrupted": "var(--jp-warn-color1, #f57c00)",
}


def format_duration(seconds: float | None) -> str:
    """``4.2s``, ``3m 05s``: short enough for a progress line."""
    if seconds is None:
        return "-"
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes}m {rest:02d}s"


def counts_text(counts: Mapping[str, int]) -> str:
    """``success 5 · error 1`` in a stable order (the usual statuses first)."""
    order = ("success", "pass", "warn", "error", "fail", "skipped")
    keys = [k for k in order if counts.get(k)] + sorted(k for k in counts if k not in order)
    return " · ".join(f"{key} {counts[key]}" for key in keys if counts.get(key))


def warnings_of(events: Sequence[Mapping[str, Any]]) -> list[str]:
    """dbt's distinct warning and error lines that belong to no node (selection, parsing...)."""
    seen: list[str] = []
    for event in events:
        if event.get("level") in ("warn", "error") and not event.get("unique_id"):
            text = " ".join(str(event.get("message", "")).split())
            if text and text not in seen:
                seen.append(text)
    return seen


class RunResult:
    """A finished dbt run as the notebook sees it.

    ``status`` is the run's final status (``success``, ``failed``, ``error``, ``cancelled``,
    ``interrupted``); ``nodes`` is a pandas DataFrame of per-node results; ``log`` is dbt's
    output as text; ``detail`` is the full run record the REST API serves too.
    """

    def __init__(self, detail: Mapping[str, Any], events: Sequence[Mapping[str, Any]]) -> None:
        self.detail = dict(detail)
        self.events = list(events)

    @property
    def run_id(self) -> str:
        return str(self.detail["id"])

    @property
    def status(self) -> str:
        return str(self.detail["status"])

    @property
    def ok(self) -> bool:
        """True when dbt finished with exit code 0."""
        return self.status == "success"

    @property
    def cli(self) -> str:
        return str(self.detail.get("cli") or self.detail.get("command") or "")

    @property
    def message(self) -> str | None:
        """Why the run failed, errored or was stopped (None when there is nothing to say)."""
        message = self.detail.get("message")
        return str(message) if message else None

    @property
    def duration(self) -> float | None:
        duration = self.detail.get("duration")
        return float(duration) if duration is not None else None

    @property
    def counts(self) -> dict[str, int]:
        return dict(self.detail.get("counts") or {})

    @property
    def node_results(self) -> list[dict[str, Any]]:
        return [dict(node) for node in self.detail.get("nodes") or []]

    @property
    def nodes(self) -> pandas.DataFrame:
        """One row per node dbt ran, in the order it finished them."""
        import pandas

        rows = self.node_results
        columns = [*NODE_COLUMNS, *sorted({k for row in rows for k in row} - set(NODE_COLUMNS))]
        return pandas.DataFrame(rows, columns=columns)

    @property
    def log(self) -> str:
        """dbt's output, one line per log event, as it printed it."""
        return "\n".join(str(event.get("message", "")) for event in self.events)

    @property
    def problems(self) -> list[dict[str, Any]]:
        """The nodes that errored or failed, with dbt's message."""
        return [node for node in self.node_results if node.get("status") in BAD]

    @property
    def warnings(self) -> list[str]:
        """dbt's warnings and errors that concern no single node."""
        return warnings_of(self.events)

    def summary_lines(self) -> list[str]:
        """The compact summary, as text lines."""
        nodes = self.node_results
        head = f"dbt {self.cli}: {self.status}"
        head += f" · {len(nodes)} node{'s' if len(nodes) != 1 else ''}"
        if self.counts:
            head += f" ({counts_text(self.counts)})"
        head += f" · {format_duration(self.duration)} · run {self.run_id}"
        lines = [head]
        if self.message:
            lines.append(f"  {self.message}")
        for node in self.problems:
            text = " ".join(str(node.get("message") or "").split())
            lines.append(f"  {node.get('status')}: {node.get('name')}: {text}")
        if not nodes or self.status == "error":
            lines += [f"  dbt: {line}" for line in self.warnings if line != self.message]
        return lines

    def __repr__(self) -> str:
        return "\n".join(self.summary_lines())

    def _repr_html_(self) -> str:
        esc = html.escape
        colour = STATUS_COLOURS.get(self.status, "inherit")
        nodes = self.node_results
        parts = [
            '<div class="dbt-workbench-run" style="font-size: var(--jp-content-font-size1, 13px)">',
            f'<div><b style="color: {colour}">{esc(self.status)}</b> '
            f"<code>dbt {esc(self.cli)}</code> · {len(nodes)} node"
            f"{'s' if len(nodes) != 1 else ''}"
            + (f" ({esc(counts_text(self.counts))})" if self.counts else "")
            + f" · {esc(format_duration(self.duration))}"
            f' <span style="opacity: 0.6">run {esc(self.run_id)}</span></div>',
        ]
        if self.message:
            parts.append(f'<pre style="white-space: pre-wrap">{esc(self.message)}</pre>')
        if self.problems:
            parts.append("<ul>")
            for node in self.problems:
                parts.append(
                    f'<li><b style="color: {STATUS_COLOURS["error"]}">'
                    f"{esc(str(node.get('status')))}</b> <code>{esc(str(node.get('name')))}"
                    f"</code>: {esc(str(node.get('message') or ''))}</li>"
                )
            parts.append("</ul>")
        notes = [line for line in self.warnings if line != self.message]
        if notes and (not nodes or self.status == "error"):
            parts.append(
                '<pre style="white-space: pre-wrap">'
                + esc("\n".join(f"dbt: {line}" for line in notes))
                + "</pre>"
            )
        if nodes:
            parts.append(
                f"<details><summary>{len(nodes)} node results</summary>{self._nodes_table()}"
                "</details>"
            )
        parts.append("</div>")
        return "".join(parts)

    def _nodes_table(self) -> str:
        esc = html.escape
        columns = ("name", "resource_type", "status", "execution_time", "rows_affected", "message")
        head = "".join(f"<th>{esc(c)}</th>" for c in columns)
        rows = []
        for node in self.node_results:
            cells = []
            for column in columns:
                value = node.get(column)
                if column == "execution_time" and value is not None:
                    value = format_duration(float(value))
                text = "" if value is None else str(value)
                style = ""
                if column == "status" and text in BAD | WARN:
                    hue = "error" if text in BAD else "cancelled"
                    style = f' style="color: {STATUS_COLOURS[hue]}"'
                cells.append(f"<td{style}>{esc(text)}</td>")
            rows.append(f"<tr>{''.join(cells)}</tr>")
        return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
