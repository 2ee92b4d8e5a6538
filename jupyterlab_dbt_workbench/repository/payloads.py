"""The JSON payloads of the Git service (REST), as TypedDicts mirroring docs/git.md."""

from __future__ import annotations

from typing import Literal, TypedDict

FileChange = Literal["added", "modified", "deleted", "renamed"]


class RemoteInfo(TypedDict):
    name: str
    # Any ``user:password@`` of the configured URL is removed.
    url: str


class RepositoryInfo(TypedDict):
    # Absolute path of the working tree, shown to the user.
    root: str
    # The project folder relative to the repository root ("" when they are the same).
    project_path: str
    branch: str | None
    detached: bool
    head: str | None
    upstream: str | None
    ahead: int
    behind: int
    default_branch: str | None
    remotes: list[RemoteInfo]
    merging: bool


class ChangedFile(TypedDict):
    # Repository-relative, posix separators.
    path: str
    old_path: str | None
    # git's X (index) and Y (worktree) letters of `git status --porcelain`.
    index: str
    worktree: str
    staged: bool
    unstaged: bool
    untracked: bool
    conflicted: bool
    in_project: bool


class GitStatus(TypedDict):
    repository: RepositoryInfo
    files: list[ChangedFile]
    clean: bool


class FileDiff(TypedDict):
    path: str
    old_path: str | None
    change: FileChange
    binary: bool
    # Whole file contents before and after; null when binary or larger than 1 MB.
    old_text: str | None
    new_text: str | None
    patch: str
    additions: int
    deletions: int


class CommitInfo(TypedDict):
    sha: str
    short: str
    summary: str
    message: str
    author: str
    email: str
    # ISO 8601 with the author's UTC offset.
    date: str
    parents: list[str]


class BranchInfo(TypedDict):
    name: str
    remote: bool
    head: str
    upstream: str | None
    ahead: int
    behind: int
    current: bool


class BranchList(TypedDict):
    current: str | None
    detached: bool
    branches: list[BranchInfo]


class SyncResult(TypedDict):
    """The answer of fetch, pull and push."""

    ok: bool
    message: str
    status: GitStatus


class CommitLog(TypedDict):
    commits: list[CommitInfo]
    # Number of commits reachable from HEAD (for the path when one is given); null if unknown.
    total: int | None


class CommitDetail(TypedDict):
    commit: CommitInfo
    files: list[FileDiff]
