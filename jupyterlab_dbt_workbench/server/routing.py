"""The vocabulary of the routes table: a route, its operations and their parameters.

Each area declares its routes with these (``routes.py`` gathers them); the OpenAPI document
is generated from the same objects, so it cannot drift from what the server serves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

API_PREFIX = "dbt-workbench/api"


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    where: str = "query"
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False
    repeated: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    summary: str
    response: Any
    parameters: tuple[Parameter, ...] = ()
    errors: tuple[int, ...] = ()
    status: int = 200  # the success status: 201 for creations, 101 for a websocket upgrade


@dataclass(frozen=True)
class Route:
    path: str  # OpenAPI form, relative to the API prefix: "/nodes/{unique_id}"
    handler: type
    operations: tuple[Operation, ...]

    @property
    def pattern(self) -> str:
        """The tornado regex for the path; a path parameter is one URL segment."""
        return re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", self.path.lstrip("/"))


PROJECT = Parameter(
    "project",
    "Project id: its folder relative to the server root ('.' for the root). "
    "Optional when there is exactly one project.",
)
