"""The project health dashboard."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.catalog import payloads
from jupyterlab_dbt_workbench.catalog.entity import dashboard
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Route


class DashboardHandler(WorkbenchHandler):
    """GET dashboard: counts, tests, freshness, coverage and run history of one project."""

    auth_resource = "dbt_workbench:dashboard"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: dashboard(wb, project)))


DASHBOARD_ROUTES: tuple[Route, ...] = (
    Route(
        "/dashboard",
        DashboardHandler,
        (
            Operation(
                "get",
                "Project health: counts, last run, failing and warning tests, stale sources, "
                "slowest models, documentation and test coverage, run durations",
                payloads.ProjectHealth,
                (PROJECT,),
                (400, 404, 409),
            ),
        ),
    ),
)
