"""The numbered schema migrations of the workbench database.

To change the schema, append a ``Migration`` with the next number; never edit one that has
shipped. Each runs once, in its own transaction, and is recorded in ``schema_migrations``.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "artifact snapshots",
        """
        CREATE TABLE artifact_blobs (
            sha256 TEXT PRIMARY KEY,
            size INTEGER NOT NULL,
            data BLOB NOT NULL
        );
        CREATE TABLE artifact_snapshots (
            project TEXT NOT NULL,
            version INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            dbt_version TEXT,
            generated_at TEXT,
            PRIMARY KEY (project, version)
        );
        CREATE TABLE artifact_snapshot_files (
            project TEXT NOT NULL,
            version INTEGER NOT NULL,
            kind TEXT NOT NULL,
            sha256 TEXT NOT NULL REFERENCES artifact_blobs (sha256),
            PRIMARY KEY (project, version, kind),
            FOREIGN KEY (project, version)
                REFERENCES artifact_snapshots (project, version) ON DELETE CASCADE
        );
        CREATE INDEX artifact_snapshot_files_sha256 ON artifact_snapshot_files (sha256);
        """,
    ),
)

LATEST_VERSION = MIGRATIONS[-1].version


def applied_version(connection: sqlite3.Connection) -> int:
    """The highest migration applied to the database (0 for a new one)."""
    row = connection.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    return int(row[0]) if row and row[0] is not None else 0


def migrate(connection: sqlite3.Connection) -> int:
    """Apply every migration the database lacks; return the schema version reached.

    ``connection`` must be in autocommit mode (``isolation_level=None``): each migration
    brings its own transaction.
    """
    connection.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    done = {row[0] for row in connection.execute("SELECT version FROM schema_migrations")}
    for migration in MIGRATIONS:
        if migration.version in done:
            continue
        applied_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        name = migration.name.replace("'", "''")
        # executescript cannot bind parameters; the values are our own constants.
        script = (
            f"BEGIN IMMEDIATE;\n{migration.sql}\n"
            "INSERT INTO schema_migrations (version, name, applied_at) "
            f"VALUES ({int(migration.version)}, '{name}', '{applied_at}');\nCOMMIT;"
        )
        try:
            connection.executescript(script)
        except sqlite3.Error:
            if connection.in_transaction:
                connection.execute("ROLLBACK")
            raise
    return applied_version(connection)
