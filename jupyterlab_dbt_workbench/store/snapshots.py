"""Versioned, content-addressed snapshots of each project's artifacts."""

from __future__ import annotations

import sqlite3
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone

from jupyterlab_dbt_workbench.errors import StoreError
from jupyterlab_dbt_workbench.payloads import SnapshotVersion

from .database import Database

# Snapshots are written on every load that changed something, on a 50 MB manifest too;
# level 1 is several times faster than the default and JSON still shrinks about fivefold.
_COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class SnapshotFile:
    """One artifact to keep: its kind, content hash and bytes."""

    kind: str
    sha256: str
    data: bytes


class SnapshotStore:
    """Keeps the last ``limit`` distinct artifact sets of every project.

    A version is a set of (kind, sha256); each blob is stored once however many versions
    (or projects) share it. Projects are keyed by their absolute path, which stays the same
    when the server is started from another root.
    """

    def __init__(self, database: Database, limit: int) -> None:
        self.database = database
        self.limit = max(1, limit)

    def record(
        self,
        project: str,
        files: Mapping[str, SnapshotFile],
        *,
        dbt_version: str | None,
        generated_at: str | None,
    ) -> int:
        """Store ``files`` as a new version unless they equal the latest one; return the
        current version number (new or unchanged). Prunes versions beyond the limit."""
        wanted = {kind: file.sha256 for kind, file in files.items()}
        latest = self.latest(project)
        if latest is not None and self._hashes(project, latest) == wanted:
            return latest

        stored = self._existing_blobs(list(wanted.values()))
        # Compress outside the lock: it is the slow part and needs no database.
        blobs = [
            (file.sha256, len(file.data), zlib.compress(file.data, _COMPRESSION_LEVEL))
            for file in files.values()
            if file.sha256 not in stored
        ]
        created_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        with self.database.transaction() as connection:
            connection.executemany(
                "INSERT OR IGNORE INTO artifact_blobs (sha256, size, data) VALUES (?, ?, ?)",
                blobs,
            )
            row = connection.execute(
                "SELECT MAX(version) FROM artifact_snapshots WHERE project = ?", (project,)
            ).fetchone()
            version = (row[0] or 0) + 1
            connection.execute(
                "INSERT INTO artifact_snapshots (project, version, created_at, dbt_version,"
                " generated_at) VALUES (?, ?, ?, ?, ?)",
                (project, version, created_at, dbt_version, generated_at),
            )
            connection.executemany(
                "INSERT INTO artifact_snapshot_files (project, version, kind, sha256)"
                " VALUES (?, ?, ?, ?)",
                [(project, version, kind, sha) for kind, sha in sorted(wanted.items())],
            )
            self._prune(connection, project)
        return version

    def _prune(self, connection: sqlite3.Connection, project: str) -> None:
        stale = (
            "SELECT version FROM artifact_snapshots WHERE project = ?"
            " ORDER BY version DESC LIMIT -1 OFFSET ?"
        )
        connection.execute(
            f"DELETE FROM artifact_snapshot_files WHERE project = ? AND version IN ({stale})",
            (project, project, self.limit),
        )
        connection.execute(
            f"DELETE FROM artifact_snapshots WHERE project = ? AND version IN ({stale})",
            (project, project, self.limit),
        )
        connection.execute(
            "DELETE FROM artifact_blobs WHERE NOT EXISTS (SELECT 1 FROM artifact_snapshot_files"
            " AS f WHERE f.sha256 = artifact_blobs.sha256)"
        )

    def _existing_blobs(self, hashes: list[str]) -> set[str]:
        if not hashes:
            return set()
        marks = ", ".join("?" * len(hashes))
        rows = self.database.query(
            f"SELECT sha256 FROM artifact_blobs WHERE sha256 IN ({marks})", hashes
        )
        return {row[0] for row in rows}

    def _hashes(self, project: str, version: int) -> dict[str, str]:
        rows = self.database.query(
            "SELECT kind, sha256 FROM artifact_snapshot_files WHERE project = ? AND version = ?",
            (project, version),
        )
        return dict(rows)

    def files(self, project: str, version: int) -> dict[str, str]:
        """The artifacts of one kept version, kind -> sha256 (empty when it is not kept)."""
        return self._hashes(project, version)

    def latest(self, project: str) -> int | None:
        """The newest version of ``project``, None when it has none."""
        rows = self.database.query(
            "SELECT MAX(version) FROM artifact_snapshots WHERE project = ?", (project,)
        )
        return int(rows[0][0]) if rows and rows[0][0] is not None else None

    def versions(self, project: str) -> list[SnapshotVersion]:
        """Every kept version of ``project``, newest first."""
        rows = self.database.query(
            "SELECT s.version, s.created_at, s.dbt_version, s.generated_at, f.kind, f.sha256"
            " FROM artifact_snapshots AS s LEFT JOIN artifact_snapshot_files AS f"
            " ON f.project = s.project AND f.version = s.version"
            " WHERE s.project = ? ORDER BY s.version DESC, f.kind",
            (project,),
        )
        found: dict[int, SnapshotVersion] = {}
        for version, created_at, dbt_version, generated_at, kind, sha in rows:
            entry = found.get(version)
            if entry is None:
                entry = found[version] = SnapshotVersion(
                    version=version,
                    created_at=created_at,
                    dbt_version=dbt_version,
                    generated_at=generated_at,
                    kinds=[],
                    sha256={},
                )
            if kind is not None:
                entry["kinds"].append(kind)
                entry["sha256"][kind] = sha
        return list(found.values())

    def blob(self, sha256: str) -> bytes:
        """The content of a stored artifact, by its hash."""
        rows = self.database.query("SELECT data FROM artifact_blobs WHERE sha256 = ?", (sha256,))
        if not rows:
            raise StoreError(f"No stored artifact has the hash {sha256}.")
        try:
            return zlib.decompress(rows[0][0])
        except zlib.error as exc:
            raise StoreError(
                f"The stored artifact {sha256} is damaged ({exc}); it cannot be read back."
            ) from exc
