"""Health and the OpenAPI description."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized


class HealthHandler(WorkbenchHandler):
    """GET health: versions, store, and the problems of every project."""

    auth_resource = "dbt_workbench:health"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        self.reply(await self.core(lambda wb: wb.health()))


class OpenAPIHandler(WorkbenchHandler):
    """GET openapi.json: the OpenAPI 3.1 description of this API, built from the routes."""

    auth_resource = "dbt_workbench:health"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        # Imported here: the document is built from the routes table, which imports this module.
        from jupyterlab_dbt_workbench.server.openapi import openapi_document

        self.reply(openapi_document())
