"""The one place where core errors become HTTP statuses."""

from __future__ import annotations

from tornado.web import HTTPError

from jupyterlab_dbt_workbench.errors import (
    ArtifactError,
    Conflict,
    ExternalToolError,
    Forbidden,
    Gone,
    InvalidRequest,
    InvalidSql,
    InvalidYaml,
    NotFound,
    StoreBusy,
    StoreError,
    WorkbenchError,
)

# Most specific first: the first class that matches decides the status.
STATUS_BY_ERROR: tuple[tuple[type[WorkbenchError], int], ...] = (
    (InvalidRequest, 400),
    (Forbidden, 403),
    (NotFound, 404),
    (Conflict, 409),
    (Gone, 410),
    (ArtifactError, 422),
    (InvalidYaml, 422),
    (InvalidSql, 422),
    (ExternalToolError, 502),
    (StoreBusy, 503),
    (StoreError, 500),
    (WorkbenchError, 500),
)


class WorkbenchHTTPError(HTTPError):
    """An HTTPError whose user-facing message is kept apart from tornado's log format string.

    Tornado treats ``log_message`` as a %-format string when it logs; a user message with a
    ``%`` in it (a LIKE pattern, a URL) would break that, so the message travels separately.
    """

    def __init__(
        self,
        status_code: int,
        message: str,
        reason: str,
        details: dict[str, object] | None = None,
    ) -> None:
        super().__init__(status_code, "%s", message, reason=reason)
        self.message = message
        # Extra JSON fields of the error body (a syntax error's line/column, suggestions).
        self.details = details or {}


def http_error(error: WorkbenchError) -> WorkbenchHTTPError:
    """Map a core error to the HTTP error the client sees."""
    status = next(code for cls, code in STATUS_BY_ERROR if isinstance(error, cls))
    details = getattr(error, "details", None)
    return WorkbenchHTTPError(
        status, error.message, error.reason, details if isinstance(details, dict) else None
    )


def bad_parameter(message: str) -> WorkbenchHTTPError:
    return WorkbenchHTTPError(400, message, "bad_parameter")
