"""The selector methods: which nodes one ``method:value`` names, before any graph operator.

Each follows dbt 1.11's rule for the same method (which kinds of node it looks at, how it
matches: exact, ``fnmatch`` wildcards, case), reading the manifest entries through the
indexes of ``ProjectGraph`` rather than scanning every node where it can.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase, translate
from functools import lru_cache
from pathlib import PurePosixPath
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

from .dag import Member, ProjectGraph
from .selector_parser import INTERNAL_METHOD, Criterion, SelectorError
from .state_compare import StateComparison, shared_comparison

# dbt's NodeType values: anything else is an invalid ``resource_type:``.
RESOURCE_TYPES = frozenset(
    {
        "model",
        "analysis",
        "test",
        "snapshot",
        "operation",
        "seed",
        "rpc",
        "sql_operation",
        "doc",
        "source",
        "macro",
        "exposure",
        "metric",
        "group",
        "saved_query",
        "semantic_model",
        "unit_test",
        "fixture",
        "function",
    }
)
# The kinds held in the manifest's ``nodes`` section (dbt's "parsed nodes").
_PARSED_TYPES = frozenset({"model", "seed", "snapshot", "analysis", "test", "operation"})
_MAGIC = re.compile(r"[*?[\]]")
_TEST_TYPES: Mapping[str, frozenset[str]] = {
    "generic": frozenset({"generic"}),
    "schema": frozenset({"generic"}),
    "data": frozenset({"generic", "singular"}),
    "singular": frozenset({"singular"}),
    "unit": frozenset({"unit"}),
}
_VERSION_VALUES = ("latest", "prerelease", "old", "none")


@dataclass
class SelectionContext:
    """What the methods read: the graph, the state, and the baseline for ``state:``."""

    graph: ProjectGraph
    state: ProjectState
    baseline: ProjectState | None = None
    _comparison: StateComparison | None = field(default=None, init=False, repr=False)

    def comparison(self, raw: str) -> StateComparison:
        if self.baseline is None:
            raise SelectorError(
                f"{raw!r} compares with a baseline: give one (a stored snapshot version, or a "
                "folder holding the manifest.json to compare with)."
            )
        if self._comparison is None:
            self._comparison = shared_comparison(self.state, self.baseline)
        return self._comparison


def has_magic(text: str) -> bool:
    """Whether ``text`` holds fnmatch wildcards."""
    return _MAGIC.search(text) is not None


@lru_cache(maxsize=512)
def _matcher(pattern: str) -> Callable[[str], Any]:
    return re.compile(translate(pattern)).match


def _keys_matching(index: Mapping[str, Sequence[str]], pattern: str) -> set[str]:
    if not has_magic(pattern):
        return set(index.get(pattern, ()))
    match = _matcher(pattern)
    found: set[str] = set()
    for key, ids in index.items():
        if match(key):
            found.update(ids)
    return found


def _members(graph: ProjectGraph, *types: str) -> Iterable[Member]:
    members = graph.members
    for resource_type in types:
        for unique_id in graph.by_type.get(resource_type, ()):
            yield members[unique_id]


# fqn -----------------------------------------------------------------------------------------


def _fqn_matches(
    fqn: tuple[str, ...], flat: tuple[str, ...], versioned: bool, value: str, parts: list[str]
) -> bool:
    """dbt's ``is_selected_node`` for one fqn (with or without its package)."""
    if not fqn:
        return False
    if versioned and len(fqn) >= 2:
        if fqn[-2] == value or f"{fqn[-2]}_{fqn[-1]}" == "_".join(parts[-2:]):
            return True
    elif fqn[-1] == value:
        return True
    if len(flat) < len(parts):
        return False
    for index, part in enumerate(parts):
        if has_magic(part):
            if fnmatchcase(".".join(flat[index:]), ".".join(parts[index:])):
                return True
            if "." not in value:
                leaf = fqn[-2] if versioned and len(fqn) >= 2 else fqn[-1]
                return fnmatchcase(leaf, value)
            return False
        if flat[index] != part:
            return False
    return True


def _fqn_member(member: Member, value: str, parts: list[str]) -> bool:
    versioned = member.is_versioned
    return _fqn_matches(member.fqn, member.flat, versioned, value, parts) or _fqn_matches(
        member.fqn[1:], member.flat_unscoped, versioned, value, parts
    )


def _fqn(context: SelectionContext, criterion: Criterion) -> set[str]:
    graph, value = context.graph, criterion.value
    parts = value.split(".")
    if value == "*":
        return {member.unique_id for member in graph.non_sources}
    if has_magic(parts[0]):
        # A wildcard from the first part on: the pattern is matched against the dotted fqn,
        # the dotted fqn without the package and (without dots) the name of every node.
        return _fqn_scan(graph, value)
    # Otherwise a node matches by its name, or by a prefix of its fqn starting with parts[0].
    members = graph.members
    found = set()
    candidates = [*graph.by_leaf.get(value, ()), *graph.by_leaf.get("_".join(parts[-2:]), ())]
    for unique_id in candidates:
        member = members[unique_id]
        if member.resource_type != "source" and _fqn_member(member, value, parts):
            found.add(unique_id)
    heads = graph.by_head.get(parts[0], ())
    if any(has_magic(part) for part in parts):
        for unique_id in heads:
            member = members[unique_id]
            if member.resource_type != "source" and _fqn_member(member, value, parts):
                found.add(unique_id)
        return found
    # No wildcard: a prefix of the (flattened) fqn, with or without the package.
    prefix, count = tuple(parts), len(parts)
    for unique_id in heads:
        member = members[unique_id]
        if (
            member.flat[:count] == prefix or member.flat_unscoped[:count] == prefix
        ) and member.resource_type != "source":
            found.add(unique_id)
    return found


def _fqn_scan(graph: ProjectGraph, value: str) -> set[str]:
    """Nodes whose dotted fqn (with or without the package) or, for a value without dots,
    whose name matches the wildcard ``value``."""
    match = _matcher(value)
    count = len(value.split("."))
    if value.startswith("*"):
        # A leading "*" absorbs any prefix: whatever matches the fqn without the package,
        # or the name, matches the whole dotted fqn too.
        return {
            member.unique_id
            for member in graph.non_sources
            if len(member.flat) >= count and match(member.dotted)
        }
    bare = "." not in value
    found = set()
    for member in graph.non_sources:
        if (
            (len(member.flat) >= count and match(member.dotted))
            or (len(member.flat_unscoped) >= count and match(member.dotted_unscoped))
            or (bare and match(member.fqn[-2] if member.is_versioned else member.fqn[-1]))
        ):
            found.add(member.unique_id)
    return found


# Simple attribute methods ----------------------------------------------------------------------


def _tag(context: SelectionContext, criterion: Criterion) -> set[str]:
    return _keys_matching(context.graph.by_tag, criterion.value)


def _package(context: SelectionContext, criterion: Criterion) -> set[str]:
    value = criterion.value
    if value == "this" and context.graph.project_name:
        value = context.graph.project_name
    return _keys_matching(context.graph.by_package, value)


def _file(context: SelectionContext, criterion: Criterion) -> set[str]:
    return _keys_matching(context.graph.by_file, criterion.value)


def _resource_type(context: SelectionContext, criterion: Criterion) -> set[str]:
    if criterion.value not in RESOURCE_TYPES:
        raise SelectorError(
            f"Unknown resource type in {criterion.raw!r}. Use one of: "
            f"{', '.join(sorted(RESOURCE_TYPES))}."
        )
    return set(context.graph.by_type.get(criterion.value, ()))


def _group(context: SelectionContext, criterion: Criterion) -> set[str]:
    match = _matcher(criterion.value)
    return {
        member.unique_id
        for member in _members(context.graph, *_PARSED_TYPES, "metric")
        if isinstance(group := member.config.get("group"), str) and group and match(group)
    }


def _access(context: SelectionContext, criterion: Criterion) -> set[str]:
    nodes = context.state.nodes
    return {
        member.unique_id
        for member in _members(context.graph, "model")
        if nodes[member.unique_id].raw.get("access") == criterion.value
    }


def _dotted_parts(criterion: Criterion, most: int, form: str) -> list[str]:
    parts = criterion.value.split(".")
    if len(parts) > most:
        raise SelectorError(f"Invalid selector {criterion.raw!r}: write it as {form}.")
    return parts


def _source(context: SelectionContext, criterion: Criterion) -> set[str]:
    parts = _dotted_parts(
        criterion,
        3,
        "source:<source_name>, source:<source_name>.<table> or "
        "source:<package>.<source_name>.<table>",
    )
    if len(parts) == 1:
        package, source, table = "*", parts[0], "*"
    elif len(parts) == 2:
        package, source, table = "*", parts[0], parts[1]
    else:
        package, source, table = parts
    match_package, match_source, match_table = _matcher(package), _matcher(source), _matcher(table)
    return {
        member.unique_id
        for member in _members(context.graph, "source")
        if match_package(member.package)
        and match_source(member.source_name or "")
        and match_table(member.name)
    }


def _named(resource_type: str) -> Callable[[SelectionContext, Criterion], set[str]]:
    """``exposure:``, ``metric:``...: ``name`` or ``package.name``, wildcards allowed."""

    def search(context: SelectionContext, criterion: Criterion) -> set[str]:
        parts = _dotted_parts(
            criterion, 2, f"{criterion.method}:<name> or {criterion.method}:<package>.<name>"
        )
        package, name = ("*", parts[0]) if len(parts) == 1 else parts
        match_package, match_name = _matcher(package), _matcher(name)
        return {
            member.unique_id
            for member in _members(context.graph, resource_type)
            if match_package(member.package) and match_name(member.name)
        }

    return search


# Paths ---------------------------------------------------------------------------------------


def _segment_regex(segment: str) -> str:
    """One glob segment as a regex that never crosses a ``/``."""
    out, index, length = [], 0, len(segment)
    while index < length:
        char = segment[index]
        index += 1
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[":
            # fnmatch's rule: a leading "!" negates, a "]" right after "[" or "[!" is literal.
            end = index
            if end < length and segment[end] == "!":
                end += 1
            if end < length and segment[end] == "]":
                end += 1
            while end < length and segment[end] != "]":
                end += 1
            if end >= length:
                out.append(r"\[")
                continue
            body = segment[index:end].replace("\\", "\\\\")
            index = end + 1
            if body.startswith("!"):
                body = "^" + body[1:]
            elif body.startswith("^"):
                body = "\\" + body
            out.append(f"[{body}]")
        else:
            out.append(re.escape(char))
    return "".join(out)


@lru_cache(maxsize=256)
def _glob_regex(parts: tuple[str, ...]) -> tuple[re.Pattern[str], bool]:
    """pathlib's glob as a regex over relative paths: ``*``, ``?`` and ``[]`` within one
    segment, ``**`` for any number of folders. The flag says the pattern names folders only
    (it ends in ``**``)."""
    pieces: list[str] = []
    separate = False  # whether the next segment needs a "/" before it
    for index, part in enumerate(parts):
        if part == "**" and index == len(parts) - 1:
            pieces.append("(?:/[^/]+)*" if pieces else "[^/]+(?:/[^/]+)*")
        elif part == "**":
            pieces.append(("/" if separate else "") + "(?:[^/]+/)*")
            separate = False
        else:
            pieces.append(("/" if separate else "") + _segment_regex(part))
            separate = True
    return re.compile("".join(pieces) + r"\Z"), parts[-1] == "**"


def _path(context: SelectionContext, criterion: Criterion) -> set[str]:
    graph, value = context.graph, criterion.value
    if value.startswith("/"):
        raise SelectorError(
            f"Invalid selector {criterion.raw!r}: paths are relative to the project folder."
        )
    pattern = PurePosixPath(value).parts
    if not pattern:
        raise SelectorError(f"Invalid selector {criterion.raw!r}: give a folder or a file.")
    if any(has_magic(part) for part in pattern):
        regex, folders_only = _glob_regex(pattern)
        named = {
            key
            for key in graph.path_keys
            if regex.match(key) and (not folders_only or key in graph.folders)
        }
    else:
        path = "/".join(pattern)
        named = {path} if path in graph.path_keys else set()
    if not named:
        return set()
    # A node is named by its file, by a folder holding its file, or by its YAML patch file.
    found: set[str] = set()
    for path, ids in graph.by_source_file.items():
        if path in named or any(folder in named for folder in _parents(path)):
            found.update(ids)
    for path in named:
        found.update(graph.by_patch_file.get(path, ()))
    return found


def _parents(path: str) -> Iterable[str]:
    while "/" in path:
        path = path.rpartition("/")[0]
        yield path


# Config --------------------------------------------------------------------------------------

_MISSING = object()


def _descend(config: Mapping[str, Any], keys: tuple[str, ...]) -> Any:
    value: Any = config
    for index, key in enumerate(keys):
        if not isinstance(value, Mapping):
            return _MISSING
        if key in value:
            value = value[key]
        elif index == 0 and key.replace("_", "-") in value:
            # dbt's config object names hooks pre_hook; the manifest writes pre-hook.
            value = value[key.replace("_", "-")]
        else:
            return _MISSING
    return value


class _ConfigIndex:
    """The values of one config key path over the configurable nodes: text values (upper-cased
    when compared without case) and booleans, each -> ids."""

    def __init__(self, graph: ProjectGraph, keys: tuple[str, ...], fold_case: bool) -> None:
        self.fold_case = fold_case
        self.texts: dict[str, set[str]] = {}
        self.flags: dict[str, set[str]] = {}
        for member in _members(graph, *_PARSED_TYPES, "source"):
            value = _descend(member.config, keys)
            if value is _MISSING:
                continue
            for item in value if isinstance(value, list) else (value,):
                if item is True or item is False:
                    self.flags.setdefault(str(item).lower(), set()).add(member.unique_id)
                elif isinstance(item, str):
                    key = item.upper() if fold_case else item
                    self.texts.setdefault(key, set()).add(member.unique_id)

    def matching(self, wanted: str) -> set[str]:
        """dbt's rule: equal text (any case for severities), or a boolean named by
        ``true``/``false`` in any case."""
        found = set(self.texts.get(wanted.upper() if self.fold_case else wanted, ()))
        found.update(self.flags.get(wanted.lower(), ()))
        return found


def _config(context: SelectionContext, criterion: Criterion) -> set[str]:
    keys = criterion.arguments
    # dbt compares test severities without case ("warn" finds "WARN").
    fold_case = keys == ("severity",)
    lazy = context.graph.lazy
    index = lazy.get(("config", keys))
    if index is None:
        index = lazy[("config", keys)] = _ConfigIndex(context.graph, keys, fold_case)
    return index.matching(criterion.value)


# Tests ---------------------------------------------------------------------------------------


def _test_name(context: SelectionContext, criterion: Criterion) -> set[str]:
    return _keys_matching(context.graph.by_test_name, criterion.value)


def _test_type(context: SelectionContext, criterion: Criterion) -> set[str]:
    kinds = _TEST_TYPES.get(criterion.value)
    if kinds is None:
        raise SelectorError(
            f"Unknown test type in {criterion.raw!r}: use generic, singular, unit or data."
        )
    found: set[str] = set()
    for kind in kinds:
        found.update(context.graph.by_test_kind.get(kind, ()))
    return found


# Artifacts -----------------------------------------------------------------------------------


def _result(context: SelectionContext, criterion: Criterion) -> set[str]:
    members = context.graph.members
    return {
        unique_id
        for unique_id, result in context.state.run_results.items()
        if result.status == criterion.value and unique_id in members
    }


def _state(context: SelectionContext, criterion: Criterion) -> set[str]:
    comparison = context.comparison(criterion.raw)
    return set(comparison.selected(criterion.value, context.graph.members))


def _version_key(version: Any) -> tuple[int, float, str]:
    # dbt compares versions as numbers when both are numbers, as text otherwise.
    try:
        return (0, float(version), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(version))


def _version_less(left: Any, right: Any) -> bool:
    left_key, right_key = _version_key(left), _version_key(right)
    if left_key[0] == right_key[0] == 0:
        return left_key[1] < right_key[1]
    return str(left) < str(right)


def _version(context: SelectionContext, criterion: Criterion) -> set[str]:
    value = criterion.value
    if value not in _VERSION_VALUES:
        raise SelectorError(
            f"Unknown version selector {criterion.raw!r}: use one of "
            f"{', '.join(f'version:{name}' for name in _VERSION_VALUES)}."
        )
    nodes = context.state.nodes
    found = set()
    for member in _members(context.graph, "model"):
        raw = nodes[member.unique_id].raw
        version, latest = raw.get("version"), raw.get("latest_version")
        if value == "none":
            selected = version is None
        elif value == "latest":
            selected = version is not None and version == latest
        elif version is None or latest is None:
            selected = False
        elif value == "prerelease":
            selected = _version_less(latest, version)
        else:
            selected = _version_less(version, latest)
        if selected:
            found.add(member.unique_id)
    return found


def _unique_id(context: SelectionContext, criterion: Criterion) -> set[str]:
    return {criterion.value} if criterion.value in context.graph.members else set()


METHOD_SEARCH: Mapping[str, Callable[[SelectionContext, Criterion], set[str]]] = {
    "fqn": _fqn,
    "tag": _tag,
    "group": _group,
    "access": _access,
    "source": _source,
    "path": _path,
    "file": _file,
    "package": _package,
    "config": _config,
    "test_name": _test_name,
    "test_type": _test_type,
    "resource_type": _resource_type,
    "state": _state,
    "exposure": _named("exposure"),
    "metric": _named("metric"),
    "semantic_model": _named("semantic_model"),
    "saved_query": _named("saved_query"),
    "unit_test": _named("unit_test"),
    "result": _result,
    "version": _version,
    INTERNAL_METHOD: _unique_id,
}


def search(context: SelectionContext, criterion: Criterion) -> set[str]:
    """The nodes ``criterion``'s method and value name (its graph operators not applied)."""
    return METHOD_SEARCH[criterion.method](context, criterion)
