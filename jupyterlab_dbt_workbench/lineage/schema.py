"""What the analysis of a model knows of the relations it reads.

A relation's columns come from catalog.json first (what the warehouse really has), then
from the lineage already computed for the parent (what its SQL really produces, when every
output column could be named), then from the columns declared in YAML (often only the
documented few, so they come last). A ``select *`` over a relation with none of these stays
unexpanded and the model is reported partial.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

from .records import ModelLineage, Relation

ANALYSED_TYPES = frozenset({"model", "snapshot"})
EPHEMERAL_PREFIX = "__dbt__cte__"


def relation_name(raw: Mapping[str, Any]) -> str | None:
    """The name dbt renders for a node in compiled SQL (None for ephemeral models)."""
    name = raw.get("relation_name")
    if isinstance(name, str) and name:
        return name
    parts = [raw.get("database"), raw.get("schema"), raw.get("alias") or raw.get("identifier")]
    if not isinstance(parts[-1], str) or not parts[-1]:
        return None
    return ".".join(part for part in parts if isinstance(part, str) and part)


def is_ephemeral(raw: Mapping[str, Any]) -> bool:
    config = raw.get("config")
    return isinstance(config, dict) and config.get("materialized") == "ephemeral"


def catalog_columns(catalog: Mapping[str, Any] | None) -> tuple[str, ...] | None:
    """The columns catalog.json lists for a node, in warehouse order (None without any)."""
    if not catalog:
        return None
    columns = catalog.get("columns")
    if not isinstance(columns, dict) or not columns:
        return None
    ordered: list[tuple[int, str]] = []
    for spec in columns.values():
        if isinstance(spec, dict) and isinstance(spec.get("name"), str):
            index = spec.get("index")
            ordered.append((index if isinstance(index, int) else 0, spec["name"]))
    ordered.sort(key=lambda item: item[0])
    return tuple(name for _, name in ordered) or None


def declared_columns(raw: Mapping[str, Any]) -> tuple[str, ...] | None:
    """The columns declared in YAML for a node (None without any)."""
    columns = raw.get("columns")
    if not isinstance(columns, dict) or not columns:
        return None
    names = []
    for key, spec in columns.items():
        name = spec.get("name") if isinstance(spec, dict) else None
        names.append(name if isinstance(name, str) and name else str(key))
    return tuple(names)


def compiled_sql(raw: Mapping[str, Any]) -> str | None:
    """The compiled SQL of a node, None when dbt has not compiled it."""
    sql = raw.get("compiled_code")
    if not isinstance(sql, str):
        sql = raw.get("compiled_sql")  # manifests before v7
    return sql if isinstance(sql, str) and sql.strip() else None


# The catalog columns of each node, per parsed catalog.json. A reload that did not change
# catalog.json keeps the same parsed object, so its columns are read once, not per reload.
_CATALOG_MEMO: dict[int, tuple[object, dict[str, tuple[str, ...] | None]]] = {}
_CATALOG_MEMO_SIZE = 4
_memo_lock = threading.Lock()


def _catalog_memo(state: ProjectState) -> dict[str, tuple[str, ...] | None]:
    artifact = state.artifacts.get("catalog")
    if artifact is None:
        return {}
    data = artifact.data
    with _memo_lock:
        entry = _CATALOG_MEMO.get(id(data))
        if entry is not None and entry[0] is data:
            return entry[1]
        while len(_CATALOG_MEMO) >= _CATALOG_MEMO_SIZE:
            del _CATALOG_MEMO[next(iter(_CATALOG_MEMO))]
        memo: dict[str, tuple[str, ...] | None] = {}
        # The parsed catalog is kept with its memo, so its id cannot be reused meanwhile.
        _CATALOG_MEMO[id(data)] = (data, memo)
        return memo


class SchemaBook:
    """The relations of a project as analyses see them, filled in as lineage is computed."""

    def __init__(self, state: ProjectState) -> None:
        self.state = state
        self.computed: dict[str, ModelLineage] = {}
        self._relations: dict[str, Relation] = {}
        self._readable: dict[str, tuple[str, ...]] = {}
        self._catalog = _catalog_memo(state)
        self._fingerprints: dict[str, str] = {}

    def catalog(self, unique_id: str) -> tuple[str, ...] | None:
        """The catalog columns of a node (memoized: every child asks again)."""
        try:
            return self._catalog[unique_id]
        except KeyError:
            node = self.state.nodes.get(unique_id)
            found = catalog_columns(node.catalog) if node is not None else None
            self._catalog[unique_id] = found
            return found

    def needs_computed(self, unique_id: str) -> bool:
        """Whether the columns of ``unique_id`` can only come from its computed lineage,
        so it must be analysed before the models reading it."""
        node = self.state.nodes.get(unique_id)
        return (
            node is not None
            and node.resource_type in ANALYSED_TYPES
            and not is_ephemeral(node.raw)
            and self.catalog(unique_id) is None
        )

    def readable(self, unique_id: str) -> tuple[str, ...]:
        """The nodes whose relations the compiled SQL of ``unique_id`` may name: its parents,
        and the parents of the ephemeral models dbt inlines into it."""
        found = self._readable.get(unique_id)
        if found is not None:
            return found
        nodes = self.state.nodes
        ordered: dict[str, None] = {}
        pending = list(self.state.parents.get(unique_id, ()))
        while pending:
            parent = pending.pop(0)
            if parent in ordered or parent == unique_id:
                continue
            node = nodes.get(parent)
            if node is None or node.resource_type in ("test", "unit_test", "macro"):
                continue
            ordered[parent] = None
            if is_ephemeral(node.raw):
                pending.extend(self.state.parents.get(parent, ()))
        found = tuple(ordered)
        self._readable[unique_id] = found
        return found

    def relation(self, unique_id: str) -> Relation:
        """What an analysis may know of node ``unique_id`` (memoized: build it after the
        node's own lineage, when that is needed)."""
        found = self._relations.get(unique_id)
        if found is None:
            found = self._relations[unique_id] = self._relation(unique_id)
        return found

    def fingerprint(self, unique_id: str) -> str:
        """``fingerprint`` of the relation of one node, memoized like the relation."""
        found = self._fingerprints.get(unique_id)
        if found is None:
            found = self._fingerprints[unique_id] = fingerprint((self.relation(unique_id),))
        return found

    def self_relation(self, unique_id: str) -> Relation:
        """The model's own table, which an incremental model may read (``{{ this }}``)."""
        node = self.state.nodes[unique_id]
        return Relation(
            unique_id=unique_id,
            relation=relation_name(node.raw),
            cte=None,
            columns=self.catalog(unique_id),
            exact=True,
            missing="its own table has no catalog entry",
        )

    def _relation(self, unique_id: str) -> Relation:
        node = self.state.nodes[unique_id]
        raw = node.raw
        if is_ephemeral(raw):
            # Inlined as a CTE: the query itself says what its columns are.
            name = raw.get("name") or node.name
            return Relation(unique_id, None, f"{EPHEMERAL_PREFIX}{name}", None, exact=True)
        relation = relation_name(raw)
        columns = self.catalog(unique_id)
        if columns is not None:
            return Relation(unique_id, relation, None, columns, exact=True)
        computed = self.computed.get(unique_id)
        if computed is not None and computed.columns_complete and computed.columns:
            # Named by the same dialect rules already: exact.
            return Relation(unique_id, relation, None, computed.columns, exact=True)
        declared = declared_columns(raw)
        if declared is not None:
            return Relation(unique_id, relation, None, declared, exact=False)
        return Relation(unique_id, relation, None, None, exact=False, missing=self._why(node))

    def _why(self, node: Any) -> str:
        missing = "no catalog entry (run dbt docs generate) and no declared columns"
        computed = self.computed.get(node.unique_id)
        if node.resource_type in ANALYSED_TYPES and computed is not None:
            return f"{missing}, and its own lineage is {computed.status.replace('_', ' ')}"
        return missing


def fingerprint(relations: Iterable[Relation]) -> str:
    """A stable text of what an analysis knows of its relations, for the cache key."""
    return "\x1e".join(
        "\x1f".join(
            (
                relation.unique_id,
                relation.relation or "",
                relation.cte or "",
                "1" if relation.exact else "0",
                relation.missing or "",
                "\x1d".join(relation.columns) if relation.columns is not None else "\x00",
            )
        )
        for relation in relations
    )
