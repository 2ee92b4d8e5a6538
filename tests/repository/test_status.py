"""Status of real repositories: every kind of change, branch state, remotes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import NotARepository
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository, repository_at
from jupyterlab_dbt_workbench.repository.status import status

Open = Callable[[Path], ProjectRepository]


def by_path(payload: dict) -> dict:
    return {item["path"]: item for item in payload["files"]}


def test_staged_unstaged_untracked_renamed_and_deleted(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(
        tmp_path / "repo", {"a.sql": "select 1\n", "b.sql": "select 2\n", "old.sql": "x\n" * 20}
    )
    git_repos.write(repo, "a.sql", "select 10\n")
    git_repos.git(repo, "add", "a.sql")
    git_repos.write(repo, "a.sql", "select 100\n")  # staged and unstaged at once
    (repo / "b.sql").unlink()
    git_repos.git(repo, "mv", "old.sql", "new.sql")
    git_repos.write(repo, "notes/todo.md", "- more\n")

    result = status(open_repo(repo))
    files = by_path(result)

    assert set(files) == {"a.sql", "b.sql", "new.sql", "notes/todo.md"}
    assert files["a.sql"]["index"] == "M" and files["a.sql"]["worktree"] == "M"
    assert files["a.sql"]["staged"] and files["a.sql"]["unstaged"]
    assert files["b.sql"]["worktree"] == "D" and not files["b.sql"]["staged"]
    assert files["new.sql"]["index"] == "R" and files["new.sql"]["old_path"] == "old.sql"
    assert files["new.sql"]["staged"] and not files["new.sql"]["unstaged"]
    todo = files["notes/todo.md"]
    assert todo["untracked"] and todo["index"] == "?" and not todo["staged"]
    assert not result["clean"]
    info = result["repository"]
    assert info["branch"] == "main" and not info["detached"] and not info["merging"]
    assert info["root"] == str(repo.resolve()) and info["project_path"] == ""
    assert info["head"] == git_repos.head(repo)
    assert info["remotes"] == [] and info["upstream"] is None
    assert info["default_branch"] == "main"


def test_clean_repository(tmp_path: Path, open_repo: Open) -> None:
    result = status(open_repo(git_repos.make_repo(tmp_path / "repo")))
    assert result["clean"] and result["files"] == []


def test_conflicted_files_and_merging_state(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.with_conflict(tmp_path / "repo")
    result = status(open_repo(repo))
    conflicted = by_path(result)["models/orders.sql"]
    assert conflicted["conflicted"] and conflicted["index"] == "U" and conflicted["worktree"] == "U"
    assert not conflicted["staged"] and conflicted["unstaged"]
    assert result["repository"]["merging"]


def test_detached_head(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.detached(tmp_path / "repo")
    info = status(open_repo(repo))["repository"]
    assert info["detached"] and info["branch"] is None
    assert info["head"] == git_repos.head(repo)


def test_new_repository_without_commits(tmp_path: Path, open_repo: Open) -> None:
    repo = tmp_path / "fresh"
    repo.mkdir()
    git_repos.git(repo, "init", "--quiet")
    git_repos.write(repo, "a.sql", "select 1\n")
    result = status(open_repo(repo))
    info = result["repository"]
    assert info["branch"] == "main" and info["head"] is None and not info["detached"]
    assert by_path(result)["a.sql"]["untracked"]


def test_project_in_a_subfolder_marks_files_in_project(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    project = git_repos.dbt_project(repo / "analytics" / "shop")
    git_repos.write(repo, "README.md", "# changed\n")

    result = status(open_repo(project))

    assert result["repository"]["project_path"] == "analytics/shop"
    files = by_path(result)
    assert files["analytics/shop/dbt_project.yml"]["in_project"]
    assert not files["README.md"]["in_project"]


def test_remote_urls_lose_their_credentials(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.git(
        repo, "remote", "add", "origin", "https://alice:s3cret-token@git.example.com/a.git"
    )
    git_repos.git(repo, "remote", "add", "mirror", "https://ghp_tokenonly@git.example.com/b.git")
    git_repos.git(repo, "remote", "add", "ssh", "git@git.example.com:team/c.git")

    remotes = {r["name"]: r["url"] for r in status(open_repo(repo))["repository"]["remotes"]}

    assert remotes == {
        "origin": "https://git.example.com/a.git",
        "mirror": "https://git.example.com/b.git",
        "ssh": "git@git.example.com:team/c.git",
    }


def test_folder_outside_any_repository(tmp_path: Path) -> None:
    folder = git_repos.dbt_project(tmp_path / "plain")
    with pytest.raises(NotARepository) as raised:
        repository_at(folder)
    assert "git init" in raised.value.message and str(folder) in raised.value.message
