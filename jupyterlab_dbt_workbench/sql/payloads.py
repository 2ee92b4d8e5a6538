"""The JSON payloads of the SQL workspace API (``sql/...``), as TypedDicts.

They mirror the TypeScript interfaces of ``src/sql/types.ts`` field for field.
"""

from __future__ import annotations

from typing import Any, Literal, TypedDict

CompileMethod = Literal["manifest", "dbt"]
# interrupted: the process running the query died before it ended.
QueryStatusName = Literal["running", "success", "error", "cancelled", "timeout", "interrupted"]
QueryErrorKind = Literal[
    "syntax", "unknown_relation", "write_refused", "timeout", "busy", "warehouse", "compile"
]


class SqlColumn(TypedDict):
    name: str
    type: str


class SqlRelation(TypedDict):
    unique_id: str
    name: str
    # The quoted relation dbt would write, e.g. "warehouse"."main"."orders".
    relation: str


class SqlCompiled(TypedDict):
    """The answer of ``POST sql/compile``."""

    sql: str
    method: CompileMethod
    relations: list[SqlRelation]


class SqlQueryError(TypedDict):
    kind: QueryErrorKind
    message: str
    # 1-based position of a syntax error, when known.
    line: int | None
    column: int | None
    # Closest existing names for an unknown ref()/source().
    suggestions: list[str]


class SqlQuery(TypedDict):
    id: str
    project: str
    sql: str
    compiled_sql: str | None
    method: CompileMethod | None
    target: str | None
    status: QueryStatusName
    started_at: str
    finished_at: str | None
    duration: float | None
    row_count: int | None
    # True when the result was cut at ``limit`` rows.
    truncated: bool
    limit: int
    columns: list[SqlColumn]
    error: SqlQueryError | None
    user: str | None


class RowPage(TypedDict):
    query: str
    offset: int
    limit: int
    total: int
    columns: list[SqlColumn]
    # JSON-safe cells: dates and timestamps as ISO strings, decimals as numbers, blobs as hex.
    rows: list[list[Any]]
    sort: str | None
    descending: bool


class TopValue(TypedDict):
    value: Any
    count: int


class Histogram(TypedDict):
    # len(edges) == len(counts) + 1.
    edges: list[float]
    counts: list[int]


class SqlColumnProfile(TypedDict):
    name: str
    type: str
    nulls: int
    null_fraction: float
    distinct: int
    min: Any
    max: Any
    mean: float | None
    top: list[TopValue]
    histogram: Histogram | None


class SqlProfile(TypedDict):
    source: Literal["query", "relation"]
    name: str
    row_count: int
    columns: list[SqlColumnProfile]


class SqlHistoryEntry(TypedDict):
    id: str
    project: str
    sql: str
    target: str | None
    started_at: str
    duration: float | None
    row_count: int | None
    status: QueryStatusName
    error: str | None
    user: str | None


class SqlHistory(TypedDict):
    entries: list[SqlHistoryEntry]
    total: int


class SqlSettings(TypedDict):
    allow_writes: bool
    max_rows: int
    default_limit: int
    timeout: float


class CompletionModel(TypedDict):
    name: str
    unique_id: str
    resource_type: str
    relation: str
    package: str
    columns: list[SqlColumn]


class CompletionSource(TypedDict):
    source_name: str
    name: str
    unique_id: str
    relation: str
    columns: list[SqlColumn]


class SqlCompletions(TypedDict):
    project: str
    models: list[CompletionModel]
    sources: list[CompletionSource]
    keywords: list[str]
