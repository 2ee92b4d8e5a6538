"""Branches: list, create, switch, and the refusal when local changes would be lost."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import (
    Conflict,
    InvalidRequest,
    LocalChangesWouldBeLost,
    NotFound,
)
from jupyterlab_dbt_workbench.repository.branches import branch_list, create_branch, switch
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository

Open = Callable[[Path], ProjectRepository]


def names(listed: dict) -> dict[str, bool]:
    return {item["name"]: item["current"] for item in listed["branches"] if not item["remote"]}


def test_list_create_and_switch(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.with_branches(tmp_path / "repo")
    found = open_repo(repo)
    listed = branch_list(found)
    assert listed["current"] == "main" and not listed["detached"]
    assert names(listed) == {"feature": False, "main": True, "other": False}

    created = create_branch(found, "fix/orders", start="feature", checkout=True)
    assert created["current"] == "fix/orders"
    assert git_repos.head(repo) == git_repos.git(repo, "rev-parse", "feature").strip()

    after = switch(found, "main")
    assert after["repository"]["branch"] == "main"
    assert (repo / "models/orders.sql").read_text() == git_repos.ORDERS_SQL


def test_switch_refused_when_local_changes_would_be_lost(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.with_branches(tmp_path / "repo")
    git_repos.write(repo, "models/orders.sql", "select 99 as id\n")
    with pytest.raises(LocalChangesWouldBeLost) as raised:
        switch(open_repo(repo), "feature")
    assert raised.value.files == ["models/orders.sql"]
    assert "models/orders.sql" in raised.value.message
    # Nothing moved and nothing was lost.
    assert git_repos.git(repo, "branch", "--show-current").strip() == "main"
    assert (repo / "models/orders.sql").read_text() == "select 99 as id\n"


def test_switch_refused_when_an_untracked_file_would_be_overwritten(
    tmp_path: Path, open_repo: Open
) -> None:
    repo = git_repos.with_branches(tmp_path / "repo")
    git_repos.git(repo, "switch", "--quiet", "feature")
    git_repos.write(repo, "models/extra.sql", "select 1\n")
    git_repos.commit_all(repo, "Add extra")
    git_repos.git(repo, "switch", "--quiet", "main")
    git_repos.write(repo, "models/extra.sql", "my own work\n")
    with pytest.raises(LocalChangesWouldBeLost) as raised:
        switch(open_repo(repo), "feature")
    assert raised.value.files == ["models/extra.sql"]


def test_switch_keeps_changes_git_can_carry(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.with_branches(tmp_path / "repo")
    git_repos.write(repo, "README.md", "# carried along\n")
    result = switch(open_repo(repo), "feature")
    assert result["repository"]["branch"] == "feature"
    assert (repo / "README.md").read_text() == "# carried along\n"


def test_bad_names_and_unknown_branches(tmp_path: Path, open_repo: Open) -> None:
    found = open_repo(git_repos.with_branches(tmp_path / "repo"))
    for bad in ("has space", "a..b", "-d", "@{-1}", "x.lock", "", "ends/"):
        with pytest.raises(InvalidRequest):
            create_branch(found, bad)
    with pytest.raises(Conflict):
        create_branch(found, "feature")
    with pytest.raises(NotFound):
        create_branch(found, "new", start="no-such-ref")
    with pytest.raises(NotFound):
        switch(found, "nope")
    with pytest.raises(InvalidRequest):
        switch(found, "--orphan")


def test_detached_head_listing(tmp_path: Path, open_repo: Open) -> None:
    listed = branch_list(open_repo(git_repos.detached(tmp_path / "repo")))
    assert listed["detached"] and listed["current"] is None
    assert names(listed) == {"main": False}


def test_remote_branches_and_tracking(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    other = git_repos.clone(remote, tmp_path / "other")
    git_repos.git(other, "switch", "--quiet", "-c", "topic")
    git_repos.write(other, "topic.sql", "select 1\n")
    git_repos.commit_all(other, "Topic")
    git_repos.git(other, "push", "--quiet", "origin", "topic")
    git_repos.git(work, "fetch", "--quiet")
    found = open_repo(work)

    listed = {item["name"]: item for item in branch_list(found)["branches"]}
    assert listed["origin/topic"]["remote"] and listed["main"]["upstream"] == "origin/main"

    switched = switch(found, "origin/topic")
    info = switched["repository"]
    assert info["branch"] == "topic" and info["upstream"] == "origin/topic"
    git_repos.write(work, "local.sql", "select 2\n")
    git_repos.commit_all(work, "Local")
    topic = {item["name"]: item for item in branch_list(found)["branches"]}["topic"]
    assert (topic["ahead"], topic["behind"], topic["current"]) == (1, 0, True)
    with pytest.raises(Conflict):
        switch(found, "origin/topic")  # a local "topic" exists: switch to it instead
