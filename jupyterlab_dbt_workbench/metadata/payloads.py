"""The JSON payloads of metadata edits (REST and Python), as TypedDicts."""

from __future__ import annotations

from typing import TypedDict


class MetadataSettings(TypedDict):
    """Whether this server lets its users edit metadata."""

    allow_edits: bool
    message: str | None


class EditableColumn(TypedDict):
    name: str
    description: str
    tags: list[str]
    tests: list[str]
    in_file: bool


class EditableNode(TypedDict):
    """What the edit form starts from: the node's properties as its YAML file has them, and
    what the manifest says they add up to (dbt_project.yml and config() blocks included)."""

    project: str
    node: str
    name: str
    resource_type: str
    file: str
    file_exists: bool
    in_file: bool
    description: str
    tags: list[str]
    owner: str | None
    effective_tags: list[str]
    effective_owner: str | None
    columns: list[EditableColumn]
    allow_edits: bool


class MetadataPreview(TypedDict):
    """A proposed edit: the unified diff and the token ``apply`` needs."""

    project: str
    node: str
    file: str
    created: bool
    changed: bool
    diff: str
    base: str


class MetadataApplied(TypedDict):
    """A written edit."""

    project: str
    node: str
    file: str
    created: bool
    changed: bool
    diff: str
    sha256: str
    message: str
