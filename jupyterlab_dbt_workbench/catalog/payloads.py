"""The JSON payloads of entity-page extras and the project health dashboard, as TypedDicts.

They mirror docs/catalog.md field for field; src/catalog/types.ts has the same interfaces.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from jupyterlab_dbt_workbench.payloads import NodeRef


class NodeRunPoint(TypedDict):
    run_id: str
    command: str
    cli: str
    run_status: str
    created_at: str
    status: str | None
    started_at: str | None
    finished_at: str | None
    execution_time: float | None
    rows_affected: int | None
    failures: int | None
    message: str | None


class NodeRunHistory(TypedDict):
    project: str
    unique_id: str
    total: int
    limit: int
    items: list[NodeRunPoint]


class SchemaColumn(TypedDict):
    name: str
    type: str | None


class TypeChange(TypedDict):
    name: str
    before: str | None
    after: str | None


SchemaEvent = Literal["appeared", "changed", "disappeared"]


class SchemaChange(TypedDict):
    version: int
    at: str
    event: SchemaEvent
    added: list[SchemaColumn]
    removed: list[SchemaColumn]
    type_changed: list[TypeChange]


class SchemaBaseline(TypedDict):
    version: int
    at: str
    columns: list[SchemaColumn]


class SchemaHistory(TypedDict):
    project: str
    unique_id: str
    versions: int
    catalogs: int
    first_seen: SchemaBaseline | None
    changes: list[SchemaChange]


class CappedNodes(TypedDict):
    total: int
    items: list[NodeRef]


class StoreRun(TypedDict):
    id: str
    command: str
    cli: str
    status: str
    created_at: str
    finished_at: str | None
    duration: float | None
    counts: dict[str, int]


class LastInvocation(TypedDict):
    command: str | None
    invocation_id: str | None
    generated_at: str | None
    elapsed_time: float | None
    counts: dict[str, int]


class TestCounts(TypedDict):
    total: int
    not_run: int
    passed: int
    warn: int
    fail: int
    error: int
    skipped: int


class TestProblem(TypedDict):
    unique_id: str
    name: str
    status: str
    severity: str | None
    failures: int | None
    message: str | None
    column_name: str | None
    executed_at: str | None
    attached_to: list[NodeRef]


class CappedTests(TypedDict):
    total: int
    items: list[TestProblem]


class StaleSource(TypedDict):
    unique_id: str
    name: str
    source_name: str | None
    status: str
    status_now: str
    max_loaded_at: str | None
    age_seconds: float | None
    warn_after: str | None
    error_after: str | None


class FreshnessCounts(TypedDict):
    sources: int
    checked: int
    passed: int
    warn: int
    error: int


class SlowModel(TypedDict):
    unique_id: str
    name: str
    average: float
    longest: float
    latest: float
    runs: int


class Coverage(TypedDict):
    resource_type: str
    nodes: int
    described: int
    tested: int
    columns: int
    columns_described: int
    columns_tested: int


class ProjectHealth(TypedDict):
    project: str
    name: str | None
    adapter_type: str | None
    generated_at: str | None
    counts: dict[str, int]
    last_run: StoreRun | None
    active_runs: int
    last_invocation: LastInvocation | None
    tests: TestCounts
    failing_tests: CappedTests
    warning_tests: CappedTests
    freshness: FreshnessCounts
    stale_sources: list[StaleSource]
    slowest_models: list[SlowModel]
    slowest_source: Literal["runs", "run_results", "none"]
    coverage: list[Coverage]
    models_without_tests: CappedNodes
    models_without_descriptions: CappedNodes
    run_durations: list[StoreRun]
