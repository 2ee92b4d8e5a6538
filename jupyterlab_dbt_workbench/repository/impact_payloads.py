"""The JSON payloads of the dbt-aware Git views: what a change touches in the dbt project."""

from __future__ import annotations

from typing import Literal, TypedDict

FileChangeKind = Literal["added", "modified", "deleted", "renamed"]
ColumnsStatus = Literal["ok", "unavailable"]


class ChangedFileNodes(TypedDict):
    # Repository-relative, posix separators.
    path: str
    # The previous path of a renamed file.
    old_path: str | None
    change: FileChangeKind
    # The nodes defined by (or depending on) the file; empty when none.
    nodes: list[str]
    # Why the file maps to what it maps to, when that is not simply "defined here".
    reason: str | None


class ModifiedNode(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    # The project-relative file that defines the node.
    file: str | None
    reasons: list[str]


class DownstreamNode(TypedDict):
    unique_id: str
    name: str
    resource_type: str
    # Fewest steps from a modified node.
    distance: int


class ExposureRef(TypedDict):
    unique_id: str
    name: str


class ColumnChange(TypedDict):
    name: str
    before: str
    after: str


class DownstreamColumn(TypedDict):
    unique_id: str
    name: str
    column: str


class ModelColumns(TypedDict):
    unique_id: str
    name: str
    status: ColumnsStatus
    # Why a side could not be read (status unavailable), or what was left out (status ok).
    reason: str | None
    added: list[str]
    removed: list[str]
    changed: list[ColumnChange]
    # Columns of downstream models made from (or filtered, joined, grouped on) the changed
    # or removed columns.
    downstream: list[DownstreamColumn]


class ChangeReport(TypedDict):
    # The ref compared with (null: the working tree against HEAD).
    base: str | None
    # The commit compared with: HEAD, or the merge-base of HEAD and ``base``.
    base_sha: str | None
    head_sha: str | None
    # The repository's default branch, the usual ``base`` of the branch view.
    default_base: str | None
    files: list[ChangedFileNodes]
    modified: list[ModifiedNode]
    downstream: list[DownstreamNode]
    exposures: list[ExposureRef]
    columns: list[ModelColumns]


class BaselineInfo(TypedDict):
    base: str | None
    sha: str
    # The folder holding the baseline manifest.json, relative to the server root.
    path: str
    # False when an earlier parse of the same commit was reused.
    created: bool
