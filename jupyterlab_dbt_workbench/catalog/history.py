"""What the run history in the store says about nodes: one node's runs, the slowest models.

Reads the ``runs`` and ``run_nodes`` tables the runs service writes (store/migrations.py);
nothing here writes to them.
"""

from __future__ import annotations

from collections.abc import Container

from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.store.database import Database

from .payloads import NodeRunHistory, NodeRunPoint, SlowModel

MAX_HISTORY = 500
DEFAULT_HISTORY = 50
# The slowest models are judged on this many recent runs of the project: old runs describe
# models that have since been rewritten.
RECENT_RUNS = 50

_POINT_KEYS = ("run_id", "command", "cli", "run_status", "created_at", "status", "started_at",
               "finished_at", "execution_time", "rows_affected", "failures", "message")  # fmt: skip
_POINT_FIELDS = (
    "r.id, r.command, r.cli, r.status, r.created_at, n.status, n.started_at, n.finished_at,"
    " n.execution_time, n.rows_affected, n.failures, n.message"
)


def node_run_history(
    database: Database, project: str, unique_id: str, limit: int = DEFAULT_HISTORY
) -> NodeRunHistory:
    """The newest ``limit`` results of ``unique_id`` in the runs of ``project``, newest first.

    Raises ``InvalidRequest`` for a limit outside 1..500.
    """
    if not 1 <= limit <= MAX_HISTORY:
        raise InvalidRequest(f"limit must be between 1 and {MAX_HISTORY}, not {limit}.")
    where = (
        "FROM run_nodes AS n JOIN runs AS r ON r.id = n.run_id"
        " WHERE n.unique_id = ? AND r.project = ?"
    )
    total = database.query(f"SELECT COUNT(*) {where}", (unique_id, project))[0][0]
    rows = database.query(
        f"SELECT {_POINT_FIELDS} {where} ORDER BY r.number DESC LIMIT ?",
        (unique_id, project, limit),
    )
    items = [NodeRunPoint(**dict(zip(_POINT_KEYS, row, strict=True))) for row in rows]  # type: ignore[typeddict-item]
    return NodeRunHistory(
        project=project, unique_id=unique_id, total=int(total), limit=limit, items=items
    )


def slowest_models(
    database: Database, project: str, known: Container[str], count: int
) -> list[SlowModel]:
    """The ``count`` models with the longest average build time over the project's recent
    runs, among the ``known`` ones (models since removed are left out)."""
    rows = database.query(
        "SELECT n.unique_id, n.name, n.execution_time FROM run_nodes AS n"
        " JOIN runs AS r ON r.id = n.run_id"
        " WHERE n.resource_type = 'model' AND n.execution_time IS NOT NULL"
        " AND r.id IN (SELECT id FROM runs WHERE project = ? ORDER BY number DESC LIMIT ?)"
        " ORDER BY r.number DESC",
        (project, RECENT_RUNS),
    )
    times: dict[str, list[float]] = {}
    names: dict[str, str] = {}
    for unique_id, name, seconds in rows:
        if unique_id in known:
            times.setdefault(unique_id, []).append(float(seconds))
            names.setdefault(unique_id, name)
    ranked = sorted(times.items(), key=lambda item: (-sum(item[1]) / len(item[1]), item[0]))
    return [
        SlowModel(
            unique_id=unique_id,
            name=names[unique_id],
            average=sum(seconds) / len(seconds),
            longest=max(seconds),
            latest=seconds[0],
            runs=len(seconds),
        )
        for unique_id, seconds in ranked[:count]
    ]
