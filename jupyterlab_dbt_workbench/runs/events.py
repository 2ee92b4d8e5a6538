"""dbt's structured log (``--log-format json``), one event per line, read into typed events."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class DbtEvent:
    """One line of dbt's JSON log, reduced to what the workbench shows."""

    name: str
    level: str
    message: str
    ts: str | None = None
    invocation_id: str | None = None
    unique_id: str | None = None
    node_status: str | None = None
    index: int | None = None
    total: int | None = None

    @property
    def is_node_result(self) -> bool:
        """True for the event dbt writes when one node has finished (run, test, seed...)."""
        return self.unique_id is not None and self.name.endswith("Result")


def parse_log_line(line: str) -> DbtEvent | None:
    """Read one line of dbt output; None for lines that are not dbt JSON events."""
    line = line.strip()
    if not line.startswith("{"):
        return None
    try:
        raw = json.loads(line)
    except ValueError:
        return None
    info = raw.get("info") if isinstance(raw, dict) else None
    if not isinstance(info, dict) or "name" not in info:
        return None
    data: dict[str, Any] = raw.get("data") or {}
    node: dict[str, Any] = data.get("node_info") or {}
    return DbtEvent(
        name=str(info["name"]),
        level=str(info.get("level", "info")),
        message=str(info.get("msg", "")),
        ts=info.get("ts"),
        invocation_id=info.get("invocation_id"),
        unique_id=node.get("unique_id"),
        node_status=node.get("node_status"),
        index=_int(data.get("index")),
        # Model results say `total`; test results say `num_models` for the same number.
        total=_int(data.get("total", data.get("num_models"))),
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) else None
