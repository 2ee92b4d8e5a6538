"""The routes table: every endpoint once, with what the OpenAPI document says of it."""

from __future__ import annotations

from jupyter_server.utils import url_path_join

from jupyterlab_dbt_workbench import payloads

from .handlers.artifacts import ArtifactsHandler, ReloadHandler, SnapshotsHandler
from .handlers.audit import AUDIT_ROUTES
from .handlers.columns import COLUMN_ROUTES
from .handlers.dashboard import DASHBOARD_ROUTES
from .handlers.entity import ENTITY_ROUTES
from .handlers.git import GIT_ROUTES
from .handlers.git_changes import GIT_CHANGES_ROUTES
from .handlers.health import HealthHandler, OpenAPIHandler
from .handlers.lineage import LINEAGE_ROUTES
from .handlers.metadata import METADATA_ROUTES
from .handlers.nodes import NodeHandler, NodesHandler
from .handlers.permissions import PERMISSION_ROUTES
from .handlers.projects import ProjectsHandler, RescanHandler
from .handlers.quality import QUALITY_ROUTES
from .handlers.runs import RUN_ROUTES
from .handlers.schedules import SCHEDULE_ROUTES
from .handlers.search import SEARCH_ROUTES
from .handlers.sql import SQL_ROUTES
from .routing import API_PREFIX, PROJECT, Operation, Parameter, Route

# Projects, nodes, artifacts and health: the foundation of every other area.
FOUNDATION_ROUTES: tuple[Route, ...] = (
    Route(
        "/health",
        HealthHandler,
        (Operation("get", "Versions, store and problems of every project", payloads.Health),),
    ),
    Route(
        "/openapi.json",
        OpenAPIHandler,
        (Operation("get", "This document", dict),),
    ),
    Route(
        "/projects",
        ProjectsHandler,
        (Operation("get", "The dbt projects under the server root", payloads.ProjectList),),
    ),
    Route(
        "/projects/rescan",
        RescanHandler,
        (Operation("post", "Look for dbt projects under the root again", payloads.ProjectList),),
    ),
    Route(
        "/nodes",
        NodesHandler,
        (
            Operation(
                "get",
                "A page of nodes matching the filters",
                payloads.NodePage,
                (
                    PROJECT,
                    Parameter("resource_type", "model, source, seed, ... (any of)", repeated=True),
                    Parameter("package", "dbt package name"),
                    Parameter("tag", "tag (any of)", repeated=True),
                    Parameter("path", "prefix of the node's file path, e.g. models/marts"),
                    Parameter("materialized", "table, view, incremental, ephemeral, ..."),
                    Parameter("q", "text in name, id, description, columns or tags"),
                    Parameter("status", "latest result status"),
                    Parameter(
                        "include_tests",
                        "include tests without asking for resource_type=test",
                        schema={"type": "boolean"},
                    ),
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": 5000},
                    ),
                ),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/nodes/{unique_id}",
        NodeHandler,
        (
            Operation(
                "get",
                "Everything known about one node",
                payloads.NodeDetail,
                (
                    PROJECT,
                    Parameter("unique_id", "e.g. model.shop.orders", where="path", required=True),
                ),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/artifacts",
        ArtifactsHandler,
        (Operation("get", "Loaded artifacts", payloads.ArtifactStatus, (PROJECT,), (400, 404)),),
    ),
    Route(
        "/artifacts/reload",
        ReloadHandler,
        (
            Operation(
                "post", "Reload the artifacts now", payloads.ArtifactStatus, (PROJECT,), (400, 404)
            ),
        ),
    ),
    Route(
        "/artifacts/snapshots",
        SnapshotsHandler,
        (
            Operation(
                "get",
                "Stored artifact versions, newest first",
                payloads.SnapshotList,
                (PROJECT,),
                (400, 404, 409),
            ),
        ),
    ),
)

# Each further area declares its routes next to its handlers and is added here.
ROUTES: tuple[Route, ...] = (
    *FOUNDATION_ROUTES,
    *RUN_ROUTES,
    *SCHEDULE_ROUTES,
    *COLUMN_ROUTES,
    *LINEAGE_ROUTES,
    *METADATA_ROUTES,
    *QUALITY_ROUTES,
    *ENTITY_ROUTES,
    *DASHBOARD_ROUTES,
    *SEARCH_ROUTES,
    *SQL_ROUTES,
    *AUDIT_ROUTES,
    *GIT_ROUTES,
    *GIT_CHANGES_ROUTES,
    *PERMISSION_ROUTES,
)


def handlers(base_url: str) -> list[tuple[str, type]]:
    """The (URL pattern, handler) pairs to add to the tornado application."""
    return [(url_path_join(base_url, API_PREFIX, route.pattern), route.handler) for route in ROUTES]
