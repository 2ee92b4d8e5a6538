"""Column-level lineage: the edges of a model, the trace and impact of a column, coverage."""

from __future__ import annotations

from typing import Any, cast

from tornado import web

from jupyterlab_dbt_workbench.lineage import payloads
from jupyterlab_dbt_workbench.lineage.project import Direction, ProjectColumnLineage
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route
from jupyterlab_dbt_workbench.workbench import Workbench

AUTH_RESOURCE = "dbt_workbench:lineage"
DIRECTIONS = ("upstream", "downstream", "both")
MAX_DEPTH = 1000


def _lineage(workbench: Workbench, project: str | None) -> ProjectColumnLineage:
    lineage = workbench.column_lineage(project)
    lineage.require_compiled()
    return lineage


class _ColumnHandler(WorkbenchHandler):
    auth_resource = AUTH_RESOURCE

    def required(self, name: str) -> str:
        value = self.get_query_argument(name, "") or ""
        if not value:
            raise bad_parameter(f"The '{name}' parameter is required.")
        return value


class ModelColumnsHandler(_ColumnHandler):
    """GET lineage/columns/<unique_id>: every column edge of one model, with its status."""

    @web.authenticated
    @authorized
    async def get(self, unique_id: str) -> None:
        project = self.project
        self.reply(
            await self.core(lambda wb: payloads.model_payload(_lineage(wb, project), unique_id))
        )


class ColumnHandler(_ColumnHandler):
    """GET lineage/column: the lineage of one column, upstream and/or downstream."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        node, column = self.required("node"), self.required("column")
        direction = self.get_query_argument("direction", "upstream") or "upstream"
        if direction not in DIRECTIONS:
            raise bad_parameter(
                f"'direction' must be one of {', '.join(DIRECTIONS)}, not {direction!r}."
            )
        depth = self.optional_int_argument("depth", 0, MAX_DEPTH)

        def build(wb: Workbench) -> Any:
            return payloads.column_graph_payload(
                _lineage(wb, project), node, column, cast(Direction, direction), depth
            )

        self.reply(await self.core(build))


class ColumnImpactHandler(_ColumnHandler):
    """GET lineage/column/impact: downstream columns, models and exposures of a column."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        node, column = self.required("node"), self.required("column")
        self.reply(
            await self.core(lambda wb: payloads.impact_payload(_lineage(wb, project), node, column))
        )


class CoverageHandler(_ColumnHandler):
    """GET lineage/coverage: per-status model lists and column coverage."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: _lineage(wb, project).coverage()))


_NODE = Parameter("node", "unique_id (or unique name) of the node", required=True)
_COLUMN = Parameter("column", "column name (matched exactly, then ignoring case)", required=True)

COLUMN_ROUTES: tuple[Route, ...] = (
    Route(
        "/lineage/columns/{unique_id}",
        ModelColumnsHandler,
        (
            Operation(
                "get",
                "Every column edge of a model or snapshot, its status and its "
                "filter/join/group dependencies",
                payloads.ModelColumnLineage,
                (
                    PROJECT,
                    Parameter("unique_id", "e.g. model.shop.orders", where="path", required=True),
                ),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/lineage/column",
        ColumnHandler,
        (
            Operation(
                "get",
                "The lineage of one column: nodes (node + column) and edges with their kind",
                payloads.ColumnGraph,
                (
                    PROJECT,
                    _NODE,
                    _COLUMN,
                    Parameter(
                        "direction",
                        "upstream (default), downstream or both",
                        schema={"type": "string", "enum": list(DIRECTIONS)},
                    ),
                    Parameter(
                        "depth",
                        "steps to follow (default: all)",
                        schema={"type": "integer", "minimum": 0, "maximum": MAX_DEPTH},
                    ),
                ),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/lineage/column/impact",
        ColumnImpactHandler,
        (
            Operation(
                "get",
                "Downstream columns, models and exposures of one column",
                payloads.ColumnImpact,
                (PROJECT, _NODE, _COLUMN),
                (400, 404, 409),
            ),
        ),
    ),
    Route(
        "/lineage/coverage",
        CoverageHandler,
        (
            Operation(
                "get",
                "Column lineage coverage: counts, models by status with reasons, columns traced",
                payloads.CoverageReport,
                (PROJECT,),
                (400, 404, 409),
            ),
        ),
    ),
)
