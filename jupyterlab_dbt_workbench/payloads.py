"""The JSON payloads of the REST API, as TypedDicts.

They mirror ``docs/api.md`` field for field; the core builds them and the server sends them
as they are, so the Python side and the TypeScript interfaces describe the same objects.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

ArtifactKind = Literal["manifest", "catalog", "run_results", "sources"]
TestOutcome = Literal["pass", "warn", "fail", "error", "skipped"]
TestType = Literal["generic", "singular", "unit"]


class StoreHealth(TypedDict):
    path: str
    schema_version: int
    ok: bool


class Health(TypedDict):
    status: Literal["ok", "degraded"]
    version: str
    dbt_version: str | None
    root: str
    projects: int
    store: StoreHealth
    problems: list[str]


class ArtifactProblem(TypedDict):
    artifact: str
    message: str
    reason: str
    at: str


class ProjectSummary(TypedDict):
    id: str
    name: str
    path: str
    profile: str | None
    target_path: str
    loaded: bool
    version: int | None
    dbt_version: str | None
    adapter_type: str | None
    generated_at: str | None
    counts: dict[str, int]
    error: ArtifactProblem | None


class ProjectList(TypedDict):
    projects: list[ProjectSummary]
    root: str


class NodeSummary(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    package_name: str
    original_file_path: str
    folder: str
    database: str | None
    schema: str | None
    materialized: str | None
    tags: list[str]
    description: str
    status: str | None
    test_status: TestOutcome | None


class NodePage(TypedDict):
    total: int
    offset: int
    limit: int
    items: list[NodeSummary]


class TestSummary(TypedDict):
    unique_id: str
    name: str
    test_type: TestType
    test_name: str | None
    column_name: str | None
    severity: str | None
    status: str | None
    message: str | None
    failures: int | None
    executed_at: str | None


class ConstraintInfo(TypedDict):
    type: str
    name: str | None
    expression: str | None
    columns: list[str]
    to: str | None
    to_columns: list[str]


class ColumnInfo(TypedDict):
    name: str
    description: str
    data_type: str | None
    declared_type: str | None
    index: int | None
    tags: list[str]
    meta: dict[str, Any]
    tests: list[TestSummary]
    description_raw: str
    doc_blocks: list[str]
    constraints: list[ConstraintInfo]


class RunResultSummary(TypedDict):
    status: str
    message: str | None
    execution_time: float | None
    completed_at: str | None
    failures: int | None
    invocation_id: str | None


class FreshnessSummary(TypedDict):
    status: str
    max_loaded_at: str | None
    snapshotted_at: str | None
    age_seconds: float | None
    warn_after: str | None
    error_after: str | None


class NodeRef(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    status: str | None


class ExposureInfo(TypedDict):
    type: str | None
    url: str | None
    maturity: str | None


class CatalogTableInfo(TypedDict):
    type: str | None
    owner: str | None
    stats: dict[str, Any]
    rows: float | None
    bytes: float | None


class ContractInfo(TypedDict):
    enforced: bool
    alias_types: bool


class FreshnessCriteria(TypedDict):
    warn_after: str | None
    error_after: str | None
    filter: str | None


class MacroArgument(TypedDict):
    name: str
    type: str | None
    description: str


class MacroInfo(TypedDict):
    arguments: list[MacroArgument]


class SemanticInfo(TypedDict):
    label: str | None
    type: str | None
    definition: dict[str, Any]


class NodeDetail(NodeSummary):
    fqn: list[str]
    alias: str | None
    relation_name: str | None
    patch_path: str | None
    language: str | None
    access: str | None
    owner: str | None
    meta: dict[str, Any]
    config: dict[str, Any]
    columns: list[ColumnInfo]
    tests: list[TestSummary]
    depends_on: list[NodeRef]
    referenced_by: list[NodeRef]
    raw_code: str | None
    compiled_code: str | None
    last_run: RunResultSummary | None
    freshness: FreshnessSummary | None
    source_name: str | None
    loaded_at_field: str | None
    exposure: ExposureInfo | None
    catalog: CatalogTableInfo | None
    description_raw: str
    doc_blocks: list[str]
    contract: ContractInfo | None
    constraints: list[ConstraintInfo]
    freshness_criteria: FreshnessCriteria | None
    macro: MacroInfo | None
    semantic: SemanticInfo | None


class ArtifactInfo(TypedDict):
    kind: ArtifactKind
    path: str
    present: bool
    schema_version: int | None
    dbt_version: str | None
    generated_at: str | None
    invocation_id: str | None
    size: int | None
    sha256: str | None


class ArtifactStatus(TypedDict):
    project: str
    version: int | None
    loaded_at: str | None
    artifacts: list[ArtifactInfo]
    error: ArtifactProblem | None


class SnapshotVersion(TypedDict):
    version: int
    created_at: str
    dbt_version: str | None
    generated_at: str | None
    kinds: list[str]
    sha256: dict[str, str]


class SnapshotList(TypedDict):
    project: str
    limit: int
    snapshots: list[SnapshotVersion]
