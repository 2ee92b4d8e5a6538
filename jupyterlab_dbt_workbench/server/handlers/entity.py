"""Entity-page extras of one node: its run history and its schema history."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.catalog import payloads
from jupyterlab_dbt_workbench.catalog.entity import node_history, node_schema_history
from jupyterlab_dbt_workbench.catalog.history import DEFAULT_HISTORY, MAX_HISTORY
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route


class NodeHistoryHandler(WorkbenchHandler):
    """GET nodes/<unique_id>/history: the node's results in the kept runs, newest first."""

    auth_resource = "dbt_workbench:nodes"

    @web.authenticated
    @authorized
    async def get(self, unique_id: str) -> None:
        project = self.project
        limit = self.int_argument("limit", DEFAULT_HISTORY, 1, MAX_HISTORY)
        self.reply(await self.core(lambda wb: node_history(wb, project, unique_id, limit)))


class SchemaHistoryHandler(WorkbenchHandler):
    """GET nodes/<unique_id>/schema-history: column changes across the kept catalogs."""

    auth_resource = "dbt_workbench:nodes"

    @web.authenticated
    @authorized
    async def get(self, unique_id: str) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: node_schema_history(wb, project, unique_id)))


_UNIQUE_ID = Parameter("unique_id", "e.g. model.shop.orders", where="path", required=True)

ENTITY_ROUTES: tuple[Route, ...] = (
    Route(
        "/nodes/{unique_id}/history",
        NodeHistoryHandler,
        (
            Operation(
                "get",
                "The node's results (status, duration, rows) in the kept runs, newest first",
                payloads.NodeRunHistory,
                (
                    PROJECT,
                    _UNIQUE_ID,
                    Parameter(
                        "limit",
                        f"how many results (default {DEFAULT_HISTORY})",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_HISTORY},
                    ),
                ),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/nodes/{unique_id}/schema-history",
        SchemaHistoryHandler,
        (
            Operation(
                "get",
                "The node's columns when first seen, then each catalog version that added, "
                "removed or retyped them, newest first",
                payloads.SchemaHistory,
                (PROJECT, _UNIQUE_ID),
                (400, 404, 409),
            ),
        ),
    ),
)
