"""Writing and reading the audit log: who did which write through the workbench, and when.

The log is a record of what happened, never a reason for the write itself to fail: ``record``
swallows every error (logging a warning), so a full disk or a damaged database never turns a
successful commit or run into an error for the user.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from .payloads import AuditEntry, AuditPage

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.store.database import Database

log = logging.getLogger(__name__)

MAX_LIMIT = 1000
# Details are a summary of the write, not its content: past this size they are replaced by
# their keys so one huge payload cannot bloat the store.
MAX_DETAILS_BYTES = 16_384
REDACTED = "[redacted]"

# Keys whose values are secrets whatever the caller meant to store.
_SECRET_KEY = re.compile(
    r"pass(word|wd|phrase)?|secret|token|api[_-]?key|auth|credential|private[_-]?key|cookie"
    r"|webhook|dsn",
    re.IGNORECASE,
)
# Mappings of names to values where only the names may be kept (environment variables).
_NAMES_ONLY_KEY = re.compile(r"^(env|environ|environment|variables|secrets|headers)$", re.I)
# The scheme's length is bounded so a long text without a URL is scanned in linear time.
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]{0,30}://)[^/@\s]+@", re.IGNORECASE)

COLUMNS = "id, at, user, action, area, project, target, details, outcome"


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


def scrub(value: Any, key: str | None = None) -> Any:
    """``value`` made safe to store: secret-named keys redacted, env mappings reduced to names.

    Callers already pass names only; this is the second line of defence for a caller that
    forgets (a schedule's ``env`` dict, a notification's ``password``, a URL with
    ``user:password@``).
    """
    if key is not None and _SECRET_KEY.search(key):
        return REDACTED if value not in (None, "", [], {}) else value
    if isinstance(value, Mapping):
        if key is not None and _NAMES_ONLY_KEY.match(key):
            return sorted(str(name) for name in value)
        return {str(k): scrub(v, str(k)) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [scrub(item, key) for item in items]
    if isinstance(value, str):
        return _URL_CREDENTIALS.sub(r"\g<scheme>", value) if "://" in value else value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    return str(value)


def _details_json(details: Mapping[str, Any] | None) -> str:
    cleaned = scrub(dict(details or {}))
    text = json.dumps(cleaned, ensure_ascii=False, sort_keys=True, default=str)
    if len(text.encode("utf-8")) > MAX_DETAILS_BYTES:
        text = json.dumps({"truncated": True, "keys": sorted(cleaned)}, ensure_ascii=False)
    return text


def record(
    database: Database | None,
    *,
    user: str | None,
    action: str,
    project: str | None = None,
    target: str | None = None,
    details: Mapping[str, Any] | None = None,
    outcome: str = "ok",
) -> None:
    """Append one entry to the audit log; never raises (a failure is logged as a warning).

    ``action`` is dotted (``git.commit``, ``run.submit``); its first part is the entry's area.
    ``details`` is a small JSON-able summary: secret-named keys and environment values are
    removed before it is stored. ``outcome`` is ``"ok"`` or ``"error"``.
    """
    try:
        if database is None:
            return
        area = action.split(".", 1)[0]
        with database.transaction() as connection:
            connection.execute(
                "INSERT INTO audit_log (at, user, action, area, project, target, details,"
                " outcome) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    _now(),
                    user,
                    action,
                    area,
                    project,
                    None if target is None else scrub(str(target)),
                    _details_json(details),
                    "error" if outcome == "error" else "ok",
                ),
            )
    except Exception as exc:
        # The audit log must never break the write it records.
        log.warning("Could not record %s in the audit log: %s", action, exc)


def where_clause(
    project: str | None, q: str | None, action: str | None, user: str | None
) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if project:
        clauses.append("project = ?")
        params.append(project)
    if user:
        clauses.append("user = ?")
        params.append(user)
    if action:
        # A prefix by dotted segments: "git" matches git.commit, not "gitx.y".
        prefix = action.rstrip(".")
        clauses.append("(action = ? OR action LIKE ? ESCAPE '\\')")
        params += [prefix, _escape_like(prefix) + ".%"]
    if q:
        pattern = "%" + _escape_like(q) + "%"
        clauses.append(
            "(action LIKE ? ESCAPE '\\' OR COALESCE(target, '') LIKE ? ESCAPE '\\'"
            " OR details LIKE ? ESCAPE '\\')"
        )
        params += [pattern, pattern, pattern]
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def row_entry(row: tuple[Any, ...]) -> AuditEntry:
    try:
        details = json.loads(row[7]) if row[7] else {}
    except ValueError:
        details = {}
    return AuditEntry(
        id=int(row[0]),
        at=row[1],
        user=row[2],
        action=row[3],
        area=row[4],
        project=row[5],
        target=row[6],
        details=details if isinstance(details, dict) else {"value": details},
        outcome="error" if row[8] == "error" else "ok",
    )


def entries(
    database: Database,
    *,
    project: str | None = None,
    q: str | None = None,
    action: str | None = None,
    user: str | None = None,
    offset: int = 0,
    limit: int = 100,
) -> AuditPage:
    """One page of the log, newest first, with the number of entries matching the filters.

    ``q`` is text searched (case-insensitively for ASCII) in the action, target and details;
    ``action`` is a dotted prefix (``git`` or ``git.commit``); ``project`` and ``user`` match
    exactly. ``limit`` is capped at ``MAX_LIMIT``.
    """
    offset = max(0, int(offset))
    limit = max(1, min(int(limit), MAX_LIMIT))
    where, params = where_clause(project, q, action, user)
    total = database.query(f"SELECT COUNT(*) FROM audit_log{where}", params)[0][0]
    rows = database.query(
        f"SELECT {COLUMNS} FROM audit_log{where} ORDER BY id DESC LIMIT ? OFFSET ?",
        [*params, limit, offset],
    )
    return AuditPage(
        entries=[row_entry(row) for row in rows], total=int(total), offset=offset, limit=limit
    )
