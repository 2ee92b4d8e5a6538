"""A node's schema history across the catalog versions kept in the snapshot store."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Any

import orjson
import pytest
from entity_builders import ORDERS, REVENUE, catalog

from jupyterlab_dbt_workbench.catalog.schema_history import schema_history
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.store.snapshots import SnapshotFile, SnapshotStore

PROJECT = "/projects/shop"


@pytest.fixture
def store() -> Iterator[SnapshotStore]:
    database = Database(None)
    yield SnapshotStore(database, limit=20)
    database.close()


def record(store: SnapshotStore, **files: dict[str, Any]) -> int:
    blobs = {}
    for kind, data in files.items():
        raw = orjson.dumps(data)
        blobs[kind] = SnapshotFile(kind=kind, sha256=hashlib.sha256(raw).hexdigest(), data=raw)
    return store.record(PROJECT, blobs, dbt_version="1.11.0", generated_at=None)


def manifest(marker: int) -> dict[str, Any]:
    # The manifest differs per version so that every record makes a new version.
    return {"metadata": {"dbt_schema_version": "v12"}, "marker": marker}


def dated(data: dict[str, Any], when: str) -> dict[str, Any]:
    data["metadata"]["generated_at"] = when
    return data


def test_added_removed_and_retyped_columns_with_when(store: SnapshotStore) -> None:
    first = record(store, manifest=manifest(1), catalog=dated(catalog(), "2026-01-01T00:00:00Z"))
    # A manifest-only change: same catalog, so no schema change is reported for it.
    record(store, manifest=manifest(2), catalog=dated(catalog(), "2026-01-01T00:00:00Z"))
    changed = dated(
        catalog({ORDERS: {"order_id": "BIGINT", "customer_id": "INTEGER"}, REVENUE: {}}),
        "2026-02-01T00:00:00Z",
    )
    third = record(store, manifest=manifest(3), catalog=changed)

    history = schema_history(store, PROJECT, "shop", ORDERS)

    assert history["versions"] == 3
    assert history["catalogs"] == 2
    assert history["first_seen"] == {
        "version": first,
        "at": "2026-01-01T00:00:00Z",
        "columns": [
            {"name": "order_id", "type": "INTEGER"},
            {"name": "amount", "type": "DECIMAL(12,2)"},
        ],
    }
    assert history["changes"] == [
        {
            "version": third,
            "at": "2026-02-01T00:00:00Z",
            "event": "changed",
            "added": [{"name": "customer_id", "type": "INTEGER"}],
            "removed": [{"name": "amount", "type": "DECIMAL(12,2)"}],
            "type_changed": [{"name": "order_id", "before": "INTEGER", "after": "BIGINT"}],
        }
    ]


def test_a_node_that_leaves_and_comes_back(store: SnapshotStore) -> None:
    record(store, manifest=manifest(1), catalog=catalog({REVENUE: {"day": "DATE"}}))
    second = record(store, manifest=manifest(2), catalog=catalog({ORDERS: {"id": "INTEGER"}}))
    third = record(store, manifest=manifest(3), catalog=catalog({REVENUE: {"day": "DATE"}}))
    fourth = record(
        store, manifest=manifest(4), catalog=catalog({ORDERS: {"id": "INTEGER"}, REVENUE: {}})
    )

    history = schema_history(store, PROJECT, "shop", ORDERS)

    assert history["first_seen"] is not None
    assert history["first_seen"]["version"] == second
    # Newest first.
    assert [(c["version"], c["event"]) for c in history["changes"]] == [
        (fourth, "appeared"),
        (third, "disappeared"),
    ]
    assert history["changes"][1]["removed"] == [{"name": "id", "type": "INTEGER"}]


def test_a_column_whose_name_only_changed_case_is_unchanged(store: SnapshotStore) -> None:
    record(store, manifest=manifest(1), catalog=catalog({ORDERS: {"ID": "INTEGER"}}))
    record(store, manifest=manifest(2), catalog=catalog({ORDERS: {"id": "INTEGER"}}))
    assert schema_history(store, PROJECT, "shop", ORDERS)["changes"] == []


def test_no_catalog_kept_means_no_history(store: SnapshotStore) -> None:
    record(store, manifest=manifest(1))
    history = schema_history(store, PROJECT, "shop", ORDERS)
    assert history == {"project": "shop", "unique_id": ORDERS, "versions": 1, "catalogs": 0,
                       "first_seen": None, "changes": []}  # fmt: skip
