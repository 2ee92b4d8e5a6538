"""The baseline manifest of a base commit, for ``state:`` selectors and "Build modified+".

The base commit is checked out in a temporary ``git worktree`` (the user's working tree is
never touched), ``dbt parse`` runs there with the project's profile, and the manifest it
writes is kept in ``<project>/<target>/workbench-baseline/<sha>/manifest.json``: a folder
under the server root, which is what the ``state`` option of runs accepts. A commit's
manifest never changes, so it is parsed once and reused. The worktree is always removed.
"""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from jupyterlab_dbt_workbench.errors import Conflict, ExternalToolError
from jupyterlab_dbt_workbench.project.discovery import PROJECT_FILE, ProjectInfo

from .impact_payloads import BaselineInfo

if TYPE_CHECKING:
    import git
    from jupyterlab_dbt_workbench.runs.manager import RunManager
    from jupyterlab_dbt_workbench.runs.payloads import RunSummary
    from jupyterlab_dbt_workbench.workbench import Workbench

    from .locate import ProjectRepository

BASELINE_FOLDER = "workbench-baseline"
MANIFEST = "manifest.json"
PARSE_TIMEOUT = 900.0
# Installed packages are not in git: the worktree borrows the project's own.
_PACKAGE_FOLDERS = ("dbt_packages", "dbt_modules")
_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


def baseline_folder(project: ProjectInfo, sha: str) -> Path:
    """Where the baseline manifest of commit ``sha`` is kept."""
    return project.target_dir / BASELINE_FOLDER / sha


def existing_baseline(project: ProjectInfo, sha: str) -> Path | None:
    """The folder of the baseline of ``sha`` if it was already parsed."""
    folder = baseline_folder(project, sha)
    return folder if (folder / MANIFEST).is_file() else None


def _lock(folder: Path) -> threading.Lock:
    with _locks_guard:
        return _locks.setdefault(str(folder), threading.Lock())


def ensure_baseline(
    repository: ProjectRepository, project: ProjectInfo, sha: str, *, dbt: str | None = None
) -> tuple[Path, bool]:
    """(the baseline folder of ``sha``, whether it was parsed now): parsed in a temporary
    worktree unless it exists. Raises ``ExternalToolError`` with dbt's or git's message."""
    folder = baseline_folder(project, sha)
    with _lock(folder):
        if (folder / MANIFEST).is_file():
            return folder, False
        with tempfile.TemporaryDirectory(prefix="dbt-workbench-baseline-") as temporary:
            scratch = Path(temporary)
            tree = scratch / "tree"
            _add_worktree(repository.repo, tree, sha)
            try:
                manifest = _parse(repository, project, tree, scratch, sha, dbt)
                folder.mkdir(parents=True, exist_ok=True)
                partial = folder / f".{MANIFEST}.partial"
                shutil.copyfile(manifest, partial)
                partial.replace(folder / MANIFEST)
            finally:
                _remove_worktree(repository.repo, tree)
    return folder, True


def _add_worktree(repo: git.Repo, tree: Path, sha: str) -> None:
    import git

    from .failures import classify

    try:
        repo.git.worktree("add", "--detach", str(tree), sha)
    except git.GitCommandError as error:
        raise classify(error, f"worktree add of {sha[:12]}") from None


def _remove_worktree(repo: git.Repo, tree: Path) -> None:
    import git

    # Half-created or already gone: the folder goes with its temporary parent and prune
    # forgets it.
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("remove", "--force", str(tree))
    with contextlib.suppress(git.GitCommandError):
        repo.git.worktree("prune")


def dbt_parse_argv(
    dbt: str, project_dir: Path, scratch: Path, profiles_dir: Path | None
) -> list[str]:
    """The argument list of the baseline's ``dbt parse``, writing only inside ``scratch``."""
    argv = [
        dbt,
        "parse",
        "--project-dir",
        str(project_dir),
        "--target-path",
        str(scratch / "target"),
        "--log-path",
        str(scratch / "logs"),
        "--log-format",
        "json",
        "--no-partial-parse",
    ]
    if profiles_dir is not None:
        argv += ["--profiles-dir", str(profiles_dir)]
    return argv


def _parse(
    repository: ProjectRepository,
    project: ProjectInfo,
    tree: Path,
    scratch: Path,
    sha: str,
    dbt: str | None,
) -> Path:
    from jupyterlab_dbt_workbench.runs.command import dbt_environment, dbt_executable
    from jupyterlab_dbt_workbench.sql.compile import parse_dbt_output

    relative = project.path.resolve().relative_to(repository.root)
    project_dir = tree / relative
    if not (project_dir / PROJECT_FILE).is_file():
        raise Conflict(
            f"The project {project.id!r} did not exist at commit {sha[:12]} (no "
            f"{relative.as_posix() + '/' if str(relative) != '.' else ''}{PROJECT_FILE} there), "
            "so it has no baseline to compare with.",
            reason="no_project_at_base",
        )
    for name in _PACKAGE_FOLDERS:
        installed = project.path / name
        if installed.is_dir() and not (project_dir / name).exists():
            (project_dir / name).symlink_to(installed, target_is_directory=True)
    profiles = project.path if (project.path / "profiles.yml").is_file() else None
    argv = dbt_parse_argv(dbt or dbt_executable(), project_dir, scratch, profiles)
    try:
        done = subprocess.run(
            argv,
            cwd=project_dir,
            env=dbt_environment(),
            capture_output=True,
            text=True,
            timeout=PARSE_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExternalToolError(
            f"dbt parse of commit {sha[:12]} took longer than {PARSE_TIMEOUT:.0f} s and was "
            "stopped.",
            reason="baseline_failed",
        ) from None
    except OSError as error:
        raise ExternalToolError(
            f"dbt could not be started ({argv[0]}): {error}", reason="dbt_missing"
        ) from None
    manifest = scratch / "target" / MANIFEST
    if done.returncode == 0 and manifest.is_file():
        return manifest
    _, errors = parse_dbt_output(done.stdout)
    detail = "\n".join(errors) or "\n".join((done.stdout + done.stderr).strip().splitlines()[-5:])
    if done.returncode == 0:
        detail = detail or f"it exited without writing {MANIFEST}"
    raise ExternalToolError(
        f"dbt parse of commit {sha[:12]} failed (exit code {done.returncode}):\n{detail}",
        reason="baseline_failed",
    )


def baseline(
    workbench: Workbench,
    project: str | None,
    base: str | None = None,
    *,
    dbt: str | None = None,
    user: str | None = None,
) -> BaselineInfo:
    """Make (or reuse) the baseline manifest of the compared commit: HEAD when ``base`` is
    None, else the merge-base of HEAD and ``base``. Recorded in the audit log."""
    from jupyterlab_dbt_workbench import audit

    from .locate import for_project

    repository = for_project(workbench, project)
    try:
        found = _baseline(workbench, repository, base, dbt)
    except Exception as error:
        _record_failure(workbench, repository, user, "git.baseline", base, error)
        raise
    audit.record(
        workbench.database,
        user=user,
        action="git.baseline",
        project=repository.project_id,
        target=found["sha"],
        details={"base": base, "path": found["path"], "created": found["created"]},
    )
    return found


def _record_failure(
    workbench: Workbench,
    repository: ProjectRepository,
    user: str | None,
    action: str,
    base: str | None,
    error: Exception,
) -> None:
    """The audit entry of a baseline or build-modified that failed."""
    from jupyterlab_dbt_workbench import audit

    audit.record(
        workbench.database,
        user=user,
        action=action,
        project=repository.project_id,
        target=base,
        details={"base": base, "error": str(error)[:500]},
        outcome="error",
    )


def _baseline(
    workbench: Workbench, repository: ProjectRepository, base: str | None, dbt: str | None
) -> BaselineInfo:
    from .changes import resolve_base

    try:
        sha, _ = resolve_base(repository, base)
        if sha is None:
            raise Conflict(
                "The repository has no commit yet: commit once so there is a base to compare with.",
                reason="no_commits",
            )
        project = workbench.state(repository.project_id).project
        folder, created = ensure_baseline(repository, project, sha, dbt=dbt)
    finally:
        # GitPython keeps `git cat-file` processes per Repo object until it is closed.
        repository.repo.close()
    return BaselineInfo(
        base=base, sha=sha, path=folder.relative_to(workbench.root).as_posix(), created=created
    )


def build_modified(
    manager: RunManager,
    project: str | None,
    base: str | None = None,
    *,
    dbt: str | None = None,
    user: str | None = None,
) -> RunSummary:
    """``dbt build --select state:modified+ --defer --state <baseline>``: the baseline of the
    compared commit is made first (see ``baseline``). Recorded in the audit log."""
    from jupyterlab_dbt_workbench import audit
    from jupyterlab_dbt_workbench.runs.options import RunRequest

    from .locate import for_project

    workbench = manager.workbench
    repository = for_project(workbench, project)
    try:
        found = _baseline(workbench, repository, base, dbt)
        summary = manager.submit(
            RunRequest(
                project=repository.project_id,
                command="build",
                select=("state:modified+",),
                defer=True,
                state=found["path"],
                user=user,
            )
        )
    except Exception as error:
        _record_failure(workbench, repository, user, "git.build_modified", base, error)
        raise
    audit.record(
        workbench.database,
        user=user,
        action="git.build_modified",
        project=repository.project_id,
        target=summary["id"],
        details={"base": base, "sha": found["sha"], "state": found["path"]},
    )
    return summary
