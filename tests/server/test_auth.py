"""Every route of the API refuses anonymous requests, and declares its authentication."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from jupyter_server.utils import url_path_join

from jupyterlab_dbt_workbench.server.routes import API_PREFIX, ROUTES


def concrete_path(route_path: str) -> str:
    return re.sub(r"\{\w+\}", "model.x.y", route_path.lstrip("/"))


@pytest.mark.parametrize(
    "method,path",
    [(op.method.upper(), concrete_path(r.path)) for r in ROUTES for op in r.operations],
)
async def test_request_without_token_is_forbidden(
    http_server_client: Any, jp_base_url: str, jp_serverapp: Any, method: str, path: str
) -> None:
    url = url_path_join(jp_base_url, API_PREFIX, path)
    # Tornado refuses a body on GET and DELETE.
    body = b"" if method in ("POST", "PUT", "PATCH") else None
    response = await http_server_client.fetch(url, method=method, body=body, raise_error=False)
    assert response.code == 403
    assert "message" in json.loads(response.body)


async def test_every_handler_declares_authentication(jp_serverapp: Any) -> None:
    """What jupyter_server checks when started with allow_unauthenticated_access=False."""
    web_app = jp_serverapp.web_app
    missing = []
    for route in ROUTES:
        missing += web_app._check_handler_auth(route.pattern, route.handler)
    assert missing == []


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    return {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dbt_workbench": True},
            "allow_unauthenticated_access": False,
        },
    }


async def test_server_without_unauthenticated_access_still_serves(api: Any) -> None:
    status, body = await api("health")
    assert status == 200
    assert body["status"] in ("ok", "degraded")


async def test_authorizer_denial_is_a_json_403(
    jp_serverapp: Any, api: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A custom Authorizer that refuses the nodes area is obeyed, with a JSON message."""
    authorizer = jp_serverapp.web_app.settings["authorizer"]
    seen: list[tuple[str, str]] = []

    def is_authorized(handler: Any, user: Any, action: str, resource: str) -> bool:
        seen.append((action, resource))
        return resource != "dbt_workbench:nodes"

    monkeypatch.setattr(authorizer, "is_authorized", is_authorized)
    status, body = await api("nodes")
    assert status == 403
    assert "dbt_workbench:nodes" in body["message"]
    status, _ = await api("health")
    assert status == 200
    assert ("read", "dbt_workbench:nodes") in seen
    assert ("read", "dbt_workbench:health") in seen
