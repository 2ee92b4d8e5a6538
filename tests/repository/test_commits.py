"""Stage, unstage and commit in real repositories."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import (
    Conflict,
    EmptyCommitMessage,
    InvalidRequest,
    NotFound,
    NothingToCommit,
)
from jupyterlab_dbt_workbench.repository.commits import commit
from jupyterlab_dbt_workbench.repository.history import log
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository
from jupyterlab_dbt_workbench.repository.staging import stage, unstage

Open = Callable[[Path], ProjectRepository]


def flags(result: dict) -> dict[str, tuple[bool, bool]]:
    return {item["path"]: (item["staged"], item["unstaged"]) for item in result["files"]}


def test_stage_then_unstage(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.write(repo, "models/orders.sql", "select 2 as id\n")
    git_repos.write(repo, "models/new.sql", "select 1\n")
    (repo / "README.md").unlink()
    found = open_repo(repo)

    staged = stage(found, ["models/orders.sql", "models/new.sql", "README.md"])
    assert flags(staged) == {
        "models/orders.sql": (True, False),
        "models/new.sql": (True, False),
        "README.md": (True, False),
    }
    unstaged = unstage(found, ["models/orders.sql", "models/new.sql", "README.md"])
    assert flags(unstaged) == {
        "models/orders.sql": (False, True),
        "models/new.sql": (False, True),
        "README.md": (False, True),
    }
    assert (repo / "models/orders.sql").read_text() == "select 2 as id\n"


def test_stage_a_folder_and_unstage_a_rename_as_a_whole(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo", {"a.sql": "select 1\n" * 10})
    git_repos.write(repo, "models/x.sql", "x\n")
    git_repos.write(repo, "models/y.sql", "y\n")
    found = open_repo(repo)
    assert flags(stage(found, ["models"])) == {
        "models/x.sql": (True, False),
        "models/y.sql": (True, False),
    }
    git_repos.git(repo, "mv", "a.sql", "b.sql")
    after = unstage(found, ["b.sql"])
    # Both sides of the rename leave the index: nothing half-renamed stays staged.
    assert flags(after)["a.sql"] == (False, True)
    assert flags(after)["b.sql"] == (False, True)


def test_unstage_before_the_first_commit(tmp_path: Path, open_repo: Open) -> None:
    repo = tmp_path / "fresh"
    repo.mkdir()
    git_repos.git(repo, "init", "--quiet")
    git_repos.write(repo, "a.sql", "select 1\n")
    found = open_repo(repo)
    assert flags(stage(found, ["a.sql"])) == {"a.sql": (True, False)}
    after = unstage(found, ["a.sql"])
    assert after["files"][0]["untracked"]


def test_stage_refuses_unknown_files_and_bad_lists(tmp_path: Path, open_repo: Open) -> None:
    found = open_repo(git_repos.make_repo(tmp_path / "repo"))
    with pytest.raises(NotFound):
        stage(found, ["models/missing.sql"])
    with pytest.raises(InvalidRequest):
        stage(found, [])


def test_commit_uses_git_config_identity(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.write(repo, "models/orders.sql", "select 2 as id\n")
    git_repos.write(repo, "untouched.sql", "select 3\n")
    found = open_repo(repo)

    made = commit(found, "Change the orders\n\nBecause.", ["models/orders.sql"])

    assert made["sha"] == git_repos.head(repo)
    assert made["summary"] == "Change the orders"
    assert (made["author"], made["email"]) == (git_repos.NAME, git_repos.EMAIL)
    assert git_repos.git(repo, "show", "--format=%an <%ae>|%cn", "-s").strip() == (
        f"{git_repos.NAME} <{git_repos.EMAIL}>|{git_repos.NAME}"
    )
    # Only the named path was committed; the other file is still untracked.
    assert git_repos.git(repo, "status", "--porcelain").strip() == "?? untouched.sql"
    assert log(found)["commits"][0]["sha"] == made["sha"]


def test_commit_refusals(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    found = open_repo(repo)
    git_repos.write(repo, "models/orders.sql", "select 2 as id\n")
    with pytest.raises(EmptyCommitMessage):
        commit(found, "   ")
    with pytest.raises(NothingToCommit):
        commit(found, "Nothing staged yet")
    before = git_repos.head(repo)
    # A message that looks like an option is just a message.
    made = commit(found, "--amend", ["models/orders.sql"])
    assert made["summary"] == "--amend" and made["parents"] == [before]


def test_commit_refused_while_conflicts_remain_then_concludes_the_merge(
    tmp_path: Path, open_repo: Open
) -> None:
    repo = git_repos.with_conflict(tmp_path / "repo")
    found = open_repo(repo)
    with pytest.raises(Conflict) as raised:
        commit(found, "Merge feature")
    assert "models/orders.sql" in raised.value.message
    git_repos.write(repo, "models/orders.sql", "select 3 as id, 'resolved' as status\n")
    made = commit(found, "Merge feature", ["models/orders.sql"])
    assert len(made["parents"]) == 2
