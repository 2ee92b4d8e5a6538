"""Who may do what: the least role every operation of the API needs, in one table.

Roles are ordered: a developer may do everything a viewer may, an admin everything a
developer may. The ``authorized`` decorator (server/base.py) looks an operation up here and
asks the server's authorizer for the matching action on the handler's resource:

========== ========= ==========================================================
role       action    what it covers
========== ========= ==========================================================
viewer     ``read``  every read, read-only SQL, compiling SQL, cron previews
developer  ``write`` dbt runs, schedule changes, metadata edits, Git writes
admin      ``admin`` SQL that writes to the warehouse (checked per query)
========== ========= ==========================================================

An operation missing from ``PERMISSIONS`` is refused (403), never given a default role; the
test suite checks that every route's every operation is listed.
"""

from __future__ import annotations

from functools import cache
from typing import Literal, TypedDict

Role = Literal["viewer", "developer", "admin"]

ROLES: tuple[Role, ...] = ("viewer", "developer", "admin")

# The action the authorizer is asked for, per least role.
ACTIONS: dict[Role, str] = {"viewer": "read", "developer": "write", "admin": "admin"}

# The least role an action needs, for the workbench's own resources (``execute`` is
# jupyter_server's action for kernels and terminals; no workbench route asks for it).
ACTION_ROLES: dict[str, Role] = {
    "read": "viewer",
    "write": "developer",
    "execute": "developer",
    "admin": "admin",
}

V: Role = "viewer"
D: Role = "developer"
A: Role = "admin"

# (HTTP method, route path as in server/routes.py) -> the least role.
PERMISSIONS: dict[tuple[str, str], Role] = {
    # Foundation
    ("GET", "/health"): V,
    ("GET", "/openapi.json"): V,
    ("GET", "/permissions"): V,
    ("GET", "/projects"): V,
    # Rescanning and reloading only re-read files: they change nothing on disk.
    ("POST", "/projects/rescan"): V,
    ("GET", "/nodes"): V,
    ("GET", "/nodes/{unique_id}"): V,
    ("GET", "/nodes/{unique_id}/history"): V,
    ("GET", "/nodes/{unique_id}/schema-history"): V,
    ("GET", "/artifacts"): V,
    ("POST", "/artifacts/reload"): V,
    ("GET", "/artifacts/snapshots"): V,
    # Runs
    ("GET", "/runs"): V,
    ("POST", "/runs"): D,
    ("GET", "/runs/{run_id}"): V,
    ("GET", "/runs/{run_id}/events"): V,
    ("POST", "/runs/{run_id}/cancel"): D,
    ("POST", "/runs/{run_id}/retry"): D,
    ("POST", "/runs/{run_id}/rerun"): D,
    # Following a run live shows what GET runs/{id}/events shows: a read.
    ("GET", "/runs/{run_id}/ws"): V,
    # Schedules
    ("GET", "/schedules"): V,
    ("POST", "/schedules"): D,
    ("POST", "/schedules/preview"): V,
    ("POST", "/schedules/test-notification"): D,
    ("GET", "/schedules/{schedule_id}"): V,
    ("PUT", "/schedules/{schedule_id}"): D,
    ("DELETE", "/schedules/{schedule_id}"): D,
    ("POST", "/schedules/{schedule_id}/run"): D,
    ("GET", "/schedules/{schedule_id}/executions"): V,
    ("GET", "/schedules/{schedule_id}/deliveries"): V,
    # Lineage
    ("GET", "/lineage"): V,
    ("GET", "/lineage/select"): V,
    ("GET", "/lineage/impact"): V,
    ("GET", "/lineage/columns/{unique_id}"): V,
    ("GET", "/lineage/column"): V,
    ("GET", "/lineage/column/impact"): V,
    ("GET", "/lineage/coverage"): V,
    # Metadata: a preview is the first step of an edit.
    ("GET", "/metadata/settings"): V,
    ("GET", "/metadata/node"): V,
    ("POST", "/metadata/preview"): D,
    ("POST", "/metadata/apply"): D,
    # Catalog, quality, search
    ("GET", "/quality/suggestions"): V,
    ("GET", "/dashboard"): V,
    ("GET", "/search"): V,
    # SQL: a query that writes needs ``admin``, checked per query (server/handlers/sql.py).
    ("POST", "/sql/compile"): V,
    ("POST", "/sql/queries"): V,
    ("GET", "/sql/queries/{query_id}"): V,
    ("POST", "/sql/queries/{query_id}/cancel"): V,
    ("GET", "/sql/queries/{query_id}/rows"): V,
    ("GET", "/sql/queries/{query_id}/profile"): V,
    ("GET", "/sql/queries/{query_id}/export"): V,
    ("GET", "/sql/profile"): V,
    ("GET", "/sql/history"): V,
    ("GET", "/sql/completions"): V,
    ("GET", "/sql/settings"): V,
    # Audit
    ("GET", "/audit"): V,
    ("GET", "/audit/export"): V,
    # Git
    ("GET", "/git/status"): V,
    ("GET", "/git/diff"): V,
    ("GET", "/git/branches"): V,
    ("GET", "/git/log"): V,
    ("GET", "/git/commits/{sha}"): V,
    ("GET", "/git/changes"): V,
    ("POST", "/git/stage"): D,
    ("POST", "/git/unstage"): D,
    ("POST", "/git/commit"): D,
    ("POST", "/git/branches"): D,
    ("POST", "/git/checkout"): D,
    ("POST", "/git/fetch"): D,
    ("POST", "/git/pull"): D,
    ("POST", "/git/push"): D,
    ("POST", "/git/baseline"): D,
    ("POST", "/git/build-modified"): D,
}


class Capabilities(TypedDict):
    """What the current user may do, as the UI enables it (server settings included)."""

    run_dbt: bool
    edit_schedules: bool
    edit_metadata: bool
    git_write: bool
    sql_write: bool
    admin: bool


class Permissions(TypedDict):
    """GET permissions: the current user, their role and what they may do."""

    user: str | None
    role: Role
    can: Capabilities


def rank(role: Role) -> int:
    """The role's place in the order viewer < developer < admin."""
    return ROLES.index(role)


class UnlistedOperation(LookupError):
    """A handler's verb has no entry in ``PERMISSIONS`` (so it is refused)."""


def required_role(handler: type, method: str) -> Role:
    """The least role ``method`` on ``handler``'s route needs (``UnlistedOperation`` if none)."""
    path = _paths().get(handler)
    role = PERMISSIONS.get((method.upper(), path)) if path is not None else None
    if role is None:
        raise UnlistedOperation(f"{method.upper()} {path or handler.__name__}")
    return role


@cache
def _paths() -> dict[type, str]:
    # Imported here: the routes import the handlers, which import this module.
    from .routes import ROUTES

    return {route.handler: route.path for route in ROUTES}
