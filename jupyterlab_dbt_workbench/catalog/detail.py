"""The ``NodeDetail`` payload of one node (``GET nodes/<unique_id>``)."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import (
    TEST_RESOURCE_TYPES,
    Column,
    Freshness,
    Node,
    ProjectState,
    RunResult,
    TestInfo,
)
from jupyterlab_dbt_workbench.errors import NodeNotFound
from jupyterlab_dbt_workbench.payloads import (
    CatalogTableInfo,
    ColumnInfo,
    ExposureInfo,
    FreshnessSummary,
    NodeDetail,
    NodeRef,
    RunResultSummary,
    TestSummary,
)

from .listing import node_summary


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _plain(value: Mapping[str, Any]) -> dict[str, Any]:
    # Payloads leave the core; a caller editing one must not reach the shared artifact dicts.
    return copy.deepcopy(dict(value))


def test_summary(test: TestInfo) -> TestSummary:
    """The ``TestSummary`` payload of a test and its latest outcome."""
    result = test.result if test.outcome is not None else None
    return TestSummary(
        unique_id=test.unique_id,
        name=test.name,
        test_type=test.test_type,
        test_name=test.test_name,
        column_name=test.column_name,
        severity=test.severity,
        status=test.outcome,
        message=result.message if result else None,
        failures=result.failures if result else None,
        executed_at=result.completed_at if result else None,
    )


def _column_info(column: Column, state: ProjectState) -> ColumnInfo:
    return ColumnInfo(
        name=column.name,
        description=column.description,
        data_type=column.data_type,
        declared_type=column.declared_type,
        index=column.index,
        tags=list(column.tags),
        meta=_plain(column.meta),
        tests=[test_summary(state.tests[test_id]) for test_id in column.tests],
    )


def _run_summary(result: RunResult | None) -> RunResultSummary | None:
    if result is None:
        return None
    return RunResultSummary(
        status=result.status,
        message=result.message,
        execution_time=result.execution_time,
        completed_at=result.completed_at,
        failures=result.failures,
        invocation_id=result.invocation_id,
    )


def _freshness_summary(freshness: Freshness | None) -> FreshnessSummary | None:
    if freshness is None:
        return None
    return FreshnessSummary(
        status=freshness.status,
        max_loaded_at=freshness.max_loaded_at,
        snapshotted_at=freshness.snapshotted_at,
        age_seconds=freshness.age_seconds,
        warn_after=freshness.warn_after,
        error_after=freshness.error_after,
    )


def node_ref(state: ProjectState, unique_id: str) -> NodeRef:
    """A short reference to a node; ids the state does not hold (disabled nodes, macros) are
    described from the id itself."""
    node = state.nodes.get(unique_id)
    if node is None:
        return NodeRef(
            unique_id=unique_id,
            name=unique_id.rsplit(".", 1)[-1],
            resource_type=unique_id.split(".", 1)[0],
            status=None,
        )
    return NodeRef(
        unique_id=unique_id, name=node.name, resource_type=node.resource_type, status=node.status
    )


def _owner(node: Node, meta: Mapping[str, Any]) -> str | None:
    owner = meta.get("owner")
    if isinstance(owner, str):
        return owner
    exposure_owner = _mapping(node.raw.get("owner"))
    return _text(exposure_owner.get("name")) or _text(exposure_owner.get("email"))


def _catalog_info(entry: Mapping[str, Any] | None) -> CatalogTableInfo | None:
    if entry is None:
        return None
    metadata = _mapping(entry.get("metadata"))
    stats = {
        key: {"label": stat.get("label"), "value": stat.get("value")}
        for key, stat in _mapping(entry.get("stats")).items()
        if isinstance(stat, dict) and stat.get("include")
    }
    return CatalogTableInfo(
        type=_text(metadata.get("type")),
        owner=_text(metadata.get("owner")),
        stats=_plain(stats),
    )


def node_detail(state: ProjectState, unique_id: str) -> NodeDetail:
    """The full ``NodeDetail`` of ``unique_id``; raises ``NodeNotFound`` naming it."""
    node = state.nodes.get(unique_id)
    if node is None:
        raise NodeNotFound(
            f"No node {unique_id!r} in project {state.project.id!r}. It may have been renamed "
            "or removed; reload the project's artifacts to see the current nodes."
        )
    raw = node.raw
    config = _mapping(raw.get("config"))
    # dbt 1.10 moved meta under config; older manifests keep it on the node. Both may be set.
    meta = {**_mapping(config.get("meta")), **_mapping(raw.get("meta"))}
    exposure = (
        ExposureInfo(
            type=_text(raw.get("type")),
            url=_text(raw.get("url")),
            maturity=_text(raw.get("maturity")),
        )
        if node.resource_type == "exposure"
        else None
    )
    is_source = node.resource_type == "source"
    fqn = raw.get("fqn")
    summary = node_summary(node)
    children = (node_ref(state, child) for child in state.children.get(unique_id, ()))
    return NodeDetail(
        **summary,
        fqn=[part for part in fqn if isinstance(part, str)] if isinstance(fqn, list) else [],
        alias=_text(raw.get("alias")),
        relation_name=_text(raw.get("relation_name")),
        patch_path=_text(raw.get("patch_path")),
        language=_text(raw.get("language")),
        access=_text(raw.get("access")) or _text(config.get("access")),
        owner=_owner(node, meta),
        meta=_plain(meta),
        config=_plain(config),
        columns=[_column_info(column, state) for column in state.columns(unique_id)],
        tests=[test_summary(state.tests[test_id]) for test_id in node.tests],
        depends_on=[node_ref(state, parent) for parent in state.parents.get(unique_id, ())],
        referenced_by=[ref for ref in children if ref["resource_type"] not in TEST_RESOURCE_TYPES],
        raw_code=_text(raw.get("raw_code")),
        compiled_code=_text(raw.get("compiled_code")),
        last_run=_run_summary(state.run_results.get(unique_id)),
        freshness=_freshness_summary(state.freshness.get(unique_id)) if is_source else None,
        source_name=_text(raw.get("source_name")) if is_source else None,
        loaded_at_field=(
            _text(raw.get("loaded_at_field")) or _text(config.get("loaded_at_field"))
            if is_source
            else None
        ),
        exposure=exposure,
        catalog=_catalog_info(node.catalog),
    )
