"""Artifact status, forced reloads and snapshot versions."""

from __future__ import annotations

from tornado import web

from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import WorkbenchHTTPError


class ArtifactsHandler(WorkbenchHandler):
    """GET artifacts: what is loaded from target/, and the last load problem."""

    auth_resource = "dbt_workbench:artifacts"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: wb.artifact_status(project)))


class ReloadHandler(WorkbenchHandler):
    """POST artifacts/reload: read the artifacts again now, without waiting for the watcher."""

    auth_resource = "dbt_workbench:artifacts"

    @web.authenticated
    @authorized
    async def post(self) -> None:
        project = self.project
        # Seconds on a big project: in the pool of long calls.
        status = await self.core(lambda wb: wb.reload(project), heavy=True)
        problem = status["error"]
        if problem is not None:
            # The user asked for this reload: say plainly that it failed (the last good state
            # is still served, and GET artifacts shows the same problem).
            raise WorkbenchHTTPError(422, problem["message"], problem["reason"])
        self.reply(status)


class SnapshotsHandler(WorkbenchHandler):
    """GET artifacts/snapshots: the stored versions of the project's artifacts, newest first."""

    auth_resource = "dbt_workbench:artifacts"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project
        self.reply(await self.core(lambda wb: wb.snapshot_list(project)))
