"""Real Git repositories for tests, built with the git CLI in temporary folders.

Import by module name (``from tests import git_repos`` or ``import git_repos`` with tests/ on
the path). Every builder returns the working tree; nothing here touches the repository the
tests run from.

- ``isolate(monkeypatch, folder)``: a private global git config (identity "Test User
  <test@example.com>", branch ``main``, no signing, no hooks) for the rest of the test.
- ``git(folder, *args)``: run git there, return stdout (raises with git's output on failure).
- ``write(folder, path, text)`` / ``commit_all(folder, message)`` / ``head(folder)``.
- ``make_repo(folder, files=None)``: a repository on ``main`` with one commit of ``files``
  (default: ``README.md`` and ``models/orders.sql``).
- ``with_branches(folder)``: ``main`` plus ``feature`` (one commit ahead, changing
  ``models/orders.sql``) and ``other`` (at main's first commit); ``main`` checked out.
- ``with_conflict(folder)``: a merge of ``feature`` into ``main`` stopped with a conflict in
  ``models/orders.sql`` (the repository is left merging).
- ``detached(folder)``: ``make_repo`` with a second commit and HEAD detached at the first.
- ``with_remote(folder)``: ``make_repo`` in ``folder/work`` pushed to the bare repository
  ``folder/remote.git`` (``origin``, upstream set); returns (working tree, bare remote).
- ``clone(remote, folder)``: another user's clone of the remote, to push behind our back.
- ``dbt_project(folder)``: a minimal ``dbt_project.yml`` with two models (no manifest).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

NAME = "Test User"
EMAIL = "test@example.com"
ORDERS_SQL = "select 1 as id, 'open' as status\n"


def isolate(monkeypatch: pytest.MonkeyPatch, folder: Path) -> Path:
    """Point git at a private global config for this test; return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "gitconfig"
    config.write_text(
        f"[user]\n\tname = {NAME}\n\temail = {EMAIL}\n"
        "[init]\n\tdefaultBranch = main\n"
        "[commit]\n\tgpgsign = false\n"
        "[core]\n\thooksPath = /dev/null\n"
        "[advice]\n\tdetachedHead = false\n"
    )
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        monkeypatch.delenv(name, raising=False)
    return config


def git(folder: Path, *args: str) -> str:
    """Run ``git args`` in ``folder``; return stdout (AssertionError with git's output)."""
    done = subprocess.run(
        ["git", *args], cwd=folder, capture_output=True, text=True, check=False, timeout=60
    )
    if done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def write(folder: Path, path: str, text: str) -> Path:
    """Write a file of the working tree (parents created)."""
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)
    return target


def commit_all(folder: Path, message: str) -> str:
    """Stage everything and commit; return the new sha."""
    git(folder, "add", "--all")
    git(folder, "commit", "--quiet", "-m", message)
    return head(folder)


def head(folder: Path) -> str:
    return git(folder, "rev-parse", "HEAD").strip()


def make_repo(folder: Path, files: dict[str, str] | None = None) -> Path:
    """A new repository on ``main`` with one commit of ``files``."""
    folder.mkdir(parents=True, exist_ok=True)
    git(folder, "init", "--quiet", "--initial-branch=main")
    contents = files or {"README.md": "# shop\n", "models/orders.sql": ORDERS_SQL}
    for path, text in contents.items():
        write(folder, path, text)
    commit_all(folder, "Initial commit")
    return folder


def with_branches(folder: Path) -> Path:
    """``main``, ``feature`` (one commit ahead) and ``other``; ``main`` checked out."""
    make_repo(folder)
    git(folder, "branch", "other")
    git(folder, "switch", "--quiet", "-c", "feature")
    write(folder, "models/orders.sql", "select 1 as id, 'closed' as status\n")
    commit_all(folder, "Close the orders")
    git(folder, "switch", "--quiet", "main")
    return folder


def with_conflict(folder: Path) -> Path:
    """``main`` and ``feature`` both changed ``models/orders.sql``; the merge stopped there."""
    with_branches(folder)
    write(folder, "models/orders.sql", "select 2 as id, 'void' as status\n")
    commit_all(folder, "Void the orders")
    done = subprocess.run(
        ["git", "merge", "--no-edit", "feature"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0 and "CONFLICT" in done.stdout, done.stdout + done.stderr
    return folder


def detached(folder: Path) -> Path:
    """Two commits on ``main``, HEAD detached at the first."""
    make_repo(folder)
    first = head(folder)
    write(folder, "README.md", "# shop, second edition\n")
    commit_all(folder, "Second commit")
    git(folder, "switch", "--quiet", "--detach", first)
    return folder


def with_remote(folder: Path) -> tuple[Path, Path]:
    """A working tree (``folder/work``) whose ``main`` tracks ``origin`` (``folder/remote.git``)."""
    remote = folder / "remote.git"
    remote.mkdir(parents=True)
    git(remote, "init", "--quiet", "--bare", "--initial-branch=main")
    work = make_repo(folder / "work")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "--quiet", "--set-upstream", "origin", "main")
    return work, remote


def clone(remote: Path, folder: Path) -> Path:
    """Someone else's clone of ``remote`` in ``folder``."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    git(folder.parent, "clone", "--quiet", str(remote), folder.name)
    return folder


def dbt_project(folder: Path, name: str = "shop") -> Path:
    """A minimal dbt project (``dbt_project.yml`` and two models) in ``folder``."""
    write(
        folder,
        "dbt_project.yml",
        f"name: {name}\nversion: '1.0'\nconfig-version: 2\nprofile: {name}\n",
    )
    write(folder, "models/orders.sql", ORDERS_SQL)
    write(folder, "models/customers.sql", "select 1 as id\n")
    return folder
