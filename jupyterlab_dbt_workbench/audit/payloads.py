"""The JSON payloads of the audit log (REST), as TypedDicts mirroring docs/audit.md."""

from __future__ import annotations

from typing import Any, Literal, TypedDict

Outcome = Literal["ok", "error"]


class AuditEntry(TypedDict):
    id: int
    at: str
    user: str | None
    action: str
    area: str
    project: str | None
    target: str | None
    details: dict[str, Any]
    outcome: Outcome


class AuditPage(TypedDict):
    entries: list[AuditEntry]
    total: int
    offset: int
    limit: int
