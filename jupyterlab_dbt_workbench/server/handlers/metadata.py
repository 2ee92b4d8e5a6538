"""Metadata edits: the form's starting point, a diff preview, and the guarded write."""

from __future__ import annotations

import json
from typing import Any

from tornado import web

from jupyterlab_dbt_workbench import metadata
from jupyterlab_dbt_workbench.errors import InvalidRequest, MetadataEditsDisabled
from jupyterlab_dbt_workbench.metadata import payloads
from jupyterlab_dbt_workbench.server.base import WorkbenchHandler, authorized
from jupyterlab_dbt_workbench.server.errors import bad_parameter, http_error
from jupyterlab_dbt_workbench.server.handlers.audit import audited
from jupyterlab_dbt_workbench.server.permissions import ACTIONS
from jupyterlab_dbt_workbench.server.routing import PROJECT, Operation, Parameter, Route

AUTH_RESOURCE = "dbt_workbench:metadata"
DISABLED = (
    "Metadata edits are switched off on this server (DbtWorkbench.allow_metadata_edits is "
    "False). Ask its administrator, or edit the YAML files directly."
)
ROLE_DISABLED = "Editing metadata needs the developer role; your role only reads it."


class _MetadataHandler(WorkbenchHandler):
    auth_resource = AUTH_RESOURCE

    async def refusal(self) -> str | None:
        """Why this user may not edit metadata here (the server setting, or their role)."""
        if not self.service.config.allow_metadata_edits:
            return DISABLED
        if not await self.permits(ACTIONS["developer"]):
            return ROLE_DISABLED
        return None

    async def require_allowed(self) -> None:
        refusal = await self.refusal()
        if refusal is not None:
            raise http_error(MetadataEditsDisabled(refusal))

    def body(self) -> dict[str, Any]:
        try:
            body = json.loads(self.request.body or b"null")
        except ValueError:
            raise bad_parameter("The body must be JSON.") from None
        if not isinstance(body, dict):
            raise bad_parameter('The body must be a JSON object such as {"node": "model.x.y"}.')
        return body


class SettingsHandler(_MetadataHandler):
    """GET metadata/settings: whether users may edit metadata on this server."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        refusal = await self.refusal()
        self.reply(payloads.MetadataSettings(allow_edits=refusal is None, message=refusal))


class EditableHandler(_MetadataHandler):
    """GET metadata/node: a node's properties as its YAML file has them."""

    @web.authenticated
    @authorized
    async def get(self) -> None:
        project, node = self.project, self.text_argument("node")
        allowed = await self.refusal() is None
        if node is None:
            raise bad_parameter("The 'node' parameter is required: a unique id.")
        self.reply(
            await self.core(
                lambda wb: metadata.editable(wb.state(project), node, allow_edits=allowed)
            )
        )


class PreviewHandler(_MetadataHandler):
    """POST metadata/preview: the unified diff an edit would make, and its base token."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        await self.require_allowed()
        body = self.body()
        try:
            project, edit = metadata.edit_from_json(body)
        except InvalidRequest as error:
            raise http_error(error) from error
        self.reply(await self.core(lambda wb: metadata.preview(wb.state(project), edit)))


class ApplyHandler(_MetadataHandler):
    """POST metadata/apply: write a previewed edit unless the file changed since (409)."""

    @web.authenticated
    @authorized
    async def post(self) -> None:
        await self.require_allowed()
        body = self.body()
        base = body.pop("base", None)
        if not isinstance(base, str) or not base:
            raise bad_parameter("'base' is required: the token POST metadata/preview returned.")
        try:
            project, edit = metadata.edit_from_json(body)
        except InvalidRequest as error:
            raise http_error(error) from error
        async with audited(self, "metadata.apply", project=project, target=edit.node) as note:
            applied = await self.core(lambda wb: metadata.apply(wb.state(project), edit, base))
            note.project = applied["project"]
            note.details = {
                "node": applied["node"],
                "file": applied["file"],
                "created": applied["created"],
                "changed": applied["changed"],
                "fields": _edited_fields(edit),
            }
        self.reply(applied)


def _edited_fields(edit: metadata.MetadataEdit) -> list[str]:
    """The properties an edit touches (``columns.<name>`` for a column), not their values."""
    fields = [name for name in ("description", "tags", "owner") if getattr(edit, name) is not None]
    return fields + [f"columns.{column.name}" for column in edit.columns]


METADATA_ROUTES: tuple[Route, ...] = (
    Route(
        "/metadata/settings",
        SettingsHandler,
        (Operation("get", "Whether metadata edits are allowed", payloads.MetadataSettings),),
    ),
    Route(
        "/metadata/node",
        EditableHandler,
        (
            Operation(
                "get",
                "A node's description, tags, owner and columns as its YAML file has them",
                payloads.EditableNode,
                (PROJECT, Parameter("node", "unique id of the node", required=True)),
                (400, 404, 409, 422),
            ),
        ),
    ),
    Route(
        "/metadata/preview",
        PreviewHandler,
        (
            Operation(
                "post",
                "The diff an edit would make (JSON body: node, description, tags, owner, "
                "columns) and the base token to apply it",
                payloads.MetadataPreview,
                (),
                (400, 404, 409, 422),
            ),
        ),
    ),
    Route(
        "/metadata/apply",
        ApplyHandler,
        (
            Operation(
                "post",
                "Write a previewed edit (same body plus base); 409 if the file changed since",
                payloads.MetadataApplied,
                (),
                (400, 404, 409, 422),
            ),
        ),
    ),
)
