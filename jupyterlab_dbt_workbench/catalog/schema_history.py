"""A node's schema history: its columns across the catalog versions the snapshot store keeps.

Only the catalog says what the warehouse really holds, so versions are compared by their
catalog.json; versions whose catalog did not change are skipped. Comparing two catalogs
diffs every node at once and the result (small: only what changed) is cached by the pair of
content hashes, so the first request pays for reading the catalogs and later ones, for any
node of the project, do not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

from jupyterlab_dbt_workbench.artifacts.loader import parse_artifact
from jupyterlab_dbt_workbench.store.snapshots import SnapshotStore

from .payloads import (
    SchemaBaseline,
    SchemaChange,
    SchemaColumn,
    SchemaEvent,
    SchemaHistory,
    TypeChange,
)

# (name, type) pairs in catalog order.
_Columns = tuple[tuple[str, str | None], ...]
# Per node: event, added, removed, type changes (name, before, after).
_NodeDiff = tuple[SchemaEvent, _Columns, _Columns, tuple[tuple[str, str | None, str | None], ...]]
_CatalogDiff = Mapping[str, _NodeDiff]

_CACHED_PAIRS = 64


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _position(spec: Mapping[str, Any]) -> int:
    index = spec.get("index")
    return index if isinstance(index, int) else 0


def _catalog_columns(store: SnapshotStore, sha256: str) -> tuple[dict[str, _Columns], str | None]:
    data, metadata = parse_artifact("catalog", store.blob(sha256), f"stored catalog {sha256[:12]}")
    found: dict[str, _Columns] = {}
    for section in ("nodes", "sources"):
        for unique_id, entry in _mapping(data.get(section)).items():
            specs = sorted(
                (spec for spec in _mapping(_mapping(entry).get("columns")).values()
                 if isinstance(spec, dict) and isinstance(spec.get("name"), str)),
                key=_position,
            )  # fmt: skip
            found[unique_id] = tuple(
                (spec["name"], spec["type"] if isinstance(spec.get("type"), str) else None)
                for spec in specs
            )
    return found, metadata.generated_at


def _diff_nodes(before: dict[str, _Columns], after: dict[str, _Columns]) -> dict[str, _NodeDiff]:
    changes: dict[str, _NodeDiff] = {}
    for unique_id in before.keys() | after.keys():
        old, new = before.get(unique_id), after.get(unique_id)
        if old == new:
            continue
        if old is None:
            changes[unique_id] = ("appeared", new or (), (), ())
            continue
        if new is None:
            changes[unique_id] = ("disappeared", (), old, ())
            continue
        # Warehouses disagree on case; a column whose name only changed case is the same.
        old_types = {name.lower(): (name, kind) for name, kind in old}
        new_types = {name.lower(): (name, kind) for name, kind in new}
        added = tuple(new_types[key] for key in new_types.keys() - old_types.keys())
        removed = tuple(old_types[key] for key in old_types.keys() - new_types.keys())
        retyped = tuple(
            (new_types[key][0], old_types[key][1], new_types[key][1])
            for key in new_types.keys() & old_types.keys()
            if old_types[key][1] != new_types[key][1]
        )
        if added or removed or retyped:
            changes[unique_id] = (
                "changed",
                tuple(sorted(added)),
                tuple(sorted(removed)),
                tuple(sorted(retyped)),
            )
    return changes


class _DiffCache:
    """Catalog diffs by (before hash, after hash); content-addressed, so shared by projects."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._diffs: OrderedDict[tuple[str | None, str], tuple[_CatalogDiff, str | None]] = (
            OrderedDict()
        )
        # The last catalog read, so that walking a chain reads each catalog once.
        self._last: tuple[str, dict[str, _Columns], str | None] | None = None

    def diff(
        self, store: SnapshotStore, before: str | None, after: str
    ) -> tuple[_CatalogDiff, str | None]:
        """What changed from catalog ``before`` (None: nothing) to ``after``, and when
        ``after`` was generated."""
        key = (before, after)
        with self._lock:
            if key in self._diffs:
                self._diffs.move_to_end(key)
                return self._diffs[key]
            old = self._columns(store, before)[0] if before is not None else {}
            new, generated_at = self._columns(store, after)
            result = (_diff_nodes(old, new), generated_at)
            self._diffs[key] = result
            while len(self._diffs) > _CACHED_PAIRS:
                self._diffs.popitem(last=False)
            return result

    def _columns(self, store: SnapshotStore, sha256: str) -> tuple[dict[str, _Columns], str | None]:
        if self._last is not None and self._last[0] == sha256:
            return self._last[1], self._last[2]
        columns, generated_at = _catalog_columns(store, sha256)
        self._last = (sha256, columns, generated_at)
        return columns, generated_at


_CACHE = _DiffCache()


def _columns(pairs: _Columns) -> list[SchemaColumn]:
    return [SchemaColumn(name=name, type=kind) for name, kind in pairs]


def schema_history(
    store: SnapshotStore, project_key: str, project_id: str, unique_id: str
) -> SchemaHistory:
    """How the columns of ``unique_id`` changed across the kept catalog versions of a project
    (``project_key`` is the key the snapshot store uses: the project's absolute path).

    ``first_seen`` is the oldest kept catalog holding the node; ``changes`` (newest first)
    are the later versions whose catalog added, removed or retyped its columns, or dropped or
    brought back the node.
    """
    versions = sorted(store.versions(project_key), key=lambda version: version["version"])
    chain: list[tuple[int, str, str]] = []
    for version in versions:
        sha = version["sha256"].get("catalog")
        if sha is not None and (not chain or chain[-1][2] != sha):
            chain.append((version["version"], version["created_at"], sha))
    first_seen: SchemaBaseline | None = None
    changes: list[SchemaChange] = []
    previous: str | None = None
    for number, created_at, sha in chain:
        diff, generated_at = _CACHE.diff(store, previous, sha)
        previous = sha
        found = diff.get(unique_id)
        if found is None:
            continue
        event, added, removed, retyped = found
        at = generated_at or created_at
        if first_seen is None and event == "appeared":
            first_seen = SchemaBaseline(version=number, at=at, columns=_columns(added))
            continue
        changes.append(
            SchemaChange(
                version=number,
                at=at,
                event=event,
                added=_columns(added),
                removed=_columns(removed),
                type_changed=[
                    TypeChange(name=name, before=old, after=new) for name, old, new in retyped
                ],
            )
        )
    changes.reverse()
    return SchemaHistory(
        project=project_id,
        unique_id=unique_id,
        versions=len(versions),
        catalogs=len(chain),
        first_seen=first_seen,
        changes=changes,
    )
