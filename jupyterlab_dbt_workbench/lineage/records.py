"""The facts column lineage is made of: edges, dependencies and one result per model.

Plain frozen dataclasses of strings and tuples: they cross process boundaries (the worker
pool) and are stored in the cache, so they stay small and free of sqlglot objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

EdgeKind = Literal["passthrough", "rename", "transformation"]
DependencyKind = Literal["filter", "join", "group"]
Status = Literal["ok", "partial", "failed", "not_analysed"]

EDGE_KINDS: tuple[EdgeKind, ...] = ("passthrough", "rename", "transformation")
DEPENDENCY_KINDS: tuple[DependencyKind, ...] = ("filter", "join", "group")
STATUSES: tuple[Status, ...] = ("ok", "partial", "failed", "not_analysed")


@dataclass(frozen=True, slots=True)
class ColumnEdge:
    """``column`` of a model takes its value from ``source_column`` of node ``source``.

    ``expression`` is the SQL of the outermost expression that transforms the value (None for
    passthrough and rename edges).
    """

    column: str
    source: str
    source_column: str
    kind: EdgeKind
    expression: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnDependency:
    """A model reads ``source_column`` of ``source`` to filter, join or group its rows,
    not as the value of an output column."""

    source: str
    source_column: str
    kind: DependencyKind


@dataclass(frozen=True, slots=True)
class ModelLineage:
    """The column lineage of one model or snapshot, and how far it could be traced.

    ``columns`` are its output columns in order, named as the dialect normalizes them;
    ``columns_complete`` is False when a ``select *`` could not be expanded (then children
    cannot rely on the list). ``unresolved`` describes each output column, clause or star
    whose sources could not be traced.
    """

    unique_id: str
    status: Status
    reason: str | None
    columns: tuple[str, ...] = ()
    columns_complete: bool = False
    edges: tuple[ColumnEdge, ...] = ()
    dependencies: tuple[ColumnDependency, ...] = ()
    unresolved: tuple[str, ...] = ()
    unresolved_columns: tuple[str, ...] = ()

    def to_json(self) -> list[Any]:
        """A compact, JSON-ready form (the cache stores it)."""
        return [
            self.unique_id,
            self.status,
            self.reason,
            list(self.columns),
            self.columns_complete,
            [[e.column, e.source, e.source_column, e.kind, e.expression] for e in self.edges],
            [[d.source, d.source_column, d.kind] for d in self.dependencies],
            list(self.unresolved),
            list(self.unresolved_columns),
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> ModelLineage:
        """The inverse of ``to_json``."""
        uid, status, reason, columns, complete, edges, deps, unresolved, unresolved_cols = data
        return cls(
            unique_id=uid,
            status=status,
            reason=reason,
            columns=tuple(columns),
            columns_complete=bool(complete),
            edges=tuple(ColumnEdge(*edge) for edge in edges),
            dependencies=tuple(ColumnDependency(*dep) for dep in deps),
            unresolved=tuple(unresolved),
            unresolved_columns=tuple(unresolved_cols),
        )


@dataclass(frozen=True, slots=True)
class Relation:
    """A node the SQL of a model may read, as the analysis needs to know it.

    ``relation`` is the node's relation name as dbt renders it into compiled SQL; ``cte``
    the name of the CTE dbt inlines for an ephemeral model. ``columns`` None means the
    columns are unknown (``missing`` says why); ``exact`` means the names are the stored
    spelling (catalog, or already normalized), not unquoted names from YAML.
    """

    unique_id: str
    relation: str | None
    cte: str | None
    columns: tuple[str, ...] | None
    exact: bool
    missing: str | None = None


@dataclass(frozen=True, slots=True)
class ModelJob:
    """Everything needed to analyse one model, in a form a worker process can receive."""

    unique_id: str
    sql: str
    dialect: str | None
    relations: tuple[Relation, ...]
