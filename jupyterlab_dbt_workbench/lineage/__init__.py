"""Column-level lineage computed from compiled SQL with sqlglot, cached per model.

``compute_lineage(state, cache)`` gives a ``ProjectColumnLineage``; ask it
``.column(node, column).upstream()``, ``.downstream()``, ``.impact(node, column)``,
``.edges(node)`` or ``.coverage()``.
"""

from __future__ import annotations

from .cache import LineageCache
from .engine import ComputeStats, LineageSlot, compute_lineage, engine_version
from .errors import ColumnNotFound, NoCompiledCode
from .project import ColumnTrace, Impact, ProjectColumnLineage, TraceEdge
from .records import ColumnDependency, ColumnEdge, ModelLineage

__all__ = [
    "ColumnDependency",
    "ColumnEdge",
    "ColumnNotFound",
    "ColumnTrace",
    "ComputeStats",
    "Impact",
    "LineageCache",
    "LineageSlot",
    "ModelLineage",
    "NoCompiledCode",
    "ProjectColumnLineage",
    "TraceEdge",
    "compute_lineage",
    "engine_version",
]
