"""Artifact status, forced reloads and snapshot versions."""

from __future__ import annotations

from jupyter_server.auth.decorator import authorized
from tornado import web

from ..base import WorkbenchHandler


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
        self.reply(await self.core(lambda wb: wb.reload(project)))


class SnapshotsHandler(WorkbenchHandler):
    """GET artifacts/snapshots: the stored versions of the project's artifacts, newest first."""

    auth_resource = "dbt_workbench:artifacts"

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project = self.project

        def snapshots(wb):  # type: ignore[no-untyped-def]
            state = wb.state(project)
            return {
                "project": state.project.id,
                "limit": self.service.config.snapshot_limit,
                "snapshots": wb.snapshots(project),
            }

        self.reply(await self.core(snapshots))
