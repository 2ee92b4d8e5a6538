"""Model lineage: a selection as a graph, dbt's ``ls`` equivalent, and impact analysis."""

from __future__ import annotations

import json
from typing import TypeVar

from tornado import web

from jupyterlab_dbt_workbench.graph import payloads
from jupyterlab_dbt_workbench.graph.grouping import GROUP_BY
from jupyterlab_dbt_workbench.graph.impact import impact
from jupyterlab_dbt_workbench.graph.lineage import DEFAULT_MAX_NODES, MAX_NODES, model_lineage
from jupyterlab_dbt_workbench.graph.selectors import select
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route
from jupyterlab_dbt_workbench.workbench import Workbench

T = TypeVar("T")

_MAX_DEPTH = 1000


class _LineageHandler(WorkbenchHandler):
    auth_resource = "dbt_workbench:lineage"


class LineageHandler(_LineageHandler):
    """GET lineage: the nodes and edges of a selection (or of a focus node's neighbours)."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        selector, focus = self.text_argument("select"), self.text_argument("focus")
        if selector is None and focus is None:
            raise bad_parameter("Give a selector ('select') or a node to focus on ('focus').")
        exclude, group_by = self.text_argument("exclude"), self.text_argument("group_by")
        depth = self.optional_int_argument("depth", 0, _MAX_DEPTH)
        max_nodes = self.int_argument("max_nodes", DEFAULT_MAX_NODES, 1, MAX_NODES)
        include_tests = self.bool_argument("include_tests")
        state_ref = self.text_argument("state")

        def build(wb: Workbench) -> str:
            lineage = model_lineage(
                wb.state(project),
                select=selector,
                focus=focus,
                exclude=exclude,
                depth=depth,
                group_by=group_by,
                max_nodes=max_nodes or DEFAULT_MAX_NODES,
                include_tests=include_tests,
                baseline=wb.baseline_state(project, state_ref) if state_ref else None,
            )
            # Encoded here, not by ``reply`` on the event loop: the whole graph of 5,000
            # models is megabytes of JSON, tens of milliseconds every other request would wait.
            return json.dumps(lineage, default=str)

        # A focus alone is a neighbourhood (bounded, quick); a selector may take every node.
        heavy = selector is not None or (depth is not None and depth > 1)
        encoded = await self.core(build, heavy=heavy)
        self.set_header("Content-Type", "application/json")
        self.finish(encoded)


class LineageSelectHandler(_LineageHandler):
    """GET lineage/select: the unique ids ``dbt ls --select ... --exclude ...`` lists."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        selector, exclude, state_ref = (
            self.text_argument("select"),
            self.text_argument("exclude"),
            self.text_argument("state"),
        )

        def run(wb: Workbench) -> payloads.Selection:
            state = wb.state(project)
            baseline = wb.baseline_state(project, state_ref) if state_ref else None
            unique_ids = select(state, selector, exclude, baseline=baseline)
            return payloads.Selection(
                project=state.project.id,
                select=selector,
                exclude=exclude,
                unique_ids=unique_ids,
                total=len(unique_ids),
            )

        self.reply(await self.core(run, heavy=True))


class ImpactHandler(_LineageHandler):
    """GET lineage/impact: everything downstream of one or more nodes, with distances."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        nodes = [node for node in self.get_query_arguments("node") if node]
        if not nodes:
            raise bad_parameter("Give at least one 'node' (a unique id) to start from.")
        include_tests = self.bool_argument("include_tests")
        self.reply(
            await self.core(
                lambda wb: impact(wb.state(project), nodes, include_tests=include_tests)
            )
        )


_SELECT = Parameter("select", "dbt node selector, e.g. 'tag:finance,+fct_orders'")
_EXCLUDE = Parameter("exclude", "dbt selector of nodes to leave out")
_STATE = Parameter(
    "state",
    "baseline for state: selectors: a snapshot version, or a folder under the root holding a "
    "manifest.json",
)
_INCLUDE_TESTS = Parameter(
    "include_tests", "list data and unit tests too", schema={"type": "boolean"}
)
_ERRORS = (400, 404, 409, 422)

LINEAGE_ROUTES: tuple[Route, ...] = (
    Route(
        "/lineage",
        LineageHandler,
        (
            Operation(
                "get",
                "Model lineage of a selection or around a focus node",
                payloads.Lineage,
                (
                    PROJECT,
                    _SELECT,
                    Parameter(
                        "focus",
                        "unique id or name; without select, selects depth+focus+depth (1)",
                    ),
                    _EXCLUDE,
                    Parameter(
                        "depth",
                        "caps every + and @ (and sets the focus depth)",
                        schema={"type": "integer", "minimum": 0, "maximum": _MAX_DEPTH},
                    ),
                    Parameter(
                        "group_by",
                        "group the nodes",
                        schema={"type": "string", "enum": list(GROUP_BY)},
                    ),
                    Parameter(
                        "max_nodes",
                        "most nodes returned (nearest the focus first)",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_NODES},
                    ),
                    _INCLUDE_TESTS,
                    _STATE,
                ),
                _ERRORS,
            ),
        ),
    ),
    Route(
        "/lineage/select",
        LineageSelectHandler,
        (
            Operation(
                "get",
                "The unique ids dbt ls would list",
                payloads.Selection,
                (PROJECT, _SELECT, _EXCLUDE, _STATE),
                _ERRORS,
            ),
        ),
    ),
    Route(
        "/lineage/impact",
        ImpactHandler,
        (
            Operation(
                "get",
                "Everything downstream of the given nodes, with distances and exposures",
                payloads.Impact,
                (
                    PROJECT,
                    Parameter("node", "unique id to start from", repeated=True, required=True),
                    _INCLUDE_TESTS,
                ),
                _ERRORS,
            ),
        ),
    ),
)
