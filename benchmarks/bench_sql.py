"""SQL workspace: API round trip against raw DuckDB, and the server's memory while paging.

A real Jupyter server (a subprocess, so its memory is its own) serves the benchmark project;
its warehouse file gets a 100,000-row table. (1) The round trip of an aggregate query over
that table, as the SQL panel makes it (POST sql/queries with ``wait``, which answers with the
ended query when it ends within that time, else a long-polling GET of the query; then GET the
first page of rows), against the same query through the duckdb library in this process (open
the file read-only, run, fetch, close), interleaved, median of ``ROUNDS``. The server keeps
its store in a file, as a user's does, so the history's inserts are the real ones. (2) A
10-million-row query, then every one of its rows read page by page through GET rows; the
server's peak RSS (``VmHWM``) before the query, after it and after the paging.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from fixtures import Fixture
from results import Result

from jupyterlab_dbt_workbench.quality.warehouse import duckdb_path

ROUNDS = 20
RATIO_TARGET = 1.3
BIG_ROWS = 10_000_000
PAGE = 10_000
# What the SQL panel asks (src/sql/session.ts, src/sql/grid.ts).
SUBMIT_WAIT_S = 0.2
POLL_WAIT_S = 10
UI_PAGE = 200
AGGREGATE = (
    "select category, count(*) as n, sum(amount) as total, avg(amount) as mean "
    "from bench_events group by category order by category"
)
BIG = "select range as id, range * 2 as twice, 'row ' || range as label from range(10000000)"


class Server:
    """A Jupyter server with the workbench on ``root``, reached over HTTP with a token."""

    def __init__(self, root: Path, scratch: Path) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.token = secrets.token_hex(16)
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "jupyter_server",
                "--no-browser",
                "--ServerApp.allow_root=True",
                f"--port={self.port}",
                "--ip=127.0.0.1",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                "--ServerApp.jpserver_extensions={'jupyterlab_dbt_workbench': True}",
                f"--DbtWorkbench.store_path={scratch / 'store.sqlite'}",
                "--DbtWorkbench.poll_interval=0",
                f"--DbtWorkbench.sql_results_dir={scratch / 'results'}",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "JUPYTER_CONFIG_DIR": str(scratch / "config")},
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.call("GET", "sql/settings")
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise
                time.sleep(0.2)

    def call(self, method: str, path: str, body: Any = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/dbt-workbench/api/{path}",
            data=data,
            method=method,
            headers={"Authorization": f"token {self.token}"},
        )
        with urllib.request.urlopen(request, timeout=600) as response:
            return json.loads(response.read())

    def query(self, project: str, sql: str, limit: int) -> tuple[dict[str, Any], int]:
        """Run a query as the SQL panel does; returns it ended and the requests it took."""
        body = {"project": project, "sql": sql, "limit": limit}
        done = self.call("POST", f"sql/queries?wait={SUBMIT_WAIT_S}", body)
        requests = 1
        while done["status"] == "running":
            done = self.call("GET", f"sql/queries/{done['id']}?wait={POLL_WAIT_S}")
            requests += 1
        if done["status"] != "success":
            raise RuntimeError(f"query failed: {done['error']}")
        return done, requests

    def memory(self) -> tuple[float, float]:
        """(peak RSS, current RSS) of the server process, in MB."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _prepare_warehouse(path: Path) -> None:
    import duckdb

    connection = duckdb.connect(str(path))
    try:
        connection.execute(
            "create or replace table bench_events as select range as id, "
            "'c' || (range % 50) as category, (range % 997) * 0.25 as amount from range(100000)"
        )
    finally:
        connection.close()


def _raw(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect(str(path), read_only=True)
    try:
        connection.execute(AGGREGATE).fetchall()
    finally:
        connection.close()
    return time.perf_counter() - started


def _api(server: Server, project: str) -> tuple[float, float, int]:
    """(the round trip, the query's duration on the server, the requests it took)."""
    started = time.perf_counter()
    query, requests = server.query(project, AGGREGATE, 10_000)
    page = server.call("GET", f"sql/queries/{query['id']}/rows?offset=0&limit={UI_PAGE}")
    assert len(page["rows"]) == 50
    return time.perf_counter() - started, query["duration"], requests + 1


def bench_sql(fixture: Fixture) -> list[Result]:
    """The two SQL workspace figures (see the module docstring)."""
    warehouse = duckdb_path(fixture.state)
    _prepare_warehouse(warehouse)
    scratch = fixture.root / "sql-bench"
    scratch.mkdir(exist_ok=True)
    server = Server(fixture.project, scratch)
    try:
        project = server.call("GET", "projects")["projects"][0]["id"]
        _api(server, project)  # first query: imports, the project's state
        _raw(warehouse)
        api_times, raw_times, server_times, requests = [], [], [], []
        for _ in range(ROUNDS):
            took, duration, count = _api(server, project)
            api_times.append(took)
            server_times.append(duration)
            requests.append(count)
            raw_times.append(_raw(warehouse))
        api, raw = statistics.median(api_times), statistics.median(raw_times)
        ratio = api / raw
        calls = "/".join(str(n) for n in sorted(set(requests)))
        results = [
            Result(
                "sql: API round trip / raw duckdb",
                f"{ratio:.2f}x ({api * 1000:.1f} ms vs {raw * 1000:.1f} ms)",
                f"<= {RATIO_TARGET}x",
                ratio <= RATIO_TARGET,
                [
                    f"aggregate of 100,000 rows into 50 groups, median of {ROUNDS} interleaved",
                    f"API: POST sql/queries?wait={SUBMIT_WAIT_S} (a GET ?wait={POLL_WAIT_S} "
                    f"while it runs) + GET rows (HTTP, compile, classify, attach the file, "
                    f"Parquet result, history in a file store): {calls} requests",
                    f"the query's own duration on the server: median "
                    f"{statistics.median(server_times) * 1000:.1f} ms",
                    "raw: duckdb.connect(read_only) + execute + fetchall + close in-process",
                    f"min: API {min(api_times) * 1000:.1f} ms, raw {min(raw_times) * 1000:.1f} ms",
                ],
            )
        ]

        before_peak, before_rss = server.memory()
        started = time.perf_counter()
        big, _ = server.query(project, BIG, BIG_ROWS)
        written = time.perf_counter() - started
        after_query_peak, _ = server.memory()
        started = time.perf_counter()
        seen = 0
        pages = 0
        while seen < big["row_count"]:
            page = server.call("GET", f"sql/queries/{big['id']}/rows?offset={seen}&limit={PAGE}")
            seen += len(page["rows"])
            pages += 1
        paged = time.perf_counter() - started
        after_peak, after_rss = server.memory()
        growth = after_peak - before_peak
        results.append(
            Result(
                "sql: server peak RSS paging 10M rows",
                f"{before_peak:.0f} MB before, {after_peak:.0f} MB after (+{growth:.0f} MB)",
                "flat",
                None,
                [
                    f"query of {big['row_count']:,} rows written to Parquet in {written:.1f} s; "
                    f"peak RSS after it {after_query_peak:.0f} MB",
                    f"{pages} pages of {PAGE:,} rows read in {paged:.1f} s "
                    f"({paged / pages * 1000:.0f} ms a page)",
                    f"current RSS {before_rss:.0f} MB before, {after_rss:.0f} MB after",
                ],
            )
        )
        return results
    finally:
        server.close()
