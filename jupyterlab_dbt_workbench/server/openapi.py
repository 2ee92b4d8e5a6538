"""The OpenAPI 3.1 document of the API, generated from the routes table and the payload types.

Generating it means it cannot drift from the code: every route in ``routes.ROUTES`` appears, and
every response schema is derived from the TypedDict the handler returns (``payloads.py``). The
tests validate real responses against these schemas, which checks the TypedDicts too.
"""

from __future__ import annotations

import functools
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin, is_typeddict

from jupyterlab_dbt_workbench import __version__

from .routes import API_PREFIX, ROUTES

# NotRequired/Required exist in typing from Python 3.11 only.
_KEY_QUALIFIERS = tuple(
    q for q in (getattr(typing, "NotRequired", None), getattr(typing, "Required", None)) if q
)

ERROR_SCHEMA = {
    "type": "object",
    "required": ["message", "reason"],
    "properties": {"message": {"type": "string"}, "reason": {"type": ["string", "null"]}},
}

SUCCESS_TEXT = {
    101: "Switching to the WebSocket protocol; the schema describes one message",
    200: "OK",
    201: "Created",
    202: "Accepted: the work goes on in the background",
}

STATUS_TEXT = {
    400: "Bad parameter or unsafe path",
    403: "Not authenticated or not authorized",
    404: "Project or node not found",
    409: "Conflict: no usable manifest yet, a run in progress, a changed file or a busy warehouse",
    410: "Gone: no longer kept (e.g. a pruned query result)",
    422: "An artifact or a file cannot be used",
    500: "Unexpected error",
    502: "dbt or the warehouse failed",
}


_BINARY = {"schema": {"type": "string", "format": "binary"}}
# What the export routes send (audit: CSV or JSON; SQL results: CSV or Parquet): a client
# must be told every type it may receive, not a generic octet-stream.
DOWNLOAD_CONTENT = {
    "text/csv": _BINARY,
    "application/json": {"schema": {}},
    "application/vnd.apache.parquet": _BINARY,
}


def schema_of(tp: Any, components: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema of a Python type; TypedDicts become named components."""
    if tp is Any or tp is object:
        return {}
    if tp is type(None) or tp is None:
        return {"type": "null"}
    if tp is str:
        return {"type": "string"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if is_typeddict(tp):
        name = tp.__name__
        if name not in components:
            components[name] = {}  # placeholder first: payloads may refer to themselves
            hints = typing.get_type_hints(tp)
            required = sorted(getattr(tp, "__required_keys__", hints.keys()))
            components[name] = {
                "type": "object",
                "required": required,
                "properties": {key: schema_of(value, components) for key, value in hints.items()},
            }
        return {"$ref": f"#/components/schemas/{name}"}
    origin, args = get_origin(tp), get_args(tp)
    if origin in _KEY_QUALIFIERS:
        return schema_of(args[0], components)
    if origin is Literal:
        return {"enum": list(args)}
    if origin in (Union, types.UnionType):
        return {"anyOf": [schema_of(arg, components) for arg in args]}
    if origin in (list, tuple, typing.Sequence) or tp in (list, tuple):
        return {"type": "array", "items": schema_of(args[0], components) if args else {}}
    if origin is dict or tp is dict or origin is typing.Mapping:
        value = schema_of(args[1], components) if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value}
    raise TypeError(f"No JSON schema for {tp!r}")


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The whole document; paths are relative to ``<base_url>/dbt-workbench/api``."""
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for route in ROUTES:
        item: dict[str, Any] = {}
        for op in route.operations:
            parameters = []
            for param in op.parameters:
                schema = param.schema
                if param.repeated:
                    schema = {"type": "array", "items": schema}
                entry: dict[str, Any] = {
                    "name": param.name,
                    "in": param.where,
                    "description": param.description,
                    "required": param.required or param.where == "path",
                    "schema": schema,
                }
                if param.repeated:
                    entry.update(style="form", explode=True)
                parameters.append(entry)
            # ``bytes``: a file download rather than JSON, in one of the export formats.
            content = (
                DOWNLOAD_CONTENT
                if op.response is bytes
                else {"application/json": {"schema": schema_of(op.response, components)}}
            )
            responses: dict[str, Any] = {
                str(op.status): {"description": SUCCESS_TEXT[op.status], "content": content}
            }
            for status in sorted({*op.errors, 403, 500}):
                responses[str(status)] = {
                    "description": STATUS_TEXT[status],
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Error"}}
                    },
                }
            item[op.method] = {
                "summary": op.summary,
                "operationId": f"{op.method}_{route.pattern.replace('/', '_')}",
                "parameters": parameters,
                "responses": responses,
                "security": [{"token": []}],
            }
        paths[route.path] = item
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "jupyterlab-dbt-workbench API",
            "version": __version__,
            "description": "The REST API of the dbt workbench. See docs/api.md.",
        },
        "servers": [{"url": f"/{API_PREFIX}"}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {
                "token": {"type": "apiKey", "in": "header", "name": "Authorization"}
            },
        },
    }
