"""Impact analysis: everything downstream of some nodes, with distances and exposures."""

from __future__ import annotations

from collections.abc import Iterable

from jupyterlab_dbt_workbench.artifacts.state import TEST_RESOURCE_TYPES, ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest, NodeNotFound

from .dag import project_graph
from .payloads import Impact, ImpactNode


def impact(
    state: ProjectState, unique_ids: Iterable[str], *, include_tests: bool = False
) -> Impact:
    """The nodes downstream of ``unique_ids`` (not the nodes themselves), each with its
    fewest steps from any of them, nearest first; and the exposures among them.

    Tests are left out unless ``include_tests``. Unknown ids raise ``NodeNotFound``.
    """
    starts = list(dict.fromkeys(unique_ids))
    if not starts:
        raise InvalidRequest("Say which nodes to start from (one or more unique ids).")
    unknown = [unique_id for unique_id in starts if unique_id not in state.nodes]
    if unknown:
        raise NodeNotFound(
            f"No node {', '.join(repr(u) for u in unknown)} in project {state.project.id!r}."
        )
    distances = project_graph(state).descendants(starts)
    nodes = state.nodes
    found: list[ImpactNode] = []
    for unique_id, distance in distances.items():
        if unique_id in starts:
            continue
        node = nodes[unique_id]
        if not include_tests and node.resource_type in TEST_RESOURCE_TYPES:
            continue
        found.append(
            ImpactNode(
                unique_id=unique_id,
                name=node.name,
                resource_type=node.resource_type,
                distance=distance,
            )
        )
    found.sort(key=lambda item: (item["distance"], item["unique_id"]))
    return Impact(
        project=state.project.id,
        sources=starts,
        nodes=found,
        exposures=[item for item in found if item["resource_type"] == "exposure"],
        total=len(found),
    )
