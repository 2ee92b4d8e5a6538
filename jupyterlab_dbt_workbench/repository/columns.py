"""Which output columns of a changed model changed, and which downstream columns use them.

Each side of a model (the base commit's file, the working tree's file) is rendered to SQL
from a manifest, without dbt: ``ref()``/``source()``/``var()``/``this``/``target`` by the SQL
workspace's manifest renderer, ``config()`` as nothing, ``is_incremental()`` as false (the
full-refresh shape, which defines the columns) and the project's own macros from that side's
macro files. SQL that needs anything else (adapter macros, package macros) is read from the
manifest's compiled code when the file is still what the manifest was parsed from; otherwise
that side is unavailable and the reason says why.

The rendered SQL is read with sqlglot in the adapter's dialect: stars are expanded with the
columns the workbench knows of each relation, and each output column's expression is
followed through CTEs and subqueries down to the relations, so that an edit deep in a CTE
shows on the output column it feeds. Expressions are compared in sqlglot's normalized form
(case, whitespace and comments do not count).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.lineage.dialects import dialect_for

from .impact_payloads import ColumnChange, DownstreamColumn, ModelColumns

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.optimizer.scope import Scope

    from jupyterlab_dbt_workbench.lineage import ProjectColumnLineage

# dbt's own functions that only configure the node or choose its incremental branch.
_PRELUDE = (
    "{% macro config() %}{% set _ = varargs %}{% set _ = kwargs %}{% endmacro %}"
    "{% macro is_incremental() %}{% endmacro %}"
)
_EPHEMERAL = "ephemeral model "
# Deeper CTE chains than this are not followed further (a guard against cycles).
_MAX_DEPTH = 40

ColumnsOf = Callable[[str], "tuple[str, ...] | None"]


class Unreadable(Exception):
    """One side of a model cannot be read; the message says why."""


@dataclass(frozen=True)
class ModelSide:
    """One version of a model's SQL and what renders it.

    ``compiled`` is the manifest's compiled SQL of this version, when the manifest was
    parsed from exactly this ``raw`` text; ``macros`` are the texts of the project macro
    files the model calls, as they are on this side.
    """

    raw: str
    state: ProjectState
    macros: tuple[str, ...] = ()
    compiled: str | None = None


@dataclass(frozen=True)
class OutputColumn:
    name: str
    expression: str


class RelationColumns:
    """The columns of the relations a model reads, as the current state knows them."""

    def __init__(self, state: ProjectState, lineage: ProjectColumnLineage | None) -> None:
        self.state = state
        self.lineage = lineage
        self._by_name: dict[tuple[str, ...], str] = {}
        for unique_id, node in state.nodes.items():
            if node.resource_type not in ("model", "seed", "snapshot", "source"):
                continue
            raw = node.raw
            if node.materialized == "ephemeral":
                self._by_name[(f"__dbt__cte__{node.name}".lower(),)] = unique_id
                continue
            identifier = raw.get("identifier") if node.resource_type == "source" else None
            identifier = identifier or raw.get("alias") or node.name
            parts = [node.database, node.schema, identifier]
            key = tuple(str(part).lower() for part in parts if part)
            self._by_name[key] = unique_id

    def columns(self, parts: Iterable[str]) -> tuple[str, ...] | None:
        """The known columns of the relation named by ``parts`` (database, schema, table)."""
        key = tuple(part.lower() for part in parts if part)
        unique_id = self._by_name.get(key)
        if unique_id is None:
            return None
        if self.lineage is not None:
            try:
                return self.lineage.columns_of(unique_id) or None
            except WorkbenchError:
                return None
        return tuple(column.name for column in self.state.columns(unique_id)) or None


def render(side: ModelSide) -> str:
    """The SQL of one side, rendered from its manifest (see the module docstring)."""
    from jupyterlab_dbt_workbench.sql.compile import render_with_manifest

    text = "".join((_PRELUDE, *side.macros, side.raw))
    try:
        rendered, needs_dbt = render_with_manifest(side.state, text)
    except WorkbenchError as error:
        if side.compiled is not None:
            return side.compiled
        raise Unreadable(f"its Jinja cannot be rendered: {error.message}") from None
    # An ephemeral ref renders as its CTE name, which is read like a table of known columns.
    missing = [item for item in needs_dbt if not item.startswith(_EPHEMERAL)]
    if not missing:
        return rendered
    if side.compiled is not None:
        return side.compiled
    shown = ", ".join(dict.fromkeys(missing))
    raise Unreadable(
        f"its Jinja needs dbt to render ({shown}); run dbt compile so the manifest has its SQL"
    )


def output_columns(sql: str, dialect: str | None, known: RelationColumns) -> list[OutputColumn]:
    """The output columns of a query with each one's expression followed down to the
    relations, normalized. Stars over relations of unknown columns are left out."""
    import sqlglot
    from sqlglot import exp
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
    from sqlglot.optimizer.qualify_columns import qualify_columns
    from sqlglot.optimizer.qualify_tables import qualify_tables
    from sqlglot.optimizer.scope import build_scope
    from sqlglot.schema import MappingSchema

    try:
        statements = [s for s in sqlglot.parse(sql, dialect=dialect) if s is not None]
    except SqlglotError as error:
        raise Unreadable(f"sqlglot cannot parse its SQL: {_first_line(error)}") from None
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        raise Unreadable("its SQL is not a single query")
    query = normalize_identifiers(statements[0], dialect=dialect)
    schema: dict[str, Any] = {}
    for table in query.find_all(exp.Table):
        parts = [table.catalog, table.db, table.name]
        columns = known.columns(parts)
        if columns is None or not table.name:
            continue
        level = schema
        for part in [part for part in parts if part][:-1]:
            level = level.setdefault(part, {})
        level[table.name] = dict.fromkeys(columns, "UNKNOWN")
    try:
        mapping = MappingSchema(_even_depth(schema), dialect=dialect, normalize=False)
        query = qualify_tables(query, dialect=dialect)
        query = qualify_columns(query, mapping, expand_alias_refs=True, expand_stars=True)
    except SqlglotError as error:
        raise Unreadable(f"sqlglot cannot resolve its columns: {_first_line(error)}") from None
    root = build_scope(query)
    if root is None:
        raise Unreadable("its SQL is not a query sqlglot can walk")
    found: list[OutputColumn] = []
    for select in _selects(root):
        if _is_star(select):
            continue
        expression = _followed(_unaliased(select), root, 0)
        text = expression.sql(dialect=dialect, normalize=True, comments=False)
        found.append(OutputColumn(select.alias_or_name, text))
    return found


def _even_depth(schema: dict[str, Any]) -> dict[str, Any]:
    """sqlglot wants every table at the same depth: pad shorter names with empty parts."""

    def depth(level: Mapping[str, Any]) -> int:
        first = next(iter(level.values()), None)
        if isinstance(first, dict) and first and isinstance(next(iter(first.values())), dict):
            return 1 + depth(first)
        return 1

    if not schema:
        return schema
    deepest = max(depth({key: value}) for key, value in schema.items())
    even: dict[str, Any] = {}
    for key, value in schema.items():
        padded: Any = {key: value}
        for _ in range(deepest - depth({key: value})):
            padded = {"": padded}
        _merge(even, padded)
    return even


def _merge(into: dict[str, Any], other: Mapping[str, Any]) -> None:
    for key, value in other.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        else:
            into[key] = value


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


def _selects(scope: Scope) -> list[exp.Expr]:
    return list(getattr(scope.expression, "selects", ()))


def _is_star(select: exp.Expr) -> bool:
    from sqlglot import exp

    return isinstance(select, exp.Star) or (
        isinstance(select, exp.Column) and isinstance(select.this, exp.Star)
    )


def _unaliased(select: exp.Expr) -> exp.Expr:
    from sqlglot import exp

    return select.this if isinstance(select, exp.Alias) else select


def _followed(expression: exp.Expr, scope: Scope, depth: int) -> exp.Expr:
    """``expression`` with each column of a CTE or subquery replaced by that column's own
    expression there, recursively: the whole computation down to the relations."""
    from sqlglot import exp
    from sqlglot.optimizer.scope import Scope

    def swap(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Column) and node.table:
            source = scope.sources.get(node.table)
            if isinstance(source, Scope) and depth < _MAX_DEPTH:
                inner = _defined(source, node.name, depth + 1)
                if inner is not None:
                    return inner
        return node

    return expression.copy().transform(swap)


def _defined(scope: Scope, name: str, depth: int) -> exp.Expr | None:
    """The followed expression of output column ``name`` of ``scope``; for a set operation,
    a tuple of each branch's (matched by name, else by the left side's position)."""
    from sqlglot import exp

    if isinstance(scope.expression, exp.SetOperation):
        branches = scope.set_operation_scopes
        left = _selects(branches[0]) if branches else []
        names = [select.alias_or_name for select in left]
        position = names.index(name) if name in names else None
        parts = []
        for branch in branches:
            found = _defined(branch, name, depth)
            if found is None and position is not None:
                selects = _selects(branch)
                if position < len(selects):
                    found = _followed(_unaliased(selects[position]), branch, depth)
            if found is not None:
                parts.append(found)
        return exp.Tuple(expressions=parts) if parts else None
    for select in _selects(scope):
        if select.alias_or_name == name:
            return _followed(_unaliased(select), scope, depth)
    return None


def compare(
    unique_id: str,
    name: str,
    before: ModelSide | None,
    after: ModelSide,
    known: RelationColumns,
    lineage: ProjectColumnLineage | None,
) -> ModelColumns:
    """The column changes of one model between ``before`` (None: the model is new) and
    ``after``, with the downstream columns that use the changed or removed ones."""
    dialect = dialect_for(after.state.metadata.adapter_type)
    try:
        now = output_columns(render(after), dialect, known)
    except Unreadable as error:
        return unavailable(unique_id, name, f"The working tree's version: {error}.")
    try:
        then = output_columns(render(before), dialect, known) if before is not None else []
    except Unreadable as error:
        return unavailable(unique_id, name, f"The base version: {error}.")
    old = {column.name.lower(): column for column in then}
    new = {column.name.lower(): column for column in now}
    added = [column.name for key, column in new.items() if key not in old]
    removed = [column.name for key, column in old.items() if key not in new]
    changed = [
        ColumnChange(name=column.name, before=old[key].expression, after=column.expression)
        for key, column in new.items()
        if key in old and old[key].expression != column.expression
    ]
    touched = [*removed, *(change["name"] for change in changed)]
    return ModelColumns(
        unique_id=unique_id,
        name=name,
        status="ok",
        reason=None,
        added=added,
        removed=removed,
        changed=changed,
        downstream=downstream_columns(lineage, unique_id, touched),
    )


def downstream_columns(
    lineage: ProjectColumnLineage | None, unique_id: str, columns: Iterable[str]
) -> list[DownstreamColumn]:
    """Every downstream column whose value comes from one of ``columns`` of the model,
    nearest first, each once."""
    if lineage is None:
        return []
    found: dict[tuple[str, str], tuple[int, DownstreamColumn]] = {}
    for column in columns:
        try:
            impact = lineage.impact(unique_id, column)
        except WorkbenchError:
            continue
        for item in impact.columns:
            key = (item.node, item.column.lower())
            if item.node == unique_id or (key in found and found[key][0] <= item.distance):
                continue
            node = lineage.state.nodes.get(item.node)
            found[key] = (
                item.distance,
                DownstreamColumn(
                    unique_id=item.node,
                    name=node.name if node is not None else item.node,
                    column=item.column,
                ),
            )
    ordered = sorted(found.values(), key=lambda pair: (pair[0], pair[1]["unique_id"]))
    return [entry for _, entry in ordered]


def unavailable(unique_id: str, name: str, reason: str) -> ModelColumns:
    """The columns entry of a model whose columns cannot be compared, with the reason."""
    return ModelColumns(
        unique_id=unique_id,
        name=name,
        status="unavailable",
        reason=reason,
        added=[],
        removed=[],
        changed=[],
        downstream=[],
    )
