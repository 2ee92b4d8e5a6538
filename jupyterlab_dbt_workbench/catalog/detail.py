"""The ``NodeDetail`` payload of one node (``GET nodes/<unique_id>``).

Every member of the graph has one, and so do macros, which the manifest keeps apart.
"""

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
    ConstraintInfo,
    ContractInfo,
    ExposureInfo,
    FreshnessCriteria,
    FreshnessSummary,
    MacroArgument,
    MacroInfo,
    NodeDetail,
    NodeRef,
    RunResultSummary,
    SemanticInfo,
    TestSummary,
)

from .docs import DocsIndex, docs_index, resolve_docs
from .listing import node_summary

# Catalog stats naming the table's size, by adapter: BigQuery, Snowflake/Databricks/others.
_ROW_STATS = ("num_rows", "row_count", "rows")
_BYTE_STATS = ("num_bytes", "bytes")
# What defines a metric, semantic model or saved query, shown as it is in the manifest.
_SEMANTIC_KEYS = (
    "type_params",
    "filter",
    "time_granularity",
    "model",
    "entities",
    "measures",
    "dimensions",
    "defaults",
    "query_params",
    "exports",
)
_SEMANTIC_TYPES = frozenset({"metric", "semantic_model", "saved_query"})


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


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _constraint(spec: Mapping[str, Any], column: str | None) -> ConstraintInfo | None:
    kind = _text(spec.get("type"))
    if kind is None:
        return None
    columns = _strings(spec.get("columns"))
    return ConstraintInfo(
        type=kind,
        name=_text(spec.get("name")),
        expression=_text(spec.get("expression")),
        columns=[column] if column is not None and not columns else columns,
        to=_text(spec.get("to")),
        to_columns=_strings(spec.get("to_columns")),
    )


def _constraints(value: Any, column: str | None = None) -> list[ConstraintInfo]:
    found = (
        (_constraint(spec, column) for spec in value if isinstance(spec, dict))
        if isinstance(value, list)
        else ()
    )
    return [constraint for constraint in found if constraint is not None]


def _column_info(
    column: Column, state: ProjectState, declared: Mapping[str, Any], docs: DocsIndex, home: str
) -> ColumnInfo:
    spec = _mapping(declared.get(column.name.lower()))
    text = resolve_docs(column.description, docs, home, spec.get("doc_blocks"))
    return ColumnInfo(
        name=column.name,
        description=text.text,
        data_type=column.data_type,
        declared_type=column.declared_type,
        index=column.index,
        tags=list(column.tags),
        meta=_plain(column.meta),
        tests=[test_summary(state.tests[test_id]) for test_id in column.tests],
        description_raw=text.raw,
        doc_blocks=list(text.blocks),
        constraints=_constraints(spec.get("constraints"), column.name),
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


def _stat_number(stats: Mapping[str, Any], keys: tuple[str, ...]) -> float | None:
    for key in keys:
        value = _mapping(stats.get(key)).get("value")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    return None


def _catalog_info(entry: Mapping[str, Any] | None) -> CatalogTableInfo | None:
    if entry is None:
        return None
    metadata = _mapping(entry.get("metadata"))
    all_stats = _mapping(entry.get("stats"))
    stats = {
        key: {"label": stat.get("label"), "value": stat.get("value")}
        for key, stat in all_stats.items()
        if isinstance(stat, dict) and stat.get("include")
    }
    return CatalogTableInfo(
        type=_text(metadata.get("type")),
        owner=_text(metadata.get("owner")),
        stats=_plain(stats),
        rows=_stat_number(all_stats, _ROW_STATS),
        bytes=_stat_number(all_stats, _BYTE_STATS),
    )


def _contract(config: Mapping[str, Any], raw: Mapping[str, Any]) -> ContractInfo | None:
    contract = _mapping(config.get("contract")) or _mapping(raw.get("contract"))
    if not contract:
        return None
    return ContractInfo(
        enforced=contract.get("enforced") is True, alias_types=contract.get("alias_types") is True
    )


def _freshness_criteria(
    raw: Mapping[str, Any], config: Mapping[str, Any]
) -> FreshnessCriteria | None:
    rules = _mapping(raw.get("freshness")) or _mapping(config.get("freshness"))
    if not rules:
        return None
    criteria = FreshnessCriteria(
        warn_after=threshold_text(rules, "warn_after"),
        error_after=threshold_text(rules, "error_after"),
        filter=_text(rules.get("filter")),
    )
    return criteria if criteria["warn_after"] or criteria["error_after"] else None


def threshold_text(rules: Mapping[str, Any], key: str) -> str | None:
    """``"6 hour"`` for ``{"warn_after": {"count": 6, "period": "hour"}}``; None when unset."""
    rule = _mapping(rules.get(key))
    count, period = rule.get("count"), rule.get("period")
    return f"{count} {period}" if count and isinstance(period, str) else None


def _semantic(node: Node) -> SemanticInfo | None:
    if node.resource_type not in _SEMANTIC_TYPES:
        return None
    raw = node.raw
    definition = {key: raw[key] for key in _SEMANTIC_KEYS if raw.get(key) not in (None, [], {}, "")}
    return SemanticInfo(
        label=_text(raw.get("label")), type=_text(raw.get("type")), definition=_plain(definition)
    )


def _macro_callers(state: ProjectState) -> dict[str, tuple[str, ...]]:
    callers: dict[str, list[str]] = {}
    macros = _mapping(state.artifacts["manifest"].data.get("macros"))
    members = ((uid, node.raw) for uid, node in state.nodes.items())
    for unique_id, raw in (*members, *macros.items()):
        if not isinstance(raw, Mapping):
            continue
        for macro in _strings(_mapping(raw.get("depends_on")).get("macros")):
            callers.setdefault(macro, []).append(unique_id)
    return {macro: tuple(sorted(ids)) for macro, ids in callers.items()}


def _macro_detail(state: ProjectState, unique_id: str, raw: Mapping[str, Any]) -> NodeDetail:
    config = _mapping(raw.get("config"))
    meta = {**_mapping(config.get("meta")), **_mapping(raw.get("meta"))}
    package = _text(raw.get("package_name")) or unique_id.split(".")[1]
    path = _text(raw.get("original_file_path")) or ""
    text = resolve_docs(_text(raw.get("description")) or "", docs_index(state), package)
    callers = state.derived("catalog.macro_callers", _macro_callers).get(unique_id, ())
    arguments = [
        MacroArgument(
            name=name,
            type=_text(argument.get("type")),
            description=_text(argument.get("description")) or "",
        )
        for argument in raw.get("arguments") or ()
        if isinstance(argument, dict) and (name := _text(argument.get("name")))
    ]
    return NodeDetail(
        unique_id=unique_id,
        name=_text(raw.get("name")) or unique_id.rsplit(".", 1)[-1],
        resource_type="macro",
        package_name=package,
        original_file_path=path,
        folder=path.rpartition("/")[0],
        database=None,
        schema=None,
        materialized=None,
        tags=[],
        description=text.text,
        status=None,
        test_status=None,
        fqn=[],
        alias=None,
        relation_name=None,
        patch_path=_text(raw.get("patch_path")),
        language="sql",
        access=None,
        owner=_text(meta.get("owner")),
        meta=_plain(meta),
        config=_plain(config),
        columns=[],
        tests=[],
        depends_on=[
            node_ref(state, macro)
            for macro in _strings(_mapping(raw.get("depends_on")).get("macros"))
        ],
        referenced_by=[node_ref(state, caller) for caller in callers],
        raw_code=_text(raw.get("macro_sql")),
        compiled_code=None,
        last_run=None,
        freshness=None,
        source_name=None,
        loaded_at_field=None,
        exposure=None,
        catalog=None,
        description_raw=text.raw,
        doc_blocks=list(text.blocks),
        contract=None,
        constraints=[],
        freshness_criteria=None,
        macro=MacroInfo(arguments=arguments),
        semantic=None,
    )


def node_detail(state: ProjectState, unique_id: str) -> NodeDetail:
    """The full ``NodeDetail`` of ``unique_id``; raises ``NodeNotFound`` naming it."""
    node = state.nodes.get(unique_id)
    if node is None:
        macro = _mapping(state.artifacts["manifest"].data.get("macros")).get(unique_id)
        if isinstance(macro, dict):
            return _macro_detail(state, unique_id, macro)
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
    docs = docs_index(state)
    text = resolve_docs(node.description, docs, node.package_name, raw.get("doc_blocks"))
    summary["description"] = text.text
    declared = {
        name.lower(): spec
        for name, spec in _mapping(raw.get("columns")).items()
        if isinstance(name, str)
    }
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
        columns=[
            _column_info(column, state, declared, docs, node.package_name)
            for column in state.columns(unique_id)
        ],
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
        description_raw=text.raw,
        doc_blocks=list(text.blocks),
        contract=_contract(config, raw),
        constraints=_constraints(raw.get("constraints")),
        freshness_criteria=_freshness_criteria(raw, config) if is_source else None,
        macro=None,
        semantic=_semantic(node),
    )
