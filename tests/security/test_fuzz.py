"""Schemathesis over the served OpenAPI document, against a real server on the built demo.

Every operation gets a bounded number of generated requests, valid ones and invalid ones
(schemathesis' positive and negative modes), and each response must be: no 5xx, a status the
document lists for that operation, the content type it declares, and a body its schema
accepts. A second pass sends arbitrary JSON bodies to every POST/PUT (the document does not
describe request bodies, so schemathesis alone would only ever send none). dbt is the fake one,
so an operation that starts a run costs a subprocess of a few milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from live_server import LiveServer, demo_tree, git, git_env, plant_records, serve

from jupyterlab_dbt_workbench.server.openapi import openapi_document

pytestmark = pytest.mark.slow

EXAMPLES = 8
BODY_EXAMPLES = 10

# The WebSocket route answers only an Upgrade handshake (tests/server/test_runs_ws.py covers it).
NOT_REST = {("get", "/runs/{run_id}/ws")}

OPERATIONS = sorted(
    (method, path)
    for path, item in openapi_document()["paths"].items()
    for method in item
    if (method, path) not in NOT_REST
)
WRITES = [(method, path) for method, path in OPERATIONS if method in ("post", "put")]

FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)


SCHEDULE = {"name": "fuzzed", "project": "demo", "cron": "@daily", "timezone": "UTC",
            "steps": ["build"]}  # fmt: skip


@pytest.fixture(scope="module")
def fuzz_server(
    built_demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """A server on a copy of the built demo (also a Git repository with one commit) holding a
    run, a schedule and a SQL query; with their ids, so that generated requests also reach
    real records rather than only answering 404."""
    base = tmp_path_factory.mktemp("fuzz")
    root = base / "root"
    root.mkdir()
    project = demo_tree(root, built_demo)
    env = git_env(base / "git")
    git(project, env, "init", "-q")
    git(project, env, "add", "-A")
    git(project, env, "commit", "-q", "-m", "demo")
    with serve(root, base / "state", env) as server:
        yield server, plant_records(server, project, SCHEDULE)


@pytest.fixture(scope="module")
def schema(fuzz_server: tuple[LiveServer, dict[str, str]]) -> Any:
    """The document as the server serves it, loaded by schemathesis."""
    import schemathesis

    server, _ = fuzz_server
    return schemathesis.openapi.from_url(
        f"{server.url}/openapi.json", headers=dict(server.session.headers)
    )


def _checks() -> list[Any]:
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    return [
        not_a_server_error,
        status_code_conformance,
        content_type_conformance,
        response_schema_conformance,
    ]


@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_operation_conforms(
    schema: Any, fuzz_server: tuple[LiveServer, dict[str, str]], method: str, path: str
) -> None:
    from schemathesis import GenerationMode

    server, ids = fuzz_server
    operation = schema[path][method.upper()]
    strategies = [
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    ]
    names = {p["name"] for p in openapi_document()["paths"][path][method]["parameters"]}
    real = {name: ids[name] for name in names if name in ids}
    if real:
        strategies.append(operation.as_strategy(path_parameters=real, query={"project": "demo"}))
    cases = st.one_of(strategies)
    checks = _checks()

    @FUZZ_SETTINGS
    @given(case=cases)
    def fuzz(case: Any) -> None:
        case.call_and_validate(
            base_url=server.url,
            session=server.session,
            headers=dict(server.session.headers),
            checks=checks,
        )

    fuzz()


# Only values JSON can carry: requests refuses NaN and infinities before anything is sent.
FINITE = st.floats(allow_nan=False, allow_infinity=False)
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | FINITE | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner),
    max_leaves=12,
)
# Objects whose keys are the fields the API reads, so that validation goes past "unknown field".
FIELDS = [
    "project", "cli", "command", "select", "exclude", "name", "steps", "cron", "timezone",
    "env", "channels", "sql", "node", "edits", "paths", "path", "message", "branch", "base",
    "remote", "state", "vars", "limit", "target", "enabled",
]  # fmt: skip
BODIES = st.one_of(JSON, st.dictionaries(st.sampled_from(FIELDS), JSON, max_size=5))


@pytest.mark.parametrize(("method", "path"), WRITES, ids=[f"{m} {p}" for m, p in WRITES])
def test_arbitrary_bodies_are_refused_cleanly(
    fuzz_server: tuple[LiveServer, dict[str, str]], method: str, path: str
) -> None:
    """Any JSON body: a documented status, never a 5xx, an error body in the error shape."""
    server, ids = fuzz_server
    operation = openapi_document()["paths"][path][method]
    documented = {int(code) for code in operation["responses"]} - {500}
    concrete = path.format(**ids)

    @settings(FUZZ_SETTINGS, max_examples=BODY_EXAMPLES)
    @given(body=BODIES)
    def send(body: Any) -> None:
        response = server.send(method, concrete, body, {"project": "demo"})
        shown = f"{method.upper()} {concrete} {json.dumps(body)[:300]} -> {response.status_code}"
        assert response.status_code in documented, f"{shown}: {response.text[:500]}"
        assert response.headers["Content-Type"].startswith("application/json"), shown
        if response.status_code >= 400:
            error = response.json()
            assert isinstance(error.get("message"), str), f"{shown}: {error}"
            assert "reason" in error, f"{shown}: {error}"

    send()
