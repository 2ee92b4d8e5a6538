"""Roles: every route of the API for every role, and how users get their role.

The server runs with ``DbtWorkbenchAuthorizer`` as ``ServerApp.authorizer_class``. A test
identity provider lets a request say who it is (``X-Test-User``) and which JupyterHub groups
it belongs to (``X-Test-Groups``), the way JupyterHub's single-user server exposes them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from jupyter_core.utils import ensure_async
from jupyter_server.auth.identity import IdentityProvider, User
from sql_project import make_project

from jupyterlab_dbt_workbench.server import permissions
from jupyterlab_dbt_workbench.server.authorizer import DbtWorkbenchAuthorizer
from jupyterlab_dbt_workbench.server.permissions import PERMISSIONS, ROLES, rank, required_role
from jupyterlab_dbt_workbench.server.routes import ROUTES

AUTHORIZER = "jupyterlab_dbt_workbench.server.authorizer.DbtWorkbenchAuthorizer"
OPERATIONS = sorted((op.method.upper(), route.path) for route in ROUTES for op in route.operations)
# The run websocket refuses with its own words ("Not authorized to follow runs").
WEBSOCKETS = {route.path for route in ROUTES for op in route.operations if op.status == 101}


class HubUser(User):
    """Like JupyterHub's ``JupyterHubUser``: the hub's user model in ``hub_user``."""

    hub_user: dict[str, Any]


class HeaderIdentity(IdentityProvider):
    """Token-authenticated requests are whoever ``X-Test-User`` names (default ``ada``)."""

    async def get_user(self, handler: Any) -> User | None:
        user = await ensure_async(super().get_user(handler))
        if user is None:
            return None
        name = handler.request.headers.get("X-Test-User", "ada")
        groups = handler.request.headers.get("X-Test-Groups", "")
        hub = HubUser(username=name)
        hub.hub_user = {"name": name, "groups": [g for g in groups.split(",") if g]}
        return hub


def config(
    tmp_path: Path, authorizer_class: str | None = AUTHORIZER, **roles: Any
) -> dict[str, Any]:
    """The server's config; ``authorizer_class=None`` keeps jupyter_server's default one."""
    server: dict[str, Any] = {
        "jpserver_extensions": {"jupyterlab_dbt_workbench": True},
        "identity_provider_class": HeaderIdentity,
    }
    if authorizer_class is not None:
        server["authorizer_class"] = authorizer_class
    return {
        "ServerApp": server,
        "DbtWorkbench": {
            "poll_interval": 0,
            "scheduler_enabled": False,
            "store_path": str(tmp_path / "store.sqlite"),
            "runs_dir": str(tmp_path / "runs"),
            "sql_results_dir": str(tmp_path / "sql-results"),
            "allow_sql_writes": True,
        },
        "DbtWorkbenchAuthorizer": roles,
    }


@pytest.fixture
def jp_server_config(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, Any]:
    roles = getattr(request, "param", {"default_role": "viewer"})
    return config(tmp_path, **roles)


def concrete(path: str) -> str:
    """A request path for the route (ids that exist nowhere: the answer is 4xx, not 403)."""
    return re.sub(r"\{\w+\}", "model.x.y", path).lstrip("/")


async def call(
    jp_fetch: Any, method: str, path: str, user: str = "ada", groups: str = ""
) -> tuple[int, Any]:
    body = b"{}" if method in ("POST", "PUT", "PATCH") else None
    response = await jp_fetch(
        "dbt-workbench",
        "api",
        *path.split("/"),
        method=method,
        body=body,
        headers={"X-Test-User": user, "X-Test-Groups": groups},
        raise_error=False,
    )
    text = response.body.decode() if response.body else ""
    try:
        return response.code, json.loads(text) if text else None
    except ValueError:
        return response.code, text


def test_every_operation_of_every_route_is_in_the_permission_table() -> None:
    listed = set(PERMISSIONS)
    served = set(OPERATIONS)
    assert sorted(served - listed) == [], "operations without a least role"
    assert sorted(listed - served) == [], "table entries for operations that do not exist"
    handlers = [route.handler for route in ROUTES]
    assert len(handlers) == len(set(handlers)), "a handler class serves one route only"
    for method, path in OPERATIONS:
        handler = next(route.handler for route in ROUTES if route.path == path)
        assert required_role(handler, method) == PERMISSIONS[(method, path)]


def test_viewers_read_and_developers_change() -> None:
    """The issue's model: viewers read (and run read-only SQL); developers change things."""
    viewer_changes = {
        ("POST", "/projects/rescan"),
        ("POST", "/artifacts/reload"),
        ("POST", "/schedules/preview"),
        ("POST", "/sql/compile"),
        ("POST", "/sql/queries"),
        ("POST", "/sql/queries/{query_id}/cancel"),
    }
    for (method, path), role in PERMISSIONS.items():
        if method == "GET" or (method, path) in viewer_changes:
            assert role == "viewer", (method, path)
        else:
            assert role == "developer", (method, path)


@pytest.mark.parametrize(
    "jp_server_config",
    [{"default_role": role} for role in ROLES],
    ids=list(ROLES),
    indirect=True,
)
async def test_every_route_refuses_exactly_the_roles_below_its_least_role(
    jp_server_config: dict[str, Any], jp_fetch: Any
) -> None:
    role = jp_server_config["DbtWorkbenchAuthorizer"]["default_role"]
    wrong = []
    for method, path in OPERATIONS:
        needed = PERMISSIONS[(method, path)]
        status, body = await call(jp_fetch, method, concrete(path))
        refused = rank(role) < rank(needed)
        if (status == 403) != refused:
            wrong.append(f"{method} {path} (needs {needed}): {status} {body}")
        elif refused and path not in WEBSOCKETS and needed not in body["message"]:
            wrong.append(f"{method} {path}: the refusal does not name the role: {body}")
    assert wrong == [], f"as {role}:\n" + "\n".join(wrong)


async def test_an_operation_missing_from_the_table_is_refused(
    jp_fetch: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delitem(PERMISSIONS, ("GET", "/health"))
    status, body = await call(jp_fetch, "GET", "health")
    assert status == 403
    assert "permission table" in body["message"]
    with pytest.raises(permissions.UnlistedOperation):
        required_role(ROUTES[0].handler, "PATCH")


ROLE_LISTS = {
    "default_role": "viewer",
    "admin_users": ["ada"],
    "developer_groups": ["engineers"],
    "viewer_users": ["grace"],
    "admin_groups": ["platform"],
}


@pytest.mark.parametrize("jp_server_config", [ROLE_LISTS], indirect=True)
@pytest.mark.parametrize(
    "user,groups,role",
    [
        ("ada", "", "admin"),  # by name
        ("bob", "engineers", "developer"),  # by JupyterHub group
        ("carol", "", "viewer"),  # listed nowhere: the default role
        ("grace", "platform", "admin"),  # in several places: the highest
        ("dan", "engineers,platform", "admin"),
    ],
)
async def test_users_get_their_role_by_name_or_group(
    jp_fetch: Any, conforms: Any, user: str, groups: str, role: str
) -> None:
    status, body = await call(jp_fetch, "GET", "permissions", user, groups)
    assert status == 200, body
    conforms("get", "/permissions", body)
    assert (body["user"], body["role"]) == (user, role)
    developer = role != "viewer"
    assert body["can"] == {
        "run_dbt": developer,
        "edit_schedules": developer,
        "edit_metadata": developer,
        "git_write": developer,
        "sql_write": role == "admin",
        "admin": role == "admin",
    }
    status, _ = await call(jp_fetch, "POST", "runs", user, groups)
    assert (status == 403) is not developer


@pytest.mark.parametrize("jp_server_config", [{"viewer_users": ["grace"]}], indirect=True)
async def test_a_listed_viewer_is_a_viewer_even_when_everyone_else_develops(
    jp_fetch: Any,
) -> None:
    _, grace = await call(jp_fetch, "GET", "permissions", "grace")
    _, other = await call(jp_fetch, "GET", "permissions", "someone")
    assert (grace["role"], other["role"]) == ("viewer", "developer")


async def test_jupyterlab_itself_is_unaffected_for_a_viewer(jp_fetch: Any) -> None:
    """Files, kernelspecs and settings are not the workbench's: a viewer writes files as before."""
    body = json.dumps({"type": "file", "format": "text", "content": "hello"})
    response = await jp_fetch("api", "contents", "note.txt", method="PUT", body=body)
    assert response.code in (200, 201)
    response = await jp_fetch("api", "kernelspecs")
    assert response.code == 200
    status, _ = await call(jp_fetch, "GET", "permissions")
    assert status == 200


def test_unknown_actions_on_workbench_resources_are_refused() -> None:
    authorizer = DbtWorkbenchAuthorizer(default_role="admin")
    user = User(username="ada")
    assert authorizer.is_authorized(None, user, "admin", "dbt_workbench:sql")
    assert not authorizer.is_authorized(None, user, "delete", "dbt_workbench:sql")
    assert authorizer.is_authorized(None, user, "delete", "contents")
    assert not DbtWorkbenchAuthorizer(default_role="viewer").is_authorized(
        None, user, "write", "dbt_workbench"
    )


@pytest.fixture
def shop(jp_root_dir: Path) -> Path:
    make_project(jp_root_dir / "shop")
    return jp_root_dir / "shop"


async def run_sql(jp_fetch: Any, user: str, sql: str) -> dict[str, Any]:
    response = await jp_fetch(
        "dbt-workbench",
        "api",
        "sql",
        "queries",
        method="POST",
        body=json.dumps({"project": "shop", "sql": sql}),
        params={"wait": 30},
        headers={"X-Test-User": user},
    )
    query = json.loads(response.body)
    assert query["status"] != "running", query
    return query


@pytest.mark.parametrize(
    "jp_server_config",
    [{"default_role": "developer", "admin_users": ["ada"]}],
    indirect=True,
)
async def test_only_admins_run_sql_that_writes(shop: Path, jp_fetch: Any) -> None:
    write = "create table analytics.notes as select 1 as note"
    refused = await run_sql(jp_fetch, "bob", write)
    assert refused["status"] == "error"
    assert refused["error"]["kind"] == "write_refused"
    assert "only admins" in refused["error"]["message"]
    read = await run_sql(jp_fetch, "bob", "select count(*) as n from analytics.orders")
    assert read["status"] == "success", "a developer still reads"
    assert (await run_sql(jp_fetch, "ada", write))["status"] == "success"
    check = await run_sql(jp_fetch, "bob", "select count(*) as n from analytics.notes")
    assert check["status"] == "success" and check["row_count"] == 1


async def test_a_viewer_is_told_metadata_edits_need_the_developer_role(
    jp_fetch: Any, conforms: Any
) -> None:
    status, settings = await call(jp_fetch, "GET", "metadata/settings")
    assert status == 200
    conforms("get", "/metadata/settings", settings)
    assert settings["allow_edits"] is False
    assert "developer role" in settings["message"]


@pytest.mark.parametrize("jp_server_config", [{"default_role": "developer"}], indirect=True)
async def test_a_developer_may_edit_metadata(jp_fetch: Any) -> None:
    _, settings = await call(jp_fetch, "GET", "metadata/settings")
    assert settings == {"allow_edits": True, "message": None}


@pytest.mark.parametrize("jp_server_config", [{"authorizer_class": None}], indirect=True)
async def test_with_jupyter_servers_default_authorizer_everyone_is_admin(
    jp_server_config: dict[str, Any], jp_serverapp: Any, jp_fetch: Any, conforms: Any
) -> None:
    """Without ``authorizer_class`` set, jupyter_server allows everything: the workbench
    follows it (as before roles existed), and still answers GET permissions."""
    assert not isinstance(jp_serverapp.authorizer, DbtWorkbenchAuthorizer)
    status, body = await call(jp_fetch, "GET", "permissions", "bob")
    assert status == 200, body
    conforms("get", "/permissions", body)
    assert body["role"] == "admin" and all(body["can"].values())
