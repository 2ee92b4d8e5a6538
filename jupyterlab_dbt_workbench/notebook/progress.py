"""The live progress of a run in a cell's output: one display updated in place.

A display handle with both ``text/html`` and ``text/plain`` renders in JupyterLab, in any
other notebook front end and as text in a terminal IPython, without a widget manager.
"""

from __future__ import annotations

import html
import time
from collections.abc import Callable, Mapping
from typing import Any

from .result import BAD, STATUS_COLOURS, counts_text, format_duration

BAR_WIDTH = 30
ACTIVE = ("queued", "running")


class LiveProgress:
    """Node counts, failures and elapsed time of one run, redrawn at most every ``interval``."""

    def __init__(
        self,
        run: Mapping[str, Any],
        publish: Callable[[dict[str, str], bool], None],
        *,
        interval: float = 0.25,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``publish(bundle, first)`` shows (first) or replaces the display."""
        self._publish = publish
        self._interval = interval
        self._clock = clock
        self._started = clock()
        self._drawn_at: float | None = None
        self.run: dict[str, Any] = dict(run)
        self.failures: list[tuple[str, str]] = []
        self.note: str | None = None

    # What the run reports ------------------------------------------------------------------

    def update_run(self, run: Mapping[str, Any]) -> None:
        """A status or progress change of the run."""
        self.run = dict(run)
        self.draw(force=self.run.get("status") not in ACTIVE)

    def add_event(self, event: Mapping[str, Any]) -> None:
        """One log event; a node that errors or fails is listed at once."""
        status = event.get("node_status")
        unique_id = event.get("unique_id")
        if unique_id and status in BAD and not any(u == unique_id for u, _ in self.failures):
            self.failures.append((str(unique_id), str(status)))
            self.draw(force=True)

    def set_note(self, note: str) -> None:
        """A line said under the bar (e.g. that the run is being cancelled)."""
        self.note = note
        self.draw(force=True)

    def draw(self, *, force: bool = False) -> None:
        """Redraw if forced or if the last drawing is older than the interval."""
        now = self._clock()
        if not force and self._drawn_at is not None and now - self._drawn_at < self._interval:
            return
        first = self._drawn_at is None
        self._drawn_at = now
        self._publish({"text/plain": self.text(), "text/html": self.html()}, first)

    # Rendering ------------------------------------------------------------------------------

    def _numbers(self) -> tuple[int, int | None, str, str]:
        progress = self.run.get("progress") or {}
        done = int(progress.get("done") or 0)
        total = progress.get("total")
        status = str(self.run.get("status") or "queued")
        duration = self.run.get("duration")
        if status in ACTIVE or duration is None:
            elapsed = format_duration(self._clock() - self._started)
        else:
            elapsed = format_duration(float(duration))
        return done, (int(total) if total is not None else None), status, elapsed

    def text(self) -> str:
        """The progress as plain text: a bar, counts, failures."""
        done, total, status, elapsed = self._numbers()
        if total:
            filled = min(BAR_WIDTH, round(BAR_WIDTH * done / total))
            bar = f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total}"
        else:
            bar = f"{done} done"
        line = f"dbt {self.run.get('cli', '')}  {bar}  {status}  {elapsed}"
        counts = counts_text(self.run.get("counts") or {})
        if counts:
            line += f"  ({counts})"
        lines = [line]
        if status == "queued" and self.run.get("message"):
            lines.append(f"  {self.run['message']}")
        lines += [f"  {status_} {uid}" for uid, status_ in self.failures]
        if self.note:
            lines.append(f"  {self.note}")
        return "\n".join(lines)

    def html(self) -> str:
        """The progress as HTML: a coloured bar, counts, failures."""
        esc = html.escape
        done, total, status, elapsed = self._numbers()
        share = 100.0 * done / total if total else (100.0 if status not in ACTIVE else 0.0)
        colour = STATUS_COLOURS.get(status, "var(--jp-brand-color1, #1976d2)")
        if self.failures and status in ACTIVE:
            colour = STATUS_COLOURS["error"]
        count = f"{done}/{total}" if total else f"{done}"
        counts = counts_text(self.run.get("counts") or {})
        parts = [
            '<div class="dbt-workbench-progress" '
            'style="font-size: var(--jp-content-font-size1, 13px)">',
            f"<div><code>dbt {esc(str(self.run.get('cli', '')))}</code> · <b>{esc(status)}</b>"
            f" · {esc(count)} nodes · {esc(elapsed)}"
            + (f" · {esc(counts)}" if counts else "")
            + "</div>",
            '<div style="height: 6px; margin: 4px 0; max-width: 40em; '
            'background: var(--jp-layout-color3, #ddd); border-radius: 3px">'
            f'<div style="height: 100%; width: {share:.1f}%; background: {colour}; '
            'border-radius: 3px"></div></div>',
        ]
        if status == "queued" and self.run.get("message"):
            parts.append(f"<div>{esc(str(self.run['message']))}</div>")
        for unique_id, node_status in self.failures:
            parts.append(
                f'<div style="color: {STATUS_COLOURS["error"]}">{esc(node_status)} '
                f"<code>{esc(unique_id)}</code></div>"
            )
        if self.note:
            parts.append(f"<div>{esc(self.note)}</div>")
        parts.append("</div>")
        return "".join(parts)
