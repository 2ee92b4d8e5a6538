"""The index: stage and unstage files."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import InvalidRequest, NotFound

from .failures import classify
from .locate import known_path, repo_path
from .payloads import GitStatus
from .status import read_porcelain, status

if TYPE_CHECKING:
    from .locate import ProjectRepository


def checked_paths(project: ProjectRepository, paths: object) -> list[str]:
    """The request's list of repository-relative paths, each checked to stay inside."""
    if not isinstance(paths, (list, tuple)) or not paths:
        raise InvalidRequest("'paths' must be a non-empty list of repository-relative paths.")
    return list(dict.fromkeys(repo_path(project.root, path) for path in paths))


def _with_renames(project: ProjectRepository, paths: list[str]) -> tuple[list[str], set[str]]:
    """The paths plus the other side of any rename among them, and every path status lists."""
    expanded = list(paths)
    listed: set[str] = set()
    for path, old, _xy, _conflicted in read_porcelain(project.repo).files:
        listed.add(path)
        if old is not None:
            listed.add(old)
            if path in paths and old not in expanded:
                expanded.append(old)
            elif old in paths and path not in expanded:
                expanded.append(path)
    return expanded, listed


def _require_known(project: ProjectRepository, paths: list[str], listed: set[str]) -> None:
    for path in paths:
        inside = any(item.startswith(path.rstrip("/") + "/") for item in listed)
        if path not in listed and not inside and not known_path(project, path):
            raise NotFound(f"No file {path!r} in the repository.", reason="file_not_found")


def stage(project: ProjectRepository, paths: Sequence[str]) -> GitStatus:
    """Stage the files as they are in the working tree (deletions and conflicts resolved too)."""
    import git

    checked = checked_paths(project, paths)
    expanded, listed = _with_renames(project, checked)
    _require_known(project, checked, listed)
    try:
        project.repo.git.add("--all", "--", *expanded)
    except git.GitCommandError as error:
        raise classify(error, "add") from None
    return status(project)


def unstage(project: ProjectRepository, paths: Sequence[str]) -> GitStatus:
    """Take the files out of the index again (their working-tree changes stay)."""
    import git

    checked = checked_paths(project, paths)
    expanded, listed = _with_renames(project, checked)
    _require_known(project, checked, listed)
    repo = project.repo
    try:
        if repo.head.is_valid():
            repo.git.reset("--quiet", "HEAD", "--", *expanded)
        else:
            # Before the first commit there is no HEAD to reset to: empty the index entries.
            repo.git.rm("--cached", "-r", "--quiet", "--ignore-unmatch", "--", *expanded)
    except git.GitCommandError as error:
        raise classify(error, "reset") from None
    return status(project)
