"""dbt's node selection syntax, parsed into a small tree.

``--select "a+ tag:x,config.materialized:table"`` is a union (space) of intersections (comma)
of criteria; each criterion is ``[@][n+][method[.arg...]:]value[+n]``. A value without a
method is a path when it contains ``/``, a file name when it ends in ``.sql``, ``.py`` or
``.csv``, and an fqn (name, folder or dotted path, wildcards allowed) otherwise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jupyterlab_dbt_workbench.errors import InvalidRequest


class SelectorError(InvalidRequest):
    """A selector that cannot be parsed or names an unknown method or value."""

    reason = "bad_selector"


# The dbt methods; the ones that take ``.arguments`` after the name are listed apart.
METHODS = frozenset(
    {
        "fqn",
        "tag",
        "group",
        "access",
        "source",
        "path",
        "file",
        "package",
        "config",
        "test_name",
        "test_type",
        "resource_type",
        "state",
        "exposure",
        "metric",
        "result",
        "version",
        "semantic_model",
        "saved_query",
        "unit_test",
    }
)
_METHODS_WITH_ARGUMENTS = frozenset({"config"})
# ``unique_id`` is not a dbt method: it lets the workbench focus on one node exactly.
INTERNAL_METHOD = "unique_id"

_CRITERION = re.compile(
    r"\A(?P<at>@)?"
    r"(?:(?P<parents_depth>\d*)(?P<parents>\+))?"
    r"(?:(?P<method>[\w.]+):)?"
    r"(?P<value>.*?)"
    r"(?:(?P<children>\+)(?P<children_depth>\d*))?\Z"
)
_FILE_SUFFIXES = (".sql", ".py", ".csv")


@dataclass(frozen=True)
class Criterion:
    """One selection criterion: a method applied to a value, then graph operators."""

    raw: str
    method: str
    arguments: tuple[str, ...]
    value: str
    childrens_parents: bool = False
    parents: bool = False
    parents_depth: int | None = None
    children: bool = False
    children_depth: int | None = None


@dataclass(frozen=True)
class Intersection:
    """Criteria joined by commas: nodes selected by every one of them."""

    raw: str
    parts: tuple[Criterion, ...]


@dataclass(frozen=True)
class Union:
    """Space-separated intersections: nodes selected by any of them."""

    raw: str
    parts: tuple[Intersection, ...]


def _depth(text: str | None) -> int | None:
    return int(text) if text else None


def default_method(value: str) -> str:
    """The method dbt applies to a value given without one."""
    if "/" in value:
        return "path"
    if value.lower().endswith(_FILE_SUFFIXES):
        return "file"
    return "fqn"


def parse_criterion(raw: str) -> Criterion:
    """Parse one criterion such as ``2+tag:nightly+`` or ``@stg_orders``."""
    match = _CRITERION.match(raw)
    if match is None:  # the pattern accepts any text; kept for a clear message all the same
        raise SelectorError(f"Invalid selector {raw!r}.")
    groups = match.groupdict()
    value = groups["value"]
    method_text = groups["method"]
    if method_text is None:
        method, arguments = default_method(value), ()
    else:
        method, *rest = method_text.split(".")
        arguments = tuple(rest)
        if method not in METHODS:
            raise SelectorError(
                f"Unknown selector method {method!r} in {raw!r}. Known methods: "
                f"{', '.join(sorted(METHODS))}."
            )
        if arguments and method not in _METHODS_WITH_ARGUMENTS:
            raise SelectorError(
                f"The selector method {method!r} takes no '.{'.'.join(arguments)}' "
                f"arguments (in {raw!r})."
            )
        if method in _METHODS_WITH_ARGUMENTS and (not arguments or "" in arguments):
            raise SelectorError(
                f"{raw!r}: say which config key to compare, e.g. config.materialized:table."
            )
    at = bool(groups["at"])
    children = bool(groups["children"])
    if at and children:
        raise SelectorError(f"Invalid selector {raw!r}: '@' and a trailing '+' cannot be combined.")
    return Criterion(
        raw=raw,
        method=method,
        arguments=arguments,
        value=value,
        childrens_parents=at,
        parents=bool(groups["parents"]),
        parents_depth=_depth(groups["parents_depth"]),
        children=children,
        children_depth=_depth(groups["children_depth"]),
    )


def parse_selection(text: str | list[str] | tuple[str, ...]) -> Union:
    """Parse a ``--select`` or ``--exclude`` value (one string, or several as dbt accepts
    with repeated flags) into a union of intersections."""
    texts = [text] if isinstance(text, str) else list(text)
    raw = " ".join(texts)
    intersections = []
    for word in raw.split():
        parts = tuple(parse_criterion(part) for part in word.split(","))
        intersections.append(Intersection(raw=word, parts=parts))
    return Union(raw=raw, parts=tuple(intersections))
