"""Nodes of a project: filtered pages and full detail."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.catalog.listing import NodeFilter
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized

MAX_PAGE = 5000


class NodesHandler(WorkbenchHandler):
    """GET nodes: a page of node summaries matching the filters."""

    auth_resource = "dbt_workbench:nodes"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        arg = self.get_query_argument
        filters = NodeFilter(
            resource_types=tuple(self.get_query_arguments("resource_type")),
            package=arg("package", None) or None,
            tags=tuple(self.get_query_arguments("tag")),
            path=arg("path", None) or None,
            materialized=arg("materialized", None) or None,
            q=arg("q", None) or None,
            status=arg("status", None) or None,
            include_tests=self.bool_argument("include_tests"),
        )
        offset = self.int_argument("offset", 0, 0, 10**9)
        limit = self.int_argument("limit", 200, 1, MAX_PAGE)
        project = self.project
        self.reply(await self.core(lambda wb: wb.list_nodes(project, filters, offset, limit)))


class NodeHandler(WorkbenchHandler):
    """GET nodes/<unique_id>: everything the workbench knows about one node."""

    auth_resource = "dbt_workbench:nodes"

    @web.authenticated
    @authorized
    async def get(self, unique_id: str) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: wb.node(project, unique_id)))
