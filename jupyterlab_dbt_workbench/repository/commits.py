"""Making a commit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import (
    Conflict,
    EmptyCommitMessage,
    InvalidRequest,
    NothingToCommit,
)

from .failures import classify, output_of
from .history import commit_info
from .payloads import CommitInfo
from .staging import stage
from .status import is_merging, read_porcelain

if TYPE_CHECKING:
    from .locate import ProjectRepository

IDENTITY_MARKERS = ("please tell me who you are", "unable to auto-detect email")


def commit(
    project: ProjectRepository, message: object, paths: Sequence[str] | None = None
) -> CommitInfo:
    """Commit what is staged (staging ``paths`` first), author and committer from git config.

    The user's hooks run as with ``git commit``; a merge in progress is concluded.
    """
    import git

    if not isinstance(message, str) or not message.strip():
        raise EmptyCommitMessage("A commit needs a message: say what the change does.")
    if paths:
        stage(project, paths)
    repo = project.repo
    files = read_porcelain(repo).files
    conflicted = [path for path, _old, _xy, unmerged in files if unmerged]
    if conflicted:
        raise Conflict(
            f"{len(conflicted)} file(s) still have merge conflicts: {', '.join(conflicted[:20])}. "
            "Resolve them, stage them, then commit.",
            reason="unresolved_conflicts",
        )
    staged = [path for path, _old, xy, _unmerged in files if xy[0] not in " ?"]
    if not staged and not is_merging(repo):
        raise NothingToCommit("Nothing is staged: stage the files to commit first.")
    try:
        # One argv item: the message can never be read as an option.
        repo.git.commit("--quiet", f"--message={message}")
    except git.GitCommandError as error:
        if any(marker in output_of(error).lower() for marker in IDENTITY_MARKERS):
            raise InvalidRequest(
                "git does not know who you are: set your name and email with "
                '`git config --global user.name "Your Name"` and '
                "`git config --global user.email you@example.com`, then commit again.",
                reason="git_identity_missing",
            ) from None
        raise classify(error, "commit") from None
    return commit_info(repo.head.commit)
