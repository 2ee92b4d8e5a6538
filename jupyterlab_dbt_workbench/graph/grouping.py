"""Grouping a set of nodes by folder, schema, package, tag or resource type, with the edges
between groups counted (the overview of a large lineage)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import get_args

from jupyterlab_dbt_workbench.artifacts.state import Node, ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest

from .dag import project_graph
from .payloads import GroupBy, GroupEdge, LineageGroup

GROUP_BY: tuple[str, ...] = get_args(GroupBy)

_NO_VALUE = {
    "folder": "(project folder)",
    "schema": "(no schema)",
    "package": "(no package)",
    "tag": "(no tag)",
    "resource_type": "(unknown)",
}

_KEYS: dict[str, Callable[[Node], tuple[str, ...]]] = {
    "folder": lambda node: (node.folder,),
    "schema": lambda node: (node.schema or "",),
    "package": lambda node: (node.package_name,),
    # A node with several tags belongs to each of their groups.
    "tag": lambda node: node.tags or ("",),
    "resource_type": lambda node: (node.resource_type,),
}


def check_group_by(group_by: str) -> GroupBy:
    """``group_by`` if it is a grouping we know, else ``InvalidRequest``."""
    if group_by not in GROUP_BY:
        raise InvalidRequest(f"Cannot group by {group_by!r}: use one of {', '.join(GROUP_BY)}.")
    return group_by  # type: ignore[return-value]


def group_nodes(
    state: ProjectState, unique_ids: Collection[str], group_by: str
) -> tuple[list[LineageGroup], list[GroupEdge]]:
    """The groups of ``unique_ids`` (largest first) and the counted edges between groups.

    Group keys are the folder, schema, package, tag or resource type ("" when a node has
    none). With ``tag``, a node with several tags is in several groups and its edges count
    once per pair of groups.
    """
    key_of = _KEYS[check_group_by(group_by)]
    nodes = state.nodes
    members: dict[str, list[str]] = {}
    keys_of: dict[str, tuple[str, ...]] = {}
    for unique_id in unique_ids:
        keys = key_of(nodes[unique_id])
        keys_of[unique_id] = keys
        for key in keys:
            members.setdefault(key, []).append(unique_id)
    counts: dict[tuple[str, str], int] = {}
    graph = project_graph(state).graph
    for unique_id, from_keys in keys_of.items():
        for child in graph.succ[unique_id]:
            to_keys = keys_of.get(child)
            if to_keys is None:
                continue
            for from_key in from_keys:
                for to_key in to_keys:
                    if from_key != to_key:
                        counts[(from_key, to_key)] = counts.get((from_key, to_key), 0) + 1
    groups = [
        LineageGroup(
            key=key,
            label=key or _NO_VALUE[group_by],
            count=len(ids),
            nodes=sorted(ids),
        )
        for key, ids in members.items()
    ]
    groups.sort(key=lambda group: (-group["count"], group["key"]))
    edges = [
        GroupEdge({"from": source, "to": target, "count": count})
        for (source, target), count in sorted(counts.items())
    ]
    return groups, edges
