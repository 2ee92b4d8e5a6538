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
    Migration(
        2,
        "run history",
        """
        CREATE TABLE runs (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            project TEXT NOT NULL,
            command TEXT NOT NULL,
            cli TEXT NOT NULL,
            argv TEXT NOT NULL,
            request TEXT NOT NULL,
            user TEXT,
            status TEXT NOT NULL,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            duration REAL,
            returncode INTEGER,
            exit_signal TEXT,
            retry_of TEXT,
            rerun_of TEXT,
            done INTEGER NOT NULL DEFAULT 0,
            total INTEGER,
            counts TEXT NOT NULL DEFAULT '{}',
            message TEXT,
            artifacts TEXT NOT NULL DEFAULT '[]',
            log_path TEXT,
            owner TEXT
        );
        CREATE INDEX runs_status ON runs (status);
        CREATE INDEX runs_project ON runs (project, number);
        CREATE TABLE run_nodes (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            unique_id TEXT NOT NULL,
            name TEXT NOT NULL,
            resource_type TEXT NOT NULL,
            status TEXT,
            started_at TEXT,
            finished_at TEXT,
            execution_time REAL,
            message TEXT,
            rows_affected INTEGER,
            failures INTEGER,
            PRIMARY KEY (run_id, unique_id)
        );
        -- The log is kept in compressed chunks of consecutive events: a run may print tens
        -- of thousands of lines, and one row per line would dwarf everything else.
        CREATE TABLE run_events (
            run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
            first_seq INTEGER NOT NULL,
            last_seq INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (run_id, first_seq)
        );
        """,
    ),
    Migration(
        3,
        "column lineage cache",
        """
        -- One row per analysed model: the latest lineage and the key it was computed for
        -- (compiled SQL, the schemas it read, dialect, engine version).
        CREATE TABLE column_lineage (
            project TEXT NOT NULL,
            unique_id TEXT NOT NULL,
            cache_key TEXT NOT NULL,
            payload BLOB NOT NULL,
            computed_at TEXT NOT NULL,
            PRIMARY KEY (project, unique_id)
        );
        """,
    ),
    Migration(
        4,
        "run node history index",
        """
        -- A node page asks for the runs of one node: without this index every page view
        -- would scan the results of every node of every kept run.
        CREATE INDEX run_nodes_unique_id ON run_nodes (unique_id);
        """,
    ),
    Migration(
        5,
        "schedules",
        """
        -- A schedule's definition (steps, cron, policies, channels with their secrets) is one
        -- JSON document; the columns beside it are what the loop reads and updates.
        CREATE TABLE schedules (
            id TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            project TEXT NOT NULL,
            definition TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            next_run_at TEXT,
            last_run_at TEXT,
            last_status TEXT,
            state TEXT NOT NULL DEFAULT 'ok',
            error TEXT
        );
        CREATE TABLE schedule_executions (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            schedule_id TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
            slot TEXT,
            trigger TEXT NOT NULL,
            status TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            not_before TEXT,
            created_at TEXT NOT NULL,
            started_at TEXT,
            finished_at TEXT,
            run_ids TEXT NOT NULL DEFAULT '[]',
            counts TEXT NOT NULL DEFAULT '{}',
            message TEXT,
            owner TEXT
        );
        CREATE INDEX schedule_executions_schedule ON schedule_executions (schedule_id, number);
        CREATE INDEX schedule_executions_status ON schedule_executions (status);
        -- One row per slot ever claimed: the primary key lets exactly one process (or
        -- thread) win the INSERT for a slot, so no slot runs twice.
        CREATE TABLE schedule_leases (
            schedule_id TEXT NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
            slot TEXT NOT NULL,
            owner TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            PRIMARY KEY (schedule_id, slot)
        );
        """,
    ),
    Migration(
        6,
        "sql history",
        """
        -- Every query of the SQL workspace (UI, API and notebook), failed ones too. The
        -- result itself lives in a Parquet file named after the id while it is kept.
        CREATE TABLE sql_history (
            number INTEGER PRIMARY KEY AUTOINCREMENT,
            id TEXT NOT NULL UNIQUE,
            project TEXT NOT NULL,
            sql TEXT NOT NULL,
            compiled_sql TEXT,
            method TEXT,
            target TEXT,
            status TEXT NOT NULL,
            started_at TEXT NOT NULL,
            finished_at TEXT,
            duration REAL,
            row_count INTEGER,
            truncated INTEGER NOT NULL DEFAULT 0,
            row_limit INTEGER NOT NULL,
            columns TEXT NOT NULL DEFAULT '[]',
            error TEXT,
            user TEXT
        );
        CREATE INDEX sql_history_project ON sql_history (project, number);
        """,
    ),
    Migration(
        7,
        "notification deliveries",
        """
        -- One row per (channel, notification) sent by the scheduler. Never holds a secret:
        -- target describes the channel without them, channel_key (a hash) finds the channel
        -- again in its schedule for a retry, notification is the JSON of what happened.
        -- No foreign key to schedules: the history outlives a deleted schedule, and the
        -- notifier marks that schedule's pending retries failed.
        CREATE TABLE deliveries (
            id TEXT PRIMARY KEY,
            schedule_id TEXT NOT NULL,
            execution_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            target TEXT NOT NULL,
            channel_key TEXT NOT NULL,
            event TEXT NOT NULL,
            status TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            last_error TEXT,
            next_attempt_at TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT,
            notification TEXT NOT NULL
        );
        CREATE INDEX deliveries_schedule ON deliveries (schedule_id, created_at);
        CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at);
        """,
    ),
    Migration(
        8,
        "audit log",
        """
        CREATE TABLE audit_log (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            at TEXT NOT NULL,
            user TEXT,
            action TEXT NOT NULL,
            area TEXT NOT NULL,
            project TEXT,
            target TEXT,
            details TEXT NOT NULL DEFAULT '{}',
            outcome TEXT NOT NULL DEFAULT 'ok'
        );
        CREATE INDEX audit_log_project ON audit_log (project, id);
        CREATE INDEX audit_log_action ON audit_log (action, id);
        CREATE INDEX audit_log_user ON audit_log (user, id);
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
