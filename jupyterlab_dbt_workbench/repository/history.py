"""The history of the checked-out branch and what one commit changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .diff import commit_files
from .locate import commit_sha, repo_path
from .payloads import CommitDetail, CommitInfo, CommitLog

if TYPE_CHECKING:
    import git

    from .locate import ProjectRepository

SHORT = 7


def commit_info(commit: git.Commit) -> CommitInfo:
    """The payload of one commit (author, not committer: who wrote the change)."""
    message = commit.message if isinstance(commit.message, str) else commit.message.decode()
    summary = commit.summary if isinstance(commit.summary, str) else commit.summary.decode()
    return CommitInfo(
        sha=commit.hexsha,
        short=commit.hexsha[:SHORT],
        summary=summary,
        message=message,
        author=str(commit.author.name or ""),
        email=str(commit.author.email or ""),
        date=commit.authored_datetime.isoformat(),
        parents=[parent.hexsha for parent in commit.parents],
    )


def has_commits(repo: git.Repo) -> bool:
    """False on an unborn branch (a new repository before its first commit)."""
    return repo.head.is_valid()


def log(
    project: ProjectRepository, *, limit: int = 50, offset: int = 0, path: str | None = None
) -> CommitLog:
    """Commits reachable from HEAD, newest first; with ``path``, those that touched it."""
    repo = project.repo
    if not has_commits(repo):
        return CommitLog(commits=[], total=0)
    paths = [repo_path(project.root, path)] if path is not None else []
    commits = repo.iter_commits("HEAD", max_count=limit, skip=offset, paths=paths)
    total = int(repo.git.rev_list("--count", "HEAD", "--", *paths))
    return CommitLog(commits=[commit_info(commit) for commit in commits], total=total)


def commit_detail(project: ProjectRepository, sha: str) -> CommitDetail:
    """One commit and every file it changed (against its first parent)."""
    repo = project.repo
    commit = repo.commit(commit_sha(repo, sha))
    parent = commit.parents[0].hexsha if commit.parents else None
    return CommitDetail(commit=commit_info(commit), files=commit_files(repo, commit.hexsha, parent))
