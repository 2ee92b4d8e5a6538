"""The audit log over REST (a page of entries, a CSV or JSON download), and ``audited``, the
helper other handlers use to record the writes they make on behalf of the signed-in user."""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from tornado import web
from tornado.iostream import StreamClosedError

from jupyterlab_dbt_workbench import audit
from jupyterlab_dbt_workbench.audit.download import FORMATS
from jupyterlab_dbt_workbench.audit.log import MAX_LIMIT
from jupyterlab_dbt_workbench.audit.payloads import AuditPage
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

RESOURCE = "dbt_workbench:audit"
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}

log = logging.getLogger(__name__)


@dataclass
class AuditNote:
    """What an ``audited`` block will record; the block fills in what it learns (and sets
    ``outcome`` to ``"error"`` for a call that answered but did not do its work)."""

    project: str | None = None
    target: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    outcome: str = "ok"


@asynccontextmanager
async def audited(
    handler: WorkbenchHandler,
    action: str,
    *,
    project: str | None = None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> AsyncIterator[AuditNote]:
    """Record ``action`` by the handler's user once the block ends: ``ok`` when it returns,
    ``error`` (with the HTTP status and reason, never the message, which may quote input)
    when it raises. Recording never changes what the block raises or returns.
    """
    note = AuditNote(project, target, dict(details or {}))
    try:
        yield note
    except web.HTTPError as error:
        note.outcome = "error"
        note.details["error"] = {"status": error.status_code, "reason": error.reason}
        raise
    except Exception:
        note.outcome = "error"
        note.details["error"] = {"status": 500, "reason": "internal_error"}
        raise
    finally:
        await _record(handler, action, note)


async def _record(handler: WorkbenchHandler, action: str, note: AuditNote) -> None:
    # Imported here: the runs handlers import ``audited`` from this module.
    from .runs import user_name

    try:
        workbench = await handler.service.workbench()
        write = functools.partial(
            audit.record,
            workbench.database,
            user=user_name(handler.current_user),
            action=action,
            project=note.project,
            target=note.target,
            details=note.details,
            outcome=note.outcome,
        )
        await handler.service.call(write)
    except Exception as exc:
        # A write must not fail because its record did.
        log.warning("dbt workbench: could not record %s in the audit log: %s", action, exc)


class AuditBase(WorkbenchHandler):
    auth_resource = RESOURCE

    def filters(self) -> dict[str, str | None]:
        return {
            "project": self.project,
            "q": self.text_argument("q"),
            "action": self.text_argument("action"),
            "user": self.text_argument("user"),
        }


class AuditHandler(AuditBase):
    """GET audit: a page of the audit log, newest first, with the total matching."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        filters = self.filters()
        offset = self.int_argument("offset", 0, 0, 10**9)
        limit = self.int_argument("limit", 100, 1, MAX_LIMIT)
        page: AuditPage = await self.core(
            lambda wb: audit.entries(wb.database, offset=offset, limit=limit, **filters)
        )
        self.reply(page)


class AuditExportHandler(AuditBase):
    """GET audit/export: the entries matching the filters as a CSV or JSON download."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        fmt = self.get_query_argument("format", "csv") or "csv"
        if fmt not in FORMATS:
            raise bad_parameter(f"'format' must be csv or json, not {fmt!r}.")
        filters = self.filters()
        workbench = await self.core(lambda wb: wb)
        chunks = audit.export(workbench.database, "csv" if fmt == "csv" else "json", **filters)
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        self.set_header("Content-Type", CONTENT_TYPES[fmt])
        self.set_header("Content-Disposition", f'attachment; filename="audit-{stamp}.{fmt}"')
        try:
            while True:
                # Each chunk reads the store: off the event loop.
                chunk = await self.service.call(next, chunks, b"")
                if not chunk:
                    break
                self.write(chunk)
                await self.flush()
        except StreamClosedError:
            return  # the browser went away
        finally:
            chunks.close()
        self.finish()


_FILTERS = (
    PROJECT,
    Parameter("q", "text in the action, target or details"),
    Parameter("action", "dotted action prefix, e.g. git or run.submit"),
    Parameter("user", "who made the write"),
)

AUDIT_ROUTES: tuple[Route, ...] = (
    Route(
        "/audit",
        AuditHandler,
        (
            Operation(
                "get",
                "A page of the audit log (writes made through the workbench), newest first",
                AuditPage,
                (
                    *_FILTERS,
                    Parameter("offset", "first item", schema={"type": "integer", "minimum": 0}),
                    Parameter(
                        "limit",
                        "page size",
                        schema={"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                    ),
                ),
                (400,),
            ),
        ),
    ),
    Route(
        "/audit/export",
        AuditExportHandler,
        (
            Operation(
                "get",
                "The audit log entries matching the filters as a file download "
                "(Content-Disposition: attachment)",
                bytes,
                (*_FILTERS, Parameter("format", "csv or json", schema={"enum": list(FORMATS)})),
                (400,),
            ),
        ),
    ),
)
