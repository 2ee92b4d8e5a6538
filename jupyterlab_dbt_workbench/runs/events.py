"""dbt's structured log (``--log-format json``), one event per line, read into typed events."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

# dbt colours result words (``\x1b[32mOK\x1b[0m``) even in JSON unless told not to.
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# Node events that say a node has finished without a name ending in "Result".
_SKIP_EVENTS = frozenset({"SkippingDetails", "LogSkipBecauseError"})
# One batch of a microbatch model: the model's own result follows.
_BATCH_RESULT = "LogBatchResult"


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
    node_name: str | None = None
    resource_type: str | None = None
    started_at: str | None = None
    finished_at: str | None = None
    execution_time: float | None = None
    failures: int | None = None

    @property
    def is_node_result(self) -> bool:
        """True for the event dbt writes when one node has finished (run, test, seed, or
        skipped because an upstream node failed)."""
        return self.unique_id is not None and (
            (self.name.endswith("Result") and self.name != _BATCH_RESULT)
            or self.name in _SKIP_EVENTS
        )

    @property
    def is_node_start(self) -> bool:
        """True for the event dbt writes when it starts working on a node."""
        return self.unique_id is not None and self.name == "LogStartLine"


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
    message = str(info.get("msg", ""))
    if "\x1b" in message:
        message = _ANSI.sub("", message)
    return DbtEvent(
        name=str(info["name"]),
        level=str(info.get("level", "info")),
        message=message,
        ts=info.get("ts"),
        invocation_id=info.get("invocation_id"),
        unique_id=node.get("unique_id"),
        node_status=node.get("node_status"),
        index=_int(data.get("index")),
        # Model results say `total`; test results say `num_models` for the same number.
        total=_int(data.get("total", data.get("num_models"))),
        node_name=node.get("node_name") or None,
        resource_type=node.get("resource_type") or None,
        # dbt writes "" for times it does not know yet.
        started_at=node.get("node_started_at") or None,
        finished_at=node.get("node_finished_at") or None,
        execution_time=_float(data.get("execution_time")),
        failures=_int(data.get("num_failures")),
    )


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _float(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)
