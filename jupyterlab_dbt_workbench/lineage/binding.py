"""Matching the physical tables of a query to the dbt nodes a model depends on.

Every table is rewritten to a token (``w.p<n>`` for the n-th dependency, ``w.x<n>`` for a
table that is none) before sqlglot qualifies the query. The schema handed to sqlglot then
has one shape whatever the relations' depth and spelling, and a qualified table says which
dependency it is by its token alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .records import ModelJob

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect

_CATALOG = "w"


@dataclass(frozen=True, slots=True)
class Source:
    """A physical table of the query, matched (or not) to a dependency of the model."""

    unique_id: str | None
    label: str
    columns: frozenset[str] | None
    missing: str | None


def _identifier(name: str, dialect: Dialect, *, quoted: bool) -> str:
    from sqlglot import exp

    return dialect.normalize_identifier(exp.to_identifier(name, quoted=quoted)).name


# Workers analyse many models reading the same parents: their names are normalized once.
@lru_cache(maxsize=65536)
def _relation_parts(relation: str, dialect_name: str | None) -> tuple[str, ...] | None:
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers

    dialect = Dialect.get_or_raise(dialect_name)
    try:
        table = exp.to_table(relation, dialect=dialect)
    except SqlglotError:
        return None
    # Normalized as a table, like the query's tables (BigQuery keeps table names' case).
    table = normalize_identifiers(table, dialect=dialect)
    return tuple(part.name for part in table.parts)


@lru_cache(maxsize=16384)
def _column_names(
    columns: tuple[str, ...], exact: bool, dialect_name: str | None
) -> tuple[str, ...]:
    """Column names as the dialect normalizes them, in order, without duplicates."""
    from sqlglot.dialects.dialect import Dialect

    dialect = Dialect.get_or_raise(dialect_name)
    return tuple(dict.fromkeys(_identifier(name, dialect, quoted=exact) for name in columns))


def bind_tables(
    query: exp.Expr, job: ModelJob, dialect: Dialect
) -> tuple[dict[str, Source], dict[str, str], dict[str, Any]]:
    """Match every physical table of the query to a dependency and give it its token.

    Returns the sources by token, the ephemeral CTE names (normalized) by node id, and the
    schema to qualify with (known columns only).
    """
    from sqlglot import exp

    by_parts: dict[tuple[str, ...], list[int]] = {}
    ephemeral: dict[str, str] = {}
    for position, relation in enumerate(job.relations):
        if relation.cte:
            ephemeral[_identifier(relation.cte, dialect, quoted=False)] = relation.unique_id
        if relation.relation:
            parts = _relation_parts(relation.relation, job.dialect)
            if parts:
                by_parts.setdefault(parts, []).append(position)

    cte_names = {cte.alias_or_name for cte in query.find_all(exp.CTE)}
    sources: dict[str, Source] = {}
    schema: dict[str, Any] = {}
    unknown = 0
    for table in list(query.find_all(exp.Table)):
        if not isinstance(table.this, exp.Identifier):
            continue  # a table function: its columns stay unresolved unless named in SQL
        parts = tuple(part.name for part in table.parts)
        if len(parts) == 1 and parts[0] in cte_names:
            continue
        label = ".".join(parts)
        index = _match(parts, by_parts)
        if index is None:
            token = f"x{unknown}"
            unknown += 1
            sources[token] = Source(None, label, None, None)
        else:
            relation = job.relations[index]
            token = f"p{index}"
            if token not in sources:
                columns = None
                if relation.columns is not None:
                    # In order: a star expands to the relation's columns as stored.
                    columns = _column_names(relation.columns, relation.exact, job.dialect)
                    schema.setdefault(_CATALOG, {})[token] = {
                        table.name: dict.fromkeys(columns, "UNKNOWN")
                    }
                sources[token] = Source(
                    relation.unique_id,
                    label,
                    frozenset(columns) if columns is not None else None,
                    relation.missing,
                )
        table.set("catalog", exp.to_identifier(_CATALOG))
        table.set("db", exp.to_identifier(token))
    return sources, ephemeral, schema


def pin_to_only_source(query: exp.Expr) -> None:
    """Qualify the unqualified columns of every single-table SELECT with that table."""
    from sqlglot import exp
    from sqlglot.optimizer.scope import traverse_scope

    for scope in traverse_scope(query):
        select = scope.expression
        if not isinstance(select, exp.Select) or len(scope.sources) != 1:
            continue
        alias, source = next(iter(scope.sources.items()))
        if not isinstance(source, exp.Table):
            continue
        outputs = {projection.alias_or_name for projection in select.selects}
        for column in scope.columns:
            if not column.table and column.name not in outputs:
                column.set("table", exp.to_identifier(alias))


def _match(parts: tuple[str, ...], by_parts: dict[tuple[str, ...], list[int]]) -> int | None:
    exact = by_parts.get(parts)
    if exact is not None:
        return exact[0] if len(exact) == 1 else None
    # A shorter name in the SQL (schema.table, or table alone) still names a dependency when
    # exactly one dependency ends with it.
    found = [i for key, ids in by_parts.items() if key[-len(parts) :] == parts for i in ids]
    return found[0] if len(found) == 1 else None
