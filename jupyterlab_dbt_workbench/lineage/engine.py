"""Column lineage of a whole project: in dependency order, cached, on every core.

A model can only be analysed once the columns of what it reads are known. With catalog.json
they all are, so every model is independent; without, a model waits for the parents whose
columns only their own lineage can tell. Models are therefore grouped in layers (a model
is in the layer after the last parent it waits for) and each layer is analysed at once:
in this process for a few models, by a pool of worker processes for many.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

from .analyse import analyse_many
from .cache import LineageCache
from .dialects import dialect_for
from .project import ProjectColumnLineage
from .records import ModelJob, ModelLineage
from .schema import ANALYSED_TYPES, SchemaBook, compiled_sql, fingerprint

log = logging.getLogger(__name__)

# Bump when a change of the analysis changes its results: every cached entry is redone.
ENGINE_VERSION = "1"
# Below this many models to analyse, starting worker processes costs more than it saves.
POOL_THRESHOLD = 150
# Batches per worker: small enough to balance uneven models, large enough to amortize IPC.
_BATCHES_PER_WORKER = 6
_MAX_BATCH = 100


@lru_cache(maxsize=1)
def engine_version() -> str:
    """This engine's version with the sqlglot version it runs on (both change results)."""
    try:
        sqlglot_version = metadata.version("sqlglot")
    except metadata.PackageNotFoundError:
        sqlglot_version = "unknown"
    return f"{ENGINE_VERSION}/sqlglot-{sqlglot_version}"


@dataclass(frozen=True)
class ComputeStats:
    """How a lineage computation went: models analysed now, reused from the cache, time."""

    analysed: int
    cached: int
    processes: int
    seconds: float


def default_processes() -> int:
    """Worker processes to use: every core this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


def compute_lineage(
    state: ProjectState,
    cache: LineageCache | None = None,
    *,
    processes: int | None = None,
    pool_threshold: int = POOL_THRESHOLD,
) -> ProjectColumnLineage:
    """The column lineage of every SQL model and snapshot of ``state``.

    Models whose cache key is unchanged come from ``cache``; the rest are analysed, in a pool
    of ``processes`` worker processes (default: one per core) when at least
    ``pool_threshold`` of them are due at once.
    """
    started = time.perf_counter()
    dialect = dialect_for(state.metadata.adapter_type)
    project_key = str(state.project.path)
    book = SchemaBook(state)
    results: dict[str, ModelLineage] = {}
    sources: dict[str, str] = {}
    for unique_id, node in state.nodes.items():
        if node.resource_type not in ANALYSED_TYPES:
            continue
        language = node.raw.get("language")
        sql = compiled_sql(node.raw)
        if isinstance(language, str) and language != "sql":
            results[unique_id] = _not_analysed(
                unique_id, f"{language.capitalize()} model: only SQL can be analysed."
            )
        elif sql is None:
            results[unique_id] = _not_analysed(
                unique_id, "No compiled code: run dbt compile (or dbt build)."
            )
        else:
            sources[unique_id] = sql
    due = list(sources)
    for unique_id, lineage in results.items():
        book.computed[unique_id] = lineage

    analysed = cached = 0
    workers = processes if processes is not None else default_processes()
    runner = _Runner(workers, pool_threshold)
    try:
        for layer in _layers(due, book):
            jobs: dict[str, ModelJob] = {}
            keys: dict[str, str] = {}
            for unique_id in layer:
                readable = book.readable(unique_id)
                own = book.self_relation(unique_id)
                relations = (*(book.relation(p) for p in readable), own)
                sql = sources[unique_id]
                jobs[unique_id] = ModelJob(unique_id, sql, dialect, relations)
                inputs = "\x1e".join(
                    (*(book.fingerprint(p) for p in readable), fingerprint((own,)))
                )
                keys[unique_id] = _key(dialect, unique_id, sql, inputs)
            hits = cache.lookup(project_key, keys) if cache is not None else {}
            todo = [jobs[uid] for uid in layer if uid not in hits]
            fresh = runner.run(todo)
            if cache is not None:
                cache.store(project_key, ((m.unique_id, keys[m.unique_id], m) for m in fresh))
            for lineage in (*hits.values(), *fresh):
                results[lineage.unique_id] = lineage
                book.computed[lineage.unique_id] = lineage
            analysed += len(fresh)
            cached += len(hits)
    finally:
        runner.close()
    if cache is not None:
        cache.prune(project_key, due)
    stats = ComputeStats(
        analysed=analysed,
        cached=cached,
        processes=runner.used,
        seconds=round(time.perf_counter() - started, 3),
    )
    return ProjectColumnLineage(state, dialect, results, stats, engine_version())


class LineageSlot:
    """Where the lineage of one state is computed once and kept.

    Held in ``state.derived`` but computed under its own lock: a lineage computation takes
    seconds on a large project, and the state's derived lock would hold up every other
    derived structure (the graph) meanwhile.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._lineage: ProjectColumnLineage | None = None

    def get(self, state: ProjectState, cache: LineageCache | None) -> ProjectColumnLineage:
        """The lineage of ``state``, computing it on the first call."""
        if self._lineage is None:
            with self._lock:
                if self._lineage is None:
                    self._lineage = compute_lineage(state, cache)
        return self._lineage


def _not_analysed(unique_id: str, reason: str) -> ModelLineage:
    return ModelLineage(unique_id=unique_id, status="not_analysed", reason=reason)


def _key(dialect: str | None, unique_id: str, sql: str, relations: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (engine_version(), dialect or "", unique_id, sql, relations):
        digest.update(part.encode("utf-8", "surrogatepass"))
        digest.update(b"\x00")
    return digest.hexdigest()


def _layers(due: Sequence[str], book: SchemaBook) -> list[list[str]]:
    """``due`` in layers: each model after every due parent whose columns it must wait for."""
    wanted = set(due)
    waits: dict[str, list[str]] = {}
    children: dict[str, list[str]] = {}
    for unique_id in due:
        parents = [p for p in book.readable(unique_id) if p in wanted and book.needs_computed(p)]
        waits[unique_id] = parents
        for parent in parents:
            children.setdefault(parent, []).append(unique_id)
    remaining = {unique_id: len(parents) for unique_id, parents in waits.items()}
    layer = [unique_id for unique_id in due if remaining[unique_id] == 0]
    layers: list[list[str]] = []
    placed = 0
    while layer:
        layers.append(layer)
        placed += len(layer)
        following = []
        for unique_id in layer:
            for child in children.get(unique_id, ()):
                remaining[child] -= 1
                if remaining[child] == 0:
                    following.append(child)
        layer = following
    if placed < len(due):
        # A dependency cycle (dbt refuses those, but a hand-edited manifest may have one):
        # analyse the rest with what is known rather than drop them.
        layers.append([unique_id for unique_id in due if remaining[unique_id] > 0])
    return layers


class _Runner:
    """Analyses batches of models in this process or in a pool started on first need."""

    def __init__(self, processes: int, threshold: int) -> None:
        self.processes = processes
        self.threshold = threshold
        self.used = 1
        self._executor: Executor | None = None
        self._broken = False

    def run(self, jobs: list[ModelJob]) -> list[ModelLineage]:
        if self.processes < 2 or len(jobs) < self.threshold or self._broken:
            return analyse_many(jobs)
        try:
            executor = self._pool()
            return [
                lineage
                for batch in executor.map(analyse_many, _batches(jobs, self.processes))
                for lineage in batch
            ]
        except (OSError, RuntimeError) as error:
            # BrokenProcessPool is a RuntimeError: a worker died or could not start.
            log.warning("Column lineage worker pool failed (%s); analysing in-process.", error)
            self._broken = True
            self.close()
            return analyse_many(jobs)

    def _pool(self) -> Executor:
        if self._executor is None:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # "spawn": forking a Jupyter server (threads, an event loop, open sockets) is
            # unsafe, and a fresh interpreter imports only what the analysis needs.
            self._executor = ProcessPoolExecutor(
                max_workers=self.processes, mp_context=multiprocessing.get_context("spawn")
            )
            self.used = self.processes
        return self._executor

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _batches(jobs: list[ModelJob], processes: int) -> Iterable[list[ModelJob]]:
    # Heaviest first, so that the big models do not finish last on one worker.
    ordered = sorted(jobs, key=lambda job: len(job.sql), reverse=True)
    count = max(1, processes * _BATCHES_PER_WORKER)
    size = min(_MAX_BATCH, max(1, -(-len(ordered) // count)))
    # Deal round-robin so that every batch gets a share of the heavy models.
    batches = max(1, -(-len(ordered) // size))
    return [ordered[index::batches] for index in range(batches)]
