"""The JSON payloads of the search API (``GET search``), as TypedDicts."""

from __future__ import annotations

from typing import Literal, TypedDict

SearchField = Literal[
    "name",
    "alias",
    "tag",
    "column",
    "owner",
    "description",
    "column_description",
    "meta",
    "sql",
]
FacetKey = Literal["resource_type", "package", "schema", "tag", "owner", "materialized"]


class SearchMatch(TypedDict):
    # The best field the query matched in, and a short piece of its text around the match.
    field: SearchField
    # The column, for column, column_description and column meta hits.
    column: str | None
    snippet: str
    # [start, end) character ranges of the matched words in ``snippet``.
    highlights: list[list[int]]


class SearchHit(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    package_name: str
    schema: str | None
    materialized: str | None
    tags: list[str]
    owner: str | None
    description: str
    score: int
    # None when the query had filters only (nothing to point at).
    match: SearchMatch | None
    # Other columns that matched, besides ``match.column`` (at most 5).
    columns: list[str]


class FacetValue(TypedDict):
    value: str
    count: int


class SearchQueryInfo(TypedDict):
    text: str
    words: list[str]
    phrases: list[str]
    filters: dict[str, list[str]]


class SearchResult(TypedDict):
    project: str
    query: SearchQueryInfo
    total: int
    offset: int
    limit: int
    items: list[SearchHit]
    # Counts over the whole match set; a facet's own filter is left out of its counts, so
    # a UI can offer the other values of a facet that is already filtered on.
    facets: dict[str, list[FacetValue]]
