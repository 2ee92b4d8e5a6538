"""The SQLite store: one database, numbered migrations, artifact snapshots."""

from __future__ import annotations

from .database import Database
from .migrations import LATEST_VERSION, MIGRATIONS, Migration
from .snapshots import SnapshotFile, SnapshotStore

__all__ = ["LATEST_VERSION", "MIGRATIONS", "Database", "Migration", "SnapshotFile", "SnapshotStore"]
