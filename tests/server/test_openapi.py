"""The OpenAPI document matches the routes the server really has."""

from __future__ import annotations

import re
from typing import Any

from jupyterlab_dbt_workbench.server.routes import API_PREFIX


def route_patterns(router: Any) -> list[str]:
    """Every URL regex registered with tornado, walking nested (per-host) routers."""
    patterns = []
    for rule in getattr(router, "rules", []):
        regex = getattr(rule.matcher, "regex", None)
        if regex is not None and not hasattr(rule.target, "rules"):
            patterns.append(regex.pattern)
        patterns += route_patterns(rule.target)
    return patterns


async def test_openapi_is_served_and_lists_every_route(api: Any, jp_serverapp: Any) -> None:
    status, doc = await api("openapi.json")
    assert status == 200
    assert doc["openapi"].startswith("3.1")

    served = set()
    for pattern in route_patterns(jp_serverapp.web_app.default_router):
        if f"/{API_PREFIX}/" in pattern:
            tail = pattern.split(f"/{API_PREFIX}/", 1)[1].rstrip("$")
            served.add("/" + re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", r"{\1}", tail))
    assert served, "no workbench route found in the server"
    assert served == set(doc["paths"])


async def test_every_schema_reference_resolves(api: Any) -> None:
    _, doc = await api("openapi.json")
    text = str(doc)
    for name in re.findall(r"#/components/schemas/(\w+)", text):
        assert name in doc["components"]["schemas"], name
    for path, item in doc["paths"].items():
        for method, op in item.items():
            assert any(code in op["responses"] for code in ("101", "200", "201", "202")), (
                method,
                path,
            )
            assert "403" in op["responses"], (method, path)
