"""HTTP load: concurrent clients against a real server, and cheap requests while heavy ones run.

A Jupyter server with the workbench (a subprocess, started as ``bench_sql.Server`` does) serves
one project. Two measurements:

1. Throughput: ``clients`` concurrent clients (default 50, split evenly over the four read
   endpoints the UI uses most: the node list, search, a focused lineage ``1+node+1`` and a node
   page) send requests back to back for ``duration`` seconds; per endpoint, requests per second,
   p50 / p99 latency and errors.
2. Isolation: a few probe clients send cheap requests (GET health, a node page) for half of
   ``duration`` with nothing else running (idle), then for ``duration`` while heavy requests
   loop (whole-graph lineage, a forced reload followed by the first search, which rebuilds
   the search index, and a slow SQL query). If heavy work ran on the event loop, every cheap
   request would wait behind it: the cheap p99 under load is compared with the idle p99.

Latencies are measured by the client (tornado's ``AsyncHTTPClient`` in one asyncio loop, a new
connection per request), so they include the client's own queueing; the client shares the
machine's cores with the server.

    /work/venv/bin/python benchmarks/load.py --demo [DIR] | --project DIR [--clients 50]
        [--duration 30]

``benchmarks/run.py --only server_load`` runs it on the synthetic project and on the demo.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from bench_sql import Server
from fixtures import Fixture
from results import Result

CLIENTS = 50
DURATION_S = 30.0
PROBES = 4
HEAVY_PER_KIND = 2
RATIO_TARGET = 5.0
ABSOLUTE_TARGET_MS = 200.0
REQUEST_TIMEOUT_S = 300.0
# About a second of DuckDB work on one core: long enough to overlap many cheap requests.
SLOW_SQL = "select sum(hash(range)) as h from range(100000000)"

Pick = Callable[[random.Random], tuple[str, str]]


@dataclass
class Samples:
    """Latencies (seconds) and errors of one endpoint over one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def percentile(self, q: float) -> float:
        """Nearest-rank percentile ``q`` (0-100) of the latencies, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank] * 1000


@dataclass
class Target:
    """What the requests are made of: the project id and some of its nodes."""

    project: str
    models: list[str]
    names: list[str]
    words: list[str]
    total_nodes: int


class Client:
    """Timed HTTP requests to one server, from one asyncio loop."""

    def __init__(self, server: Server, connections: int) -> None:
        from tornado.httpclient import AsyncHTTPClient

        self.base = f"http://127.0.0.1:{server.port}/dbt-workbench/api/"
        self.headers = {"Authorization": f"token {server.token}"}
        # force_instance: a private client whose max_clients fits our concurrency (the shared
        # one queues everything past 10 requests, which would measure the client, not us).
        self.http = AsyncHTTPClient(force_instance=True, max_clients=connections)

    async def request(
        self, path: str, method: str = "GET", body: Any = None
    ) -> tuple[float, int, bytes]:
        """(seconds, status, body) of one request; status 599 for a transport failure."""
        from tornado.httpclient import HTTPClientError

        started = time.perf_counter()
        try:
            response = await self.http.fetch(
                self.base + path,
                method=method,
                headers=self.headers,
                body=json.dumps(body) if body is not None else ("" if method != "GET" else None),
                request_timeout=REQUEST_TIMEOUT_S,
                raise_error=False,
            )
            status, data = response.code, response.body or b""
        except (OSError, HTTPClientError) as error:
            status, data = 599, str(error).encode()
        return time.perf_counter() - started, status, data

    async def json(self, path: str, method: str = "GET", body: Any = None) -> Any:
        """The JSON body of a request that must succeed."""
        _, status, data = await self.request(path, method, body)
        if status >= 400:
            raise RuntimeError(f"{method} {path}: {status} {data[:300]!r}")
        return json.loads(data)

    def close(self) -> None:
        self.http.close()


async def _target(client: Client) -> Target:
    projects = (await client.json("projects"))["projects"]
    project = projects[0]["id"]
    listed = await client.json(f"nodes?{urlencode({'project': project, 'limit': 5000})}")
    models = [n for n in listed["items"] if n["resource_type"] == "model"]
    names = [n["name"] for n in models]
    words = sorted({word for name in names for word in re.split(r"_+", name) if len(word) > 3})
    return Target(project, [n["unique_id"] for n in models], names, words, listed["total"])


def _endpoints(target: Target) -> dict[str, Pick]:
    """The four read endpoints, each drawing its parameters at random from the project."""
    project = target.project

    def node_list(rng: random.Random) -> tuple[str, str]:
        offset = rng.randrange(0, max(1, target.total_nodes - 50))
        query = urlencode({"project": project, "offset": offset, "limit": 50})
        return "GET", f"nodes?{query}"

    def search(rng: random.Random) -> tuple[str, str]:
        word = rng.choice(target.words)
        roll = rng.random()
        if roll < 0.3:
            text = word[: max(3, len(word) - 2)]  # a prefix, as typed
        elif roll < 0.5:
            text = f"{word} {rng.choice(target.words)}"
        elif roll < 0.6:
            text = rng.choice(target.names)
        else:
            text = word
        return "GET", f"search?{urlencode({'project': project, 'q': text, 'limit': 20})}"

    def focused_lineage(rng: random.Random) -> tuple[str, str]:
        focus = rng.choice(target.models)
        return "GET", f"lineage?{urlencode({'project': project, 'focus': focus, 'depth': 1})}"

    def node_page(rng: random.Random) -> tuple[str, str]:
        node = quote(rng.choice(target.models), safe="")
        return "GET", f"nodes/{node}?{urlencode({'project': project})}"

    return {
        "node list": node_list,
        "search": search,
        "focused lineage 1+node+1": focused_lineage,
        "node page": node_page,
    }


async def _loop(
    client: Client, pick: Pick, samples: Samples, deadline: float, rng: random.Random
) -> None:
    """Requests back to back until ``deadline``."""
    while time.perf_counter() < deadline:
        method, path = pick(rng)
        took, status, data = await client.request(path, method)
        if status >= 400:
            samples.errors += 1
            samples.first_error = samples.first_error or f"{status} {path}: {data[:200]!r}"
        else:
            samples.latencies.append(took)


async def _throughput(
    client: Client, target: Target, clients: int, duration: float
) -> dict[str, Samples]:
    endpoints = _endpoints(target)
    names = list(endpoints)
    samples = {name: Samples() for name in names}
    deadline = time.perf_counter() + duration
    await asyncio.gather(
        *(
            _loop(
                client,
                endpoints[names[i % len(names)]],
                samples[names[i % len(names)]],
                deadline,
                random.Random(i),
            )
            for i in range(clients)
        )
    )
    return samples


def _cheap(target: Target) -> Pick:
    page = _endpoints(target)["node page"]

    def pick(rng: random.Random) -> tuple[str, str]:
        return ("GET", "health") if rng.random() < 0.5 else page(rng)

    return pick


async def _heavy_lineage(client: Client, target: Target, deadline: float, out: Samples) -> None:
    path = f"lineage?{urlencode({'project': target.project, 'select': '*', 'max_nodes': 20000})}"
    while time.perf_counter() < deadline:
        took, status, data = await client.request(path)
        _record(out, took, status, data, path)


async def _heavy_reindex(client: Client, target: Target, deadline: float, out: Samples) -> None:
    """A forced reload makes a new state; the first search on it builds the index again."""
    project = urlencode({"project": target.project})
    rng = random.Random(7)
    while time.perf_counter() < deadline:
        took, status, data = await client.request(f"artifacts/reload?{project}", "POST")
        if status >= 400:
            _record(out, took, status, data, "artifacts/reload")
            continue
        word = rng.choice(target.words)
        more, status, data = await client.request(f"search?{project}&{urlencode({'q': word})}")
        _record(out, took + more, status, data, "search after reload")


async def _heavy_sql(client: Client, target: Target, deadline: float, out: Samples) -> None:
    body = {"project": target.project, "sql": SLOW_SQL, "limit": 10}
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        _, status, data = await client.request("sql/queries?wait=30", "POST", body)
        while status < 400 and json.loads(data)["status"] == "running":
            query_id = json.loads(data)["id"]
            _, status, data = await client.request(f"sql/queries/{query_id}?wait=30")
        if status < 400 and json.loads(data)["status"] != "success":
            status = 500  # recorded as an error: the query itself failed
        _record(out, time.perf_counter() - started, status, data, "sql/queries")


def _record(out: Samples, took: float, status: int, data: bytes, what: str) -> None:
    if status >= 400:
        out.errors += 1
        out.first_error = out.first_error or f"{status} {what}: {data[:200]!r}"
    else:
        out.latencies.append(took)


HEAVY_KINDS = ("whole-graph lineage", "reload + search", "SQL")


async def _isolation(
    client: Client, target: Target, probes: int, duration: float, heavy_per_kind: int
) -> tuple[Samples, dict[str, tuple[Samples, Samples]]]:
    """The cheap requests idle, then under each kind of heavy request in turn."""
    pick = _cheap(target)
    idle = Samples()
    deadline = time.perf_counter() + duration / 2
    await asyncio.gather(
        *(_loop(client, pick, idle, deadline, random.Random(100 + i)) for i in range(probes))
    )
    loops = {
        "whole-graph lineage": _heavy_lineage,
        "reload + search": _heavy_reindex,
        "SQL": _heavy_sql,
    }
    under: dict[str, tuple[Samples, Samples]] = {}
    for kind in HEAVY_KINDS:
        heavy, loaded = Samples(), Samples()
        deadline = time.perf_counter() + duration / 2
        jobs = [loops[kind](client, target, deadline, heavy) for _ in range(heavy_per_kind)]
        # The probes start once the heavy requests are in flight and stop at the same time;
        # a heavy request still running then is waited for, not counted.
        await asyncio.sleep(0.5)
        jobs += [
            _loop(client, pick, loaded, deadline, random.Random(200 + i)) for i in range(probes)
        ]
        await asyncio.gather(*jobs)
        under[kind] = (loaded, heavy)
    return idle, under


async def _warm_up(client: Client, target: Target) -> list[str]:
    """First requests (the state, the graph, the search index, the SQL workspace), timed."""
    lines = []
    rng = random.Random(0)
    for name, pick in _endpoints(target).items():
        method, path = pick(rng)
        took, status, _ = await client.request(path, method)
        lines.append(f"first {name}: {took * 1000:.0f} ms ({status})")
    took, status, _ = await client.request(
        "sql/queries?wait=30", "POST", {"project": target.project, "sql": SLOW_SQL, "limit": 10}
    )
    lines.append(f"first slow SQL query: {took * 1000:.0f} ms ({status})")
    took, status, data = await client.request(
        f"lineage?{urlencode({'project': target.project, 'select': '*', 'max_nodes': 20000})}"
    )
    size = len(data) / 1e6
    lines.append(f"first whole-graph lineage: {took * 1000:.0f} ms ({status}, {size:.1f} MB)")
    return lines


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


async def _measure(
    server: Server, label: str, clients: int, duration: float, probes: int, heavy_per_kind: int
) -> list[Result]:
    client = Client(server, clients + probes + 3 * heavy_per_kind)
    try:
        target = await _target(client)
        warm = await _warm_up(client, target)
        load_before = os.getloadavg()[0]
        samples = await _throughput(client, target, clients, duration)
        idle, under = await _isolation(client, target, probes, duration, heavy_per_kind)
        load_after = os.getloadavg()[0]
    finally:
        client.close()

    per_endpoint = max(1, clients // len(samples))
    results = []
    for name, got in samples.items():
        rate = len(got.latencies) / duration
        details = [f"{len(got.latencies)} ok, {got.errors} errors in {duration:.0f} s"]
        if got.first_error:
            details.append(f"first error: {got.first_error}")
        results.append(
            Result(
                f"load {label}: {name} (~{per_endpoint} of {clients} clients)",
                f"{rate:.1f} req/s, p50 {_ms(got.percentile(50))}, p99 {_ms(got.percentile(99))}",
                "no errors",
                got.errors == 0,
                details,
            )
        )
    idle_p99 = idle.percentile(99)
    worst = max(under, key=lambda kind: under[kind][0].percentile(99))
    loaded_p99 = under[worst][0].percentile(99)
    ratio = loaded_p99 / idle_p99
    errors = idle.errors + sum(loaded.errors for loaded, _ in under.values())
    passed = (ratio < RATIO_TARGET or loaded_p99 < ABSOLUTE_TARGET_MS) and not errors
    details = [
        f"{probes} probe clients, GET health / node page alternately, {duration / 2:.0f} s "
        f"idle then {duration / 2:.0f} s under each heavy kind ({heavy_per_kind} looping)",
        f"idle: {len(idle.latencies)} requests, p50 {_ms(idle.percentile(50))}, p99 "
        f"{_ms(idle_p99)}, {idle.errors} errors",
    ]
    for kind, (loaded, heavy) in under.items():
        details.append(
            f"under {kind}: {len(loaded.latencies)} requests, p50 {_ms(loaded.percentile(50))}, "
            f"p99 {_ms(loaded.percentile(99))}, max {_ms(loaded.percentile(100))}, "
            f"{loaded.errors} errors {loaded.first_error}".rstrip()
        )
        details.append(
            f"    {kind}: {len(heavy.latencies)} done, p50 {_ms(heavy.percentile(50))}, max "
            f"{_ms(heavy.percentile(100))}, {heavy.errors} errors {heavy.first_error}".rstrip()
        )
    details += warm
    details.append(f"load average {load_before:.1f} before, {load_after:.1f} after")
    results.append(
        Result(
            f"load {label}: cheap p99 under heavy load / idle",
            f"{ratio:.1f}x ({_ms(loaded_p99)} under {worst} vs {_ms(idle_p99)})",
            f"< {RATIO_TARGET:.0f}x or < {ABSOLUTE_TARGET_MS:.0f} ms",
            passed,
            details,
        )
    )
    return results


def _prepare_warehouse(project: Path) -> None:
    """Make sure the project's DuckDB file exists (the SQL workspace attaches it)."""
    import duckdb

    from jupyterlab_dbt_workbench.quality.warehouse import duckdb_path
    from jupyterlab_dbt_workbench.workbench import Workbench

    workbench = Workbench(project, store_path=None)
    try:
        path = duckdb_path(workbench.state(None))
    finally:
        workbench.close()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        duckdb.connect(str(path)).close()


def measure_project(
    project: Path,
    label: str,
    scratch: Path,
    clients: int = CLIENTS,
    duration: float = DURATION_S,
    probes: int = PROBES,
    heavy_per_kind: int = HEAVY_PER_KIND,
) -> list[Result]:
    """Both measurements against a new server on ``project``."""
    _prepare_warehouse(project)
    scratch.mkdir(parents=True, exist_ok=True)
    server = Server(project, scratch)
    try:
        return asyncio.run(_measure(server, label, clients, duration, probes, heavy_per_kind))
    finally:
        server.close()


def build_demo(directory: Path) -> Path:
    """The demo project built into ``directory`` (dbt build: about 40 s)."""
    if not (directory / "target" / "manifest.json").exists():
        command = Path(sys.executable).with_name("jupyter-dbt-workbench")
        subprocess.run(
            [str(command), "demo", str(directory), "--prepare-only"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    return directory


def bench_server_load(fixture: Fixture) -> list[Result]:
    """The load figures on the benchmark's synthetic project, then on the demo."""
    results = measure_project(
        fixture.project, f"{fixture.models} models", fixture.root / "load-synthetic"
    )
    demo = build_demo(fixture.root / "load-demo" / "demo")
    return results + measure_project(demo, "demo", fixture.root / "load-demo-scratch")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--project", type=Path, help="a dbt project folder with its artifacts")
    where.add_argument(
        "--demo", nargs="?", const="", metavar="DIR", help="the demo (built into DIR if missing)"
    )
    parser.add_argument("--clients", type=int, default=CLIENTS)
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds per phase")
    parser.add_argument("--probes", type=int, default=PROBES, help="cheap-request clients")
    parser.add_argument("--heavy", type=int, default=HEAVY_PER_KIND, help="loops per heavy kind")
    args = parser.parse_args(argv)
    print(f"# load average {os.getloadavg()[0]:.1f}, {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="dbt-workbench-load-") as folder:
        if args.project is not None:
            project, label = args.project.resolve(), args.project.name
        else:
            base = Path(args.demo) if args.demo else Path(folder) / "demo"
            project, label = build_demo(base.resolve()), "demo"
        results = measure_project(
            project,
            label,
            Path(folder) / "scratch",
            args.clients,
            args.duration,
            args.probes,
            args.heavy,
        )
    print(f"# load average at the end {os.getloadavg()[0]:.1f}")
    for result in results:
        print(f"{result.name}  {result.measured}  {result.target}  {result.verdict}")
        for line in result.details:
            print(f"    {line}")
    return 0 if all(result.passed is not False for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
