"""The JSON payloads of the lineage API (model level), as TypedDicts."""

from __future__ import annotations

from typing import Literal, TypedDict

from jupyterlab_dbt_workbench.payloads import TestOutcome

GroupBy = Literal["folder", "schema", "package", "tag", "resource_type"]


class LineageNode(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    folder: str
    schema: str | None
    package: str
    tags: list[str]
    materialized: str | None
    status: str | None
    test_status: TestOutcome | None
    # Steps from the focus node: negative upstream, positive downstream (None without focus).
    distance: int | None
    # Direct parents and children in the whole project (of the kinds shown), so a view knows
    # which nodes it can expand further.
    parent_count: int
    child_count: int


class LineageGroup(TypedDict):
    key: str
    label: str
    count: int
    nodes: list[str]


# "from" is a Python keyword, hence the functional form.
GroupEdge = TypedDict("GroupEdge", {"from": str, "to": str, "count": int})


class Lineage(TypedDict):
    project: str
    select: str
    exclude: str | None
    focus: str | None
    group_by: GroupBy | None
    nodes: list[LineageNode]
    edges: list[list[str]]
    groups: list[LineageGroup]
    group_edges: list[GroupEdge]
    total: int
    truncated: bool


class Selection(TypedDict):
    project: str
    select: str | None
    exclude: str | None
    unique_ids: list[str]
    total: int


class ImpactNode(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    distance: int


class Impact(TypedDict):
    project: str
    sources: list[str]
    nodes: list[ImpactNode]
    exposures: list[ImpactNode]
    total: int
