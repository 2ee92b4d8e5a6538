"""Data-quality helpers: profile a model in the warehouse and suggest generic tests."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.quality import payloads, suggest_tests
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route


class SuggestionsHandler(WorkbenchHandler):
    """GET quality/suggestions: column profiles of a node and the tests its data passes."""

    auth_resource = "dbt_workbench:quality"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, node = self.project, self.text_argument("node")
        if node is None:
            raise bad_parameter("The 'node' parameter is required: a unique id.")
        self.reply(await self.core(lambda wb: suggest_tests(wb.state(project), node)))


_NODE = Parameter("node", "unique id of a model, seed or snapshot", required=True)

QUALITY_ROUTES: tuple[Route, ...] = (
    Route(
        "/quality/suggestions",
        SuggestionsHandler,
        (
            Operation(
                "get",
                "Profile a model's columns in the (DuckDB) warehouse and suggest the generic "
                "tests its data passes, with the evidence",
                payloads.QualitySuggestions,
                (PROJECT, _NODE),
                (400, 404, 409, 502),
            ),
        ),
    ),
)
