"""Helpers of the fault tests: a fake-dbt project and a Jupyter server run as a subprocess
(so that it can be killed with SIGKILL and started again on the same store)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

TOKEN = "fault-token"


def shop_project(folder: Path, **scenario: Any) -> Path:
    """A project folder run by the fake dbt (tests/runs/fake_dbt.py) with ``scenario``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dbt_project.yml").write_text("name: shop\nprofile: shop\n")
    (folder / "profiles.yml").write_text("shop: {}\n")
    set_scenario(folder, **scenario)
    return folder


def set_scenario(folder: Path, **scenario: Any) -> None:
    (folder / "fake_dbt.json").write_text(json.dumps(scenario))


def fake_dbt_pids(folder: Path) -> list[int]:
    """The pids of the fake dbt calls made in ``folder``, in start order."""
    path = folder / "fake_dbt_calls.jsonl"
    if not path.exists():
        return []
    pids: list[int] = []
    for line in path.read_text().splitlines():
        pid = json.loads(line)["pid"]
        if pid not in pids:
            pids.append(pid)
    return pids


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers signal 0; it is dead for our purpose.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(predicate: Any, timeout: float = 20.0, interval: float = 0.1) -> Any:
    """Call ``predicate`` until it returns something truthy; fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        time.sleep(interval)


class ServerProcess:
    """``jupyter server`` with the workbench, as a child process on ``root``.

    Every start uses the same store and runs folder (under ``state``), as a restarted server
    would. ``settings`` are extra ``DbtWorkbench`` options.
    """

    def __init__(self, root: Path, state: Path, **settings: Any) -> None:
        self.root = root
        self.state = state
        self.settings = settings
        self.process: subprocess.Popen[bytes] | None = None
        self.port = 0
        self.log = state / "server.log"

    def start(self) -> None:
        self.port = free_port()
        config = {
            "ServerApp": {
                "jpserver_extensions": {"jupyterlab_dbt_workbench": True},
                "root_dir": str(self.root),
                "ip": "127.0.0.1",
                "port": self.port,
                "port_retries": 0,
                "open_browser": False,
                "allow_root": True,
                "token": TOKEN,
            },
            "DbtWorkbench": {
                "store_path": str(self.state / "store.sqlite"),
                "runs_dir": str(self.state / "runs"),
                "sql_results_dir": str(self.state / "sql-results"),
                "poll_interval": 0.2,
                "scheduler_interval": 0.2,
                **self.settings,
            },
        }
        config_dir = self.state / "config"
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "jupyter_server_config.json").write_text(json.dumps(config))
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(config_dir),
            "JUPYTER_DATA_DIR": str(self.state / "data"),
            "JUPYTER_RUNTIME_DIR": str(self.state / "runtime"),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
        }
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyter_server"],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        wait_until(self._answers, timeout=60, interval=0.2)

    def _answers(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"the server exited:\n{self.log.read_text()[-3000:]}")
        try:
            status, _ = self.call("GET", "health")
        except OSError:
            return False
        return status == 200

    def call(self, method: str, path: str, body: Any = None, **params: Any) -> tuple[int, Any]:
        """One API call; returns (status, decoded JSON body)."""
        query = "?" + "&".join(f"{key}={value}" for key, value in params.items()) if params else ""
        url = f"http://127.0.0.1:{self.port}/dbt-workbench/api/{path}{query}"
        data = json.dumps(body).encode() if body is not None else None
        if data is None and method in ("POST", "PUT"):
            data = b""
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Authorization", f"token {TOKEN}")
        request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read()
        return status, (json.loads(raw) if raw else None)

    def kill(self) -> None:
        """SIGKILL: no shutdown hook runs, exactly like an OOM kill or a power cut."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
