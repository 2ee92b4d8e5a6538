"""The per-model lineage cache: in memory for this process, in the store across restarts.

An entry is the lineage of one model and the key it was computed for (a hash of the engine
version, the dialect, the compiled SQL and what was known of every relation it reads). A
model whose key is unchanged is never analysed again, even after a server restart.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone

import orjson

from jupyterlab_dbt_workbench.errors import StoreError
from jupyterlab_dbt_workbench.store.database import Database

from .records import ModelLineage

# Above this many misses one scan of the project's rows beats keyed lookups.
_SCAN_ABOVE = 200
_CHUNK = 500


class LineageCache:
    """Lineage results by (project, model), each valid for one cache key.

    ``database`` None keeps them in memory only. Store failures never fail a lineage
    computation: the result is still returned, only not kept (``problem`` says why).
    """

    def __init__(self, database: Database | None) -> None:
        self.database = database
        self.problem: str | None = None
        self._memory: dict[str, dict[str, tuple[str, ModelLineage]]] = {}
        self._lock = threading.Lock()

    def lookup(self, project: str, wanted: Mapping[str, str]) -> dict[str, ModelLineage]:
        """The cached lineage of every model in ``wanted`` (id -> key) whose key matches."""
        with self._lock:
            memory = dict(self._memory.get(project, {}))
        found: dict[str, ModelLineage] = {}
        missing: dict[str, str] = {}
        for unique_id, key in wanted.items():
            entry = memory.get(unique_id)
            if entry is not None and entry[0] == key:
                found[unique_id] = entry[1]
            else:
                missing[unique_id] = key
        if missing and self.database is not None:
            loaded = self._load(project, missing)
            found.update(loaded)
            self._remember(
                project, ((uid, missing[uid], lineage) for uid, lineage in loaded.items())
            )
        return found

    def store(self, project: str, entries: Iterable[tuple[str, str, ModelLineage]]) -> None:
        """Keep ``(unique_id, key, lineage)`` entries, replacing older ones of those models."""
        entries = list(entries)
        if not entries:
            return
        self._remember(project, entries)
        if self.database is None:
            return
        now = datetime.now(timezone.utc).isoformat(timespec="seconds")
        rows = [
            (project, uid, key, orjson.dumps(lineage.to_json()), now)
            for uid, key, lineage in entries
        ]
        try:
            with self.database.transaction() as connection:
                connection.executemany(
                    "INSERT OR REPLACE INTO column_lineage"
                    " (project, unique_id, cache_key, payload, computed_at) VALUES (?, ?, ?, ?, ?)",
                    rows,
                )
        except StoreError as error:
            self.problem = error.message

    def prune(self, project: str, keep: Iterable[str]) -> None:
        """Forget the models of ``project`` that are not in ``keep`` (removed from the project)."""
        keep = set(keep)
        with self._lock:
            memory = self._memory.get(project)
            if memory is not None:
                for uid in [uid for uid in memory if uid not in keep]:
                    del memory[uid]
        if self.database is None:
            return
        try:
            with self.database.transaction() as connection:
                connection.execute(
                    "DELETE FROM column_lineage WHERE project = ? AND unique_id NOT IN"
                    " (SELECT value FROM json_each(?))",
                    (project, orjson.dumps(sorted(keep)).decode()),
                )
        except StoreError as error:
            self.problem = error.message

    def _remember(self, project: str, entries: Iterable[tuple[str, str, ModelLineage]]) -> None:
        with self._lock:
            memory = self._memory.setdefault(project, {})
            for uid, key, lineage in entries:
                memory[uid] = (key, lineage)

    def _load(self, project: str, missing: Mapping[str, str]) -> dict[str, ModelLineage]:
        assert self.database is not None
        try:
            if len(missing) > _SCAN_ABOVE:
                rows = self.database.query(
                    "SELECT unique_id, cache_key, payload FROM column_lineage WHERE project = ?",
                    (project,),
                )
            else:
                ids = list(missing)
                rows = []
                for start in range(0, len(ids), _CHUNK):
                    chunk = ids[start : start + _CHUNK]
                    marks = ", ".join("?" * len(chunk))
                    rows += self.database.query(
                        "SELECT unique_id, cache_key, payload FROM column_lineage"
                        f" WHERE project = ? AND unique_id IN ({marks})",
                        (project, *chunk),
                    )
        except StoreError as error:
            self.problem = error.message
            return {}
        found: dict[str, ModelLineage] = {}
        for uid, key, payload in rows:
            if missing.get(uid) != key:
                continue
            try:
                found[uid] = ModelLineage.from_json(orjson.loads(payload))
            except (orjson.JSONDecodeError, TypeError, ValueError):
                continue  # a damaged row is recomputed and replaced
        return found
