"""Split SQL into statements and decide which of them write to the warehouse.

The workbench refuses writes unless the server allows them, so every statement is typed
before anything runs. The text is tokenized with sqlglot in the project's dialect (so a ``;``
inside a string or a comment never splits a statement) and each statement that looks like a
read is parsed: a ``WITH ... INSERT``, a ``SELECT ... INTO`` or a data-modifying CTE is caught
by walking its tree.

sqlglot does not know every statement of every warehouse (DuckDB's ``EXPORT DATABASE``,
``CHECKPOINT``, some ``PIVOT`` forms...). A statement it cannot parse is typed by its first
keyword instead: a read keyword (``SELECT``, ``WITH``, ``FROM``, ``SHOW``...) with no writing
keyword anywhere in it counts as a read, and the warehouse reports its real syntax errors
with its own position; any other statement counts as writing (refuse when unsure).
``SqlSyntaxError`` is raised only for text that is certainly not SQL: empty input, an
unclosed quote or comment, a statement that does not start with a keyword, or one whose first
word is a misspelt read keyword (``selec``).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from jupyterlab_dbt_workbench.errors import SqlSyntaxError, WriteRefused

StatementKind = Literal[
    "select",
    "with",
    "show",
    "describe",
    "explain",
    "insert",
    "update",
    "delete",
    "merge",
    "create",
    "drop",
    "alter",
    "copy",
    "attach",
    "install",
    "load",
    "pragma",
    "set",
    "other",
]

# dbt adapter type -> sqlglot dialect, where the names differ.
_ADAPTER_DIALECTS = {
    "sqlserver": "tsql",
    "synapse": "tsql",
    "fabric": "fabric",
    "postgres": "postgres",
    "redshift": "redshift",
    "glue": "spark",
    "impala": "hive",
    "firebolt": "postgres",
    "greenplum": "postgres",
    "alloydb": "postgres",
    "cratedb": "postgres",
    "mariadb": "mysql",
    "singlestore": "mysql",
}

# First keywords of statements that only read.
_READ_KINDS: dict[str, StatementKind] = {
    "SELECT": "select",
    "FROM": "select",
    "VALUES": "select",
    "TABLE": "select",
    "PIVOT": "select",
    "UNPIVOT": "select",
    "PIVOT_WIDER": "select",
    "PIVOT_LONGER": "select",
    "WITH": "with",
    "SHOW": "show",
    "DESCRIBE": "describe",
    "DESC": "describe",
    "SUMMARIZE": "describe",
    "EXPLAIN": "explain",
}

# First keywords of statements that write or change the session, typed for the message.
_WRITE_KINDS: dict[str, StatementKind] = {
    "INSERT": "insert",
    "UPSERT": "insert",
    "REPLACE": "insert",
    "UPDATE": "update",
    "DELETE": "delete",
    "TRUNCATE": "delete",
    "MERGE": "merge",
    "CREATE": "create",
    "DROP": "drop",
    "ALTER": "alter",
    "RENAME": "alter",
    "COMMENT": "alter",
    "COPY": "copy",
    "EXPORT": "copy",
    "IMPORT": "copy",
    "UNLOAD": "copy",
    "PUT": "copy",
    "ATTACH": "attach",
    "DETACH": "attach",
    "USE": "attach",
    "INSTALL": "install",
    "FORCE": "install",
    "LOAD": "load",
    "PRAGMA": "pragma",
    "SET": "set",
    "RESET": "set",
    "UNSET": "set",
}

# Words that make a statement sqlglot could not parse count as writing wherever they appear.
_WRITE_WORDS = frozenset(
    {
        "INSERT",
        "UPDATE",
        "DELETE",
        "MERGE",
        "CREATE",
        "DROP",
        "ALTER",
        "TRUNCATE",
        "COPY",
        "ATTACH",
        "DETACH",
        "INSTALL",
        "LOAD",
        "PRAGMA",
        "CALL",
        "EXPORT",
        "IMPORT",
        "GRANT",
        "REVOKE",
        "VACUUM",
        "CHECKPOINT",
    }
)

_EXPLAIN_OPTIONS = frozenset({"ANALYZE", "ANALYSE", "VERBOSE", "FORMATTED", "EXTENDED", "PLAN"})

REFUSED = (
    "Statement {index} ({text}) writes to the warehouse; the workbench refuses writes unless "
    "the server setting DbtWorkbench.allow_sql_writes is True."
)


@dataclass(frozen=True)
class Statement:
    """One statement of a query: ``index`` counts from 1, ``line`` is where it starts (1-based,
    in the text given to ``classify``), ``writes`` says whether the workbench refuses it by
    default."""

    index: int
    text: str
    kind: StatementKind
    writes: bool
    line: int


def sqlglot_dialect(adapter_type: str | None) -> str:
    """The sqlglot dialect for a dbt adapter type (or a sqlglot dialect name); "" if unknown."""
    from sqlglot.dialects import Dialects

    name = (adapter_type or "").lower()
    name = _ADAPTER_DIALECTS.get(name, name)
    return name if name in {d.value for d in Dialects} else ""


def classify(sql: str, dialect: str) -> list[Statement]:
    """Type every statement of ``sql``; ``dialect`` is a dbt adapter type or sqlglot dialect.

    Raises ``SqlSyntaxError`` (with a 1-based line and column) for empty input and text that
    is certainly not SQL; see the module docstring for what counts as writing.
    """
    from sqlglot.dialects.dialect import Dialect
    from sqlglot.errors import TokenError
    from sqlglot.tokens import TokenType

    name = sqlglot_dialect(dialect)
    engine = Dialect.get_or_raise(name)
    try:
        tokens = engine.tokenize(sql)
    except TokenError as error:
        line, column = _token_error_position(sql, str(error))
        raise SqlSyntaxError(
            f"A quote or comment opened at line {line}, column {column} is not closed: the SQL "
            "ends inside it.",
            line=line,
            column=column,
        ) from error
    groups: list[tuple[list[Any], int]] = []
    current: list[Any] = []
    for token in tokens:
        if token.token_type == TokenType.SEMICOLON:
            if current:
                groups.append((current, token.start))
            current = []
        else:
            current.append(token)
    if current:
        groups.append((current, len(sql)))
    if not groups:
        raise SqlSyntaxError("The query is empty: write a SQL statement to run.", line=1, column=1)
    statements = []
    for index, (group, end) in enumerate(groups, start=1):
        start = group[0].start
        text = sql[start:end].strip()
        kind, writes = _classify(engine, name, sql, group, (start, start + len(text)), index)
        line = sql.count("\n", 0, start) + 1
        statements.append(Statement(index=index, text=text, kind=kind, writes=writes, line=line))
    return statements


def check_read_only(statements: Sequence[Statement]) -> None:
    """Raise ``WriteRefused`` naming the first statement that writes, if any does."""
    for statement in statements:
        if statement.writes:
            raise WriteRefused(
                REFUSED.format(index=statement.index, text=_short(statement.text)),
                statement=statement.index,
            )


def _short(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    if len(flat) <= width:
        return flat
    return flat[:width].rsplit(" ", 1)[0] + " ..."


def _position(sql: str, offset: int) -> tuple[int, int]:
    line = sql.count("\n", 0, offset) + 1
    return line, offset - (sql.rfind("\n", 0, offset) + 1) + 1


def _token_error_position(sql: str, message: str) -> tuple[int, int]:
    """Where the unclosed quote or comment opens, as well as it can be told."""
    # sqlglot's message quotes the text read so far ("Error tokenizing '<text>'"): the
    # tokenizer gave up where that text ends, inside the quote or comment opened last.
    prefix = "Error tokenizing '"
    read = message[len(prefix) : -1] if message.startswith(prefix) else ""
    found = sql.rfind(read) if read else -1
    end = found + len(read) if found >= 0 else len(sql)
    opening = max(sql.rfind(opener, 0, end) for opener in ("'", '"', "`", "/*", "$$"))
    return _position(sql, opening if opening >= 0 else min(end, max(len(sql) - 1, 0)))


def _first_word(group: list[Any]) -> tuple[Any, str]:
    """The first token that is not an opening parenthesis, and its upper-case text."""
    from sqlglot.tokens import TokenType

    for token in group:
        if token.token_type != TokenType.L_PAREN:
            return token, token.text.upper()
    return group[0], group[0].text.upper()


def _classify(
    engine: Any, dialect: str, sql: str, group: list[Any], span: tuple[int, int], index: int
) -> tuple[StatementKind, bool]:
    from sqlglot.tokens import TokenType

    first, word = _first_word(group)
    if word == "EXPLAIN":
        return "explain", _explained_writes(dialect, sql[first.end + 1 : span[1]])
    if word in _READ_KINDS:
        return _parsed(engine, sql, group, word)
    if word in _WRITE_KINDS:
        return _WRITE_KINDS[word], True
    if first.token_type in (TokenType.VAR, TokenType.COMMAND) or word.isidentifier():
        close = difflib.get_close_matches(word, list(_READ_KINDS), n=1, cutoff=0.75)
        if close:
            line, column = _position(sql, first.start)
            raise SqlSyntaxError(
                f"Statement {index} starts with '{first.text}' (line {line}, column {column}), "
                f"which is not a SQL statement; did you mean {close[0]}?",
                line=line,
                column=column,
            )
        # A statement of the warehouse that neither sqlglot nor this module knows.
        return "other", True
    line, column = _position(sql, first.start)
    raise SqlSyntaxError(
        f"Statement {index} does not start with a SQL keyword: '{first.text}' at line {line}, "
        f"column {column}.",
        line=line,
        column=column,
    )


def _explained_writes(dialect: str, inner: str) -> bool:
    """Whether the statement under EXPLAIN writes (``EXPLAIN ANALYZE`` runs it)."""
    inner = inner.strip()
    words = inner.split(None, 1)
    while words and words[0].upper() in _EXPLAIN_OPTIONS:
        inner = words[1] if len(words) > 1 else ""
        words = inner.split(None, 1)
    option = inner[1:].lstrip().split(None, 1)[0].strip(",)").upper() if inner[1:].strip() else ""
    if inner.startswith("(") and option in _EXPLAIN_OPTIONS | {"FORMAT", "COSTS", "BUFFERS"}:
        # Postgres-style options: EXPLAIN (ANALYZE, FORMAT JSON) <statement>.
        inner = inner[inner.find(")") + 1 :].strip()
    if not inner:
        return True
    try:
        statements = classify(inner, dialect)
    except SqlSyntaxError:
        return True
    return any(s.writes for s in statements)


def _parsed(engine: Any, sql: str, group: list[Any], word: str) -> tuple[StatementKind, bool]:
    """Type a statement that starts like a read by parsing it."""
    from sqlglot import exp
    from sqlglot.errors import ParseError

    try:
        trees = [tree for tree in engine.parser().parse(group, sql) if tree is not None]
    except ParseError:
        trees = []
    if not trees or any(tree.find(exp.Command) for tree in trees):
        return _READ_KINDS[word], _mentions_write(group)
    kinds = [_tree_kind(tree) for tree in trees]
    writes = any(kind[1] for kind in kinds)
    return kinds[0][0], writes


def _mentions_write(group: list[Any]) -> bool:
    from sqlglot.tokens import TokenType

    quoted = (TokenType.STRING, TokenType.IDENTIFIER, TokenType.HEREDOC_STRING)
    return any(
        token.token_type not in quoted and token.text.upper() in _WRITE_WORDS for token in group
    )


def _tree_kind(tree: Any) -> tuple[StatementKind, bool]:
    from sqlglot import exp

    reads: tuple[tuple[type[Any], StatementKind], ...] = (
        (exp.Show, "show"),
        (exp.Describe, "describe"),
        (exp.Summarize, "describe"),
        (exp.Query, "select"),
        (exp.Values, "select"),
        (exp.Pivot, "select"),
    )
    writers: tuple[tuple[type[Any], StatementKind], ...] = (
        (exp.Insert, "insert"),
        (exp.Update, "update"),
        (exp.Delete, "delete"),
        (exp.TruncateTable, "delete"),
        (exp.Merge, "merge"),
        (exp.Create, "create"),
        (exp.Drop, "drop"),
        (exp.Alter, "alter"),
        (exp.Copy, "copy"),
        (exp.Attach, "attach"),
        (exp.Detach, "attach"),
        (exp.Install, "install"),
        (exp.Pragma, "pragma"),
        (exp.Set, "set"),
    )
    kind: StatementKind | None = next((k for cls, k in reads if isinstance(tree, cls)), None)
    if kind is None:
        return next((k for cls, k in writers if isinstance(tree, cls)), "other"), True
    if kind == "select" and tree.args.get("with_") is not None:
        kind = "with"
    for node in tree.walk():
        # A data-modifying CTE (WITH d AS (DELETE ... RETURNING *) SELECT ...).
        writer = next((k for cls, k in writers if isinstance(node, cls)), None)
        if writer is not None:
            return writer, True
        # SELECT ... INTO creates a table (Postgres, SQL Server).
        if isinstance(node, exp.Select) and node.args.get("into") is not None:
            return "create", True
    return kind, False
