"""Filtering and paging the nodes of a project state (``GET nodes``)."""

from __future__ import annotations

from dataclasses import dataclass

from jupyterlab_dbt_workbench.artifacts.state import TEST_RESOURCE_TYPES, Node, ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.payloads import NodePage, NodeSummary

DEFAULT_LIMIT = 200
MAX_LIMIT = 5000


@dataclass(frozen=True)
class NodeFilter:
    """The filters of ``GET nodes``, combined with AND.

    ``path`` matches whole path segments at the start of ``original_file_path``
    (``models/marts`` matches ``models/marts/orders.sql``, not ``models/marts_old/x.sql``).
    ``q`` is a case-insensitive substring of the name, unique id, description, tags or column
    names. Tests and unit tests are left out unless asked for by type or ``include_tests``.
    """

    resource_types: tuple[str, ...] = ()
    package: str | None = None
    tags: tuple[str, ...] = ()
    path: str | None = None
    materialized: str | None = None
    q: str | None = None
    status: str | None = None
    include_tests: bool = False


def node_summary(node: Node) -> NodeSummary:
    """The ``NodeSummary`` payload of a node."""
    return NodeSummary(
        unique_id=node.unique_id,
        name=node.name,
        resource_type=node.resource_type,
        package_name=node.package_name,
        original_file_path=node.original_file_path,
        folder=node.folder,
        database=node.database,
        schema=node.schema,
        materialized=node.materialized,
        tags=list(node.tags),
        description=node.description,
        status=node.status,
        test_status=node.test_status,
    )


def _path_matches(original_file_path: str, prefix: str) -> bool:
    prefix = prefix.strip("/")
    if not prefix:
        return True
    return original_file_path == prefix or original_file_path.startswith(prefix + "/")


def _matches(node: Node, filters: NodeFilter, query: str | None, tags: frozenset[str]) -> bool:
    if filters.resource_types:
        if node.resource_type not in filters.resource_types:
            return False
    elif node.resource_type in TEST_RESOURCE_TYPES and not filters.include_tests:
        return False
    if filters.package is not None and node.package_name != filters.package:
        return False
    if tags and tags.isdisjoint(node.tags):
        return False
    if filters.path is not None and not _path_matches(node.original_file_path, filters.path):
        return False
    if filters.materialized is not None and node.materialized != filters.materialized:
        return False
    if filters.status is not None and node.status != filters.status:
        return False
    return query is None or query in node.search_text


def list_nodes(state: ProjectState, filters: NodeFilter, offset: int, limit: int) -> NodePage:
    """One page of the nodes matching ``filters``: models first, then seeds, snapshots,
    sources and the rest, each kind in unique id order.

    Raises ``InvalidRequest`` for a negative offset or a limit outside 1..5000.
    """
    if offset < 0:
        raise InvalidRequest(f"offset must be 0 or more, not {offset}.")
    if not 1 <= limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}, not {limit}.")
    query = filters.q.strip().lower() if filters.q and filters.q.strip() else None
    tags = frozenset(filters.tags)
    total = 0
    items: list[NodeSummary] = []
    nodes = state.nodes
    for unique_id in state.order:
        node = nodes[unique_id]
        if not _matches(node, filters, query, tags):
            continue
        if offset <= total < offset + limit:
            items.append(node_summary(node))
        total += 1
    return NodePage(total=total, offset=offset, limit=limit, items=items)
