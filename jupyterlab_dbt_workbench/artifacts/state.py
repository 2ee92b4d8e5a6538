"""The immutable state of one project, built in one pass from its loaded artifacts.

Readers hold a ``ProjectState`` reference and never see it change: a reload builds a new one
and swaps the reference. The parsed artifact dicts are shared, not copied, so nothing here (or
downstream) may mutate them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar

from jupyterlab_dbt_workbench.collector import collector_paused
from jupyterlab_dbt_workbench.payloads import TestOutcome, TestType
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

from .loader import LoadedArtifact

T = TypeVar("T")

# Manifest sections holding graph members we show. ``functions`` appears with dbt 1.11.
NODE_SECTIONS: tuple[str, ...] = (
    "nodes",
    "sources",
    "exposures",
    "metrics",
    "semantic_models",
    "saved_queries",
    "unit_tests",
    "functions",
)
TEST_RESOURCE_TYPES = frozenset({"test", "unit_test"})
# Hooks (on-run-start/-end) are nodes in older manifests but nothing a user browses.
_HIDDEN_RESOURCE_TYPES = frozenset({"operation", "sql_operation"})
# Listings show what users look for first; unknown kinds go before the tests.
_LISTING_ORDER: Mapping[str, int] = {
    "model": 0,
    "seed": 1,
    "snapshot": 2,
    "source": 3,
    "analysis": 4,
    "exposure": 5,
    "metric": 6,
    "semantic_model": 7,
    "saved_query": 8,
    "test": 10,
    "unit_test": 11,
}

# Run result statuses that are test outcomes. A test "success" comes from `dbt compile` or
# `dbt docs generate`, which compile tests without running them, so it says nothing.
_OUTCOMES: Mapping[str, TestOutcome] = {
    "pass": "pass",
    "warn": "warn",
    "fail": "fail",
    "error": "error",
    "runtime error": "error",
    "skipped": "skipped",
}
# Worst wins. A skipped test proved nothing, so it outranks a pass.
_OUTCOME_RANK: Mapping[str, int] = {"pass": 0, "skipped": 1, "warn": 2, "fail": 3, "error": 4}

_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True, slots=True)
class RunResult:
    """The latest result of one node in run_results.json."""

    unique_id: str
    status: str
    message: str | None
    execution_time: float | None
    completed_at: str | None
    failures: int | None
    invocation_id: str | None


@dataclass(frozen=True, slots=True)
class Freshness:
    """The latest freshness check of one source (sources.json)."""

    status: str
    max_loaded_at: str | None
    snapshotted_at: str | None
    age_seconds: float | None
    warn_after: str | None
    error_after: str | None


@dataclass(frozen=True, slots=True)
class TestInfo:
    """A data test or unit test with its latest outcome."""

    unique_id: str
    name: str
    test_type: TestType
    test_name: str | None
    column_name: str | None
    severity: str | None
    outcome: TestOutcome | None
    result: RunResult | None


@dataclass(frozen=True, slots=True)
class Column:
    """A column as the catalog and the YAML describe it together."""

    name: str
    description: str
    data_type: str | None
    declared_type: str | None
    index: int | None
    tags: tuple[str, ...]
    meta: Mapping[str, Any]
    tests: tuple[str, ...]


class Node(NamedTuple):
    """One member of the dbt graph (model, source, test, exposure, metric...).

    A named tuple rather than a frozen dataclass: a large project builds 30,000 of them on
    every reload, and a tuple is built in half the time.
    """

    unique_id: str
    name: str
    resource_type: str
    package_name: str
    original_file_path: str
    folder: str
    database: str | None
    schema: str | None
    materialized: str | None
    tags: tuple[str, ...]
    description: str
    status: str | None
    test_status: TestOutcome | None
    tests: tuple[str, ...]
    raw: Mapping[str, Any]
    catalog: Mapping[str, Any] | None
    search_text: str


@dataclass(frozen=True, slots=True)
class StateMetadata:
    """What the manifest says about the dbt invocation that wrote it."""

    dbt_version: str | None
    adapter_type: str | None
    project_name: str | None
    generated_at: str | None
    invocation_id: str | None
    schema_version: int


@dataclass(frozen=True)
class ProjectState:
    """Everything the workbench knows of one project's artifacts at one moment."""

    project: ProjectInfo
    loaded_at: str
    metadata: StateMetadata
    artifacts: Mapping[str, LoadedArtifact]
    nodes: Mapping[str, Node]
    order: tuple[str, ...]
    parents: Mapping[str, tuple[str, ...]]
    children: Mapping[str, tuple[str, ...]]
    counts: Mapping[str, int]
    tests: Mapping[str, TestInfo]
    column_tests: Mapping[str, Mapping[str, tuple[str, ...]]]
    run_results: Mapping[str, RunResult]
    freshness: Mapping[str, Freshness]
    # Structures derived from this state on first use (the graph, the search index...).
    _derived: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    _derived_locks: dict[str, threading.Lock] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    _derived_guard: threading.Lock = field(
        default_factory=threading.Lock, init=False, repr=False, compare=False
    )

    def derived(self, key: str, factory: Callable[[ProjectState], T]) -> T:
        """``factory(self)``, computed once per state and shared by every reader.

        The state is immutable, so anything computed from it stays valid for its lifetime;
        a reload builds a new state with an empty cache. Concurrent first calls for one key
        compute once; each key has its own lock, so a slow structure (column lineage) never
        holds up a fast one (the graph).
        """
        try:
            return self._derived[key]
        except KeyError:
            pass
        with self._derived_guard:
            lock = self._derived_locks.setdefault(key, threading.Lock())
        with lock:
            if key not in self._derived:
                self._derived[key] = factory(self)
            return self._derived[key]

    def columns(self, unique_id: str) -> tuple[Column, ...]:
        """The columns of a node: the catalog's in catalog order, then the declared ones.

        Merged on demand: a large project has 100,000 columns and a reader wants a few.
        """
        node = self.nodes.get(unique_id)
        if node is None:
            return ()
        catalog_columns = _mapping(node.catalog.get("columns")) if node.catalog else _EMPTY
        return _columns(
            _mapping(node.raw.get("columns")),
            catalog_columns,
            self.column_tests.get(unique_id, _EMPTY),
        )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else _EMPTY


def _strings(value: Any) -> tuple[str, ...]:
    # dbt writes lists of strings here; checking every item would double the build time.
    return tuple(value) if isinstance(value, list) else ()


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _completed_at(timing: Any) -> str | None:
    if not isinstance(timing, list) or not timing:
        return None
    for entry in timing:
        if isinstance(entry, dict) and entry.get("name") == "execute":
            return _text(entry.get("completed_at"))
    last = timing[-1]
    return _text(last.get("completed_at")) if isinstance(last, dict) else None


def _run_results(artifact: LoadedArtifact | None) -> dict[str, RunResult]:
    if artifact is None:
        return {}
    invocation_id = artifact.metadata.invocation_id
    results: dict[str, RunResult] = {}
    entries = artifact.data.get("results")
    for entry in entries if isinstance(entries, list) else ():
        unique_id = _text(entry.get("unique_id")) if isinstance(entry, dict) else None
        status = entry.get("status") if unique_id else None
        if unique_id is None or not isinstance(status, str):
            continue
        failures = entry.get("failures")
        results[unique_id] = RunResult(
            unique_id=unique_id,
            status=status,
            message=_text(entry.get("message")),
            execution_time=_number(entry.get("execution_time")),
            completed_at=_completed_at(entry.get("timing")),
            failures=failures if isinstance(failures, int) else None,
            invocation_id=invocation_id,
        )
    return results


def _threshold(criteria: Mapping[str, Any], key: str) -> str | None:
    rule = _mapping(criteria.get(key))
    count, period = rule.get("count"), rule.get("period")
    return f"{count} {period}" if count and isinstance(period, str) else None


def _freshness(artifact: LoadedArtifact | None) -> dict[str, Freshness]:
    if artifact is None:
        return {}
    found: dict[str, Freshness] = {}
    entries = artifact.data.get("results")
    for entry in entries if isinstance(entries, list) else ():
        unique_id = _text(entry.get("unique_id")) if isinstance(entry, dict) else None
        status = entry.get("status") if unique_id else None
        if unique_id is None or not isinstance(status, str):
            continue
        criteria = _mapping(entry.get("criteria"))
        found[unique_id] = Freshness(
            status=status,
            max_loaded_at=_text(entry.get("max_loaded_at")),
            snapshotted_at=_text(entry.get("snapshotted_at")),
            age_seconds=_number(entry.get("max_loaded_at_time_ago_in_s")),
            warn_after=_threshold(criteria, "warn_after"),
            error_after=_threshold(criteria, "error_after"),
        )
    return found


def _test_targets(raw: Mapping[str, Any]) -> tuple[str, ...]:
    attached = raw.get("attached_node")
    if isinstance(attached, str):
        return (attached,)
    # Singular tests and unit tests belong to every node they read.
    return _strings(_mapping(raw.get("depends_on")).get("nodes"))


def _test_info(unique_id: str, raw: Mapping[str, Any], result: RunResult | None) -> TestInfo:
    metadata = raw.get("test_metadata")
    test_type: TestType
    test_name = None
    if raw.get("resource_type") == "unit_test":
        test_type = "unit"
    elif isinstance(metadata, dict):
        test_type = "generic"
        test_name = _text(metadata.get("name"))
        namespace = _text(metadata.get("namespace"))
        if test_name and namespace:
            test_name = f"{namespace}.{test_name}"
    else:
        test_type = "singular"
    severity = _text(_mapping(raw.get("config")).get("severity"))
    outcome = _OUTCOMES.get(result.status) if result is not None else None
    return TestInfo(
        unique_id=unique_id,
        name=_text(raw.get("name")) or unique_id,
        test_type=test_type,
        test_name=test_name,
        column_name=_text(raw.get("column_name")) if test_type == "generic" else None,
        severity=severity.lower() if severity else None,
        outcome=outcome,
        result=result,
    )


def _worst(tests: Iterable[TestInfo]) -> TestOutcome | None:
    worst: TestOutcome | None = None
    for test in tests:
        outcome = test.outcome
        if outcome is not None and (worst is None or _OUTCOME_RANK[outcome] > _OUTCOME_RANK[worst]):
            worst = outcome
    return worst


def _position(index: Any) -> int:
    return index if isinstance(index, int) else 0


def _columns(
    declared: Mapping[str, Any],
    catalog_columns: Mapping[str, Any],
    column_tests: Mapping[str, tuple[str, ...]],
) -> tuple[Column, ...]:
    # Warehouses disagree on case (Snowflake upper-cases), so columns meet by lower-case name;
    # the YAML spelling wins because it is the one the user wrote.
    declared_by_key = {name.lower(): _mapping(spec) for name, spec in declared.items()}
    ordered: list[tuple[str, Mapping[str, Any], Mapping[str, Any] | None]] = []
    seen: set[str] = set()
    in_catalog = sorted(
        (_mapping(spec) for spec in catalog_columns.values()),
        key=lambda spec: _position(spec.get("index")),
    )
    for spec in in_catalog:
        name = _text(spec.get("name"))
        if name is None:
            continue
        key = name.lower()
        seen.add(key)
        ordered.append((name, declared_by_key.get(key, _EMPTY), spec))
    for name in declared:
        if name.lower() not in seen:
            ordered.append((name, declared_by_key[name.lower()], None))

    columns = []
    for name, spec, catalog_spec in ordered:
        declared_type = _text(spec.get("data_type"))
        catalog_type = _text(catalog_spec.get("type")) if catalog_spec else None
        index = catalog_spec.get("index") if catalog_spec else None
        columns.append(
            Column(
                name=_text(spec.get("name")) or name,
                description=_text(spec.get("description")) or "",
                data_type=catalog_type or declared_type,
                declared_type=declared_type,
                index=index if isinstance(index, int) else None,
                # dbt 1.10 moved column tags and meta under config.
                tags=_strings(spec.get("tags"))
                or _strings(_mapping(spec.get("config")).get("tags")),
                meta=_mapping(spec.get("meta"))
                or _mapping(_mapping(spec.get("config")).get("meta")),
                tests=column_tests.get(name.lower(), ()),
            )
        )
    return tuple(columns)


def _graph(
    manifest: Mapping[str, Any], raw_nodes: Mapping[str, Mapping[str, Any]]
) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    parent_map, child_map = manifest.get("parent_map"), manifest.get("child_map")
    if isinstance(parent_map, dict) and isinstance(child_map, dict):
        parents = {key: tuple(value) for key, value in parent_map.items()}
        children = {key: tuple(value) for key, value in child_map.items()}
        return parents, children
    # `dbt compile` with some flags writes no maps: rebuild them from depends_on.
    parents = {
        unique_id: _strings(_mapping(raw.get("depends_on")).get("nodes"))
        for unique_id, raw in raw_nodes.items()
    }
    inverted: dict[str, list[str]] = {unique_id: [] for unique_id in raw_nodes}
    for unique_id, node_parents in parents.items():
        for parent in node_parents:
            inverted.setdefault(parent, []).append(unique_id)
    return parents, {key: tuple(value) for key, value in inverted.items()}


# Commands whose run_results.json says what was compiled or listed, not what ran: their
# "success" must not hide the outcome of the last real run of a node.
_NON_EXECUTING_COMMANDS = frozenset({"compile", "generate", "docs", "show", "list", "ls", "parse"})


def build_state(
    project: ProjectInfo,
    artifacts: Mapping[str, LoadedArtifact],
    loaded_at: str,
    previous: ProjectState | None = None,
) -> ProjectState:
    """Build the state of a project from its loaded artifacts (``manifest`` is required).

    ``previous`` is the state this one replaces. dbt rewrites run_results.json with only the
    nodes of its last invocation, and a manifest written by `source freshness` or a
    selective run lacks compiled SQL for the other nodes; so a node keeps its latest result
    and its compiled SQL (while its code is unchanged) from ``previous`` when the new
    artifacts say nothing of it.
    """
    with collector_paused():
        return _build_state(project, artifacts, loaded_at, previous)


def _merged_results(
    artifact: LoadedArtifact | None,
    previous: ProjectState | None,
    known: Mapping[str, Any],
) -> dict[str, RunResult]:
    fresh = _run_results(artifact)
    if previous is None or not previous.run_results:
        return fresh
    which = _mapping(artifact.data.get("args")).get("which") if artifact is not None else None
    # A carried result goes with its node when the node leaves the project.
    merged = {uid: result for uid, result in previous.run_results.items() if uid in known}
    if which in _NON_EXECUTING_COMMANDS:
        # Only fills the gaps: a compile never replaces the result of a real run.
        for unique_id, result in fresh.items():
            merged.setdefault(unique_id, result)
    else:
        merged.update(fresh)
    return merged


def _with_previous_compiled_code(
    raw_nodes: dict[str, Mapping[str, Any]], previous: ProjectState | None
) -> None:
    if previous is None:
        return
    before = previous.nodes
    for unique_id, raw in raw_nodes.items():
        if raw.get("compiled_code") or "raw_code" not in raw:
            continue
        old = before.get(unique_id)
        code = old.raw.get("compiled_code") if old is not None else None
        if code and _mapping(old.raw.get("checksum")) == _mapping(raw.get("checksum")):  # type: ignore[union-attr]
            raw_nodes[unique_id] = {**raw, "compiled_code": code}


def _build_state(
    project: ProjectInfo,
    artifacts: Mapping[str, LoadedArtifact],
    loaded_at: str,
    previous: ProjectState | None,
) -> ProjectState:
    manifest_artifact = artifacts["manifest"]
    manifest = manifest_artifact.data
    raw_nodes: dict[str, Mapping[str, Any]] = {}
    for section in NODE_SECTIONS:
        raw_nodes.update(_mapping(manifest.get(section)))
    run_results = _merged_results(artifacts.get("run_results"), previous, raw_nodes)
    freshness = _freshness(artifacts.get("sources"))
    catalog_entries: dict[str, Mapping[str, Any]] = {}
    catalog_artifact = artifacts.get("catalog")
    if catalog_artifact is not None:
        catalog_entries.update(_mapping(catalog_artifact.data.get("nodes")))
        catalog_entries.update(_mapping(catalog_artifact.data.get("sources")))

    _with_previous_compiled_code(raw_nodes, previous)

    tests: dict[str, TestInfo] = {}
    tests_by_node: dict[str, list[str]] = {}
    tests_by_column: dict[str, dict[str, list[str]]] = {}
    for unique_id, raw in raw_nodes.items():
        if raw.get("resource_type") not in TEST_RESOURCE_TYPES:
            continue
        test = _test_info(unique_id, raw, run_results.get(unique_id))
        tests[unique_id] = test
        for target in _test_targets(raw):
            tests_by_node.setdefault(target, []).append(unique_id)
            if test.column_name:
                by_column = tests_by_column.setdefault(target, {})
                by_column.setdefault(test.column_name.lower(), []).append(unique_id)

    nodes: dict[str, Node] = {}
    counts: dict[str, int] = {}
    # The hot loop of a reload (one pass per node of a 50 MB manifest): plain dict access
    # and str checks inline, no helper calls.
    for unique_id, raw in raw_nodes.items():
        get = raw.get
        resource_type = get("resource_type")
        if type(resource_type) is not str:
            resource_type = unique_id.partition(".")[0]
        if resource_type in _HIDDEN_RESOURCE_TYPES:
            continue
        counts[resource_type] = counts.get(resource_type, 0) + 1
        config = get("config")
        if type(config) is not dict:
            config = _EMPTY
        name = get("name")
        if type(name) is not str:
            name = unique_id
        path = get("original_file_path")
        if type(path) is not str:
            path = ""
        tags = _strings(get("tags")) or _strings(config.get("tags"))
        description = get("description")
        if type(description) is not str:
            description = ""
        source_name = get("source_name")
        catalog_entry = catalog_entries.get(unique_id)
        words = [name, unique_id, description, *tags, *_mapping(get("columns"))]
        if type(source_name) is str:
            words.append(source_name)
        if catalog_entry:
            words.extend(_mapping(catalog_entry.get("columns")))
        node_tests = tests_by_node.get(unique_id)
        fresh = freshness.get(unique_id)
        if fresh is not None:
            status: str | None = fresh.status
        else:
            result = run_results.get(unique_id)
            status = result.status if result is not None else None
        package = get("package_name")
        database, schema = get("database"), get("schema")
        materialized = config.get("materialized")
        nodes[unique_id] = Node(
            unique_id,
            name,
            resource_type,
            package if type(package) is str else "",
            path,
            path.rpartition("/")[0],
            database if type(database) is str else None,
            schema if type(schema) is str else None,
            materialized if type(materialized) is str else None,
            tags,
            description,
            status,
            _worst(tests[test_id] for test_id in node_tests) if node_tests else None,
            tuple(node_tests) if node_tests else (),
            MappingProxyType(raw),
            catalog_entry,
            " ".join(words).lower(),
        )

    parents, children = _graph(manifest, raw_nodes)
    metadata = manifest_artifact.metadata
    return ProjectState(
        project=project,
        loaded_at=loaded_at,
        metadata=StateMetadata(
            dbt_version=metadata.dbt_version,
            adapter_type=metadata.adapter_type,
            project_name=metadata.project_name,
            generated_at=metadata.generated_at,
            invocation_id=metadata.invocation_id,
            schema_version=metadata.schema_version,
        ),
        artifacts=MappingProxyType(dict(artifacts)),
        nodes=MappingProxyType(nodes),
        order=tuple(
            sorted(nodes, key=lambda key: (_LISTING_ORDER.get(nodes[key].resource_type, 9), key))
        ),
        parents=MappingProxyType(parents),
        children=MappingProxyType(children),
        counts=MappingProxyType(dict(sorted(counts.items()))),
        tests=MappingProxyType(tests),
        column_tests=MappingProxyType(
            {
                node_id: MappingProxyType({key: tuple(ids) for key, ids in by_column.items()})
                for node_id, by_column in tests_by_column.items()
            }
        ),
        run_results=MappingProxyType(run_results),
        freshness=MappingProxyType(freshness),
    )
