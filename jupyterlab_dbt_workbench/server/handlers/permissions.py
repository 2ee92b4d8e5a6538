"""GET permissions: who the user is to the workbench, and what the UI should let them do."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.server.authorizer import DbtWorkbenchAuthorizer, user_name
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.permissions import (
    ACTIONS,
    Capabilities,
    Permissions,
    Role,
)
from jupyterlab_dbt_workbench.server.routing import Operation, Route

WRITE, ADMIN = ACTIONS["developer"], ACTIONS["admin"]


class PermissionsHandler(WorkbenchHandler):
    """GET permissions: the user's role and capabilities, asked of the server's authorizer.

    With ``DbtWorkbenchAuthorizer`` the role is the one it assigns. With another authorizer
    (jupyter_server's default allows everything) the role is inferred from what it grants:
    admin if it grants ``admin``, developer if it grants running dbt, else viewer.
    """

    auth_resource = "dbt_workbench:permissions"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        config = self.service.config
        can = Capabilities(
            run_dbt=await self.permits(WRITE, "dbt_workbench:runs"),
            edit_schedules=await self.permits(WRITE, "dbt_workbench:schedules"),
            edit_metadata=bool(config.allow_metadata_edits)
            and await self.permits(WRITE, "dbt_workbench:metadata"),
            git_write=await self.permits(WRITE, "dbt_workbench:git"),
            sql_write=bool(config.allow_sql_writes)
            and await self.permits(ADMIN, "dbt_workbench:sql"),
            admin=await self.permits(ADMIN, "dbt_workbench"),
        )
        role: Role
        if isinstance(self.authorizer, DbtWorkbenchAuthorizer):
            role = self.authorizer.role_of(self.current_user)
        elif can["admin"]:
            role = "admin"
        elif can["run_dbt"]:
            role = "developer"
        else:
            role = "viewer"
        self.reply(Permissions(user=user_name(self.current_user), role=role, can=can))


PERMISSION_ROUTES: tuple[Route, ...] = (
    Route(
        "/permissions",
        PermissionsHandler,
        (
            Operation(
                "get",
                "The current user's workbench role (viewer, developer, admin) and what it "
                "lets them do on this server (server settings included)",
                Permissions,
            ),
        ),
    ),
)
