"""Git over REST on real repositories: the whole edit-stage-commit-push loop, refusals, audit."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import git_repos
import pytest

Conforms = Callable[[str, str, Any], None]


@pytest.fixture
def jp_server_config(tmp_path: Path) -> dict[str, Any]:
    # The store lives outside the server root, so the repository only holds the project.
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        "DbtWorkbench": {
            "poll_interval": 0,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
        },
    }


@pytest.fixture
def shop_repo(jp_root_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The server root is a repository (main pushed to a bare remote) holding project "shop"."""
    git_repos.isolate(monkeypatch, tmp_path / "git-home")
    remote = tmp_path / "remote.git"
    remote.mkdir()
    git_repos.git(remote, "init", "--quiet", "--bare", "--initial-branch=main")
    git_repos.git(jp_root_dir, "init", "--quiet", "--initial-branch=main")
    git_repos.dbt_project(jp_root_dir / "shop")
    git_repos.commit_all(jp_root_dir, "Initial commit")
    git_repos.git(jp_root_dir, "remote", "add", "origin", str(remote))
    git_repos.git(jp_root_dir, "push", "--quiet", "--set-upstream", "origin", "main")
    return jp_root_dir


def post(api: Any, *parts: str, **fields: Any) -> Any:
    return api("git", *parts, method="POST", body=json.dumps({"project": "shop", **fields}))


async def test_edit_stage_diff_commit_push(shop_repo: Path, api: Any, conforms: Conforms) -> None:
    git_repos.write(shop_repo, "shop/models/orders.sql", "select 2 as id\n")
    git_repos.write(shop_repo, "shop/models/new.sql", "select 3 as id\n")

    code, status = await api("git", "status", params={"project": "shop"})
    assert code == 200, status
    conforms("get", "/git/status", status)
    info = status["repository"]
    assert (info["branch"], info["upstream"], info["project_path"]) == (
        "main",
        "origin/main",
        "shop",
    )
    assert info["root"] == str(shop_repo.resolve())
    assert {f["path"]: f["untracked"] for f in status["files"]} == {
        "shop/models/orders.sql": False,
        "shop/models/new.sql": True,
    }

    code, diff = await api(
        "git", "diff", params={"project": "shop", "path": "shop/models/orders.sql"}
    )
    assert code == 200, diff
    conforms("get", "/git/diff", diff)
    assert diff["old_text"] == git_repos.ORDERS_SQL and diff["new_text"] == "select 2 as id\n"

    code, staged = await post(api, "stage", paths=["shop/models/orders.sql"])
    assert code == 200, staged
    conforms("post", "/git/stage", staged)
    assert [f["path"] for f in staged["files"] if f["staged"]] == ["shop/models/orders.sql"]
    code, staged_diff = await api(
        "git",
        "diff",
        params={"project": "shop", "path": "shop/models/orders.sql", "staged": "true"},
    )
    assert staged_diff["new_text"] == "select 2 as id\n"

    code, made = await post(api, "commit", message="Orders v2", paths=["shop/models/new.sql"])
    assert code == 200, made
    conforms("post", "/git/commit", made)
    assert made["author"] == git_repos.NAME and made["summary"] == "Orders v2"

    code, pushed = await post(api, "push")
    assert code == 200, pushed
    conforms("post", "/git/push", pushed)
    assert pushed["status"]["repository"]["ahead"] == 0 and pushed["status"]["clean"]

    code, history = await api("git", "log", params={"project": "shop", "limit": "1"})
    assert code == 200
    conforms("get", "/git/log", history)
    assert history["total"] == 2 and history["commits"][0]["sha"] == made["sha"]

    code, detail = await api("git", "commits", made["short"], params={"project": "shop"})
    assert code == 200, detail
    conforms("get", "/git/commits/{sha}", detail)
    assert sorted(f["path"] for f in detail["files"]) == [
        "shop/models/new.sql",
        "shop/models/orders.sql",
    ]

    code, audit = await api("audit", params={"project": "shop", "action": "git.commit"})
    assert code == 200, audit
    assert [entry["target"] for entry in audit["entries"]] == [made["sha"]]
    code, audit = await api("audit", params={"q": "git."})
    actions = {entry["action"] for entry in audit["entries"]}
    assert {"git.stage", "git.commit", "git.push"} <= actions


async def test_branches_and_checkout_refusal(shop_repo: Path, api: Any, conforms: Conforms) -> None:
    code, created = await post(api, "branches", name="feature/orders", checkout=True)
    assert code == 201, created
    conforms("post", "/git/branches", created)
    assert created["current"] == "feature/orders"
    git_repos.write(shop_repo, "shop/models/orders.sql", "select 'feature' as x\n")
    git_repos.commit_all(shop_repo, "Feature")

    code, switched = await post(api, "checkout", branch="main")
    assert code == 200, switched
    conforms("post", "/git/checkout", switched)
    assert switched["repository"]["branch"] == "main"

    git_repos.write(shop_repo, "shop/models/orders.sql", "select 'unsaved work' as x\n")
    code, refused = await post(api, "checkout", branch="feature/orders")
    assert code == 409
    assert refused["reason"] == "local_changes_would_be_lost"
    assert refused["files"] == ["shop/models/orders.sql"]
    assert "shop/models/orders.sql" in refused["message"]

    code, listed = await api("git", "branches", params={"project": "shop"})
    conforms("get", "/git/branches", listed)
    assert {b["name"] for b in listed["branches"]} == {"main", "feature/orders", "origin/main"}

    code, bad = await post(api, "branches", name="two words")
    assert code == 400 and "not a valid branch name" in bad["message"]
    code, audit = await api("audit", params={"action": "git.checkout"})
    assert [entry["outcome"] for entry in audit["entries"]] == ["error", "ok"]


async def test_rejected_push_and_pull_conflict(shop_repo: Path, tmp_path: Path, api: Any) -> None:
    other = git_repos.clone(tmp_path / "remote.git", tmp_path / "colleague")
    git_repos.write(other, "shop/models/orders.sql", "select 'theirs' as x\n")
    git_repos.commit_all(other, "Theirs")
    git_repos.git(other, "push", "--quiet")
    git_repos.write(shop_repo, "shop/models/orders.sql", "select 'mine' as x\n")
    git_repos.commit_all(shop_repo, "Mine")

    code, rejected = await post(api, "push")
    assert code == 409 and rejected["reason"] == "push_rejected"
    assert "pull first" in rejected["message"]

    code, fetched = await post(api, "fetch")
    assert code == 200 and fetched["status"]["repository"]["behind"] == 1

    code, conflict = await post(api, "pull")
    assert code == 409 and conflict["reason"] == "merge_conflict"
    assert conflict["files"] == ["shop/models/orders.sql"]
    code, status = await api("git", "status", params={"project": "shop"})
    assert status["repository"]["merging"]
    assert [f["path"] for f in status["files"] if f["conflicted"]] == ["shop/models/orders.sql"]


@pytest.mark.parametrize(
    "path", ["../outside.txt", "/etc/passwd", "shop/../../outside.txt", "escape/secret.txt"]
)
async def test_paths_outside_the_repository_are_refused(
    shop_repo: Path, tmp_path: Path, api: Any, path: str
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("top secret\n")
    (shop_repo / "escape").symlink_to(outside)

    code, refused = await api("git", "diff", params={"project": "shop", "path": path})
    assert code == 400 and refused["reason"] == "unsafe_path", refused
    assert "top secret" not in json.dumps(refused)
    code, refused = await post(api, "stage", paths=[path])
    assert code == 400 and refused["reason"] == "unsafe_path"


async def test_bad_requests(shop_repo: Path, api: Any) -> None:
    code, answer = await post(api, "commit", message="  ")
    assert code == 400 and answer["reason"] == "empty_commit_message"
    code, answer = await post(api, "commit", message="Nothing")
    assert code == 400 and answer["reason"] == "nothing_to_commit"
    code, answer = await post(api, "stage", paths="shop")
    assert code == 400
    code, answer = await post(api, "push", remote="--receive-pack=touch /tmp/pwned")
    assert code == 400
    code, answer = await post(api, "push", remote="upstream")
    assert code == 404 and answer["reason"] == "remote_not_found"
    code, answer = await post(api, "fetch", command="gc")
    assert code == 400 and "Unknown field" in answer["message"]
    code, answer = await api("git", "diff", params={"project": "shop"})
    assert code == 400
    code, answer = await api("git", "commits", "HEAD", params={"project": "shop"})
    assert code == 400
    code, answer = await api("git", "commits", "abcdef12", params={"project": "shop"})
    assert code == 404


async def test_remote_credentials_are_stripped(shop_repo: Path, api: Any) -> None:
    git_repos.git(
        shop_repo, "remote", "set-url", "origin", "https://bob:ghp_s3cret@git.example.com/shop.git"
    )
    code, status = await api("git", "status", params={"project": "shop"})
    assert code == 200
    assert status["repository"]["remotes"] == [
        {"name": "origin", "url": "https://git.example.com/shop.git"}
    ]
    assert "s3cret" not in json.dumps(status)


@pytest.fixture
def plain_project(jp_root_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    git_repos.isolate(monkeypatch, tmp_path / "git-home")
    return git_repos.dbt_project(jp_root_dir / "shop")


async def test_project_not_in_a_repository(plain_project: Path, api: Any) -> None:
    code, answer = await api("git", "status", params={"project": "shop"})
    assert code == 409 and answer["reason"] == "not_a_repository"
    assert "git init" in answer["message"]
