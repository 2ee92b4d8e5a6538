"""Diffs of files and commits: both sides' text, git's patch, counts, renames, binaries."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import NotFound
from jupyterlab_dbt_workbench.repository import diff
from jupyterlab_dbt_workbench.repository.history import commit_detail
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository

Open = Callable[[Path], ProjectRepository]
ORDERS = git_repos.ORDERS_SQL


def test_unstaged_and_staged_sides(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.write(repo, "models/orders.sql", ORDERS + "union all select 2, 'open'\n")
    git_repos.git(repo, "add", "models/orders.sql")
    git_repos.write(repo, "models/orders.sql", "select 3 as id\n")
    found = open_repo(repo)

    staged = diff.file_diff(found, "models/orders.sql", staged=True)
    unstaged = diff.file_diff(found, "models/orders.sql", staged=False)

    assert staged["old_text"] == ORDERS
    assert staged["new_text"] == ORDERS + "union all select 2, 'open'\n"
    assert (staged["additions"], staged["deletions"]) == (1, 0)
    assert "+union all select 2, 'open'" in staged["patch"]
    assert staged["change"] == "modified" and not staged["binary"]
    assert unstaged["old_text"] == staged["new_text"]
    assert unstaged["new_text"] == "select 3 as id\n"
    assert (unstaged["additions"], unstaged["deletions"]) == (1, 2)
    assert unstaged["patch"].startswith("diff --git a/models/orders.sql b/models/orders.sql")


def test_untracked_file_is_all_added(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.write(repo, "models/new.sql", "select 1\nfrom x\n")
    result = diff.file_diff(open_repo(repo), "models/new.sql", staged=False)
    assert result["change"] == "added"
    assert result["old_text"] == "" and result["new_text"] == "select 1\nfrom x\n"
    assert (result["additions"], result["deletions"]) == (2, 0)
    assert "+from x" in result["patch"]


def test_deleted_file(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    (repo / "models/orders.sql").unlink()
    result = diff.file_diff(open_repo(repo), "models/orders.sql", staged=False)
    assert result["change"] == "deleted"
    assert result["old_text"] == ORDERS and result["new_text"] == ""
    assert result["deletions"] == 1


def test_staged_rename_by_either_name(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo", {"a.sql": "select 1\n" * 10})
    git_repos.git(repo, "mv", "a.sql", "b.sql")
    found = open_repo(repo)
    for asked in ("b.sql", "a.sql"):
        result = diff.file_diff(found, asked, staged=True)
        assert result["change"] == "renamed"
        assert (result["path"], result["old_path"]) == ("b.sql", "a.sql")
        assert result["old_text"] == result["new_text"] == "select 1\n" * 10
        assert "rename from a.sql" in result["patch"]


def test_binary_and_large_files_have_no_text(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00" + bytes(range(256)))
    git_repos.write(repo, "seeds/big.csv", "id,name\n" + "1,abcdefghij\n" * 100_000)
    found = open_repo(repo)

    image = diff.file_diff(found, "logo.png", staged=False)
    big = diff.file_diff(found, "seeds/big.csv", staged=False)

    assert image["binary"] and image["old_text"] is None and image["new_text"] is None
    assert not big["binary"] and big["new_text"] is None and big["additions"] == 100_001


def test_symlink_shows_its_target_name(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    (repo / "current.sql").symlink_to("models/orders.sql")
    result = diff.file_diff(open_repo(repo), "current.sql", staged=False)
    assert result["new_text"] == "models/orders.sql"


def test_unchanged_file_has_empty_patch_and_unknown_file_is_404(
    tmp_path: Path, open_repo: Open
) -> None:
    found = open_repo(git_repos.make_repo(tmp_path / "repo"))
    same = diff.file_diff(found, "README.md", staged=False)
    assert same["patch"] == "" and same["old_text"] == same["new_text"] == "# shop\n"
    with pytest.raises(NotFound):
        diff.file_diff(found, "nowhere.sql", staged=False)


def test_conflicted_file_shows_ours_against_the_markers(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.with_conflict(tmp_path / "repo")
    result = diff.file_diff(open_repo(repo), "models/orders.sql", staged=False)
    assert result["old_text"] == "select 2 as id, 'void' as status\n"
    assert "<<<<<<<" in (result["new_text"] or "")


def test_commit_detail_lists_every_file(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(
        tmp_path / "repo", {"a.sql": "select 1\n" * 10, "b.sql": "select 2\n", "c.sql": "c\n"}
    )
    git_repos.git(repo, "mv", "a.sql", "renamed.sql")
    git_repos.write(repo, "b.sql", "select 22\n")
    (repo / "c.sql").unlink()
    git_repos.write(repo, "d.sql", "select 4\n")
    sha = git_repos.commit_all(repo, "Reshape\n\nLonger explanation.")

    detail = commit_detail(open_repo(repo), sha[:8])

    commit = detail["commit"]
    assert commit["sha"] == sha and commit["short"] == sha[:7]
    assert commit["summary"] == "Reshape" and "Longer explanation." in commit["message"]
    assert commit["author"] == git_repos.NAME and commit["email"] == git_repos.EMAIL
    files = {item["path"]: item for item in detail["files"]}
    assert {path: item["change"] for path, item in files.items()} == {
        "renamed.sql": "renamed",
        "b.sql": "modified",
        "c.sql": "deleted",
        "d.sql": "added",
    }
    assert files["renamed.sql"]["old_path"] == "a.sql"
    assert (
        files["b.sql"]["old_text"] == "select 2\n" and files["b.sql"]["new_text"] == "select 22\n"
    )
    assert files["b.sql"]["patch"].startswith("diff --git a/b.sql b/b.sql")
    assert "+select 22" in files["b.sql"]["patch"] and "d.sql" not in files["b.sql"]["patch"]
    assert files["c.sql"]["new_text"] == "" and files["d.sql"]["old_text"] == ""


def test_root_commit_detail(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    detail = commit_detail(open_repo(repo), git_repos.head(repo))
    assert detail["commit"]["parents"] == []
    assert {item["path"]: item["change"] for item in detail["files"]} == {
        "README.md": "added",
        "models/orders.sql": "added",
    }
