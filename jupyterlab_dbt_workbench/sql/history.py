"""The SQL history: every query of the workspace (UI, API, notebook) in the workbench store.

A query is recorded when it starts and updated when it ends, so the history shows queries in
progress too (from the server and from notebook kernels sharing the store). A query whose
process died before it ended is marked ``interrupted`` by the next workspace to start. It
keeps the newest ``HISTORY_LIMIT`` queries; the results themselves are Parquet files pruned
separately (see ``results.py``).
"""

from __future__ import annotations

import json
from typing import Any

from jupyterlab_dbt_workbench.store.database import Database

from .payloads import SqlColumn, SqlHistory, SqlHistoryEntry, SqlQuery, SqlQueryError

HISTORY_LIMIT = 10_000

_FIELDS = (
    "id, project, sql, compiled_sql, method, target, status, started_at, finished_at, "
    "duration, row_count, truncated, row_limit, columns, error, user"
)


def _query(row: tuple[Any, ...]) -> SqlQuery:
    (
        query_id,
        project,
        sql,
        compiled_sql,
        method,
        target,
        status,
        started_at,
        finished_at,
        duration,
        row_count,
        truncated,
        limit,
        columns,
        error,
        user,
    ) = row
    parsed_columns: list[SqlColumn] = json.loads(columns or "[]")
    parsed_error: SqlQueryError | None = json.loads(error) if error else None
    return {
        "id": query_id,
        "project": project,
        "sql": sql,
        "compiled_sql": compiled_sql,
        "method": method,
        "target": target,
        "status": status,
        "started_at": started_at,
        "finished_at": finished_at,
        "duration": duration,
        "row_count": row_count,
        "truncated": bool(truncated),
        "limit": limit,
        "columns": parsed_columns,
        "error": parsed_error,
        "user": user,
    }


def _values(query: SqlQuery) -> tuple[Any, ...]:
    return (
        query["id"],
        query["project"],
        query["sql"],
        query["compiled_sql"],
        query["method"],
        query["target"],
        query["status"],
        query["started_at"],
        query["finished_at"],
        query["duration"],
        query["row_count"],
        int(query["truncated"]),
        query["limit"],
        json.dumps(query["columns"]),
        json.dumps(query["error"]) if query["error"] is not None else None,
        query["user"],
    )


class SqlHistoryStore:
    """Reads and writes the ``sql_history`` table of the workbench database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def save(self, query: SqlQuery) -> None:
        """Insert the query, or update it when it is already recorded."""
        columns = [name.strip() for name in _FIELDS.split(",")]
        updates = ", ".join(f"{name} = excluded.{name}" for name in columns[1:])
        with self.database.transaction() as connection:
            connection.execute(
                f"INSERT INTO sql_history ({_FIELDS}) VALUES ({', '.join('?' * len(columns))}) "
                f"ON CONFLICT (id) DO UPDATE SET {updates}",
                _values(query),
            )

    def mark_interrupted(self, started_before: str) -> int:
        """Mark the queries still ``running`` that started before ``started_before`` (an ISO
        UTC time) as ``interrupted``: the process running them died. Returns how many."""
        with self.database.transaction() as connection:
            cursor = connection.execute(
                "UPDATE sql_history SET status = 'interrupted' "
                "WHERE status = 'running' AND started_at < ?",
                (started_before,),
            )
            return int(cursor.rowcount)

    def prune(self, keep: int = HISTORY_LIMIT) -> None:
        """Forget all but the newest ``keep`` queries."""
        with self.database.transaction() as connection:
            connection.execute(
                "DELETE FROM sql_history WHERE number <= "
                "(SELECT number FROM sql_history ORDER BY number DESC LIMIT 1 OFFSET ?)",
                (keep,),
            )

    def get(self, query_id: str) -> SqlQuery | None:
        """The recorded query, or None."""
        rows = self.database.query(f"SELECT {_FIELDS} FROM sql_history WHERE id = ?", (query_id,))
        return _query(rows[0]) if rows else None

    def search(
        self, project: str | None, q: str | None = None, offset: int = 0, limit: int = 50
    ) -> SqlHistory:
        """Queries newest first, of one project (None: every project), whose SQL contains
        ``q`` (case-insensitive)."""
        where: list[str] = []
        params: list[Any] = []
        if project is not None:
            where.append("project = ?")
            params.append(project)
        if q:
            escaped = q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            where.append("sql LIKE ? ESCAPE '\\'")
            params.append(f"%{escaped}%")
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        total = self.database.query(f"SELECT COUNT(*) FROM sql_history{clause}", params)[0][0]
        rows = self.database.query(
            f"SELECT {_FIELDS} FROM sql_history{clause} ORDER BY number DESC LIMIT ? OFFSET ?",
            [*params, limit, offset],
        )
        return {"entries": [entry(_query(row)) for row in rows], "total": int(total)}


def entry(query: SqlQuery) -> SqlHistoryEntry:
    """The history entry of a query (its error as the message alone)."""
    error = query["error"]
    return {
        "id": query["id"],
        "project": query["project"],
        "sql": query["sql"],
        "target": query["target"],
        "started_at": query["started_at"],
        "duration": query["duration"],
        "row_count": query["row_count"],
        "status": query["status"],
        "error": error["message"] if error is not None else None,
        "user": query["user"],
    }
