"""The column lineage of a project, and the questions asked of it.

``ProjectColumnLineage`` holds one ``ModelLineage`` per SQL model and snapshot and answers
upstream / downstream traces, impact and coverage. Column names are matched as the user
types them: exactly first, then ignoring case.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest, NodeNotFound

from .errors import ColumnNotFound, NoCompiledCode
from .records import ColumnDependency, ColumnEdge, DependencyKind, EdgeKind, ModelLineage
from .schema import catalog_columns, declared_columns

if TYPE_CHECKING:
    from .engine import ComputeStats
    from .payloads import CoverageReport

Direction = Literal["upstream", "downstream", "both"]
Via = Literal["value", "filter", "join", "group"]
_RESOLVABLE_TYPES = ("model", "seed", "snapshot", "source")


@dataclass(frozen=True, slots=True)
class TraceEdge:
    """One step of a column trace: ``target.target_column`` <- ``source.source_column``.

    ``distance`` counts steps from the traced column (1 for its direct sources or users).
    """

    source: str
    source_column: str
    target: str
    target_column: str
    kind: EdgeKind
    expression: str | None
    distance: int


@dataclass(frozen=True, slots=True)
class ImpactedColumn:
    node: str
    column: str
    distance: int


@dataclass(frozen=True, slots=True)
class ImpactedModel:
    """A node affected by a change of the column: through the value of its columns
    (``via`` value) or because it filters, joins or groups on an affected column."""

    unique_id: str
    distance: int
    via: Via


@dataclass(frozen=True)
class Impact:
    """Everything downstream of one column."""

    node: str
    column: str
    columns: tuple[ImpactedColumn, ...]
    models: tuple[ImpactedModel, ...]
    exposures: tuple[str, ...]


class ColumnTrace:
    """One column of one node, to trace: ``lineage.column("model.shop.orders", "amount")``."""

    def __init__(self, lineage: ProjectColumnLineage, node: str, column: str) -> None:
        self.lineage = lineage
        self.node = node
        self.column = column

    def upstream(self, depth: int | None = None) -> list[TraceEdge]:
        """The edges this column's value comes from, to ``depth`` steps (None: all)."""
        return self.lineage.trace(self.node, self.column, "upstream", depth)

    def downstream(self, depth: int | None = None) -> list[TraceEdge]:
        """The edges carrying this column's value onward, to ``depth`` steps (None: all)."""
        return self.lineage.trace(self.node, self.column, "downstream", depth)

    def impact(self) -> Impact:
        """Downstream columns, models and exposures."""
        return self.lineage.impact(self.node, self.column)

    def __repr__(self) -> str:
        return f"ColumnTrace({self.node!r}, {self.column!r})"


class ProjectColumnLineage:
    """The column lineage of every SQL model and snapshot of one project state."""

    def __init__(
        self,
        state: ProjectState,
        dialect: str | None,
        models: Mapping[str, ModelLineage],
        stats: ComputeStats,
        engine_version: str,
    ) -> None:
        self.state = state
        self.dialect = dialect
        self.models: Mapping[str, ModelLineage] = dict(sorted(models.items()))
        self.stats = stats
        self.engine_version = engine_version
        self._lock = threading.Lock()
        self._by_column: dict[str, dict[str, list[ColumnEdge]]] = {}
        self._downstream: dict[tuple[str, str], list[tuple[str, ColumnEdge]]] | None = None
        self._users: dict[tuple[str, str], list[tuple[str, ColumnDependency]]] | None = None
        # Columns of each node that some edge reads, by lower-case name.
        self._referenced: dict[str, dict[str, str]] = {}

    @property
    def project(self) -> str:
        return self.state.project.id

    # Nodes and columns -----------------------------------------------------------------------

    def resolve_node(self, node: str) -> str:
        """The unique_id of ``node``, given as a unique_id or as a model/seed/source name."""
        if node in self.state.nodes:
            return node
        matches = [
            uid
            for uid, candidate in self.state.nodes.items()
            if candidate.resource_type in _RESOLVABLE_TYPES
            and (candidate.name == node or _source_name(candidate.raw) == node)
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise InvalidRequest(
                f"{node!r} names several nodes ({', '.join(sorted(matches))}); give the unique_id."
            )
        raise NodeNotFound(f"No node {node!r} in project {self.project!r}.")

    def model(self, node: str) -> ModelLineage:
        """The lineage of one model or snapshot (``NodeNotFound`` for anything else)."""
        unique_id = self.resolve_node(node)
        found = self.models.get(unique_id)
        if found is None:
            kind = self.state.nodes[unique_id].resource_type
            raise NodeNotFound(
                f"{unique_id} is a {kind}: only models and snapshots have column lineage "
                "of their own (it can still be the source of a trace)."
            )
        return found

    def edges(self, node: str) -> tuple[ColumnEdge, ...]:
        """Every column edge into the columns of a model."""
        return self.model(node).edges

    def columns_of(self, node: str) -> tuple[str, ...]:
        """The known columns of a node: its traced output, then catalog and YAML columns,
        then any column other models were traced to."""
        unique_id = self.resolve_node(node)
        names: dict[str, str] = {}
        found = self.models.get(unique_id)
        state_node = self.state.nodes[unique_id]
        for group in (
            found.columns if found is not None else (),
            catalog_columns(state_node.catalog) or (),
            declared_columns(state_node.raw) or (),
        ):
            for name in group:
                names.setdefault(name.lower(), name)
        self._downstream_index()
        for key, name in self._referenced.get(unique_id, {}).items():
            names.setdefault(key, name)
        return tuple(names.values())

    def column(self, node: str, column: str) -> ColumnTrace:
        """One column to trace; ``NodeNotFound`` / ``ColumnNotFound`` name what is unknown."""
        unique_id = self.resolve_node(node)
        known = self.columns_of(unique_id)
        if column in known:
            return ColumnTrace(self, unique_id, column)
        folded = {name.lower(): name for name in known}
        if column.lower() in folded:
            return ColumnTrace(self, unique_id, folded[column.lower()])
        if not known:
            model = self.models.get(unique_id)
            why = f" ({model.reason})" if model is not None and model.reason else ""
            raise ColumnNotFound(f"No column of {unique_id} is known{why}.")
        shown = ", ".join(known[:30]) + (" ..." if len(known) > 30 else "")
        raise ColumnNotFound(f"{unique_id} has no column {column!r}. Its columns: {shown}.")

    def require_compiled(self) -> None:
        """Raise ``NoCompiledCode`` when there are models and none of them could be read."""
        if self.models and all(
            m.status == "not_analysed" and m.reason and m.reason.startswith("No compiled code")
            for m in self.models.values()
        ):
            raise NoCompiledCode(
                f"Project {self.project!r} has no compiled SQL: run dbt compile (or dbt build) "
                "so that column lineage can be computed."
            )

    # Traces ---------------------------------------------------------------------------------

    def trace(
        self, node: str, column: str, direction: Direction = "upstream", depth: int | None = None
    ) -> list[TraceEdge]:
        """The edges reached from one column, breadth first, to ``depth`` steps (None: all)."""
        start = self.column(node, column)
        edges: list[TraceEdge] = []
        if direction in ("upstream", "both"):
            edges += self._walk(start.node, start.column, depth, upstream=True)
        if direction in ("downstream", "both"):
            edges += self._walk(start.node, start.column, depth, upstream=False)
        return edges

    def _walk(
        self, node: str, column: str, depth: int | None, *, upstream: bool
    ) -> list[TraceEdge]:
        found: list[TraceEdge] = []
        seen = {(node, column.lower())}
        frontier = deque([(node, column, 1)])
        while frontier:
            current, current_column, distance = frontier.popleft()
            if depth is not None and distance > depth:
                continue
            steps = (
                self._sources(current, current_column)
                if upstream
                else self._users_of(current, current_column)
            )
            for source, source_column, target, target_column, edge in steps:
                found.append(
                    TraceEdge(
                        source,
                        source_column,
                        target,
                        target_column,
                        edge.kind,
                        edge.expression,
                        distance,
                    )
                )
                following = (source, source_column) if upstream else (target, target_column)
                key = (following[0], following[1].lower())
                if key not in seen:
                    seen.add(key)
                    frontier.append((*following, distance + 1))
        return found

    def _sources(self, node: str, column: str) -> list[tuple[str, str, str, str, ColumnEdge]]:
        return [
            (edge.source, edge.source_column, node, edge.column, edge)
            for edge in self._edges_by_column(node).get(column.lower(), ())
        ]

    def _users_of(self, node: str, column: str) -> list[tuple[str, str, str, str, ColumnEdge]]:
        return [
            (node, edge.source_column, target, edge.column, edge)
            for target, edge in self._downstream_index().get((node, column.lower()), ())
        ]

    def _edges_by_column(self, node: str) -> dict[str, list[ColumnEdge]]:
        found = self._by_column.get(node)
        if found is None:
            found = {}
            model = self.models.get(node)
            for edge in model.edges if model is not None else ():
                found.setdefault(edge.column.lower(), []).append(edge)
            self._by_column[node] = found
        return found

    def _downstream_index(self) -> dict[tuple[str, str], list[tuple[str, ColumnEdge]]]:
        if self._downstream is None:
            with self._lock:
                if self._downstream is None:
                    index: dict[tuple[str, str], list[tuple[str, ColumnEdge]]] = {}
                    for unique_id, model in self.models.items():
                        for edge in model.edges:
                            key = (edge.source, edge.source_column.lower())
                            index.setdefault(key, []).append((unique_id, edge))
                            referenced = self._referenced.setdefault(edge.source, {})
                            referenced.setdefault(key[1], edge.source_column)
                    self._downstream = index
        return self._downstream

    def _dependency_index(self) -> dict[tuple[str, str], list[tuple[str, ColumnDependency]]]:
        if self._users is None:
            with self._lock:
                if self._users is None:
                    index: dict[tuple[str, str], list[tuple[str, ColumnDependency]]] = {}
                    for unique_id, model in self.models.items():
                        for dependency in model.dependencies:
                            key = (dependency.source, dependency.source_column.lower())
                            index.setdefault(key, []).append((unique_id, dependency))
                    self._users = index
        return self._users

    # Impact and coverage --------------------------------------------------------------------

    def impact(self, node: str, column: str) -> Impact:
        """Every column the value of ``node.column`` flows into, the models whose values or
        rows it changes (through filters, joins and groupings too), and the exposures on
        them or on the node itself."""
        start = self.column(node, column)
        downstream = self._walk(start.node, start.column, None, upstream=False)
        columns: dict[tuple[str, str], ImpactedColumn] = {}
        models: dict[str, ImpactedModel] = {}
        for edge in downstream:
            key = (edge.target, edge.target_column.lower())
            if key not in columns:
                columns[key] = ImpactedColumn(edge.target, edge.target_column, edge.distance)
            if edge.target not in models:
                models[edge.target] = ImpactedModel(edge.target, edge.distance, "value")
        reached = [(start.node, start.column, 0)] + [
            (c.node, c.column, c.distance) for c in columns.values()
        ]
        dependency_index = self._dependency_index()
        for reached_node, reached_column, distance in reached:
            for user, dependency in dependency_index.get(
                (reached_node, reached_column.lower()), ()
            ):
                kind: DependencyKind = dependency.kind
                if user not in models:
                    models[user] = ImpactedModel(user, distance + 1, kind)
        exposures: dict[str, None] = {}
        for unique_id in (start.node, *models):
            for child in self.state.children.get(unique_id, ()):
                found = self.state.nodes.get(child)
                if found is not None and found.resource_type == "exposure":
                    exposures.setdefault(child, None)
        return Impact(
            node=start.node,
            column=start.column,
            columns=tuple(sorted(columns.values(), key=lambda c: (c.distance, c.node, c.column))),
            models=tuple(sorted(models.values(), key=lambda m: (m.distance, m.unique_id))),
            exposures=tuple(sorted(exposures)),
        )

    def coverage(self) -> CoverageReport:
        """How much of the project could be traced, with every model's status and reason."""
        from .coverage import coverage_report

        return coverage_report(self)


def _source_name(raw: Mapping[str, object]) -> str | None:
    source, name = raw.get("source_name"), raw.get("name")
    return f"{source}.{name}" if isinstance(source, str) and isinstance(name, str) else None
