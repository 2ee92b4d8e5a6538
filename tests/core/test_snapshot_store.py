"""The SQLite store: migrations, versioned deduplicated snapshots, pruning, reopening."""

from __future__ import annotations

import hashlib
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.errors import StoreError
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.store.migrations import LATEST_VERSION, MIGRATIONS
from jupyterlab_dbt_workbench.store.snapshots import SnapshotFile, SnapshotStore


def files(**contents: bytes) -> dict[str, SnapshotFile]:
    return {
        kind: SnapshotFile(kind=kind, sha256=hashlib.sha256(data).hexdigest(), data=data)
        for kind, data in contents.items()
    }


def blob_count(database: Database) -> int:
    return int(database.query("SELECT COUNT(*) FROM artifact_blobs")[0][0])


def test_a_new_database_is_migrated_in_wal_mode(tmp_path: Path) -> None:
    database = Database(tmp_path / "nested" / "workbench.sqlite")

    assert database.schema_version == LATEST_VERSION
    assert database.query("PRAGMA journal_mode")[0][0] == "wal"
    applied = database.query("SELECT version, name FROM schema_migrations")
    assert applied == [(m.version, m.name) for m in MIGRATIONS]
    assert applied[0] == (1, "artifact snapshots")
    database.close()


def test_versions_are_created_only_when_the_artifacts_change() -> None:
    store = SnapshotStore(Database(None), limit=20)

    first = store.record("/p", files(manifest=b"m1"), dbt_version="1.11.0", generated_at="t1")
    same = store.record("/p", files(manifest=b"m1"), dbt_version="1.11.0", generated_at="t1")
    second = store.record(
        "/p", files(manifest=b"m1", run_results=b"r1"), dbt_version="1.11.0", generated_at="t2"
    )

    assert (first, same, second) == (1, 1, 2)
    versions = store.versions("/p")
    assert [entry["version"] for entry in versions] == [2, 1]
    assert versions[0]["kinds"] == ["manifest", "run_results"]
    assert versions[0]["sha256"]["manifest"] == hashlib.sha256(b"m1").hexdigest()
    assert versions[0]["generated_at"] == "t2"
    assert store.blob(versions[0]["sha256"]["run_results"]) == b"r1"


def test_blobs_are_stored_once_across_versions_and_projects() -> None:
    database = Database(None)
    store = SnapshotStore(database, limit=20)

    store.record(
        "/a", files(manifest=b"shared", catalog=b"c1"), dbt_version=None, generated_at=None
    )
    store.record(
        "/a", files(manifest=b"shared", catalog=b"c2"), dbt_version=None, generated_at=None
    )
    store.record("/b", files(manifest=b"shared"), dbt_version=None, generated_at=None)

    assert blob_count(database) == 3
    assert [entry["version"] for entry in store.versions("/b")] == [1]


def test_old_versions_and_their_orphaned_blobs_are_pruned() -> None:
    database = Database(None)
    store = SnapshotStore(database, limit=3)

    for number in range(1, 7):
        store.record(
            "/p",
            files(manifest=f"manifest {number}".encode(), catalog=b"same catalog"),
            dbt_version=None,
            generated_at=None,
        )

    assert [entry["version"] for entry in store.versions("/p")] == [6, 5, 4]
    # Three manifests still referenced, plus the one catalog they share.
    assert blob_count(database) == 4
    with pytest.raises(StoreError, match="No stored artifact"):
        store.blob(hashlib.sha256(b"manifest 1").hexdigest())


def test_snapshots_survive_reopening_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "workbench.sqlite"
    database = Database(path)
    SnapshotStore(database, limit=5).record(
        "/p", files(manifest=b"m1"), dbt_version="1.11.0", generated_at="t1"
    )
    database.close()

    reopened = SnapshotStore(Database(path), limit=5)

    assert [entry["version"] for entry in reopened.versions("/p")] == [1]
    assert reopened.record("/p", files(manifest=b"m1"), dbt_version=None, generated_at=None) == 1
    assert reopened.record("/p", files(manifest=b"m2"), dbt_version=None, generated_at=None) == 2
    # Reopening applies nothing twice: one row per migration.
    assert reopened.database.query("SELECT COUNT(*) FROM schema_migrations")[0][0] == len(
        MIGRATIONS
    )


def test_the_store_can_be_used_from_a_thread_pool(tmp_path: Path) -> None:
    store = SnapshotStore(Database(tmp_path / "workbench.sqlite"), limit=50)

    def record(number: int) -> int:
        project = f"/p{number % 4}"
        return store.record(
            project, files(manifest=str(number).encode()), dbt_version=None, generated_at=None
        )

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(record, range(40)))

    assert sorted(len(store.versions(f"/p{n}")) for n in range(4)) == [10, 10, 10, 10]
    assert all(
        [entry["version"] for entry in store.versions(f"/p{n}")] == list(range(10, 0, -1))
        for n in range(4)
    )


def test_a_corrupt_database_file_raises_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "workbench.sqlite"
    path.write_bytes(b"this is not a database, just some text " * 200)

    with pytest.raises(StoreError) as caught:
        Database(path)

    assert str(path) in caught.value.message
    assert "damaged" in caught.value.message
    assert caught.value.reason == "store_error"


def test_a_locked_database_raises_a_clear_store_error(tmp_path: Path) -> None:
    path = tmp_path / "workbench.sqlite"
    database = Database(path, timeout=0.05)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="locked by another process"):
            SnapshotStore(database, limit=5).record(
                "/p", files(manifest=b"m"), dbt_version=None, generated_at=None
            )
    finally:
        other.execute("ROLLBACK")
        other.close()
        database.close()
