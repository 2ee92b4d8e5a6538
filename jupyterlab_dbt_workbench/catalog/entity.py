"""Entity-page extras and the dashboard of a project, asked of a ``Workbench``.

The server's handlers and ``DbtProject`` call these, so both serve the same payloads.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import NodeNotFound

from .health import project_health
from .history import DEFAULT_HISTORY, node_run_history
from .payloads import NodeRunHistory, ProjectHealth, SchemaHistory
from .schema_history import schema_history

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.workbench import Workbench


def _require(state: ProjectState, unique_id: str) -> None:
    if unique_id not in state.nodes:
        raise NodeNotFound(
            f"No node {unique_id!r} in project {state.project.id!r}. It may have been renamed "
            "or removed; reload the project's artifacts to see the current nodes."
        )


def node_history(
    workbench: Workbench, project: str | None, unique_id: str, limit: int = DEFAULT_HISTORY
) -> NodeRunHistory:
    """The node's results in the runs the workbench kept, newest first."""
    state = workbench.state(project)
    _require(state, unique_id)
    return node_run_history(workbench.database, state.project.id, unique_id, limit)


def node_schema_history(workbench: Workbench, project: str | None, unique_id: str) -> SchemaHistory:
    """The node's columns across the kept artifact snapshots: first seen, then each change."""
    state = workbench.state(project)
    _require(state, unique_id)
    return schema_history(
        workbench.snapshot_store, str(state.project.path), state.project.id, unique_id
    )


def dashboard(workbench: Workbench, project: str | None) -> ProjectHealth:
    """The project health dashboard: the artifacts plus the run history in the store."""
    return project_health(workbench.state(project), workbench.database)
