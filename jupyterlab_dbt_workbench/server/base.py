"""The base class every workbench handler derives from."""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Any, TypeVar

from jupyter_core.utils import ensure_async
from jupyter_server.base.handlers import APIHandler
from tornado.log import app_log
from tornado.web import HTTPError

from jupyterlab_dbt_workbench.errors import WorkbenchError
from jupyterlab_dbt_workbench.workbench import Workbench

from .errors import WorkbenchHTTPError, bad_parameter, http_error
from .permissions import ACTIONS, UnlistedOperation, required_role
from .service import WorkbenchService

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])

UNEXPECTED = (
    "The dbt workbench hit an unexpected error. The server log has the details; "
    "please report it if it happens again."
)


def authorized(method: F) -> F:
    """Refuse (403) unless the authorizer grants the action the operation's least role needs.

    The role comes from the permission table (server/permissions.py): ``read`` for viewer
    operations, ``write`` for developer ones, ``admin`` for admin ones, on the handler's
    ``auth_resource``. An operation missing from the table is refused.
    """

    @functools.wraps(method)
    async def wrapper(self: WorkbenchHandler, *args: Any, **kwargs: Any) -> Any:
        verb = self.request.method or "GET"
        resource = self.auth_resource
        try:
            role = required_role(type(self), verb)
        except UnlistedOperation as unlisted:
            app_log.error("dbt workbench: %s is missing from the permission table", unlisted)
            raise HTTPError(403, f"{unlisted} has no entry in the permission table.") from None
        action = ACTIONS[role]
        if not self.current_user or not await self.permits(action, resource):
            raise HTTPError(
                403,
                f"You are not authorized to {action} on {resource}: this needs the {role} role.",
            )
        out = method(self, *args, **kwargs)
        return await out if inspect.isawaitable(out) else out

    return wrapper  # type: ignore[return-value]


class WorkbenchHandler(APIHandler):
    """JSON handlers over the core: one error contract, blocking work off the event loop.

    Subclasses decorate every verb with ``@tornado.web.authenticated`` then this module's
    ``@authorized`` and set ``auth_resource`` to ``dbt_workbench:<area>``.
    """

    auth_resource = "dbt_workbench"

    @property
    def service(self) -> WorkbenchService:
        return self.settings["dbt_workbench_service"]

    async def core(self, fn: Callable[[Workbench], T], *, heavy: bool = False) -> T:
        """Run ``fn(workbench)`` in the pool, turning core errors into HTTP errors.

        ``heavy`` work (a whole-graph selection, a reload) goes to the service's pool of long
        calls, so quick requests never wait behind it (benchmarks/load.py).
        """
        try:
            workbench = await self.service.workbench()
            return await self.service.call(fn, workbench, heavy=heavy)
        except WorkbenchError as error:
            raise http_error(error) from error

    async def permits(self, action: str, resource: str | None = None) -> bool:
        """Whether the server's authorizer lets the current user do ``action`` on
        ``resource`` (default: this handler's)."""
        return bool(
            await ensure_async(
                self.authorizer.is_authorized(
                    self, self.current_user, action, resource or self.auth_resource
                )
            )
        )

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
