"""The model-level graph of a project: dbt's node selection, impact analysis, grouping and
the lineage payloads built on them. No Jupyter, no dbt import: it reads the artifacts."""

from __future__ import annotations

from .dag import ProjectGraph, project_graph
from .grouping import group_nodes
from .impact import impact
from .lineage import model_lineage, resolve_node
from .selector_parser import SelectorError
from .selectors import select, select_ids

__all__ = [
    "ProjectGraph",
    "SelectorError",
    "group_nodes",
    "impact",
    "model_lineage",
    "project_graph",
    "resolve_node",
    "select",
    "select_ids",
]
