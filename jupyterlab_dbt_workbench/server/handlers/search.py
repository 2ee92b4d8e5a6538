"""Search: every node, macro and column of a project, ranked, with facet counts."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.search import DEFAULT_LIMIT, MAX_LIMIT
from jupyterlab_dbt_workbench.search.payloads import SearchResult
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route
from jupyterlab_dbt_workbench.workbench import Workbench

# URL parameter -> facet. ``type`` is the short name the query syntax uses too.
_FILTER_PARAMETERS = {
    "type": "resource_type",
    "package": "package",
    "schema": "schema",
    "tag": "tag",
    "owner": "owner",
    "materialized": "materialized",
}


class SearchHandler(WorkbenchHandler):
    """GET search: a page of ranked matches for a query, with facet counts."""

    auth_resource = "dbt_workbench:search"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        # Not stripped here: the core refuses an over-long query before reading it.
        query = self.get_query_argument("q", "") or ""
        filters = {
            facet: [value for value in self.get_query_arguments(name) if value.strip()]
            for name, facet in _FILTER_PARAMETERS.items()
        }
        filters = {facet: values for facet, values in filters.items() if values}
        offset = self.int_argument("offset", 0, 0, 1_000_000)
        limit = self.int_argument("limit", DEFAULT_LIMIT, 1, MAX_LIMIT)

        def run(wb: Workbench) -> SearchResult:
            return wb.search(project, query, filters=filters, offset=offset, limit=limit)

        self.reply(await self.core(run))


SEARCH_ROUTES: tuple[Route, ...] = (
    Route(
        "/search",
        SearchHandler,
        (
            Operation(
                "get",
                "Nodes, macros and columns matching a query, best first, with facet counts",
                SearchResult,
                (
                    PROJECT,
                    Parameter(
                        "q",
                        'words (all must match), "a phrase", filters such as type:model '
                        "tag:finance; at most 1,000 characters; empty: no results, the facet "
                        "counts of the whole project",
                    ),
                    *(
                        Parameter(name, f"only these values of {facet} (any of)", repeated=True)
                        for name, facet in _FILTER_PARAMETERS.items()
                    ),
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                    ),
                ),
                (400, 404, 409),
            ),
        ),
    ),
)
