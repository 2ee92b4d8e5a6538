"""The JSON payloads of data-quality helpers, as TypedDicts."""

from __future__ import annotations

from typing import Any, TypedDict


class ValueCount(TypedDict):
    value: str | None
    count: int


class ColumnProfile(TypedDict):
    """What the warehouse says of one column."""

    name: str
    data_type: str
    rows: int
    nulls: int
    distinct: int
    top_values: list[ValueCount]
    tests: list[str]


class TestSuggestion(TypedDict):
    """A generic test the data satisfies, with the evidence, ready for ``add_tests``."""

    column: str
    test: str
    arguments: dict[str, Any]
    evidence: str


class QualitySuggestions(TypedDict):
    project: str
    node: str
    relation: str
    rows: int
    columns: list[ColumnProfile]
    suggestions: list[TestSuggestion]
    elapsed_ms: float
