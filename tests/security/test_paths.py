"""Every parameter that names a file or folder, attacked with a traversal suite: each attempt is
refused (400 or 404) and nothing outside the server root is read, listed or written.

Targets: the ``project`` id (every route), the ``state`` folder (lineage and runs), Git paths
(diff, log, stage, unstage), and the ids that name a file of the server (runs, SQL results and
their exports, schedules, nodes, commits), sent raw through ``http.client`` so no client library
normalizes ``..`` away. Outside the root sits a folder with a valid manifest and a marker file
(a traversal that worked would find both), reachable through a symlink inside the project.
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

import pytest
from live_server import API, LiveServer, demo_tree, git, git_env, plant_records, serve

pytestmark = pytest.mark.slow

MARKER = "outside-marker-5be1c7"

# Values for a query parameter or a JSON field; "{outside}" is the absolute outside folder.
TRAVERSALS = [
    "..",
    "../outside",
    "../../outside",
    "demo/../../outside",
    "{outside}",
    "/etc",
    "~",
    "%2e%2e/outside",
    "%2e%2e%2foutside",
    "..%2Foutside",
    "%252e%252e%252foutside",
    "..\\outside",
    "demo\\..\\..\\outside",
    "C:\\outside",
    "demo/\x00/x",
    "\x00../outside",
    "demo/link-out",
    "link-out",
]
# The same for file paths inside the project's repository.
FILE_TRAVERSALS = [
    *TRAVERSALS,
    "link-out/secret.txt",
    "../outside/secret.txt",
    "{outside}/secret.txt",
    "models/../../outside/secret.txt",
    ".git/config",
]
# Path segments, already percent-encoded as a hostile client would send them.
SEGMENTS = [
    "..",
    "%2e%2e",
    "..%2F..%2Foutside",
    "%2e%2e%2f%2e%2e%2foutside",
    "%252e%252e%252foutside",
    "..%5C..%5Coutside",
    "%2Fetc%2Fpasswd",
    "%00",
    "x%00y",
    "link-out",
]
SCHEDULE = {"name": "p", "project": "demo", "cron": "@daily", "timezone": "UTC", "steps": ["build"]}


@pytest.fixture(scope="module")
def attacked(
    built_demo: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, Path, dict[str, str]]]:
    """A server on a Git-tracked demo with ``demo/link-out`` pointing at a folder outside the
    root that holds a manifest.json and a marker file."""
    base = tmp_path_factory.mktemp("paths")
    root = base / "root"
    root.mkdir()
    outside = base / "outside"
    outside.mkdir()
    project = demo_tree(root, built_demo)
    (outside / "manifest.json").write_text((project / "target" / "manifest.json").read_text())
    (outside / "secret.txt").write_text(MARKER)
    env = git_env(base / "git")
    git(project, env, "init", "-q")
    git(project, env, "add", "-A")
    git(project, env, "commit", "-q", "-m", "demo")
    (project / "link-out").symlink_to(outside, target_is_directory=True)
    (root / "link-out").symlink_to(outside, target_is_directory=True)
    with serve(root, base / "state", env) as server:
        ids = plant_records(server, project, SCHEDULE)
        yield server, outside, ids


def _raw(server: LiveServer, method: str, target: str, body: Any = None) -> tuple[int, str]:
    """Send ``target`` (path and query, used verbatim) with no client-side normalization."""
    origin = urlsplit(server.origin)
    connection = http.client.HTTPConnection(origin.hostname or "", origin.port, timeout=60)
    headers = {"Authorization": str(server.session.headers["Authorization"])}
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    try:
        connection.request(method, f"/{API}{target}", body=data, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        connection.close()


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def _concrete(value: str, outside: Path) -> str:
    return value.replace("{outside}", str(outside))


def _refused(status: int, body: str, what: str, outside: Path) -> list[str]:
    """What is wrong with the answer to an attack: it must be 400/404 and show nothing of the
    outside folder."""
    problems = []
    if status not in (400, 404):
        problems.append(f"{what}: {status} {body[:300]}")
    if MARKER in body:
        problems.append(f"{what}: the answer shows what is outside: {body[:300]}")
    return problems


QUERY_TARGETS = [
    ("/nodes", "project", {}),
    ("/artifacts", "project", {}),
    ("/git/status", "project", {}),
    ("/sql/completions", "project", {}),
    ("/lineage", "state", {"select": "state:modified", "project": "demo"}),
    ("/lineage/select", "state", {"select": "state:modified", "project": "demo"}),
    ("/git/diff", "path", {"project": "demo"}),
    ("/git/log", "path", {"project": "demo"}),
]


def test_query_parameters_naming_files_refuse_traversal(
    attacked: tuple[LiveServer, Path, dict[str, str]],
) -> None:
    server, outside, _ = attacked
    before = _snapshot(outside)
    problems: list[str] = []
    for path, name, extra in QUERY_TARGETS:
        values = FILE_TRAVERSALS if name == "path" else TRAVERSALS
        for value in values:
            query = urlencode({**extra, name: _concrete(value, outside)})
            status, body = _raw(server, "GET", f"{path}?{query}")
            if path == "/git/log" and status == 200 and json.loads(body)["commits"] == []:
                # Git takes a path literally: "%2e%2e/outside" is a (missing) file inside the
                # repository, whose history is rightly empty.
                continue
            problems += _refused(status, body, f"GET {path} {name}={value!r}", outside)
    assert not problems, "\n".join(problems)
    assert _snapshot(outside) == before


BODY_TARGETS = [
    ("/git/stage", lambda v: {"project": "demo", "paths": [v]}, FILE_TRAVERSALS),
    ("/git/unstage", lambda v: {"project": "demo", "paths": [v]}, FILE_TRAVERSALS),
    ("/runs", lambda v: {"project": "demo", "command": "build", "state": v}, TRAVERSALS),
    ("/runs", lambda v: {"project": "demo", "cli": f"build --defer --state {v}"}, TRAVERSALS),
    ("/runs", lambda v: {"project": v, "cli": "build"}, TRAVERSALS),
    ("/sql/queries", lambda v: {"project": v, "sql": "select 1"}, TRAVERSALS),
    ("/metadata/preview", lambda v: {"project": v, "node": "model.copper_kettle.stg_orders",
                                     "edits": {"description": "x"}}, TRAVERSALS),
    ("/schedules", lambda v: {**SCHEDULE, "name": "t", "project": v},
     TRAVERSALS),
]  # fmt: skip


def test_body_fields_naming_files_refuse_traversal(
    attacked: tuple[LiveServer, Path, dict[str, str]],
) -> None:
    server, outside, _ = attacked
    project = server.root / "demo"
    before = _snapshot(outside)
    env = git_env(outside.parent / "git")
    index_before = git(project, env, "ls-files", "--stage")
    runs_before = server.get("/runs", {"project": "demo"}).json()["total"]
    problems: list[str] = []
    for path, make, values in BODY_TARGETS:
        for value in values:
            body = make(_concrete(value, outside))
            status, text = _raw(server, "POST", path, body)
            problems += _refused(status, text, f"POST {path} {body}", outside)
    assert not problems, "\n".join(problems)
    assert _snapshot(outside) == before
    assert git(project, env, "ls-files", "--stage") == index_before
    assert server.get("/runs", {"project": "demo"}).json()["total"] == runs_before


ID_ROUTES = [
    "/nodes/{}",
    "/nodes/{}/history",
    "/lineage/columns/{}",
    "/runs/{}",
    "/runs/{}/events",
    "/schedules/{}",
    "/schedules/{}/executions",
    "/sql/queries/{}",
    "/sql/queries/{}/rows",
    "/sql/queries/{}/export?format=csv",
    "/sql/queries/{}/export?format=parquet",
    "/git/commits/{}",
]


def test_ids_naming_server_files_refuse_traversal(
    attacked: tuple[LiveServer, Path, dict[str, str]],
) -> None:
    """Run ids, query ids (their result files), schedule ids, node ids and commits."""
    server, outside, ids = attacked
    problems: list[str] = []
    segments = [*SEGMENTS, quote(str(outside), safe=""), quote(f"{ids['run_id']}/../x", safe="")]
    for route in ID_ROUTES:
        for segment in segments:
            target = route.format(segment)
            joiner = "&" if "?" in target else "?"
            status, body = _raw(server, "GET", f"{target}{joiner}project=demo")
            problems += _refused(status, body, f"GET {target}", outside)
    for action in ("cancel", "retry", "rerun"):
        for segment in segments:
            status, body = _raw(server, "POST", f"/runs/{segment}/{action}", {})
            problems += _refused(status, body, f"POST /runs/{segment}/{action}", outside)
    assert not problems, "\n".join(problems)


def test_the_attacks_aim_at_working_routes(
    attacked: tuple[LiveServer, Path, dict[str, str]],
) -> None:
    """The same routes answer 200 for a path inside the root: the refusals above are the
    path checks, not a broken route."""
    server, _, ids = attacked
    assert server.get("/git/diff", {"project": "demo", "path": "dbt_project.yml"}).ok
    assert server.get("/nodes", {"project": "demo"}).ok
    assert server.get("/lineage/select", {"project": "demo", "select": "stg_orders"}).ok
    for route in ID_ROUTES:
        name = route.split("/")[1]
        value = {"nodes": ids["unique_id"], "lineage": ids["unique_id"], "runs": ids["run_id"],
                 "schedules": ids["schedule_id"], "sql": ids["query_id"],
                 "git": ids["sha"]}[name]  # fmt: skip
        target = route.format(quote(value, safe=""))
        response = server.session.get(f"{server.url}{target}", params={"project": "demo"})
        assert response.ok, f"GET {target}: {response.status_code} {response.text[:200]}"
