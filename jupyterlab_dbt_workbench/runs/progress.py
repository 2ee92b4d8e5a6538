"""What a run has said so far: its numbered events, per-node results, counts and progress."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .events import DbtEvent, parse_log_line
from .payloads import NodeResult, RunEvent, RunProgress

# Events dbt writes after the results, naming a node and carrying its error or warning text.
_NODE_MESSAGES = frozenset(
    {"RunResultError", "RunResultFailure", "RunResultWarningMessage", "RunResultErrorNoMessage"}
)
RUNNING = "running"


def node_name(unique_id: str) -> tuple[str, str]:
    """(name, resource type) read from a unique id such as ``model.shop.orders``."""
    parts = unique_id.split(".")
    return (parts[2] if len(parts) > 2 else unique_id), parts[0]


class RunLog:
    """Turns dbt's output, line by line, into events and per-node results.

    Not thread-safe: the manager calls it under its lock.
    """

    def __init__(self) -> None:
        self.events: list[RunEvent] = []
        self.nodes: dict[str, NodeResult] = {}
        self.total: int | None = None
        self.finished: set[str] = set()
        self._counts: dict[str, int] = {}

    @property
    def seq(self) -> int:
        """The number of the last event (0 before the first)."""
        return self.events[-1]["seq"] if self.events else 0

    def feed(self, line: str) -> tuple[RunEvent | None, bool]:
        """Read one line of output; return its event (None for a blank line) and whether the
        progress or the node counts changed."""
        parsed = parse_log_line(line)
        if parsed is None:
            text = line.rstrip("\r\n")
            if not text.strip():
                return None, False
            # Not a dbt event (a Python traceback, a warning from a library): kept as it is.
            return self.add("info", "Output", text), False
        event = self.add(
            parsed.level,
            parsed.name,
            parsed.message,
            ts=parsed.ts,
            unique_id=parsed.unique_id,
            node_status=parsed.node_status,
            index=parsed.index,
            total=parsed.total,
        )
        return event, self._track(parsed)

    def add(
        self,
        level: str,
        name: str,
        message: str,
        *,
        ts: str | None = None,
        unique_id: str | None = None,
        node_status: str | None = None,
        index: int | None = None,
        total: int | None = None,
    ) -> RunEvent:
        """Append one event (the workbench adds a few of its own) and return it."""
        event = RunEvent(
            seq=self.seq + 1,
            ts=ts,
            level=level,
            name=name,
            message=message,
            unique_id=unique_id,
            node_status=node_status,
            index=index,
            total=total,
        )
        self.events.append(event)
        return event

    def _node(self, event: DbtEvent) -> NodeResult:
        assert event.unique_id is not None
        node = self.nodes.get(event.unique_id)
        if node is None:
            name, resource_type = node_name(event.unique_id)
            node = self.nodes[event.unique_id] = NodeResult(
                unique_id=event.unique_id,
                name=event.node_name or name,
                resource_type=event.resource_type or resource_type,
                status=None,
                started_at=None,
                finished_at=None,
                execution_time=None,
                message=None,
                rows_affected=None,
                failures=None,
            )
        return node

    def _track(self, event: DbtEvent) -> bool:
        if event.total is not None and (event.is_node_start or event.is_node_result):
            self.total = event.total
        if event.is_node_start:
            node = self._node(event)
            node["status"] = RUNNING
            node["started_at"] = event.started_at or event.ts
            return False
        if event.is_node_result:
            node = self._node(event)
            self._finish(node, event.node_status)
            node["started_at"] = node["started_at"] or event.started_at
            node["finished_at"] = event.finished_at or event.ts
            node["execution_time"] = event.execution_time
            if event.failures is not None:
                node["failures"] = event.failures
            return True
        if event.name in _NODE_MESSAGES and event.unique_id in self.nodes:
            self.nodes[event.unique_id]["message"] = event.message
        return False

    @property
    def progress(self) -> RunProgress:
        """Nodes finished so far, of how many dbt said it would run."""
        return RunProgress(done=len(self.finished), total=self.total)

    @property
    def counts(self) -> dict[str, int]:
        """How many finished nodes have each status (success, pass, warn, error, fail...)."""
        return {status: count for status, count in self._counts.items() if count}

    def _finish(self, node: NodeResult, status: str | None) -> None:
        # Counts are kept as nodes finish: a summary is built on every result, and counting
        # thousands of nodes each time would make a large run quadratic.
        if node["unique_id"] in self.finished:
            previous = node["status"] or "unknown"
            self._counts[previous] -= 1
        self.finished.add(node["unique_id"])
        node["status"] = status
        key = status or "unknown"
        self._counts[key] = self._counts.get(key, 0) + 1

    def settle(self, status: str | None) -> list[str]:
        """Give the nodes still running when dbt stopped ``status``; return their ids."""
        stopped = [uid for uid, node in self.nodes.items() if node["status"] == RUNNING]
        for unique_id in stopped:
            self.nodes[unique_id]["status"] = status
        return stopped

    def apply_run_results(self, data: Mapping[str, Any]) -> None:
        """Complete the node results from the run's run_results.json: dbt's final word on
        status, timing, message, rows affected and failures."""
        results = data.get("results")
        if not isinstance(results, list):
            return
        for result in results:
            if not isinstance(result, dict) or not isinstance(result.get("unique_id"), str):
                continue
            unique_id = result["unique_id"]
            node = self._node(DbtEvent(name="", level="", message="", unique_id=unique_id))
            status = result.get("status")
            self._finish(node, status if isinstance(status, str) else node["status"])
            started, finished = _timing(result.get("timing"))
            node["started_at"] = node["started_at"] or started
            node["finished_at"] = finished or node["finished_at"]
            if isinstance(result.get("execution_time"), (int, float)):
                node["execution_time"] = float(result["execution_time"])
            if isinstance(result.get("message"), str):
                node["message"] = result["message"]
            if isinstance(result.get("failures"), int):
                node["failures"] = result["failures"]
            response = result.get("adapter_response")
            rows = response.get("rows_affected") if isinstance(response, dict) else None
            if isinstance(rows, int) and not isinstance(rows, bool):
                node["rows_affected"] = rows


def _timing(timing: Any) -> tuple[str | None, str | None]:
    """The start of the first phase and the end of the last (compile, then execute)."""
    if not isinstance(timing, list):
        return None, None
    phases = [t for t in timing if isinstance(t, dict)]
    starts = [str(t["started_at"]) for t in phases if t.get("started_at")]
    ends = [str(t["completed_at"]) for t in phases if t.get("completed_at")]
    return (min(starts) if starts else None), (max(ends) if ends else None)
