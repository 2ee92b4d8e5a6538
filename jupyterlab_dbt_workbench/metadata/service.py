"""Preview and apply metadata edits: a diff first, then a write that can never break a file.

``preview`` reads the file, applies the edit in memory and returns the unified diff with a
``base`` token (the sha256 of the text it read). ``apply`` takes that token back: under a
per-file lock it re-reads the file and refuses (``FileChanged``) if someone changed it since,
proves the new text parses, and replaces the file atomically (temp file + ``os.replace`` in
the same folder). Two applies from the same preview: the first writes, the second is refused.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import tempfile
import threading
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import FileChanged, InvalidRequest, InvalidYaml, NodeNotFound

from .change import Conventions, apply_edit, find_entry
from .document import YamlDocument, check_valid
from .edits import MetadataEdit
from .locate import Place, place_of
from .payloads import EditableColumn, EditableNode, MetadataApplied, MetadataPreview

MISSING = "missing"
"""The ``base`` of a file that does not exist yet."""

SAVED_NOTE = (
    "The workbench shows the old text until dbt parses the project again (dbt parse, or any run)."
)

_locks: dict[Path, threading.Lock] = {}
_locks_guard = threading.Lock()


def _lock(path: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(path, threading.Lock())


def sha256(text: str | None) -> str:
    """The ``base`` token of a file's content (``MISSING`` when there is no file)."""
    if text is None:
        return MISSING
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _read(place: Place) -> str | None:
    try:
        return place.path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        return None
    except UnicodeDecodeError as error:
        raise InvalidYaml(
            f"{place.relative} is not UTF-8 text, so it was not changed.", path=place.relative
        ) from error


@dataclass(frozen=True)
class _Plan:
    place: Place
    before: str | None
    after: str

    @property
    def diff(self) -> str:
        old = (self.before or "").splitlines(keepends=True)
        new = self.after.splitlines(keepends=True)
        lines = difflib.unified_diff(
            old,
            new,
            fromfile="/dev/null" if self.before is None else f"a/{self.place.relative}",
            tofile=f"b/{self.place.relative}",
        )
        return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def _skeleton(before: str | None, place: Place) -> str:
    """The text to parse: the file, with its section and the node's entry appended when they
    are missing (so new lines follow the file's own layout)."""
    document = YamlDocument(before or "", place.relative)
    data = document.data
    if data is not None and not isinstance(data, Mapping):
        raise InvalidRequest(f"{place.relative} is not a YAML mapping; dbt cannot read it either.")
    if find_entry(data, place.section, place.name, place.table) is not None:
        return before or ""
    if place.table is not None:
        raise NodeNotFound(
            f"Source table {place.name}.{place.table} is not in {place.relative} any more. "
            "Run dbt parse to refresh the artifacts, then try again."
        )
    text = before or "version: 2\n"
    if not text.endswith("\n"):
        text += "\n"
    if data is None or place.section not in data:
        return f"{text}\n{place.section}:\n  - name: {_quoted(place.name)}\n"
    section = data[place.section]
    if not isinstance(section, list):
        raise InvalidRequest(f"'{place.section}' in {place.relative} is not a list.")
    # Appended through the parsed data, so the indentation is the section's own.
    document.data[place.section].append({"name": place.name})
    return document.render()


def _quoted(name: str) -> str:
    return name if name.replace("_", "").isalnum() else f'"{name}"'


def _plan(state: ProjectState, edit: MetadataEdit, before: str | None, place: Place) -> _Plan:
    text = _skeleton(before, place)
    document = YamlDocument(text, place.relative)
    entry = find_entry(document.data, place.section, place.name, place.table)
    if entry is None:  # _skeleton added it; not finding it means the file is unusual
        raise InvalidRequest(f"Cannot find or add {place.label} in {place.relative}.")
    conventions = Conventions.of(document.data, state.metadata.dbt_version)
    apply_edit(entry, edit, conventions, place.label)
    after = document.render()
    if after == text and before is not None:
        after = before
    check_valid(after, place.relative)
    return _Plan(place, before, after)


def preview(state: ProjectState, edit: MetadataEdit) -> MetadataPreview:
    """The diff ``edit`` would make, and the ``base`` token to give ``apply``."""
    place = place_of(state, edit.node)
    before = _read(place)
    plan = _plan(state, edit, before, place)
    return MetadataPreview(
        project=state.project.id,
        node=place.node.unique_id,
        file=place.relative,
        created=before is None,
        changed=plan.after != (before or ""),
        diff=plan.diff,
        base=sha256(before),
    )


def apply(state: ProjectState, edit: MetadataEdit, base: str) -> MetadataApplied:
    """Write ``edit`` if the file is still as it was when ``base`` was read."""
    if not isinstance(base, str) or not base:
        raise InvalidRequest("'base' is required: the token the preview returned.")
    place = place_of(state, edit.node)
    with _lock(place.path):
        before = _read(place)
        if sha256(before) != base:
            raise FileChanged(
                f"{place.relative} changed since this edit was previewed (someone else saved "
                "it, or another edit went first). Nothing was written: preview again to see "
                "the current file."
            )
        plan = _plan(state, edit, before, place)
        changed = plan.after != (before or "")
        if changed:
            _write_atomically(place.path, plan.after)
    return MetadataApplied(
        project=state.project.id,
        node=place.node.unique_id,
        file=place.relative,
        created=before is None,
        changed=changed,
        diff=plan.diff,
        sha256=sha256(plan.after),
        message=(f"Saved {place.relative}. {SAVED_NOTE}" if changed else "Nothing to change."),
    )


def _write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` so that a reader sees the old file or the new, never a
    half-written one."""
    mode = path.stat().st_mode & 0o777 if path.exists() else None
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def editable(state: ProjectState, unique_id: str, *, allow_edits: bool = True) -> EditableNode:
    """The node's properties as its YAML file has them, for an edit form to start from."""
    place = place_of(state, unique_id)
    before = _read(place)
    data = YamlDocument(before or "", place.relative).data
    entry: Mapping[str, Any] = find_entry(data, place.section, place.name, place.table) or {}
    raw = place.node.raw
    config = _mapping(raw.get("config"))
    meta = {**_mapping(config.get("meta")), **_mapping(raw.get("meta"))}
    file_columns = {
        str(column.get("name")): column
        for column in (entry.get("columns") or [])
        if isinstance(column, Mapping) and column.get("name") is not None
    }
    columns = [_column(name, column, True) for name, column in file_columns.items()]
    known = {name.lower() for name in file_columns}
    columns += [
        _column(column.name, {}, False)
        for column in state.columns(place.node.unique_id)
        if column.name.lower() not in known
    ]
    owner = meta.get("owner")
    return EditableNode(
        project=state.project.id,
        node=place.node.unique_id,
        name=place.node.name,
        resource_type=place.node.resource_type,
        file=place.relative,
        file_exists=before is not None,
        in_file=bool(entry),
        description=_plain_text(entry.get("description")),
        tags=_tags(entry),
        owner=_file_owner(entry),
        effective_tags=list(place.node.tags),
        effective_owner=owner if isinstance(owner, str) else None,
        columns=columns,
        allow_edits=allow_edits,
    )


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _plain_text(value: Any) -> str:
    return str(value).rstrip("\n") if value is not None else ""


def _tags(entry: Mapping[str, Any]) -> list[str]:
    tags = entry.get("tags", _mapping(entry.get("config")).get("tags"))
    if isinstance(tags, str):
        return [tags]
    return [str(tag) for tag in tags] if isinstance(tags, list) else []


def _file_owner(entry: Mapping[str, Any]) -> str | None:
    for meta in (_mapping(entry.get("meta")), _mapping(_mapping(entry.get("config")).get("meta"))):
        if meta.get("owner") is not None:
            return str(meta["owner"])
    return None


def _test_names(column: Mapping[str, Any]) -> list[str]:
    names = []
    for test in [*(column.get("data_tests") or []), *(column.get("tests") or [])]:
        if isinstance(test, str):
            names.append(test)
        elif isinstance(test, Mapping) and test:
            names.append(str(next(iter(test))))
    return names


def _column(name: str, column: Mapping[str, Any], in_file: bool) -> EditableColumn:
    return EditableColumn(
        name=name,
        description=_plain_text(column.get("description")),
        tags=_tags(column),
        tests=_test_names(column),
        in_file=in_file,
    )
