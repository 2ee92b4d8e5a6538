"""Apply a metadata edit to the parsed YAML of a properties file, in the file's own style.

Conventions follow the file first (``tests:`` or ``data_tests:``, ``tags:`` or ``config:
tags:``, test arguments under ``arguments:`` or not, flow or block tag lists and their
quoting), then the dbt version that wrote the manifest when the file gives no hint.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    FoldedScalarString,
    LiteralScalarString,
    SingleQuotedScalarString,
)

from jupyterlab_dbt_workbench.errors import InvalidRequest

from .edits import ColumnEdit, GenericTest, MetadataEdit

_QUOTED = (DoubleQuotedScalarString, SingleQuotedScalarString)
_BLOCK = (LiteralScalarString, FoldedScalarString)


def dbt_version_tuple(version: str | None) -> tuple[int, ...]:
    """``"1.11.16"`` as ``(1, 11, 16)``; an unknown version counts as the newest."""
    parts: list[int] = []
    for piece in (version or "").split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        if not digits:
            break
        parts.append(int(digits))
    return tuple(parts) if parts else (99,)


@dataclass(frozen=True)
class Conventions:
    """How this file writes what an edit may add."""

    tests_key: str
    config_form: bool
    arguments_form: bool
    tags_flow: bool
    tags_quote: type | None

    @classmethod
    def of(cls, data: Any, dbt_version: str | None) -> Conventions:
        """Read the conventions of ``data``, falling back on ``dbt_version``'s defaults."""
        version = dbt_version_tuple(dbt_version)
        seen: set[str] = set()
        sample: Any = None
        for parent_key, key, value in _walk(data, None):
            if key in ("tests", "data_tests") and isinstance(value, list):
                seen.add(key)
            elif key == "config" and isinstance(value, Mapping) and {"tags", "meta"} & set(value):
                seen.add("config")
            elif key in ("tags", "meta") and parent_key != "config":
                seen.add("top")
            elif key == "arguments" and parent_key in ("accepted_values", "relationships"):
                seen.add("arguments")
            elif key in ("accepted_values", "relationships") and isinstance(value, Mapping):
                seen.add("arguments" if "arguments" in value else "legacy_arguments")
            if key == "tags" and isinstance(value, CommentedSeq) and sample is None:
                sample = value
        if "data_tests" in seen or ("tests" not in seen and version >= (1, 8)):
            tests_key = "data_tests"
        else:
            tests_key = "tests"
        # dbt 1.10 moved tags and meta under config; a file using one form only keeps it.
        if ("config" in seen) != ("top" in seen):
            config_form = "config" in seen
        else:
            config_form = version >= (1, 10)
        if "arguments" in seen or "legacy_arguments" in seen:
            arguments_form = "arguments" in seen
        else:
            arguments_form = version >= (1, 10, 5)
        flow, quote = True, DoubleQuotedScalarString
        if sample is not None:
            flow = bool(sample.fa.flow_style())
            first = sample[0] if len(sample) else None
            quote = type(first) if isinstance(first, _QUOTED) else None  # type: ignore[assignment]
        return cls(tests_key, config_form, arguments_form, flow, quote)


def _walk(value: Any, parent_key: str | None) -> Iterator[tuple[str | None, str, Any]]:
    if isinstance(value, Mapping):
        for key, child in value.items():
            yield parent_key, str(key), child
            yield from _walk(child, str(key))
    elif isinstance(value, list):
        for child in value:
            yield from _walk(child, parent_key)


def _owns(mapping: Any, key: str) -> bool:
    """Whether ``key`` is written in ``mapping`` itself, not brought in by a ``<<:`` merge."""
    if key not in mapping:
        return False
    own = getattr(mapping, "_ok", None)
    return own is None or not getattr(mapping, "merge", None) or key in own


def _writable(container: Any, what: str) -> Any:
    anchor = getattr(getattr(container, "anchor", None), "value", None)
    if anchor:
        raise InvalidRequest(
            f"The {what} is shared with other entries through the YAML anchor &{anchor}; "
            "changing it here would change them too. Edit the file by hand."
        )
    return container


def _child(parent: CommentedMap, key: str, what: str, after: tuple[str, ...]) -> CommentedMap:
    """The mapping at ``parent[key]``, created (placed after the ``after`` keys) if missing."""
    if key in parent and not _owns(parent, key):
        raise InvalidRequest(
            f"The {what} comes from a YAML merge (<<:) shared with other entries. Edit the "
            "file by hand."
        )
    if key in parent:
        value = parent[key]
        if not isinstance(value, CommentedMap):
            raise InvalidRequest(f"The {what} in the file is not a mapping; edit it by hand.")
        return _writable(value, what)
    created = CommentedMap()
    _insert_after(parent, key, created, after)
    return created


def _insert_after(parent: CommentedMap, key: str, value: Any, after: tuple[str, ...]) -> None:
    keys = list(parent.keys())
    positions = [keys.index(name) + 1 for name in after if name in keys and _owns(parent, name)]
    parent.insert(max(positions) if positions else len(parent), key, value)


def _styled_text(old: Any, text: str) -> Any:
    """``text`` in the scalar style ``old`` was written in (quotes, ``|`` or ``>``)."""
    if isinstance(old, _BLOCK):
        # The block kept its trailing newline ('clip'); a form's textarea drops it.
        if str(old).endswith("\n") and not text.endswith("\n"):
            text += "\n"
        kind = LiteralScalarString if "\n" in text.rstrip("\n") else type(old)
        return kind(text)
    if "\n" in text:
        return LiteralScalarString(text if text.endswith("\n") else text + "\n")
    if isinstance(old, _QUOTED):
        return type(old)(text)
    return text


def _set_text(mapping: CommentedMap, key: str, text: str, after: tuple[str, ...]) -> None:
    old = mapping.get(key)
    if old is not None and str(old).strip() == text.strip():
        return
    if not text.strip():
        if _owns(mapping, key):
            del mapping[key]
        elif key in mapping:
            mapping[key] = ""
        return
    if key in mapping:
        mapping[key] = _styled_text(old, text)
    else:
        _insert_after(mapping, key, _styled_text(None, text), after)


class _Editor:
    """Applies edits to one entry (a model, seed, snapshot or source table)."""

    def __init__(self, conventions: Conventions) -> None:
        self.style = conventions

    def _tag_list(self, old: Any, tags: tuple[str, ...]) -> CommentedSeq:
        sample = old if isinstance(old, CommentedSeq) else None
        flow = bool(sample.fa.flow_style()) if sample is not None else self.style.tags_flow
        quote: type | None = self.style.tags_quote
        if sample is not None and len(sample):
            quote = type(sample[0]) if isinstance(sample[0], _QUOTED) else None
        seq = CommentedSeq([quote(tag) if quote else tag for tag in tags])
        if flow:
            seq.fa.set_flow_style()
        else:
            seq.fa.set_block_style()
        return seq

    def set_tags(self, entry: CommentedMap, tags: tuple[str, ...], what: str) -> None:
        """Replace the tags of ``entry`` where the file keeps them."""
        config = entry.get("config") if _owns(entry, "config") else None
        in_config = isinstance(config, CommentedMap) and "tags" in config
        after: tuple[str, ...] = ("name", "description")
        if _owns(entry, "tags") or (not in_config and not self.style.config_form):
            holder = entry
        else:
            holder = _child(entry, "config", f"config of {what}", ("name", "description"))
            after = ()
        _writable(holder, f"config of {what}")
        old = holder.get("tags")
        current = [str(tag) for tag in old] if isinstance(old, list) else []
        if isinstance(old, str):
            current = [old]
        if current == list(tags):
            return
        if not tags:
            if "tags" in holder:
                del holder["tags"]
            if holder is not entry and not holder:
                del entry["config"]
            return
        if "tags" in holder:
            holder["tags"] = self._tag_list(old, tags)
        else:
            _insert_after(holder, "tags", self._tag_list(None, tags), after)

    def set_owner(self, entry: CommentedMap, owner: str, what: str) -> None:
        """Write ``meta.owner`` where the file has it (both places if both), else by form."""
        holders: list[tuple[CommentedMap, CommentedMap, str]] = []
        if _owns(entry, "meta") and isinstance(entry["meta"], CommentedMap):
            holders.append((entry, entry["meta"], "meta"))
        config = entry.get("config") if _owns(entry, "config") else None
        if isinstance(config, CommentedMap) and isinstance(config.get("meta"), CommentedMap):
            holders.append((config, config["meta"], "meta"))
        with_owner = [holder for holder in holders if "owner" in holder[1]]
        if with_owner:
            for parent, meta, key in with_owner:
                _writable(meta, f"meta of {what}")
                if owner:
                    if str(meta["owner"]) != owner:
                        meta["owner"] = _styled_text(meta["owner"], owner)
                else:
                    del meta["owner"]
                    if not meta:
                        del parent[key]
            return
        if not owner:
            return
        if holders:
            _writable(holders[0][1], f"meta of {what}")["owner"] = owner
            return
        if self.style.config_form:
            config_map = _child(entry, "config", f"config of {what}", ("name", "description"))
            meta = _child(config_map, "meta", f"meta of {what}", ("tags",))
        else:
            meta = _child(entry, "meta", f"meta of {what}", ("name", "description", "tags"))
        meta["owner"] = owner

    def add_test(self, column: CommentedMap, test: GenericTest, what: str) -> None:
        """Add a generic test to a column, unless it already has one of that name."""
        key = next((k for k in ("data_tests", "tests") if _owns(column, k)), self.style.tests_key)
        tests = column.get(key)
        if tests is None:
            tests = CommentedSeq()
            column[key] = tests
        if not isinstance(tests, CommentedSeq):
            raise InvalidRequest(f"The {key} of {what} is not a list; edit the file by hand.")
        _writable(tests, f"{key} of {what}")
        for existing in tests:
            name = existing if isinstance(existing, str) else next(iter(existing or {}), None)
            if name == test.name:
                if test.arguments:
                    raise InvalidRequest(
                        f"{what} already has a {test.name} test; change it in the file."
                    )
                return
        if not test.arguments:
            tests.append(test.name)
            return
        arguments = CommentedMap()
        for name, value in test.arguments.items():
            if isinstance(value, list):
                items = CommentedSeq(
                    [DoubleQuotedScalarString(v) if isinstance(v, str) else v for v in value]
                )
                items.fa.set_flow_style()
                arguments[name] = items
            else:
                arguments[name] = value
        body = CommentedMap({"arguments": arguments}) if self.style.arguments_form else arguments
        tests.append(CommentedMap({test.name: body}))

    def edit_column(self, entry: CommentedMap, change: ColumnEdit, what: str) -> None:
        """Apply one column's changes, adding the column to the file if needed."""
        if _owns(entry, "columns"):
            columns = entry["columns"]
        elif "columns" in entry:
            raise InvalidRequest(
                f"The columns of {what} come from a YAML merge (<<:); edit the file by hand."
            )
        else:
            columns = CommentedSeq()
            entry["columns"] = columns
        if not isinstance(columns, CommentedSeq):
            raise InvalidRequest(f"The columns of {what} are not a list; edit the file by hand.")
        _writable(columns, f"columns list of {what}")
        column = _find(columns, change.name) or _find(columns, change.name, fold=True)
        label = f"column {change.name!r} of {what}"
        if column is None:
            if not (change.description or "").strip() and not change.tags and not change.add_tests:
                return  # nothing to write about a column the file does not list
            column = CommentedMap({"name": change.name})
            columns.append(column)
        _writable(column, label)
        if change.description is not None:
            _set_text(column, "description", change.description, ("name",))
        if change.tags is not None:
            self.set_tags(column, change.tags, label)
        for test in change.add_tests:
            self.add_test(column, test, label)


def _find(entries: Any, name: str, *, fold: bool = False) -> CommentedMap | None:
    for entry in entries:
        if not isinstance(entry, CommentedMap):
            continue
        value = entry.get("name")
        if value == name or (fold and isinstance(value, str) and value.lower() == name.lower()):
            return entry
    return None


def find_entry(data: Any, section: str, name: str, table: str | None) -> CommentedMap | None:
    """The entry of ``name`` under ``section`` (``models``...); for sources, ``name`` is the
    source and ``table`` the table."""
    if not isinstance(data, CommentedMap) or not isinstance(data.get(section), list):
        return None
    entry = _find(data[section], name)
    if entry is None or table is None:
        return entry
    tables = entry.get("tables")
    return _find(tables, table) if isinstance(tables, list) else None


def apply_edit(
    entry: CommentedMap, edit: MetadataEdit, conventions: Conventions, what: str
) -> None:
    """Change ``entry`` (in place) as ``edit`` asks."""
    _writable(entry, what)
    editor = _Editor(conventions)
    if edit.description is not None:
        _set_text(entry, "description", edit.description, ("name",))
    if edit.tags is not None:
        editor.set_tags(entry, edit.tags, what)
    if edit.owner is not None:
        editor.set_owner(entry, edit.owner, what)
    for column in edit.columns:
        editor.edit_column(entry, column, what)
