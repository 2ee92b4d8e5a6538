"""fetch, pull and push against a bare remote on local disk, and git's failures made clear."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.errors import (
    Conflict,
    GitAuthFailed,
    GitCommandFailed,
    LocalChangesWouldBeLost,
    MergeConflict,
    NotFound,
    PushRejected,
)
from jupyterlab_dbt_workbench.repository import remotes
from jupyterlab_dbt_workbench.repository.locate import ProjectRepository
from jupyterlab_dbt_workbench.repository.status import status

Open = Callable[[Path], ProjectRepository]


def someone_else_pushes(remote: Path, folder: Path, path: str, text: str) -> None:
    other = git_repos.clone(remote, folder)
    git_repos.write(other, path, text)
    git_repos.commit_all(other, f"Change {path}")
    git_repos.git(other, "push", "--quiet")


def test_push_and_ahead_behind(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    found = open_repo(work)
    git_repos.write(work, "models/new.sql", "select 1\n")
    git_repos.commit_all(work, "New model")
    info = status(found)["repository"]
    assert (info["upstream"], info["ahead"], info["behind"]) == ("origin/main", 1, 0)

    pushed = remotes.push(found)

    assert pushed["ok"] and pushed["message"] == "Pushed main to origin/main."
    assert pushed["status"]["repository"]["ahead"] == 0
    assert git_repos.git(remote, "rev-parse", "main").strip() == git_repos.head(work)


def test_push_of_a_new_branch_sets_its_upstream(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    git_repos.git(work, "switch", "--quiet", "-c", "topic")
    git_repos.write(work, "t.sql", "select 1\n")
    git_repos.commit_all(work, "Topic")
    pushed = remotes.push(open_repo(work))
    assert pushed["status"]["repository"]["upstream"] == "origin/topic"
    assert git_repos.git(remote, "rev-parse", "topic").strip() == git_repos.head(work)


def test_fetch_then_pull(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    someone_else_pushes(remote, tmp_path / "other", "models/theirs.sql", "select 7\n")
    found = open_repo(work)

    fetched = remotes.fetch(found)
    assert fetched["status"]["repository"]["behind"] == 1
    assert "1 commit(s) behind origin/main" in fetched["message"]
    assert not (work / "models/theirs.sql").exists()

    pulled = remotes.pull(found)
    assert pulled["message"] == "Pulled 1 commit(s) from origin/main into main."
    assert (work / "models/theirs.sql").read_text() == "select 7\n"
    assert remotes.pull(found)["message"] == "Already up to date with origin/main."


def test_push_rejected_after_someone_else_pushed(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    someone_else_pushes(remote, tmp_path / "other", "models/theirs.sql", "select 7\n")
    git_repos.write(work, "models/mine.sql", "select 8\n")
    git_repos.commit_all(work, "Mine")
    with pytest.raises(PushRejected) as raised:
        remotes.push(open_repo(work))
    assert "pull first" in raised.value.message
    # After pulling (a merge, no conflict) the push goes through.
    remotes.pull(open_repo(work))
    assert remotes.push(open_repo(work))["ok"]


def test_pull_with_a_conflict_leaves_the_merge_to_finish(tmp_path: Path, open_repo: Open) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    someone_else_pushes(remote, tmp_path / "other", "models/orders.sql", "select 'theirs'\n")
    git_repos.write(work, "models/orders.sql", "select 'mine'\n")
    git_repos.commit_all(work, "Mine")
    found = open_repo(work)

    with pytest.raises(MergeConflict) as raised:
        remotes.pull(found)

    assert raised.value.files == ["models/orders.sql"]
    assert "git merge --abort" in raised.value.message
    after = status(found)
    assert after["repository"]["merging"]
    assert [item["path"] for item in after["files"] if item["conflicted"]] == ["models/orders.sql"]
    with pytest.raises(Conflict):
        remotes.pull(found)  # a merge is already in progress


def test_pull_refused_when_it_would_overwrite_local_changes(
    tmp_path: Path, open_repo: Open
) -> None:
    work, remote = git_repos.with_remote(tmp_path)
    someone_else_pushes(remote, tmp_path / "other", "models/orders.sql", "select 'theirs'\n")
    git_repos.write(work, "models/orders.sql", "select 'uncommitted'\n")
    with pytest.raises(LocalChangesWouldBeLost) as raised:
        remotes.pull(open_repo(work))
    assert raised.value.files == ["models/orders.sql"]
    assert (work / "models/orders.sql").read_text() == "select 'uncommitted'\n"


def test_no_remote_is_said_plainly(tmp_path: Path, open_repo: Open) -> None:
    found = open_repo(git_repos.make_repo(tmp_path / "repo"))
    for operation in (remotes.push, remotes.fetch, remotes.pull):
        with pytest.raises(Conflict) as raised:
            operation(found)
        assert raised.value.reason == "no_remote"
        assert "git remote add origin" in raised.value.message


def test_unknown_remote_and_detached_head(tmp_path: Path, open_repo: Open) -> None:
    work, _remote = git_repos.with_remote(tmp_path)
    found = open_repo(work)
    with pytest.raises(NotFound):
        remotes.fetch(found, "upstream")
    git_repos.git(work, "switch", "--quiet", "--detach")
    with pytest.raises(Conflict) as raised:
        remotes.push(found)
    assert raised.value.reason == "detached_head"


def fake_ssh(tmp_path: Path, script: str) -> str:
    program = tmp_path / "fake-ssh"
    program.write_text(f"#!/bin/sh\n{script}\n")
    program.chmod(program.stat().st_mode | stat.S_IEXEC)
    return str(program)


def test_authentication_failure(
    tmp_path: Path, open_repo: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.git(repo, "remote", "add", "origin", "ssh://git@git.example.invalid/team/shop.git")
    ssh = fake_ssh(
        tmp_path, 'echo "git@git.example.invalid: Permission denied (publickey)." >&2\nexit 255'
    )
    monkeypatch.setenv("GIT_SSH_COMMAND", ssh)
    with pytest.raises(GitAuthFailed) as raised:
        remotes.push(open_repo(repo))
    assert "Permission denied (publickey)" in raised.value.message
    assert "credential" in raised.value.message


def test_a_stalled_remote_is_stopped(
    tmp_path: Path, open_repo: Open, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    git_repos.git(repo, "remote", "add", "origin", "ssh://git@git.example.invalid/team/shop.git")
    monkeypatch.setenv("GIT_SSH_COMMAND", fake_ssh(tmp_path, "sleep 30"))
    monkeypatch.setattr(remotes, "NETWORK_TIMEOUT", 1.0)
    with pytest.raises(GitCommandFailed) as raised:
        remotes.fetch(open_repo(repo))
    assert "did not finish within 1 seconds" in raised.value.message


def test_credentials_never_appear_in_messages(tmp_path: Path, open_repo: Open) -> None:
    repo = git_repos.make_repo(tmp_path / "repo")
    # Nothing listens on the discard port: the connection is refused at once.
    git_repos.git(repo, "remote", "add", "origin", "https://alice:s3cret@127.0.0.1:9/shop.git")
    with pytest.raises(GitCommandFailed) as raised:
        remotes.fetch(open_repo(repo))
    assert "s3cret" not in raised.value.message and "alice" not in raised.value.message
    assert "127.0.0.1" in raised.value.message
