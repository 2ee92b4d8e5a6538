"""The column lineage of one model: parse once, qualify once, build scopes once, then walk.

Every output column is traced through CTEs, derived tables, set operations, lateral and
unnest sources down to the physical relations the query reads, which are mapped back to the
dbt nodes the model depends on. Walks are memoized per (scope, column), so a column that
many outputs share is traced once. This module runs in worker processes too: it takes a
``ModelJob`` of plain data and returns a ``ModelLineage``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from .binding import Source, bind_tables, pin_to_only_source
from .records import ColumnDependency, ColumnEdge, DependencyKind, ModelJob, ModelLineage, Status

if TYPE_CHECKING:
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.optimizer.scope import Scope

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_MAX_REASON_ITEMS = 5
_MAX_ERROR = 600

# (source node, source column, value copied unchanged?, outermost transforming expression)
Origin = tuple[str, str, bool, "str | None"]
Trace = tuple[tuple[Origin, ...], tuple[str, ...]]
_EMPTY: Trace = ((), ())


def error_text(error: BaseException) -> str:
    """sqlglot's message without terminal colour codes, kept to a readable length."""
    text = _ANSI.sub("", str(error)).strip() or type(error).__name__
    return text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 1] + "…"


def _failed(job: ModelJob, reason: str) -> ModelLineage:
    return ModelLineage(unique_id=job.unique_id, status="failed", reason=reason)


def analyse(job: ModelJob) -> ModelLineage:
    """The column lineage of one model (never raises for bad SQL: the model is failed)."""
    from sqlglot.errors import SqlglotError

    try:
        return _analyse(job)
    except SqlglotError as error:
        return _failed(job, error_text(error))
    except RecursionError:
        return _failed(job, "The query is nested too deeply to analyse.")
    except Exception as error:  # one odd model must not cost the lineage of the others
        return _failed(
            job,
            f"The analysis failed unexpectedly ({type(error).__name__}: {error_text(error)}); "
            "please report it with the model's compiled SQL.",
        )


def analyse_many(jobs: list[ModelJob]) -> list[ModelLineage]:
    """``analyse`` for a batch (the unit of work sent to a worker process)."""
    return [analyse(job) for job in jobs]


def _analyse(job: ModelJob) -> ModelLineage:
    import sqlglot
    from sqlglot import exp
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import SqlglotError
    from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
    from sqlglot.optimizer.qualify_columns import qualify_columns
    from sqlglot.optimizer.qualify_tables import qualify_tables
    from sqlglot.optimizer.scope import build_scope
    from sqlglot.schema import MappingSchema

    dialect = Dialect.get_or_raise(job.dialect)
    try:
        statements = [s for s in sqlglot.parse(job.sql, dialect=dialect) if s is not None]
    except SqlglotError as error:
        return _failed(job, f"sqlglot cannot parse the compiled SQL: {error_text(error)}")
    if len(statements) != 1:
        return _failed(job, f"Expected one query in the compiled SQL, found {len(statements)}.")
    query = statements[0]
    if not isinstance(query, exp.Query):
        return _failed(job, f"The compiled SQL is a {query.key.upper()} statement, not a query.")

    query = normalize_identifiers(query, dialect=dialect)
    sources, ephemeral, schema = bind_tables(query, job, dialect)
    mapping = MappingSchema(schema, dialect=dialect, normalize=False)
    try:
        query = qualify_tables(query, dialect=dialect)
        query = qualify_columns(query, mapping, expand_alias_refs=True, expand_stars=True)
    except SqlglotError as error:
        if "missing source schemas" not in str(error):
            return _failed(job, f"sqlglot cannot resolve the columns: {error_text(error)}")
        # A subquery reads a relation of unknown columns by unqualified names, which sqlglot
        # will not pin on it (they could be the outer query's). SQL resolves names in the
        # innermost scope first, so pin them on the subquery's only source and retry on a
        # fresh parse (the failed attempt left the tree half rewritten).
        query = normalize_identifiers(sqlglot.parse_one(job.sql, dialect=dialect), dialect=dialect)
        sources, ephemeral, schema = bind_tables(query, job, dialect)
        try:
            query = qualify_tables(query, dialect=dialect)
            pin_to_only_source(query)
            query = qualify_columns(query, mapping, expand_alias_refs=True, expand_stars=True)
        except SqlglotError as retry_error:
            return _failed(job, f"sqlglot cannot resolve the columns: {error_text(retry_error)}")
    root = build_scope(query)
    if root is None:
        return _failed(job, "The compiled SQL is not a query sqlglot can walk.")
    return _Walker(job.unique_id, dialect, sources, ephemeral, root).run()


class _Walker:
    """Traces output columns and clause dependencies through the scopes of one query."""

    def __init__(
        self,
        unique_id: str,
        dialect: Dialect,
        sources: dict[str, Source],
        ephemeral: dict[str, str],
        root: Scope,
    ) -> None:
        self.unique_id = unique_id
        self.dialect = dialect
        self.sources = sources
        self.ephemeral = ephemeral
        self.root = root
        self.scopes = list(root.traverse())
        self.by_expression = {id(scope.expression): scope for scope in self.scopes}
        self.scope_ids = {id(scope) for scope in self.scopes}
        self.memo: dict[tuple[int, str], Trace] = {}
        self.active: set[tuple[int, str]] = set()
        self.projections: dict[int, dict[str, exp.Expr]] = {}

    # Results --------------------------------------------------------------------------------

    def run(self) -> ModelLineage:

        columns: list[str] = []
        edges: dict[tuple[str, str, str, str], ColumnEdge] = {}
        problems: list[str] = []
        unresolved_columns: list[str] = []
        complete = True
        for select in self._outputs(self.root):
            if _is_star(select):
                complete = False
                unresolved_columns.append(select.sql(dialect=self.dialect))
                problems.append(self._star_problem(select))
                continue
            name = select.alias_or_name
            if not name:
                problems.append(f"unnamed output {select.sql(dialect=self.dialect)}")
                continue
            columns.append(name)
            origins, column_problems = self._select_column(self.root, name)
            if column_problems:
                unresolved_columns.append(name)
                problems.extend(f"{name}: {problem}" for problem in column_problems)
            for source, source_column, bare, expression in origins:
                if source == self.unique_id:
                    continue  # an incremental model reading its own table
                if bare:
                    kind = "passthrough" if source_column == name else "rename"
                    expression = None
                else:
                    kind = "transformation"
                edge = ColumnEdge(name, source, source_column, kind, expression)  # type: ignore[arg-type]
                edges.setdefault((name, source, source_column, kind), edge)

        dependencies, dependency_problems = self._dependencies()
        problems.extend(dependency_problems)
        status: Status = "partial" if problems else "ok"
        reason = None
        if problems:
            shown = "; ".join(problems[:_MAX_REASON_ITEMS])
            more = len(problems) - _MAX_REASON_ITEMS
            reason = f"Could not trace {shown}" + (f"; and {more} more" if more > 0 else "") + "."
        return ModelLineage(
            unique_id=self.unique_id,
            status=status,
            reason=reason,
            columns=tuple(columns),
            columns_complete=complete,
            edges=tuple(edges.values()),
            dependencies=dependencies,
            unresolved=tuple(problems),
            unresolved_columns=tuple(unresolved_columns),
        )

    def _star_problem(self, select: exp.Expr) -> str:
        from sqlglot import exp

        table = select.table if isinstance(select, exp.Column) else ""
        candidates = [self.root.sources.get(table)] if table else self.root.sources.values()
        reasons = []
        for source in candidates:
            if source is not None and hasattr(source, "db"):
                info = self.sources.get(source.db)
                if info is not None:
                    reasons.append(f"{info.label} ({self._why_unknown(info)})")
        where = ", ".join(reasons) or "a source whose columns are unknown"
        return f"select {select.sql(dialect=self.dialect)} from {where}"

    @staticmethod
    def _why_unknown(info: Source) -> str:
        if info.unique_id is None:
            return "not a ref() or source() of this model"
        return info.missing or "its columns are unknown"

    def _dependencies(self) -> tuple[tuple[ColumnDependency, ...], list[str]]:
        from sqlglot import exp

        skipped: set[int] = set()
        for scope in self.scopes:
            if self._ephemeral_of(scope) is not None:
                skipped.update(id(inner) for inner in scope.traverse())
        found: dict[tuple[str, str, str], ColumnDependency] = {}
        problems: list[str] = []

        def add(trace: Trace, kind: DependencyKind) -> None:
            origins, issues = trace
            for source, column, _, _ in origins:
                if source != self.unique_id:
                    found.setdefault((source, column, kind), ColumnDependency(source, column, kind))
            problems.extend(f"{kind} {issue}" for issue in issues)

        for scope in self.scopes:
            if id(scope) in skipped:
                continue
            expression = scope.expression
            if isinstance(expression, exp.Select):
                clauses: list[tuple[exp.Expr | None, DependencyKind]] = [
                    (expression.args.get("where"), "filter"),
                    (expression.args.get("having"), "filter"),
                    (expression.args.get("qualify"), "filter"),
                    (expression.args.get("group"), "group"),
                ]
                clauses += [
                    (join.args.get("on"), "join") for join in expression.args.get("joins") or ()
                ]
                for clause, kind in clauses:
                    if clause is not None:
                        add(self._expression(scope, clause), kind)
            elif isinstance(expression, (exp.Intersect, exp.Except)):
                # The right side only decides which rows of the left survive.
                for branch in scope.set_operation_scopes[1:]:
                    for select in _selects(branch):
                        add(self._select_column(branch, select.alias_or_name), "filter")
        ordered = sorted(found.values(), key=lambda d: (d.kind, d.source, d.source_column))
        return tuple(ordered), problems

    # Tracing --------------------------------------------------------------------------------

    def _select_column(self, scope: Scope, name: str) -> Trace:
        """Where the values of output ``name`` of ``scope`` come from."""
        key = (id(scope), name)
        cached = self.memo.get(key)
        if cached is not None:
            return cached
        if key in self.active:
            return _EMPTY  # a recursive CTE reading itself adds no new sources
        self.active.add(key)
        try:
            trace = self._trace_select(scope, name)
        finally:
            self.active.discard(key)
        self.memo[key] = trace
        return trace

    def _trace_select(self, scope: Scope, name: str) -> Trace:
        from sqlglot import exp

        expression = scope.expression
        if isinstance(expression, exp.SetOperation):
            names = [select.alias_or_name for select in self._outputs(scope)]
            if name not in names:
                return (), (f"no column {name} in a set operation",)
            position = names.index(name)
            by_name = bool(expression.args.get("by_name"))
            branches = scope.set_operation_scopes
            if not isinstance(expression, exp.Union):
                branches = branches[:1]  # INTERSECT / EXCEPT rows carry the left side's values
            origins: list[Origin] = []
            problems: list[str] = []
            for branch in branches:
                branch_names = [select.alias_or_name for select in _selects(branch)]
                if by_name:
                    if name not in branch_names:
                        continue  # UNION BY NAME fills a missing column with NULL
                    branch_name = name
                elif position < len(branch_names):
                    branch_name = branch_names[position]
                else:
                    problems.append(f"a branch of a set operation has no column {position + 1}")
                    continue
                branch_origins, branch_problems = self._select_column(branch, branch_name)
                origins.extend(branch_origins)
                problems.extend(branch_problems)
            return tuple(origins), tuple(problems)
        if not isinstance(expression, exp.Select):
            return _EMPTY  # VALUES and the like: constants
        projection = self._projections(scope, expression).get(name)
        if projection is None:
            return self._through_star(scope, name)
        value = projection.this if isinstance(projection, exp.Alias) else projection
        if isinstance(value, exp.Column) and not isinstance(value.this, exp.Star):
            return self._column(scope, value)
        return self._expression(scope, value, transform=value.sql(dialect=self.dialect))

    def _outputs(self, scope: Scope) -> list[exp.Expr]:
        """The output columns of a scope: its projections, or for ``UNION BY NAME`` every
        name any branch has (in order of first appearance)."""
        from sqlglot import exp

        expression = scope.expression
        if not (isinstance(expression, exp.SetOperation) and expression.args.get("by_name")):
            return _selects(scope)
        found: dict[str, exp.Expr] = {}
        for branch in scope.set_operation_scopes:
            for select in self._outputs(branch):
                found.setdefault(select.alias_or_name, select)
        return list(found.values())

    def _through_star(self, scope: Scope, name: str) -> Trace:
        """A column a query does not name, read through a star sqlglot could not expand
        (its source's columns are unknown): ``SELECT * FROM t`` passes ``t.name`` on."""
        from sqlglot import exp

        missing: Trace = (), (f"no column {name} in {self._scope_label(scope)}",)
        stars = [select for select in _selects(scope) if _is_star(select)]
        if len(stars) != 1:
            return missing
        star = stars[0]
        table = star.table if isinstance(star, exp.Column) else ""
        if not table:
            if len(scope.sources) != 1:
                return missing
            table = next(iter(scope.sources))
        return self._column(scope, exp.column(name, table=table))

    def _projections(self, scope: Scope, select: exp.Select) -> dict[str, exp.Expr]:
        found = self.projections.get(id(scope))
        if found is None:
            found = {}
            for projection in select.selects:
                found.setdefault(projection.alias_or_name, projection)
            self.projections[id(scope)] = found
        return found

    def _expression(
        self, scope: Scope, expression: exp.Expr, transform: str | None = None
    ) -> Trace:
        """Every source read by ``expression`` (columns and subqueries) in ``scope``.

        ``transform`` given: the values are transformed by that expression.
        """
        origins: list[Origin] = []
        problems: list[str] = []
        for kind, item in self._references(expression):
            if kind == "column":
                item_origins, item_problems = self._column(scope, item)
            else:
                item_origins, item_problems = self._subquery(item)
            origins.extend(item_origins)
            problems.extend(item_problems)
        if transform is not None:
            origins = [(source, column, False, transform) for source, column, _, _ in origins]
        return tuple(origins), tuple(problems)

    def _references(self, expression: exp.Expr) -> Iterator[tuple[str, Any]]:
        """The columns and nested queries of ``expression``, not looking inside the latter."""
        from sqlglot import exp

        stack = [expression]
        while stack:
            node = stack.pop()
            if isinstance(node, exp.Column):
                if not isinstance(node.this, exp.Star) and not _is_lambda_variable(node):
                    yield "column", node
                continue
            if node is not expression and isinstance(node, exp.Query):
                yield "query", node
                continue
            if isinstance(node, exp.Window) and node.args.get("alias") is not None:
                stack.extend(_named_window(node))
            stack.extend(node.iter_expressions())

    def _subquery(self, found: exp.Query) -> Trace:
        from sqlglot import exp

        query = found.unnest() if isinstance(found, exp.Subquery) else found
        scope = self.by_expression.get(id(query))
        if scope is None:
            return (), (f"a subquery sqlglot could not scope: {query.sql(dialect=self.dialect)}",)
        origins: list[Origin] = []
        problems: list[str] = []
        for select in self._outputs(scope):
            if _is_star(select):
                continue  # EXISTS (SELECT * ...): the rows matter, not the columns
            select_origins, select_problems = self._select_column(scope, select.alias_or_name)
            origins.extend(select_origins)
            problems.extend(select_problems)
        return tuple(origins), tuple(problems)

    def _column(self, scope: Scope, column: exp.Column) -> Trace:
        from sqlglot import exp

        name, table = column.name, column.table
        owner: Scope | None = scope
        source: Any = None
        if table:
            # A correlated subquery reads the sources of the scopes around it.
            while owner is not None and source is None:
                source = owner.sources.get(table)
                if source is None:
                    owner = owner.parent
        else:
            source = self._unnest_named(scope, name)
            if source is None and len(scope.sources) == 1:
                # sqlglot leaves a column unqualified when its only source has unknown
                # columns; a query with one source can read it from nowhere else.
                source = next(iter(scope.sources.values()))
        if source is None or owner is None:
            if not table:
                known = ", ".join(sorted(scope.sources)) or "no source"
                return (), (f"{name} (cannot tell which of {known} it comes from)",)
            return (), (f"{table}.{name} (unknown source {table})",)
        if isinstance(source, exp.Table):
            info = self.sources.get(source.db)
            if info is None or info.unique_id is None:
                label = info.label if info is not None else source.name
                return (), (
                    f"{name} (reads {label}, which is not a ref() or source() of this model)",
                )
            if info.columns is not None and name not in info.columns:
                return (), (f"{name} (no such column in {info.label})",)
            return ((info.unique_id, name, True, None),), ()
        if id(source) not in self.scope_ids:
            # A recursive CTE's reference to itself is a stand-in scope: trace the real one.
            source = self.by_expression.get(id(source.expression), source)
        ephemeral = self._ephemeral_of(source)
        if ephemeral is not None:
            return ((ephemeral, name, True, None),), ()
        if source.is_udtf:
            inner = source.expression.this if isinstance(source.expression, exp.Lateral) else None
            if isinstance(inner, exp.Subquery):
                # LATERAL (SELECT ...): its columns are that query's columns.
                query = self.by_expression.get(id(inner.unnest()))
                if query is not None:
                    return self._select_column(query, name)
            return self._udtf(source)
        return self._select_column(source, name)

    def _unnest_named(self, scope: Scope, name: str) -> Any:
        """BigQuery-style ``UNNEST(x) AS item``: the alias names a column, not a table."""
        for source in scope.sources.values():
            if getattr(source, "is_udtf", False):
                alias = source.expression.args.get("alias")
                if alias is not None and any(c.name == name for c in alias.columns):
                    return source
        return None

    def _udtf(self, scope: Scope) -> Trace:
        key = (id(scope), "")
        cached = self.memo.get(key)
        if cached is None:
            from sqlglot import exp

            expression = scope.expression
            body = expression.copy()
            body.set("alias", None)
            inner = body.this if isinstance(body, exp.Lateral) else body
            cached = self._expression(scope, expression, transform=inner.sql(dialect=self.dialect))
            self.memo[key] = cached
        return cached

    def _ephemeral_of(self, scope: Any) -> str | None:
        from sqlglot import exp

        if not self.ephemeral or not getattr(scope, "is_cte", False):
            return None
        parent = scope.expression.parent
        return self.ephemeral.get(parent.alias) if isinstance(parent, exp.CTE) else None

    def _scope_label(self, scope: Scope) -> str:
        from sqlglot import exp

        parent = scope.expression.parent
        if isinstance(parent, exp.CTE):
            return f"CTE {parent.alias}"
        if isinstance(parent, exp.Subquery) and parent.alias:
            return f"subquery {parent.alias}"
        return "the query"


def _selects(scope: Scope) -> list[exp.Expr]:
    """The projections of a scope's query (a set operation's are its left side's)."""
    return list(getattr(scope.expression, "selects", ()))


def _is_star(select: exp.Expr) -> bool:
    from sqlglot import exp

    return isinstance(select, exp.Star) or (
        isinstance(select, exp.Column) and isinstance(select.this, exp.Star)
    )


def _named_window(window: exp.Window) -> list[exp.Expr]:
    """The definition of the named window ``OVER w`` refers to (``WINDOW w AS (...)``)."""
    from sqlglot import exp

    select = window.find_ancestor(exp.Select)
    if select is None:
        return []
    name = window.args["alias"].name
    return [
        definition for definition in select.args.get("windows") or () if definition.name == name
    ]


def _is_lambda_variable(column: exp.Column) -> bool:
    from sqlglot import exp

    if column.table:
        return False
    node = column.parent
    while node is not None:
        if isinstance(node, exp.Lambda) and any(
            variable.name == column.name for variable in node.expressions
        ):
            return True
        node = node.parent
    return False
