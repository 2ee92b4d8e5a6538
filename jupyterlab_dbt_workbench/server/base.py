"""The base class every workbench handler derives from."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, TypeVar

from jupyter_server.base.handlers import APIHandler
from tornado.web import HTTPError

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.workbench import Workbench

from .errors import WorkbenchHTTPError, bad_parameter, http_error
from .service import WorkbenchService

T = TypeVar("T")

UNEXPECTED = (
    "The dbt workbench hit an unexpected error. The server log has the details; "
    "please report it if it happens again."
)


class WorkbenchHandler(APIHandler):
    """JSON handlers over the core: one error contract, blocking work off the event loop.

    Subclasses decorate every verb with ``@tornado.web.authenticated`` then ``@authorized``
    and set ``auth_resource`` to ``dbt_workbench:<area>``.
    """

    auth_resource = "dbt_workbench"

    @property
    def service(self) -> WorkbenchService:
        return self.settings["dbt_workbench_service"]

    async def core(self, fn: Callable[[Workbench], T]) -> T:
        """Run ``fn(workbench)`` in the pool, turning core errors into HTTP errors."""
        try:
            workbench = await self.service.workbench()
            return await self.service.call(fn, workbench)
        except WorkbenchError as error:
            raise http_error(error) from error

    @property
    def project(self) -> str | None:
        """The ``project`` query parameter (validated by the core)."""
        value = self.get_query_argument("project", None)
        return value or None

    def int_argument(self, name: str, default: int, low: int, high: int) -> int:
        """A whole-number query parameter within bounds (400 naming it otherwise)."""
        raw = self.get_query_argument(name, None)
        if raw is None or raw == "":
            return default
        try:
            value = int(raw)
        except ValueError:
            raise bad_parameter(f"'{name}' must be a whole number, not {raw!r}.") from None
        if not low <= value <= high:
            raise bad_parameter(f"'{name}' must be between {low} and {high}, not {value}.")
        return value

    def optional_int_argument(self, name: str, low: int, high: int) -> int | None:
        """Like ``int_argument``, but None when the parameter is absent."""
        if not self.get_query_argument(name, None):
            return None
        return self.int_argument(name, low, low, high)

    def bool_argument(self, name: str) -> bool:
        """A true/false query parameter (absent means false)."""
        raw = (self.get_query_argument(name, "") or "").lower()
        if raw in ("", "0", "false", "no"):
            return False
        if raw in ("1", "true", "yes"):
            return True
        raise bad_parameter(f"'{name}' must be true or false, not {raw!r}.")

    def text_argument(self, name: str) -> str | None:
        """A text query parameter; blank counts as absent."""
        value = self.get_query_argument(name, None)
        return value if value and value.strip() else None

    def reply(self, payload: Any) -> None:
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(payload, default=str))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        """Every error is ``{"message", "reason", ...details}``; tracebacks stay in the log."""
        error = kwargs.get("exc_info", (None, None, None))[1]
        details: dict[str, object] = {}
        if isinstance(error, WorkbenchHTTPError):
            message, reason, details = error.message, error.reason, error.details
        elif isinstance(error, HTTPError):
            if error.log_message:
                message = error.log_message % error.args if error.args else error.log_message
            else:
                message = self._reason
            reason = error.reason or self._reason
        else:
            message, reason = UNEXPECTED, "internal_error"
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps({**details, "message": message, "reason": reason}))
