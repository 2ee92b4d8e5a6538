"""The dbt projects found under the server root."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized


class ProjectsHandler(WorkbenchHandler):
    """GET projects: every dbt project under the root with its load status."""

    auth_resource = "dbt_workbench:projects"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        projects = await self.core(lambda wb: wb.projects())
        self.reply({"projects": projects, "root": str(self.service.root)})


class RescanHandler(WorkbenchHandler):
    """POST projects/rescan: look for projects again (after creating or moving one)."""

    auth_resource = "dbt_workbench:projects"

    @web.authenticated
    @authorized
    async def post(self) -> None:
        projects = await self.core(lambda wb: wb.rescan())
        self.reply({"projects": projects, "root": str(self.service.root)})
