"""Column profiles of a query result or a warehouse table, computed by DuckDB.

One aggregate query gives every column's nulls, distinct count, min, max and mean; then one
small GROUP BY per column gives its top values and, for numbers, a 10-bin histogram. Distinct
counts are exact up to ``EXACT_DISTINCT_ROWS`` rows and approximate (HyperLogLog) beyond.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal

from .payloads import Histogram, SqlColumn, SqlColumnProfile, SqlProfile, TopValue
from .results import json_safe, quote

EXACT_DISTINCT_ROWS = 1_000_000
TOP_VALUES = 5
BINS = 10

_NUMERIC = re.compile(
    r"^(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT)|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL.*|"
    r"NUMERIC.*|INT\d*)$"
)
_TEMPORAL = re.compile(r"^(DATE|TIME.*|TIMESTAMP.*)$")
_NESTED = re.compile(r"(\[\]|\[\d+\])$|^(STRUCT|MAP|UNION|LIST)\b")


def _kind(type_name: str) -> str:
    upper = type_name.upper()
    if _NESTED.search(upper):
        return "nested"
    if _NUMERIC.match(upper):
        return "numeric"
    if _TEMPORAL.match(upper):
        return "temporal"
    return "other"


def profile(
    connection: Any,
    source: str,
    columns: Sequence[SqlColumn],
    *,
    origin: Literal["query", "relation"],
    name: str,
) -> SqlProfile:
    """Profile every column of ``source`` (a FROM-clause expression) on ``connection``."""
    kinds = [_kind(column["type"]) for column in columns]
    row_count = int(connection.execute(f"SELECT count(*) FROM {source}").fetchone()[0])
    distinct = (
        "count(DISTINCT {})" if row_count <= EXACT_DISTINCT_ROWS else "approx_count_distinct({})"
    )
    parts: list[str] = []
    for column, kind in zip(columns, kinds, strict=True):
        ref = quote(column["name"])
        value = f"CAST({ref} AS VARCHAR)" if kind == "nested" else ref
        parts += [f"count({ref})", distinct.format(value)]
        # Text and booleans have an order too (a text column's first and last value tell a
        # lot); nested values have none worth showing.
        if kind != "nested":
            parts += [f"min({ref})", f"max({ref})"]
        if kind == "numeric":
            parts.append(f"avg(CAST({ref} AS DOUBLE))")
    stats = (
        connection.execute(f"SELECT {', '.join(parts)} FROM {source}").fetchone() if parts else ()
    )
    profiles: list[SqlColumnProfile] = []
    position = 0
    for column, kind in zip(columns, kinds, strict=True):
        present, distinct_count = int(stats[position]), int(stats[position + 1])
        position += 2
        low = high = mean = None
        if kind != "nested":
            low, high = stats[position], stats[position + 1]
            position += 2
        if kind == "numeric":
            mean = _finite(stats[position])
            position += 1
        nulls = row_count - present
        profiles.append(
            {
                "name": column["name"],
                "type": column["type"],
                "nulls": nulls,
                "null_fraction": nulls / row_count if row_count else 0.0,
                "distinct": distinct_count,
                "min": json_safe(low),
                "max": json_safe(high),
                "mean": mean,
                "top": _top(connection, source, column["name"], kind) if present else [],
                "histogram": (
                    _histogram(connection, source, column["name"], low, high, present)
                    if kind == "numeric" and present
                    else None
                ),
            }
        )
    return {"source": origin, "name": name, "row_count": row_count, "columns": profiles}


def _finite(value: Any) -> float | None:
    if value is None:
        return None
    number = float(value)
    return number if math.isfinite(number) else None


def _top(connection: Any, source: str, column: str, kind: str) -> list[TopValue]:
    ref = quote(column)
    value = f"CAST({ref} AS VARCHAR)" if kind == "nested" else ref
    rows = connection.execute(
        f"SELECT {value} AS v, count(*) AS n FROM {source} WHERE {ref} IS NOT NULL "
        f"GROUP BY v ORDER BY n DESC, v LIMIT {TOP_VALUES}"
    ).fetchall()
    return [{"value": json_safe(value), "count": int(count)} for value, count in rows]


def _histogram(
    connection: Any, source: str, column: str, low: Any, high: Any, present: int
) -> Histogram | None:
    """Equal-width bins between the column's min and max (the max falls in the last bin)."""
    low_value, high_value = _finite(low), _finite(high)
    if low_value is None or high_value is None:
        return None
    if low_value == high_value:
        return {"edges": [low_value, high_value], "counts": [present]}
    width = (high_value - low_value) / BINS
    ref = quote(column)
    rows = connection.execute(
        f"SELECT least(CAST(floor((CAST({ref} AS DOUBLE) - ?) / ?) AS BIGINT), {BINS - 1}) AS b,"
        f" count(*) FROM {source} WHERE {ref} IS NOT NULL AND isfinite(CAST({ref} AS DOUBLE))"
        " GROUP BY b",
        [low_value, width],
    ).fetchall()
    counts = [0] * BINS
    for index, count in rows:
        counts[max(0, min(BINS - 1, int(index)))] += int(count)
    edges = [low_value + width * step for step in range(BINS)] + [high_value]
    return {"edges": edges, "counts": counts}


def columns_of(connection: Any, source: str) -> list[SqlColumn]:
    """The columns (name and DuckDB type) of a FROM-clause expression."""
    relation = connection.sql(f"SELECT * FROM {source}")
    return [
        {"name": name, "type": str(kind)}
        for name, kind in zip(relation.columns, relation.types, strict=True)
    ]
