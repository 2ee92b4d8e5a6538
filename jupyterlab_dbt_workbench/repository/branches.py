"""Branches: list, create, switch (git decides whether local changes allow a switch)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import Conflict, NotFound

from .failures import classify
from .locate import branch_name, option_safe, revision
from .payloads import BranchInfo, BranchList, GitStatus
from .status import read_porcelain, status

if TYPE_CHECKING:
    import git

    from .locate import ProjectRepository

HEADS = "refs/heads/"
REMOTES = "refs/remotes/"
_TRACK = re.compile(r"(ahead|behind) (\d+)")
_FORMAT = "%(refname)%00%(objectname)%00%(upstream:short)%00%(upstream:track,nobracket)%00%(HEAD)"


def branch_list(project: ProjectRepository) -> BranchList:
    """Local branches, then remote-tracking ones, with upstream and ahead/behind counts."""
    repo = project.repo
    porcelain = read_porcelain(repo)
    raw = repo.git.for_each_ref(f"--format={_FORMAT}", HEADS, REMOTES)
    branches: list[BranchInfo] = []
    for line in str(raw).splitlines():
        refname, head, upstream, track, current = (line.split("\x00") + [""] * 5)[:5]
        remote = refname.startswith(REMOTES)
        name = refname[len(REMOTES if remote else HEADS) :]
        if remote and name.endswith("/HEAD"):
            continue  # origin/HEAD only says which branch is the remote's default
        counts = {word: int(number) for word, number in _TRACK.findall(track)}
        branches.append(
            BranchInfo(
                name=name,
                remote=remote,
                head=head,
                upstream=upstream or None,
                ahead=counts.get("ahead", 0),
                behind=counts.get("behind", 0),
                current=current == "*",
            )
        )
    return BranchList(
        current=porcelain.branch,
        detached=porcelain.branch is None and porcelain.head is not None,
        branches=branches,
    )


def _exists(repo: git.Repo, ref: str) -> bool:
    import git

    try:
        repo.git.show_ref("--verify", "--quiet", ref)
    except git.GitCommandError:
        return False
    return True


def create_branch(
    project: ProjectRepository, name: object, *, start: object = None, checkout: bool = False
) -> BranchList:
    """A new branch at ``start`` (a branch, remote branch, tag or sha; default HEAD).

    Starting from a remote-tracking branch sets it as the upstream (git's default).
    """
    import git

    repo = project.repo
    new = branch_name(repo, name)
    if _exists(repo, HEADS + new):
        raise Conflict(f"A branch {new!r} already exists.", reason="branch_exists")
    if start is None or start == "":
        if not repo.head.is_valid():
            raise Conflict(
                "The repository has no commit yet: make a first commit before branching.",
                reason="no_commits",
            )
        arguments = [new]
    else:
        start_text = option_safe(start, "start point")
        revision(repo, start_text)
        arguments = [new, start_text]
    try:
        repo.git.branch(*arguments)
    except git.GitCommandError as error:
        raise classify(error, f"branch {new}") from None
    if checkout:
        switch(project, new)
    return branch_list(project)


def _local_name(repo: git.Repo, remote_branch: str) -> str | None:
    """The local name ``git switch --track`` gives a remote-tracking branch (without remote)."""
    for remote in sorted((remote.name for remote in repo.remotes), key=len, reverse=True):
        if remote_branch.startswith(remote + "/"):
            return remote_branch[len(remote) + 1 :]
    return None


def switch(project: ProjectRepository, branch: object) -> GitStatus:
    """Check out a local branch, or a remote-tracking one as a new local tracking branch.

    Never forced: when git refuses because local changes would be overwritten, that is
    ``LocalChangesWouldBeLost`` listing the files.
    """
    import git

    repo = project.repo
    name = option_safe(branch, "branch")
    if _exists(repo, HEADS + name):
        arguments = ["--no-guess", name]
    elif _exists(repo, REMOTES + name):
        local = _local_name(repo, name)
        if local is not None and _exists(repo, HEADS + local):
            raise Conflict(
                f"A local branch {local!r} already exists: switch to it instead of {name!r}.",
                reason="branch_exists",
            )
        arguments = ["--track", name]
    else:
        raise NotFound(f"No branch {name!r} in the repository.", reason="branch_not_found")
    try:
        repo.git.switch(*arguments)
    except git.GitCommandError as error:
        raise classify(error, f"switch to {name}") from None
    return status(project)
