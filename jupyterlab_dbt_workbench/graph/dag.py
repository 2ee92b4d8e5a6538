"""The project graph: every node of the manifest in a networkx DiGraph, with the indexes the
selector methods need.

Built once per ``ProjectState`` (``project_graph(state)``) and shared by every reader. The
edges are the manifest's ``depends_on`` edges, the same graph ``dbt ls`` selects on: dbt adds
its test-ordering edges only for ``dbt build``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from jupyterlab_dbt_workbench.artifacts.state import TEST_RESOURCE_TYPES, ProjectState
from jupyterlab_dbt_workbench.collector import collector_paused

if TYPE_CHECKING:
    import networkx as nx

GRAPH_KEY = "graph.dag"

_EMPTY: Mapping[str, Any] = MappingProxyType({})


class Member(NamedTuple):
    """What the selector methods read of one graph node, taken from its manifest entry."""

    unique_id: str
    resource_type: str
    name: str
    package: str
    fqn: tuple[str, ...]
    is_versioned: bool
    path: str
    patch_path: str | None
    tags: tuple[str, ...]
    config: Mapping[str, Any]
    source_name: str | None
    # "generic", "singular" or "unit" for tests, None otherwise.
    test_kind: str | None
    # The generic test's macro name (``unique``, ``accepted_values``), a unit test's name.
    test_name: str | None
    # The dotted fqn split at every dot, with and without the package: what fqn selectors
    # compare part by part.
    flat: tuple[str, ...]
    flat_unscoped: tuple[str, ...]
    # The same, joined with dots: what fqn wildcards are matched against.
    dotted: str
    dotted_unscoped: str


@dataclass(frozen=True, eq=False)
class ProjectGraph:
    """The DAG of one project state and its lookup indexes. Read-only."""

    graph: nx.DiGraph
    members: Mapping[str, Member]
    project_name: str | None
    # The indexes below are plain dicts and lists for speed: treat them as read-only.
    # unique_id -> tests (data and unit) that read it: dbt's indirect test selection.
    tests_of: Mapping[str, Sequence[str]]
    # Index for name selectors: the fqn leaf (and, for versioned models, the model name and
    # ``name_vN``) -> ids.
    by_leaf: Mapping[str, Sequence[str]]
    # Index for dotted fqn prefixes: first flat part (scoped or unscoped) -> ids.
    by_head: Mapping[str, Sequence[str]]
    by_tag: Mapping[str, Sequence[str]]
    by_package: Mapping[str, Sequence[str]]
    by_type: Mapping[str, Sequence[str]]
    # Tests by generic test (macro) name or unit test name, and by kind (generic, singular,
    # unit).
    by_test_name: Mapping[str, Sequence[str]]
    by_test_kind: Mapping[str, Sequence[str]]
    # File name and file stem -> ids (the ``file:`` method).
    by_file: Mapping[str, Sequence[str]]
    # original_file_path -> ids, YAML patch file -> ids (the ``path:`` method).
    by_source_file: Mapping[str, Sequence[str]]
    by_patch_file: Mapping[str, Sequence[str]]
    # Every file and folder a ``path:`` selector can name, and which of them are folders.
    path_keys: frozenset[str]
    folders: frozenset[str]
    # Every member but sources, which name and wildcard selectors never match.
    non_sources: tuple[Member, ...]
    # Every unique id, sorted (``dbt ls`` lists its selection sorted).
    sorted_ids: tuple[str, ...]
    # Indexes built on first use (config values per key path), by key.
    lazy: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    def parents(self, unique_id: str) -> Iterable[str]:
        """The direct parents of a node."""
        return self.graph.pred[unique_id]

    def children(self, unique_id: str) -> Iterable[str]:
        """The direct children of a node."""
        return self.graph.succ[unique_id]

    def ancestors(self, seeds: Iterable[str], depth: int | None = None) -> dict[str, int]:
        """Every node upstream of ``seeds`` within ``depth`` steps, with its distance.

        Seeds are included only when they are upstream of another seed.
        """
        return _layers(self.graph.pred, seeds, depth)

    def descendants(self, seeds: Iterable[str], depth: int | None = None) -> dict[str, int]:
        """Every node downstream of ``seeds`` within ``depth`` steps, with its distance.

        Seeds are included only when they are downstream of another seed.
        """
        return _layers(self.graph.succ, seeds, depth)


def _layers(adjacency: Any, seeds: Iterable[str], depth: int | None) -> dict[str, int]:
    """Breadth-first walk from all ``seeds`` at once: node -> fewest steps from any seed."""
    found: dict[str, int] = {}
    frontier = [seed for seed in seeds if seed in adjacency]
    distance = 0
    while frontier and (depth is None or distance < depth):
        distance += 1
        following: list[str] = []
        for node in frontier:
            for neighbour in adjacency[node]:
                if neighbour not in found:
                    found[neighbour] = distance
                    following.append(neighbour)
        frontier = following
    return found


def _member(
    unique_id: str, raw: Mapping[str, Any], resource_type: str, tags: tuple[str, ...]
) -> Member:
    get = raw.get
    fqn_value = get("fqn")
    fqn = tuple(fqn_value) if type(fqn_value) is list and fqn_value else (unique_id,)
    config = get("config")
    if type(config) is not dict:
        config = _EMPTY
    patch = get("patch_path")
    patch_path = patch.split("://", 1)[1] if type(patch) is str and "://" in patch else None
    test_kind = test_name = None
    if resource_type == "unit_test":
        test_kind, test_name = "unit", get("name")
    elif resource_type == "test":
        metadata = get("test_metadata")
        if type(metadata) is dict:
            test_kind, test_name = "generic", metadata.get("name")
        else:
            test_kind = "singular"
    source_name = get("source_name")
    # Dots inside fqn parts (versions like "v1.5", dotted model names) split too.
    dotted = ".".join(fqn)
    dotted_unscoped = ".".join(fqn[1:])
    name = get("name")
    package = get("package_name")
    path = get("original_file_path")
    return Member(
        unique_id,
        resource_type,
        name if type(name) is str else unique_id,
        package if type(package) is str else "",
        fqn,
        resource_type == "model" and get("version") is not None,
        path if type(path) is str else "",
        patch_path,
        tags,
        config,
        source_name if type(source_name) is str else None,
        test_kind,
        test_name if type(test_name) is str else None,
        tuple(dotted.split(".")),
        tuple(dotted_unscoped.split(".")) if dotted_unscoped else (),
        dotted,
        dotted_unscoped,
    )


def _folders(path: str) -> Iterable[str]:
    """The folders holding ``path`` (``a/b/c.sql``: ``a/b``, ``a``)."""
    while "/" in path:
        path = path.rpartition("/")[0]
        yield path


def build_project_graph(state: ProjectState) -> ProjectGraph:
    """Build the graph and indexes of ``state`` (use ``project_graph`` to share them)."""
    with collector_paused():
        return _build(state)


def _build(state: ProjectState) -> ProjectGraph:
    import networkx as nx

    members: dict[str, Member] = {}
    by_leaf: dict[str, list[str]] = defaultdict(list)
    by_head: dict[str, list[str]] = defaultdict(list)
    by_tag: dict[str, list[str]] = defaultdict(list)
    by_package: dict[str, list[str]] = defaultdict(list)
    by_type: dict[str, list[str]] = defaultdict(list)
    by_test_name: dict[str, list[str]] = defaultdict(list)
    by_test_kind: dict[str, list[str]] = defaultdict(list)
    by_source_file: dict[str, list[str]] = defaultdict(list)
    by_patch_file: dict[str, list[str]] = defaultdict(list)
    # The hot loop of the build (one pass per node, tests included): inline appends.
    for unique_id, node in state.nodes.items():
        member = _member(unique_id, node.raw, node.resource_type, node.tags)
        members[unique_id] = member
        fqn = member.fqn
        if member.is_versioned and len(fqn) >= 2:
            by_leaf[fqn[-2]].append(unique_id)
            by_leaf[f"{fqn[-2]}_{fqn[-1]}"].append(unique_id)
        by_leaf[fqn[-1]].append(unique_id)
        by_head[member.flat[0]].append(unique_id)
        if member.flat_unscoped:
            by_head[member.flat_unscoped[0]].append(unique_id)
        for tag in member.tags:
            by_tag[tag].append(unique_id)
        by_package[member.package].append(unique_id)
        by_type[member.resource_type].append(unique_id)
        if member.test_kind is not None:
            by_test_kind[member.test_kind].append(unique_id)
            if member.test_name is not None and member.test_kind != "singular":
                by_test_name[member.test_name].append(unique_id)
        by_source_file[member.path].append(unique_id)
        if member.patch_path:
            by_patch_file[member.patch_path].append(unique_id)

    # File names, stems and folders once per distinct file (tests share their YAML file).
    by_file: dict[str, list[str]] = defaultdict(list)
    folders: set[str] = set()
    for path, ids in by_source_file.items():
        file_name = path.rpartition("/")[2]
        by_file[file_name].extend(ids)
        stem = file_name.rpartition(".")[0]
        if stem:
            by_file[stem].extend(ids)
        folders.update(_folders(path))
    folders.update(folder for path in by_patch_file for folder in _folders(path))

    graph = nx.DiGraph()
    graph.add_nodes_from(members)
    tests_of: dict[str, list[str]] = defaultdict(list)
    edges = []
    for unique_id, parents in state.parents.items():
        child = members.get(unique_id)
        if child is None:
            continue
        is_test = child.resource_type in TEST_RESOURCE_TYPES
        for parent in parents:
            if parent in members:
                edges.append((parent, unique_id))
                if is_test:
                    tests_of[parent].append(unique_id)
    graph.add_edges_from(edges)
    return ProjectGraph(
        graph=graph,
        members=members,
        project_name=state.metadata.project_name,
        tests_of=dict(tests_of),
        by_leaf=dict(by_leaf),
        by_head=dict(by_head),
        by_tag=dict(by_tag),
        by_package=dict(by_package),
        by_type=dict(by_type),
        by_test_name=dict(by_test_name),
        by_test_kind=dict(by_test_kind),
        by_file=dict(by_file),
        by_source_file=dict(by_source_file),
        by_patch_file=dict(by_patch_file),
        path_keys=frozenset(folders.union(by_source_file, by_patch_file)),
        folders=frozenset(folders),
        non_sources=tuple(m for m in members.values() if m.resource_type != "source"),
        sorted_ids=tuple(sorted(members)),
    )


def project_graph(state: ProjectState) -> ProjectGraph:
    """The graph of ``state``, built on first use and shared for the state's lifetime."""
    return state.derived(GRAPH_KEY, build_project_graph)
