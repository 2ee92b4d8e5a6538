"""Model lineage for the lineage view: a selection (or a focus node and its neighbours) as
nodes and edges, capped, optionally grouped."""

from __future__ import annotations

from collections.abc import Iterable

from jupyterlab_dbt_workbench.artifacts.state import TEST_RESOURCE_TYPES, ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest, NodeNotFound

from .dag import project_graph
from .grouping import check_group_by, group_nodes
from .payloads import GroupEdge, Lineage, LineageGroup, LineageNode
from .selector_parser import INTERNAL_METHOD, Criterion, Intersection, Union
from .selectors import LS_RESOURCE_TYPES, select_ids

DEFAULT_MAX_NODES = 500
MAX_NODES = 20000
# The lineage view shows analyses too; tests only when asked (they are node badges).
_SHOWN_TYPES = (LS_RESOURCE_TYPES | {"analysis"}) - TEST_RESOURCE_TYPES


def resolve_node(state: ProjectState, name_or_id: str) -> str:
    """The unique id of a node given by unique id or by name (models win over other kinds
    of the same name, the latest version over older ones)."""
    if name_or_id in state.nodes:
        return name_or_id
    matches = [
        node
        for node in state.nodes.values()
        if node.name == name_or_id and node.resource_type not in TEST_RESOURCE_TYPES
    ]
    if not matches:
        raise NodeNotFound(
            f"No node named {name_or_id!r} in project {state.project.id!r}; give a unique id "
            "(e.g. model.shop.orders) or the name of a model, seed, snapshot, source or exposure."
        )
    models = [node for node in matches if node.resource_type == "model"]
    if len(models) > 1:
        latest = [
            node for node in models if node.raw.get("version") == node.raw.get("latest_version")
        ]
        models = latest or models
    chosen = models or matches
    if len(chosen) > 1:
        raise InvalidRequest(
            f"Several nodes are named {name_or_id!r}: "
            f"{', '.join(sorted(node.unique_id for node in chosen))}. Give the unique id."
        )
    return chosen[0].unique_id


def _focus_selection(state: ProjectState, unique_id: str, depth: int) -> Union:
    criterion = Criterion(
        raw=f"{depth}+{state.nodes[unique_id].name}+{depth}",
        method=INTERNAL_METHOD,
        arguments=(),
        value=unique_id,
        parents=True,
        parents_depth=depth,
        children=True,
        children_depth=depth,
    )
    return Union(raw=criterion.raw, parts=(Intersection(raw=criterion.raw, parts=(criterion,)),))


def model_lineage(
    state: ProjectState,
    *,
    select: str | None = None,
    focus: str | None = None,
    exclude: str | None = None,
    depth: int | None = None,
    group_by: str | None = None,
    max_nodes: int = DEFAULT_MAX_NODES,
    include_tests: bool = False,
    baseline: ProjectState | None = None,
) -> Lineage:
    """The lineage of a selection: its nodes (at most ``max_nodes``), the edges between
    them, and their groups when ``group_by`` is given.

    ``select`` is a dbt selector; without it, ``focus`` (a unique id or a name) selects
    ``n+focus+n`` with n = ``depth`` (default 1). ``depth`` also caps every ``+`` and ``@``
    of ``select``. Nodes are kept nearest to the focus first (otherwise models, seeds,
    snapshots, sources... in listing order); ``truncated`` says that some were left out.
    """
    if select is None and focus is None:
        raise InvalidRequest("Give a selector (`select`) or a node to focus on (`focus`).")
    if depth is not None and depth < 0:
        raise InvalidRequest(f"'depth' must be 0 or more, not {depth}.")
    if not 1 <= max_nodes <= MAX_NODES:
        raise InvalidRequest(f"'max_nodes' must be between 1 and {MAX_NODES}, not {max_nodes}.")
    grouping = check_group_by(group_by) if group_by else None
    focus_id = resolve_node(state, focus) if focus is not None else None
    include = None
    shown_select = select or ""
    if select is None and focus_id is not None:
        include = _focus_selection(state, focus_id, 1 if depth is None else depth)
        shown_select = include.raw
    kinds = _SHOWN_TYPES | TEST_RESOURCE_TYPES if include_tests else _SHOWN_TYPES
    selected = select_ids(
        state,
        select,
        exclude,
        baseline=baseline,
        resource_types=kinds,
        max_depth=depth,
        include=include,
    )

    graph = project_graph(state)
    distance: dict[str, int] = {}
    if focus_id is not None:
        distance = {node: -steps for node, steps in graph.ancestors([focus_id]).items()}
        distance.update(graph.descendants([focus_id]))
        distance[focus_id] = 0
    position = {unique_id: index for index, unique_id in enumerate(state.order)}
    far = len(position) + 1
    ordered = sorted(
        selected,
        key=lambda uid: (abs(distance.get(uid, far)), position.get(uid, far), uid),
    )
    kept = ordered[:max_nodes]
    kept_set = set(kept)
    nodes = state.nodes
    succ = graph.graph.succ
    pred = graph.graph.pred

    def shown(neighbours: Iterable[str]) -> int:
        return sum(1 for uid in neighbours if nodes[uid].resource_type in kinds)

    payload_nodes = [
        LineageNode(
            unique_id=uid,
            name=nodes[uid].name,
            resource_type=nodes[uid].resource_type,
            folder=nodes[uid].folder,
            schema=nodes[uid].schema,
            package=nodes[uid].package_name,
            tags=list(nodes[uid].tags),
            materialized=nodes[uid].materialized,
            status=nodes[uid].status,
            test_status=nodes[uid].test_status,
            distance=distance.get(uid),
            parent_count=shown(pred[uid]),
            child_count=shown(succ[uid]),
        )
        for uid in kept
    ]
    edges = [[uid, child] for uid in kept for child in succ[uid] if child in kept_set]
    groups: list[LineageGroup] = []
    group_edges: list[GroupEdge] = []
    if grouping is not None:
        groups, group_edges = group_nodes(state, kept, grouping)
    return Lineage(
        project=state.project.id,
        select=shown_select,
        exclude=exclude,
        focus=focus_id,
        group_by=grouping,
        nodes=payload_nodes,
        edges=edges,
        groups=groups,
        group_edges=group_edges,
        total=len(selected),
        truncated=len(selected) > len(kept),
    )
