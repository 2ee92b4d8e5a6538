"""fetch, pull and push with the user's own credentials, never prompting, never hanging.

git runs with the server's environment, so credential helpers and the SSH agent work as in a
terminal. It runs in a session of its own (no controlling terminal, stdin closed) with
``GIT_TERMINAL_PROMPT=0``: a missing credential fails at once instead of waiting for a
password nobody can type; a stalled remote is stopped after ``NETWORK_TIMEOUT`` seconds.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import (
    Conflict,
    InvalidRequest,
    MergeConflict,
    WorkbenchError,
)

from .failures import classify, first_lines, without_credentials
from .locate import remote_name
from .payloads import SyncResult
from .status import Porcelain, is_merging, read_porcelain, status

if TYPE_CHECKING:
    import git

    from .locate import ProjectRepository

NETWORK_TIMEOUT = 120.0
NETWORK_ENVIRONMENT = {
    "GIT_TERMINAL_PROMPT": "0",
    # Git Credential Manager would otherwise open a window nobody sees on a server.
    "GCM_INTERACTIVE": "never",
}
NO_REMOTE = (
    "This repository has no remote to {action}: add one with "
    "`git remote add origin <url>` (in a terminal), then try again."
)


def _run(repo: git.Repo, arguments: list[str], doing: str) -> str:
    """Run one network git command (fixed arguments); return what it printed."""
    import git

    command = [repo.git.GIT_PYTHON_GIT_EXECUTABLE or "git", *arguments]
    try:
        _status, stdout, stderr = repo.git.execute(
            command,
            with_extended_output=True,
            env=NETWORK_ENVIRONMENT,
            kill_after_timeout=NETWORK_TIMEOUT,
            start_new_session=True,
        )
    except git.GitCommandError as error:
        raise classify(error, doing, timeout=NETWORK_TIMEOUT) from None
    return without_credentials(f"{stdout}\n{stderr}".strip())


def _config(repo: git.Repo, section: str, option: str) -> str | None:
    reader = repo.config_reader()
    if not reader.has_option(section, option):
        return None
    return str(reader.get_value(section, option))


def _default_remote(repo: git.Repo, porcelain: Porcelain, action: str) -> str:
    """The upstream's remote, else ``origin``, else the only remote."""
    names = [remote.name for remote in repo.remotes]
    if not names:
        raise Conflict(NO_REMOTE.format(action=action), reason="no_remote")
    if porcelain.branch is not None:
        upstream_remote = _config(repo, f'branch "{porcelain.branch}"', "remote")
        if upstream_remote in names:
            return str(upstream_remote)
    if "origin" in names:
        return "origin"
    if len(names) == 1:
        return names[0]
    raise InvalidRequest(
        f"The repository has several remotes ({', '.join(names)}): say which one to {action}."
    )


def _remote(repo: git.Repo, porcelain: Porcelain, remote: object, action: str) -> str:
    if remote is None or remote == "":
        return _default_remote(repo, porcelain, action)
    if not repo.remotes:
        raise Conflict(NO_REMOTE.format(action=action), reason="no_remote")
    return remote_name(repo, remote)


def _on_branch(porcelain: Porcelain, action: str) -> str:
    if porcelain.branch is None:
        raise Conflict(
            f"HEAD is detached (not on a branch): switch to a branch to {action}.",
            reason="detached_head",
        )
    return porcelain.branch


def _upstream(repo: git.Repo, branch: str) -> tuple[str | None, str | None]:
    """The branch's configured upstream: (remote, merge ref such as refs/heads/main)."""
    section = f'branch "{branch}"'
    return _config(repo, section, "remote"), _config(repo, section, "merge")


def fetch(project: ProjectRepository, remote: object = None) -> SyncResult:
    """Fetch a remote (default: the upstream's, else origin); the working tree is untouched."""
    repo = project.repo
    porcelain = read_porcelain(repo)
    name = _remote(repo, porcelain, remote, "fetch from")
    _run(repo, ["fetch", name], f"fetch from {name}")
    after = status(project)
    info = after["repository"]
    message = f"Fetched {name}."
    if info["upstream"] and info["behind"]:
        message += (
            f" {info['branch']} is {info['behind']} commit(s) behind {info['upstream']}: "
            "pull to get them."
        )
    return SyncResult(ok=True, message=message, status=after)


def pull(project: ProjectRepository, remote: object = None) -> SyncResult:
    """Merge the upstream branch into the current one (``git pull --no-rebase``).

    A conflict leaves the repository merging, as git does: ``MergeConflict`` lists the files;
    resolve and stage them, then commit — or abort with ``git merge --abort``.
    """
    import git

    repo = project.repo
    porcelain = read_porcelain(repo)
    branch = _on_branch(porcelain, "pull")
    if is_merging(repo):
        raise Conflict(
            "A merge is in progress: resolve and commit it (or run `git merge --abort`) first.",
            reason="merge_in_progress",
        )
    name = _remote(repo, porcelain, remote, "pull from")
    upstream_remote, merge_ref = _upstream(repo, branch)
    if upstream_remote == name and merge_ref:
        arguments = ["pull", "--no-rebase", "--no-edit", name]
        source = porcelain.upstream or f"{name}/{merge_ref.removeprefix('refs/heads/')}"
    elif remote is None or remote == "":
        raise Conflict(
            f"Branch {branch!r} has no upstream branch to pull from: push it first (that sets "
            f"the upstream), or name the remote to pull {branch!r} from it.",
            reason="no_upstream",
        )
    else:
        arguments = ["pull", "--no-rebase", "--no-edit", name, f"refs/heads/{branch}"]
        source = f"{name}/{branch}"
    before = porcelain.head
    try:
        output = _run(repo, arguments, f"pull from {source}")
    except WorkbenchError:
        conflicted = [path for path, _old, _xy, unmerged in read_porcelain(repo).files if unmerged]
        if conflicted and is_merging(repo):
            raise MergeConflict(
                f"Pulling {source} into {branch} stopped with conflicts in {len(conflicted)} "
                f"file(s): {', '.join(conflicted[:20])}. The repository is now merging: edit "
                "those files to resolve the conflicts, stage them and commit to finish the "
                "merge, or abort it with `git merge --abort` in a terminal.",
                files=conflicted,
            ) from None
        raise
    after = status(project)
    head = after["repository"]["head"]
    if head == before or "Already up to date" in output:
        message = f"Already up to date with {source}."
    else:
        try:
            count = int(repo.git.rev_list("--count", f"{before}..{head}")) if before else None
        except git.GitCommandError:
            count = None
        got = f"{count} commit(s)" if count is not None else "the changes"
        message = f"Pulled {got} from {source} into {branch}."
    return SyncResult(ok=True, message=message, status=after)


def push(project: ProjectRepository, remote: object = None) -> SyncResult:
    """Push the current branch to its upstream (or to the same name, setting the upstream)."""
    repo = project.repo
    porcelain = read_porcelain(repo)
    branch = _on_branch(porcelain, "push")
    if porcelain.head is None:
        raise Conflict(
            "The branch has no commit yet: commit something before pushing.", reason="no_commits"
        )
    name = _remote(repo, porcelain, remote, "push to")
    upstream_remote, merge_ref = _upstream(repo, branch)
    if upstream_remote == name and merge_ref:
        target = merge_ref
        arguments = ["push", name, f"refs/heads/{branch}:{target}"]
    else:
        target = f"refs/heads/{branch}"
        arguments = ["push", "--set-upstream", name, f"refs/heads/{branch}:{target}"]
    destination = f"{name}/{target.removeprefix('refs/heads/')}"
    output = _run(repo, arguments, f"push to {destination}")
    after = status(project)
    if "Everything up-to-date" in output:
        message = f"{destination} already has every commit of {branch}."
    else:
        message = f"Pushed {branch} to {destination}."
    hint = first_lines(
        "\n".join(line for line in output.splitlines() if line.startswith("remote:"))
    )
    if hint:
        # What the server said (e.g. a link to open a merge request) is worth showing.
        message += f"\n{hint}"
    return SyncResult(ok=True, message=message, status=after)
