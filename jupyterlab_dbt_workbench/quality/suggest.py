"""Profile a model's columns in the warehouse and suggest the generic tests its data passes.

Per column: rows, nulls, distinct values and the most common values, from one aggregate
query plus one small query per column. Suggestions: ``not_null`` (no nulls), ``unique``
(as many distinct values as rows), ``accepted_values`` (text with at most ten distinct
values) and ``relationships`` (an ``<x>_id`` column whose values all appear in a unique
column of the same name, or ``id``, in another model, seed or snapshot). Tests the column
already has in the manifest are not suggested again.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import Node, ProjectState
from jupyterlab_dbt_workbench.errors import ExternalToolError, InvalidRequest, NodeNotFound

from .payloads import ColumnProfile, QualitySuggestions, TestSuggestion, ValueCount
from .warehouse import with_warehouse

PROFILED_TYPES = ("model", "seed", "snapshot")
MAX_ACCEPTED = 10
TOP_VALUES = 5
MAX_TARGETS = 5
_TEXT_TYPES = ("VARCHAR", "TEXT", "CHAR", "STRING", "ENUM")
# Values of these types are unique by accident (timestamps, measures), not by design.
_NOT_KEYS = ("TIMESTAMP", "DATE", "TIME", "DOUBLE", "FLOAT", "REAL", "DECIMAL", "BOOLEAN")


def quote(name: str) -> str:
    """A DuckDB identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def _node(state: ProjectState, unique_id: str) -> Node:
    node = state.nodes.get(unique_id)
    if node is None:
        raise NodeNotFound(f"No node {unique_id!r} in project {state.project.id!r}.")
    if node.resource_type not in PROFILED_TYPES:
        raise InvalidRequest(
            f"{unique_id} is a {node.resource_type}; only models, seeds and snapshots can be "
            "profiled."
        )
    if not _relation(node):
        raise InvalidRequest(
            f"{unique_id} has no table or view in the warehouse (ephemeral, or not built yet)."
        )
    return node


def _relation(node: Node) -> str | None:
    relation = node.raw.get("relation_name")
    if node.materialized == "ephemeral" or not isinstance(relation, str) or not relation:
        return None
    return relation


def _existing_tests(state: ProjectState, node: Node) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for column, test_ids in state.column_tests.get(node.unique_id, {}).items():
        names = {state.tests[t].test_name for t in test_ids if t in state.tests}
        found[column.lower()] = {name for name in names if name}
    return found


def _profile(connection: Any, relation: str, tests: dict[str, set[str]]) -> list[ColumnProfile]:
    cursor = connection.execute(f"select * from {relation} limit 0")
    described = [(row[0], str(row[1])) for row in cursor.description]
    if not described:
        return []
    aggregates = ", ".join(
        f"count({quote(name)}), count(distinct {quote(name)})" for name, _ in described
    )
    row = connection.execute(f"select count(*), {aggregates} from {relation}").fetchone()
    rows = int(row[0])
    profiles: list[ColumnProfile] = []
    for index, (name, data_type) in enumerate(described):
        non_null, distinct = int(row[1 + 2 * index]), int(row[2 + 2 * index])
        top = connection.execute(
            f"select {quote(name)}, count(*) from {relation} where {quote(name)} is not null "
            f"group by 1 order by 2 desc, 1 limit {TOP_VALUES}"
        ).fetchall()
        profiles.append(
            ColumnProfile(
                name=name,
                data_type=data_type,
                rows=rows,
                nulls=rows - non_null,
                distinct=distinct,
                top_values=[ValueCount(value=str(v), count=int(c)) for v, c in top],
                tests=sorted(tests.get(name.lower(), set())),
            )
        )
    return profiles


def _target_ref(node: Node) -> str:
    return f"ref('{node.name}')"


def _candidates(state: ProjectState, node: Node, column: str) -> list[tuple[Node, str]]:
    """Other nodes that may hold the key ``column`` refers to, most likely first."""
    stem = column[: -len("_id")].lower()
    found: list[tuple[int, int, str, Node, str]] = []
    for other in state.nodes.values():
        if other.unique_id == node.unique_id or other.resource_type not in PROFILED_TYPES:
            continue
        if _relation(other) is None:
            continue
        names = {c.name.lower(): c.name for c in state.columns(other.unique_id)}
        if column.lower() in names:
            key = names[column.lower()]
        elif "id" in names and other.name.lower().rstrip("s").endswith(stem):
            key = names["id"]
        else:
            continue
        # Dimensions, then models, then seeds and snapshots; shorter names break ties.
        rank = 0 if other.name.startswith("dim_") else 1 if other.resource_type == "model" else 2
        found.append((rank, len(other.name), other.name, other, key))
    found.sort(key=lambda item: item[:3])
    return [(other, key) for _, _, _, other, key in found[:MAX_TARGETS]]


def _relationship(
    connection: Any, state: ProjectState, node: Node, relation: str, profile: ColumnProfile
) -> TestSuggestion | None:
    column = profile["name"]
    for other, key in _candidates(state, node, column):
        target = _relation(other)
        unique, target_rows, missing = connection.execute(
            f"select (select count(distinct {quote(key)}) = count(*) and count(*) = "
            f"count({quote(key)}) from {target}), (select count(*) from {target}), "
            f"(select count(*) from (select distinct {quote(column)} as v from {relation} "
            f"where {quote(column)} is not null) s where not exists "
            f"(select 1 from {target} t where t.{quote(key)} = s.v))"
        ).fetchone()
        if unique and target_rows and missing == 0:
            return TestSuggestion(
                column=column,
                test="relationships",
                arguments={"to": _target_ref(other), "field": key},
                evidence=(
                    f"All {profile['distinct']:,} distinct values are in {other.name}.{key}, "
                    f"which is unique ({target_rows:,} rows)."
                ),
            )
    return None


def _suggest(
    connection: Any, state: ProjectState, node: Node, relation: str, profile: ColumnProfile
) -> list[TestSuggestion]:
    rows, nulls, distinct = profile["rows"], profile["nulls"], profile["distinct"]
    column, has = profile["name"], set(profile["tests"])
    out: list[TestSuggestion] = []
    if rows == 0:
        return out
    if nulls == 0 and "not_null" not in has:
        out.append(
            TestSuggestion(
                column=column,
                test="not_null",
                arguments={},
                evidence=f"No nulls in {rows:,} rows.",
            )
        )
    kind = profile["data_type"].upper()
    if distinct == rows and "unique" not in has and not kind.startswith(_NOT_KEYS):
        out.append(
            TestSuggestion(
                column=column,
                test="unique",
                arguments={},
                evidence=f"{distinct:,} distinct values in {rows:,} rows.",
            )
        )
    text = profile["data_type"].upper().startswith(_TEXT_TYPES)
    if text and 0 < distinct <= MAX_ACCEPTED and distinct < rows and "accepted_values" not in has:
        values = sorted(str(value["value"]) for value in _all_values(connection, relation, column))
        out.append(
            TestSuggestion(
                column=column,
                test="accepted_values",
                arguments={"values": values},
                evidence=f"Only {distinct} distinct values in {rows - nulls:,} non-null rows: "
                + ", ".join(values)
                + ".",
            )
        )
    # A column unique here is this node's own key, not a reference to another node's.
    is_key = distinct == rows or "unique" in has
    if (
        column.lower().endswith("_id")
        and rows > nulls
        and not is_key
        and "relationships" not in has
    ):
        suggestion = _relationship(connection, state, node, relation, profile)
        if suggestion is not None:
            out.append(suggestion)
    return out


def _all_values(connection: Any, relation: str, column: str) -> Sequence[ValueCount]:
    rows = connection.execute(
        f"select distinct {quote(column)} from {relation} where {quote(column)} is not null"
    ).fetchall()
    return [ValueCount(value=str(row[0]), count=0) for row in rows]


def suggest_tests(state: ProjectState, unique_id: str) -> QualitySuggestions:
    """Profile ``unique_id``'s columns in the warehouse and suggest generic tests."""
    node = _node(state, unique_id)
    relation = _relation(node) or ""
    started = time.perf_counter()
    tests = _existing_tests(state, node)

    def job(connection: Any) -> tuple[list[ColumnProfile], list[TestSuggestion]]:
        import duckdb

        try:
            profiles = _profile(connection, relation, tests)
            suggestions = [
                suggestion
                for profile in profiles
                for suggestion in _suggest(connection, state, node, relation, profile)
            ]
        except duckdb.Error as error:
            raise ExternalToolError(
                f"DuckDB could not profile {relation}: {error}. Build the model first "
                "(dbt build -s " + node.name + ")."
            ) from error
        return profiles, suggestions

    profiles, suggestions = with_warehouse(state, job)
    return QualitySuggestions(
        project=state.project.id,
        node=unique_id,
        relation=relation,
        rows=profiles[0]["rows"] if profiles else 0,
        columns=profiles,
        suggestions=suggestions,
        elapsed_ms=round((time.perf_counter() - started) * 1000, 1),
    )
