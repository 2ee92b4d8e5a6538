"""The Git repository holding a dbt project, and the guards for values a request names.

Every value that reaches a git argument list passes one of these guards first: paths stay
inside the working tree (symlinks resolved), no value may start with ``-`` (git would read it
as an option), branch names are what ``git check-ref-format --branch`` accepts and remotes
must exist.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import InvalidRequest, NotARepository, NotFound, UnsafePath

if TYPE_CHECKING:
    import git
    from jupyterlab_dbt_workbench.workbench import Workbench

_DRIVE = re.compile(r"^[A-Za-z]:")
_SHA = re.compile(r"^[0-9a-fA-F]{4,64}$")


@dataclass(frozen=True)
class ProjectRepository:
    """A dbt project and the repository holding it."""

    repo: git.Repo
    root: Path
    """The working tree, resolved."""
    project_id: str
    project_path: str
    """The project folder relative to ``root``, posix; ``""`` when it is the root."""

    def in_project(self, path: str) -> bool:
        """Whether a repository-relative path lies in the project folder."""
        prefix = self.project_path
        return not prefix or path == prefix or path.startswith(prefix + "/")


def open_repository(folder: Path) -> git.Repo:
    """The repository whose working tree contains ``folder`` (searching upwards)."""
    import git

    try:
        repo = git.Repo(folder, search_parent_directories=True)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise NotARepository(
            f"The project folder {folder} is not in a Git repository; run `git init` in it "
            "(or in a folder above it) to version it, then reload."
        ) from None
    if repo.bare or repo.working_tree_dir is None:
        raise NotARepository(f"{repo.git_dir} is a bare repository: it has no working tree.")
    # Paths are names of files, never patterns: `*.sql` or `:(top)` must not widen a stage.
    repo.git.set_persistent_git_options(literal_pathspecs=True)
    return repo


def project_folder(workbench: Workbench, project: str | None) -> tuple[str, Path]:
    """The id and absolute folder of a project, resolved as every other area resolves it."""
    # artifact_status resolves the name (and raises the usual errors) without needing a
    # manifest: the Git panel must work on a project that was never parsed.
    project_id = workbench.artifact_status(project)["project"]
    root = workbench.root
    return project_id, (root / project_id if project_id != "." else root)


def for_project(workbench: Workbench, project: str | None) -> ProjectRepository:
    """The repository holding a project of the workbench."""
    project_id, folder = project_folder(workbench, project)
    return repository_at(folder, project_id=project_id)


@contextmanager
def opened(workbench: Workbench, project: str | None) -> Iterator[ProjectRepository]:
    """``for_project`` whose git helper processes are stopped when the block ends."""
    found = for_project(workbench, project)
    try:
        yield found
    finally:
        found.repo.close()


def repository_at(folder: Path, *, project_id: str = ".") -> ProjectRepository:
    """The repository holding ``folder`` (a project folder, or any folder for tests/tools)."""
    repo = open_repository(folder)
    root = Path(str(repo.working_tree_dir)).resolve()
    relative = folder.resolve().relative_to(root).as_posix()
    return ProjectRepository(
        repo=repo,
        root=root,
        project_id=project_id,
        project_path="" if relative == "." else relative,
    )


def known_path(project: ProjectRepository, path: str) -> bool:
    """Whether a (checked) repository-relative path exists in the working tree or the index."""
    if os.path.lexists(project.root / path):
        return True
    try:
        project.repo.git.get_object_header(f":{path}")
    except ValueError:
        return False
    return True


def _refuse(value: str, why: str) -> UnsafePath:
    return UnsafePath(
        f"The path {value!r} is not allowed: {why}. Give a path relative to the repository "
        "root that stays inside it."
    )


def repo_path(root: Path, value: object) -> str:
    """Check a repository-relative path from a request; return it normalized (posix).

    Refuses (``UnsafePath``, 400) absolute paths, ``..``, backslashes, NUL, a leading ``-``,
    anything inside ``.git``, and paths that leave the working tree through a symlink.
    """
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest("A path must be a non-empty string relative to the repository root.")
    if "\x00" in value:
        raise _refuse(value, "it contains a NUL character")
    if "\\" in value:
        raise _refuse(value, "it contains a backslash")
    if value.startswith(("/", "~")) or _DRIVE.match(value):
        raise _refuse(value, "it is absolute")
    if value.startswith("-"):
        raise _refuse(value, "it starts with '-'")
    parts = [part for part in PurePosixPath(value).parts if part != "."]
    if ".." in parts:
        raise _refuse(value, "it contains '..'")
    if not parts:
        raise _refuse(value, "it names the repository root, not a file")
    if parts[0] == ".git":
        raise _refuse(value, "it is inside the .git folder")
    target = Path(os.path.realpath(root / Path(*parts)))
    if not target.is_relative_to(root):
        raise _refuse(value, "it leads outside the repository through a symlink")
    return "/".join(parts)


def option_safe(value: object, what: str) -> str:
    """A non-empty single-line value that git cannot read as an option."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidRequest(f"The {what} must be a non-empty string.")
    if value.startswith("-"):
        raise InvalidRequest(f"The {what} {value!r} is not allowed: it starts with '-'.")
    if any(char in value for char in "\x00\r\n"):
        raise InvalidRequest(
            f"The {what} {value!r} is not allowed: it contains a control character."
        )
    return value


def branch_name(repo: git.Repo, value: object) -> str:
    """A valid new or existing branch name (``git check-ref-format --branch``)."""
    import git

    name = option_safe(value, "branch name")
    try:
        checked = repo.git.check_ref_format("--branch", name)
    except git.GitCommandError:
        checked = None
    # --branch expands @{-1} and the like: only a plain name that stays itself is accepted.
    if checked != name or "@{" in name:
        raise InvalidRequest(
            f"{name!r} is not a valid branch name (no spaces, '..', '~', '^', ':', '?', '*', "
            "'[' or trailing '.lock'; see `git check-ref-format`)."
        )
    return name


def remote_name(repo: git.Repo, value: object) -> str:
    """The name of a remote that exists in the repository."""
    name = option_safe(value, "remote name")
    names = [remote.name for remote in repo.remotes]
    if name not in names:
        known = ", ".join(names) if names else "none"
        raise NotFound(
            f"The repository has no remote {name!r} (remotes: {known}).", reason="remote_not_found"
        )
    return name


def commit_sha(repo: git.Repo, value: object) -> str:
    """The full sha of a commit named by a (possibly abbreviated) hex sha."""
    import git

    text = option_safe(value, "commit")
    if not _SHA.match(text):
        raise InvalidRequest(f"{text!r} is not a commit sha (4 to 64 hexadecimal digits).")
    try:
        return str(repo.git.rev_parse("--verify", "--quiet", f"{text}^{{commit}}"))
    except git.GitCommandError:
        raise NotFound(f"No commit {text} in the repository.", reason="commit_not_found") from None


def revision(repo: git.Repo, value: object, what: str = "start point") -> str:
    """The full sha of a commit-ish (a branch, remote branch, tag or sha) from a request."""
    import git

    text = option_safe(value, what)
    try:
        return str(
            repo.git.rev_parse("--verify", "--quiet", "--end-of-options", f"{text}^{{commit}}")
        )
    except git.GitCommandError:
        raise NotFound(
            f"The {what} {text!r} names no commit in the repository.", reason="revision_not_found"
        ) from None
