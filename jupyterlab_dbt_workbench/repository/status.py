"""The working tree's status: branch, upstream, remotes and every changed file.

One ``git status --porcelain=v2 --branch -z`` gives the branch header and the files, renames
and conflicts included, in a format made for programs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .failures import without_credentials
from .payloads import ChangedFile, GitStatus, RemoteInfo, RepositoryInfo

if TYPE_CHECKING:
    import git

    from .locate import ProjectRepository

# The XY pairs of an unmerged path (git status's "Short format").
CONFLICT_PAIRS = frozenset({"DD", "AU", "UD", "UA", "DU", "AA", "UU"})


@dataclass
class Porcelain:
    """What ``git status --porcelain=v2 --branch`` said, parsed."""

    head: str | None = None
    branch: str | None = None
    upstream: str | None = None
    ahead: int = 0
    behind: int = 0
    files: list[tuple[str, str | None, str, bool]] = field(default_factory=list)
    """(path, old path, XY with ' ' for unchanged, conflicted)."""


def read_porcelain(repo: git.Repo) -> Porcelain:
    """Run and parse ``git status --porcelain=v2 --branch -z --untracked-files=all``."""
    raw = repo.git.status(
        "--porcelain=v2", "--branch", "-z", "--untracked-files=all", strip_newline_in_stdout=False
    )
    result = Porcelain()
    fields = iter(str(raw).split("\x00"))
    for entry in fields:
        if not entry:
            continue
        kind = entry[0]
        if kind == "#":
            _header(result, entry)
        elif kind == "1":
            parts = entry.split(" ", 8)
            result.files.append((parts[8], None, _xy(parts[1]), False))
        elif kind == "2":
            parts = entry.split(" ", 9)
            # The original path of a rename or copy is the next NUL-separated field.
            result.files.append((parts[9], next(fields, None), _xy(parts[1]), False))
        elif kind == "u":
            parts = entry.split(" ", 10)
            xy = parts[1]
            result.files.append((parts[10], None, xy, xy in CONFLICT_PAIRS))
        elif kind == "?":
            result.files.append((entry[2:], None, "??", False))
    return result


def _xy(letters: str) -> str:
    return letters.replace(".", " ")


def _header(result: Porcelain, entry: str) -> None:
    name, _, value = entry[2:].partition(" ")
    if name == "branch.oid":
        result.head = None if value == "(initial)" else value
    elif name == "branch.head":
        result.branch = None if value == "(detached)" else value
    elif name == "branch.upstream":
        result.upstream = value
    elif name == "branch.ab":
        ahead, _, behind = value.partition(" ")
        result.ahead, result.behind = abs(int(ahead)), abs(int(behind))


def changed_file(
    project: ProjectRepository, path: str, old: str | None, xy: str, conflicted: bool
) -> ChangedFile:
    index, worktree = xy[0], xy[1]
    untracked = xy == "??"
    return ChangedFile(
        path=path,
        old_path=old,
        index=index,
        worktree=worktree,
        staged=not untracked and not conflicted and index != " ",
        unstaged=untracked or conflicted or worktree != " ",
        untracked=untracked,
        conflicted=conflicted,
        in_project=project.in_project(path) or (old is not None and project.in_project(old)),
    )


def remotes(repo: git.Repo) -> list[RemoteInfo]:
    """Every remote with its fetch URL, any credentials in it removed."""
    found = []
    reader = repo.config_reader()
    for remote in repo.remotes:
        section = f'remote "{remote.name}"'
        url = str(reader.get_value(section, "url", "")) if reader.has_section(section) else ""
        found.append(RemoteInfo(name=remote.name, url=without_credentials(url)))
    return found


def default_branch(repo: git.Repo) -> str | None:
    """The branch ``origin/HEAD`` points to (without ``origin/``), else ``main``, else ``master``.

    None when none of them exists.
    """
    import git

    try:
        target = repo.git.symbolic_ref("--quiet", "refs/remotes/origin/HEAD")
    except git.GitCommandError:
        target = ""
    prefix = "refs/remotes/origin/"
    if target.startswith(prefix):
        return target[len(prefix) :]
    heads = {head.name for head in repo.heads}
    remote_heads = {ref.name for ref in repo.refs if ref.path.startswith("refs/remotes/")}
    for name in ("main", "master"):
        if name in heads or f"origin/{name}" in remote_heads:
            return name
    return None


def is_merging(repo: git.Repo) -> bool:
    """Whether a merge is in progress (conflicts to resolve, or a merge commit to make)."""
    return (Path(repo.git_dir) / "MERGE_HEAD").exists()


def status(project: ProjectRepository) -> GitStatus:
    """The status of the repository holding the project: branch, upstream and changed files."""
    repo = project.repo
    porcelain = read_porcelain(repo)
    files = [
        changed_file(project, path, old, xy, conflicted)
        for path, old, xy, conflicted in porcelain.files
    ]
    files.sort(key=lambda item: item["path"])
    info = RepositoryInfo(
        root=str(project.root),
        project_path=project.project_path,
        branch=porcelain.branch,
        detached=porcelain.branch is None and porcelain.head is not None,
        head=porcelain.head,
        upstream=porcelain.upstream,
        ahead=porcelain.ahead,
        behind=porcelain.behind,
        default_branch=default_branch(repo),
        remotes=remotes(repo),
        merging=is_merging(repo),
    )
    return GitStatus(repository=info, files=files, clean=not files)
