"""The guards on request values: paths stay in the repository, nothing reads as an option."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import InvalidRequest, NotFound, UnsafePath
from jupyterlab_dbt_workbench.repository.diff import file_diff
from jupyterlab_dbt_workbench.repository.history import log
from jupyterlab_dbt_workbench.repository.locate import (
    ProjectRepository,
    commit_sha,
    remote_name,
    repo_path,
)
from jupyterlab_dbt_workbench.repository.staging import stage

Open = Callable[[Path], ProjectRepository]


@pytest.mark.parametrize(
    "path",
    ["../x", "models/../../x", "/etc/passwd", "~/x", "C:/x", "-p", "a\\b", "a\x00b", ".git/config"],
)
def test_unsafe_paths_are_refused(tmp_path: Path, path: str) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    with pytest.raises(UnsafePath):
        repo_path(repo.resolve(), path)


def test_symlinks_out_of_the_repository_are_refused(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret\n")
    (repo / "escape").symlink_to(outside)
    (repo / "secret.txt").symlink_to(outside / "secret.txt")
    found = open_repo(repo)
    for path in ("escape/secret.txt", "secret.txt"):
        with pytest.raises(UnsafePath):
            repo_path(found.root, path)
    with pytest.raises(UnsafePath):
        stage(found, ["escape/secret.txt"])


def test_paths_are_normalized_and_literal(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.write(repo, "models/a.sql", "a\n")
    git_repos.write(repo, "models/b.sql", "b\n")
    found = open_repo(repo)
    assert repo_path(found.root, "./models//orders.sql") == "models/orders.sql"
    # A glob is a file name, not a pattern: nothing matches "models/*.sql" literally.
    with pytest.raises(NotFound):
        stage(found, ["models/*.sql"])
    assert file_diff(found, "models/a.sql", staged=False)["change"] == "added"


def test_remote_and_commit_values(tmp_path: Path, open_repo: Open) -> None:
    work, _remote = git_repos.with_remote(tmp_path)
    found = open_repo(work)
    assert remote_name(found.repo, "origin") == "origin"
    for bad in ("--upload-pack=touch /tmp/x", "-v"):
        with pytest.raises(InvalidRequest):
            remote_name(found.repo, bad)
    assert commit_sha(found.repo, git_repos.head(work)[:7]) == git_repos.head(work)
    with pytest.raises(InvalidRequest):
        commit_sha(found.repo, "HEAD~1")
    with pytest.raises(NotFound):
        commit_sha(found.repo, "deadbeef")


def test_log_pages_and_path_filter(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    for number in range(3):
        git_repos.write(repo, "README.md", f"# edition {number}\n")
        git_repos.commit_all(repo, f"Edition {number}")
    found = open_repo(repo)

    page = log(found, limit=2, offset=1)
    assert page["total"] == 4
    assert [commit["summary"] for commit in page["commits"]] == ["Edition 1", "Edition 0"]
    only_models = log(found, path="models")
    assert [commit["summary"] for commit in only_models["commits"]] == ["Initial commit"]
    assert only_models["total"] == 1
    with pytest.raises(UnsafePath):
        log(found, path="../elsewhere")
