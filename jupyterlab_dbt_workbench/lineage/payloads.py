"""The JSON payloads of the column lineage API, and their builders.

The OpenAPI document is generated from these TypedDicts (see server/openapi.py).
"""

from __future__ import annotations

from typing import Literal, TypedDict

from .project import Direction, ProjectColumnLineage
from .records import DependencyKind, EdgeKind, Status


class ColumnSource(TypedDict):
    """Where one output column of a model takes its value from."""

    source: str
    source_column: str
    kind: EdgeKind
    expression: str | None


class ModelColumn(TypedDict):
    name: str
    traced: bool
    sources: list[ColumnSource]


class ColumnDependencyItem(TypedDict):
    source: str
    source_column: str
    kind: DependencyKind


class ModelColumnLineage(TypedDict):
    """``GET lineage/columns/<unique_id>``: every column edge of one model."""

    project: str
    unique_id: str
    name: str
    resource_type: str
    status: Status
    reason: str | None
    dialect: str | None
    columns: list[ModelColumn]
    dependencies: list[ColumnDependencyItem]
    unresolved: list[str]


class ColumnNode(TypedDict):
    """One (node, column) of a column graph; ``distance`` 0 is the column asked about."""

    id: str
    node: str
    column: str
    name: str
    resource_type: str
    distance: int


class ColumnGraphEdge(TypedDict):
    source: str
    source_column: str
    target: str
    target_column: str
    kind: EdgeKind
    expression: str | None
    distance: int


class ColumnGraph(TypedDict):
    """``GET lineage/column``: the lineage of one column, upstream and/or downstream."""

    project: str
    node: str
    column: str
    direction: Direction
    depth: int | None
    nodes: list[ColumnNode]
    edges: list[ColumnGraphEdge]


class ImpactColumn(TypedDict):
    node: str
    column: str
    distance: int


class ImpactModel(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    distance: int
    via: Literal["value", "filter", "join", "group"]


class ImpactExposure(TypedDict):
    unique_id: str
    name: str


class ColumnImpact(TypedDict):
    """``GET lineage/column/impact``: everything a change of one column reaches."""

    project: str
    node: str
    column: str
    columns: list[ImpactColumn]
    models: list[ImpactModel]
    exposures: list[ImpactExposure]


class CoverageEntry(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    reason: str | None
    columns: int
    traced_columns: int


class CoverageColumns(TypedDict):
    total: int
    traced: int
    percent: float | None


class CoverageComputation(TypedDict):
    analysed: int
    cached: int
    processes: int
    seconds: float


class CoverageReport(TypedDict):
    """``GET lineage/coverage``: how much of the project column lineage covers, and why not."""

    project: str
    dialect: str | None
    engine_version: str
    models: int
    counts: dict[str, int]
    columns: CoverageColumns
    by_status: dict[str, list[CoverageEntry]]
    computation: CoverageComputation


def model_payload(lineage: ProjectColumnLineage, node: str) -> ModelColumnLineage:
    """Every column edge of one model with its status, as the API returns it."""
    model = lineage.model(node)
    state_node = lineage.state.nodes[model.unique_id]
    sources: dict[str, list[ColumnSource]] = {name: [] for name in model.columns}
    for edge in model.edges:
        sources.setdefault(edge.column, []).append(
            ColumnSource(
                source=edge.source,
                source_column=edge.source_column,
                kind=edge.kind,
                expression=edge.expression,
            )
        )
    untraced = set(model.unresolved_columns)
    return ModelColumnLineage(
        project=lineage.project,
        unique_id=model.unique_id,
        name=state_node.name,
        resource_type=state_node.resource_type,
        status=model.status,
        reason=model.reason,
        dialect=lineage.dialect,
        columns=[
            ModelColumn(name=name, traced=name not in untraced, sources=items)
            for name, items in sources.items()
        ],
        dependencies=[
            ColumnDependencyItem(source=d.source, source_column=d.source_column, kind=d.kind)
            for d in model.dependencies
        ],
        unresolved=list(model.unresolved),
    )


def column_graph_payload(
    lineage: ProjectColumnLineage,
    node: str,
    column: str,
    direction: Direction,
    depth: int | None,
) -> ColumnGraph:
    """The lineage graph of one column as nodes (node + column) and edges."""
    start = lineage.column(node, column)
    edges = lineage.trace(start.node, start.column, direction, depth)
    nodes: dict[str, ColumnNode] = {}

    def add(unique_id: str, name: str, distance: int) -> None:
        key = f"{unique_id}.{name}"
        known = nodes.get(key)
        if known is None or distance < known["distance"]:
            state_node = lineage.state.nodes.get(unique_id)
            nodes[key] = ColumnNode(
                id=key,
                node=unique_id,
                column=name,
                name=state_node.name if state_node is not None else unique_id,
                resource_type=state_node.resource_type if state_node is not None else "unknown",
                distance=distance,
            )

    add(start.node, start.column, 0)
    for edge in edges:
        add(edge.source, edge.source_column, edge.distance)
        add(edge.target, edge.target_column, edge.distance)
    # The asked column is distance 0 even when a cycle of renames reaches it again.
    nodes[f"{start.node}.{start.column}"]["distance"] = 0
    return ColumnGraph(
        project=lineage.project,
        node=start.node,
        column=start.column,
        direction=direction,
        depth=depth,
        nodes=sorted(nodes.values(), key=lambda n: (n["distance"], n["node"], n["column"])),
        edges=[
            ColumnGraphEdge(
                source=e.source,
                source_column=e.source_column,
                target=e.target,
                target_column=e.target_column,
                kind=e.kind,
                expression=e.expression,
                distance=e.distance,
            )
            for e in edges
        ],
    )


def impact_payload(lineage: ProjectColumnLineage, node: str, column: str) -> ColumnImpact:
    """Downstream columns, models and exposures of one column."""
    impact = lineage.impact(node, column)
    nodes = lineage.state.nodes

    def name(unique_id: str) -> str:
        found = nodes.get(unique_id)
        return found.name if found is not None else unique_id

    return ColumnImpact(
        project=lineage.project,
        node=impact.node,
        column=impact.column,
        columns=[
            ImpactColumn(node=c.node, column=c.column, distance=c.distance) for c in impact.columns
        ],
        models=[
            ImpactModel(
                unique_id=m.unique_id,
                name=name(m.unique_id),
                resource_type=nodes[m.unique_id].resource_type if m.unique_id in nodes else "",
                distance=m.distance,
                via=m.via,
            )
            for m in impact.models
        ],
        exposures=[ImpactExposure(unique_id=e, name=name(e)) for e in impact.exposures],
    )
