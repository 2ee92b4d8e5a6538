"""A real ``jupyter server`` subprocess with the workbench, for the security suites.

The fuzzer and the crawlers speak plain HTTP with ``requests`` (synchronous), which cannot
share the event loop of pytest-jupyter's in-process server: a separate process also means
the URLs go through a real HTTP stack, as an attacker's would. Imported by module name
(tests/security is on the path), never as a package.

- ``demo_tree(root, built_demo)``: a copy of the built demo in ``root/demo`` whose dbt is the
  fake one (tests/runs/fake_dbt.py answering at once), so runs cost nothing.
- ``git_env(folder)``: environment variables giving git a private config and identity.
- ``serve(root, state, env)``: a context manager yielding a ``LiveServer`` (stopped at the end).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
from fake_dbt_exe import install_fake_dbt

API = "dbt-workbench/api"
TOKEN = "security-suite-token"


@dataclass
class LiveServer:
    """A running server: ``url`` is the API root, ``session`` carries the token."""

    origin: str
    root: Path
    session: requests.Session

    @property
    def url(self) -> str:
        return f"{self.origin}/{API}"

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> requests.Response:
        return self.session.get(f"{self.url}{path}", params=params, timeout=60)

    def send(
        self, method: str, path: str, body: Any = None, params: Mapping[str, Any] | None = None
    ) -> requests.Response:
        return self.session.request(
            method, f"{self.url}{path}", params=params, json=body, timeout=60
        )


def demo_tree(root: Path, built_demo: Path) -> Path:
    """``root/demo``: the built demo, with a fake dbt scenario that succeeds at once and
    writes the demo's manifest into its ``--target-path`` (as ``dbt parse`` would)."""
    project = root / "demo"
    shutil.copytree(built_demo, project)
    manifest = (project / "target" / "manifest.json").read_text()
    scenario = {"lines": [], "exit": 0, "files": {"manifest.json": manifest}}
    (project / "fake_dbt.json").write_text(json.dumps(scenario))
    return project


def git_env(folder: Path) -> dict[str, str]:
    """Variables pointing git (ours and the server's) at a private config with an identity."""
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "gitconfig"
    config.write_text(
        "[user]\n\tname = Security Suite\n\temail = security@example.com\n"
        "[init]\n\tdefaultBranch = main\n[commit]\n\tgpgsign = false\n"
        "[core]\n\thooksPath = /dev/null\n"
    )
    return {"GIT_CONFIG_GLOBAL": str(config), "GIT_CONFIG_NOSYSTEM": "1"}


def git(folder: Path, env: Mapping[str, str], *args: str) -> str:
    """Run git in ``folder`` with ``env`` added; return stdout."""
    done = subprocess.run(
        ["git", *args],
        cwd=folder,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return done.stdout.strip()


# dbt creates its --target-path; the fake only writes into it.
_MAKE_TARGET = (
    "import os, sys\n"
    "if '--target-path' in sys.argv:\n"
    "    os.makedirs(sys.argv[sys.argv.index('--target-path') + 1], exist_ok=True)\n"
)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def serve(root: Path, state: Path, env: Mapping[str, str] | None = None) -> Iterator[LiveServer]:
    """Start ``jupyter server`` on ``root`` with the workbench (its store, runs and results
    under ``state``, the fake dbt as dbt) and yield it once the API answers."""
    state.mkdir(parents=True, exist_ok=True)
    dbt = install_fake_dbt(state / "bin", _MAKE_TARGET)
    port = _free_port()
    config = {
        "ServerApp": {
            "jpserver_extensions": {"jupyterlab_dbt_workbench": True},
            "root_dir": str(root),
            "port": port,
            "ip": "127.0.0.1",
            "open_browser": False,
            "allow_root": True,
            "token": TOKEN,
        },
        "IdentityProvider": {"token": TOKEN},
        "DbtWorkbench": {
            "store_path": str(state / "workbench.sqlite"),
            "runs_dir": str(state / "runs"),
            "sql_results_dir": str(state / "sql-results"),
            "dbt_executable": dbt,
            "poll_interval": 0.5,
            "scheduler_enabled": False,
        },
    }
    config_dir = state / "jupyter-config"
    config_dir.mkdir(exist_ok=True)
    (config_dir / "jupyter_server_config.json").write_text(json.dumps(config))
    process_env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config_dir),
        "JUPYTER_DATA_DIR": str(state / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(state / "jupyter-runtime"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        **(env or {}),
    }
    log = (state / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jupyter_server"],
        cwd=root,
        env=process_env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    session = requests.Session()
    session.headers["Authorization"] = f"token {TOKEN}"
    server = LiveServer(f"http://127.0.0.1:{port}", root, session)
    try:
        _wait_until_up(server, process, state / "server.log")
        yield server
    finally:
        session.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def _wait_until_up(server: LiveServer, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server exited:\n{log.read_text()[-4000:]}")
        try:
            if server.get("/projects").status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"the server did not answer in time:\n{log.read_text()[-4000:]}")


def wait_json(server: LiveServer, path: str, done: Any, timeout: float = 30) -> Any:
    """GET ``path`` until ``done(body)`` holds; return the body."""
    deadline = time.monotonic() + timeout
    while True:
        response = server.get(path, {"project": "demo"})
        body = response.json()
        if response.status_code == 200 and done(body):
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"GET {path} never got there: {response.status_code} {body}")
        time.sleep(0.2)


def plant_records(server: LiveServer, project: Path, schedule: Mapping[str, Any]) -> dict[str, str]:
    """A finished run, the schedule ``schedule`` (run once), a finished SQL query; return the
    real values of the API's path parameters (node, run, schedule, query ids, a commit sha)."""
    started = server.send("POST", "/runs", {"project": "demo", "cli": "build -s stg_orders"})
    assert started.status_code == 201, started.text
    run_id = started.json()["id"]
    wait_json(server, f"/runs/{run_id}", lambda body: body["finished_at"] is not None)
    created = server.send("POST", "/schedules", dict(schedule))
    assert created.status_code == 201, created.text
    schedule_id = created.json()["id"]
    assert server.send("POST", f"/schedules/{schedule_id}/run").status_code == 200
    wait_json(
        server,
        f"/schedules/{schedule_id}/executions",
        lambda body: any(item["finished_at"] for item in body["executions"]),
    )
    query = server.send("POST", "/sql/queries", {"project": "demo", "sql": "select 1 as one"})
    assert query.status_code == 202, query.text
    query_id = query.json()["id"]
    wait_json(server, f"/sql/queries/{query_id}", lambda body: body["status"] == "success")
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "unique_id": "model.copper_kettle.stg_orders",
        "run_id": run_id,
        "schedule_id": schedule_id,
        "query_id": query_id,
        "sha": sha,
    }
