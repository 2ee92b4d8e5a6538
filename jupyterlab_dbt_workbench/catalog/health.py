"""The project health dashboard (``GET dashboard``): how a project is doing at a glance.

What the artifacts say (counts, tests, freshness, coverage) is computed once per state; what
the run history says (last run, durations, slowest models) is read from the store on each
call, since runs come and go while a state stays.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Literal

from jupyterlab_dbt_workbench.artifacts.state import ProjectState, TestInfo
from jupyterlab_dbt_workbench.payloads import NodeRef
from jupyterlab_dbt_workbench.runs.history import RunHistory
from jupyterlab_dbt_workbench.runs.models import FINISHED
from jupyterlab_dbt_workbench.runs.payloads import RunSummary
from jupyterlab_dbt_workbench.store.database import Database

from .detail import node_ref
from .history import slowest_models
from .payloads import (
    CappedNodes,
    CappedTests,
    Coverage,
    FreshnessCounts,
    LastInvocation,
    ProjectHealth,
    SlowModel,
    StaleSource,
    StoreRun,
    TestCounts,
    TestProblem,
)

# Lists on the dashboard stop here; their totals say how many there are in all.
LIST_CAP = 50
SLOWEST = 10
DURATION_RUNS = 30
COVERAGE_TYPES = ("model", "source", "seed", "snapshot")

_PERIOD_SECONDS = {"minute": 60, "hour": 3600, "day": 86400}
_FRESHNESS_RANK = {"pass": 0, "warn": 1, "error": 2, "runtime error": 2}


@dataclass(frozen=True)
class _StateHealth:
    tests: TestCounts
    failing: CappedTests
    warning: CappedTests
    coverage: list[Coverage]
    without_tests: CappedNodes
    without_descriptions: CappedNodes


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, dict) else {}


def _test_targets(state: ProjectState, test: TestInfo) -> list[NodeRef]:
    raw = state.nodes[test.unique_id].raw
    attached = raw.get("attached_node")
    targets = (
        [attached]
        if isinstance(attached, str)
        else [
            uid
            for uid in _mapping(raw.get("depends_on")).get("nodes") or ()
            if isinstance(uid, str)
        ]
    )
    return [node_ref(state, uid) for uid in targets]


def _problem(state: ProjectState, test: TestInfo) -> TestProblem:
    result = test.result
    return TestProblem(
        unique_id=test.unique_id,
        name=test.name,
        status=test.outcome or "",
        severity=test.severity,
        failures=result.failures if result else None,
        message=result.message if result else None,
        column_name=test.column_name,
        executed_at=result.completed_at if result else None,
        attached_to=_test_targets(state, test),
    )


def _capped_tests(state: ProjectState, tests: list[TestInfo]) -> CappedTests:
    # Most failing rows first: that is where to look.
    tests.sort(key=lambda test: (-((test.result and test.result.failures) or 0), test.name))
    return CappedTests(total=len(tests), items=[_problem(state, test) for test in tests[:LIST_CAP]])


def _capped_nodes(state: ProjectState, unique_ids: list[str]) -> CappedNodes:
    return CappedNodes(
        total=len(unique_ids), items=[node_ref(state, uid) for uid in unique_ids[:LIST_CAP]]
    )


def _state_health(state: ProjectState) -> _StateHealth:
    counts = {"pass": 0, "warn": 0, "fail": 0, "error": 0, "skipped": 0}
    not_run = 0
    failing: list[TestInfo] = []
    warning: list[TestInfo] = []
    for test in state.tests.values():
        if test.outcome is None:
            not_run += 1
            continue
        counts[test.outcome] += 1
        if test.outcome in ("fail", "error"):
            failing.append(test)
        elif test.outcome == "warn":
            warning.append(test)

    # Coverage is about the project's own nodes: installed packages are documented elsewhere.
    home = state.metadata.project_name
    coverage: dict[str, Coverage] = {
        kind: Coverage(
            resource_type=kind,
            nodes=0,
            described=0,
            tested=0,
            columns=0,
            columns_described=0,
            columns_tested=0,
        )
        for kind in COVERAGE_TYPES
    }
    without_tests: list[str] = []
    without_descriptions: list[str] = []
    for unique_id in state.order:
        node = state.nodes[unique_id]
        entry = coverage.get(node.resource_type)
        if entry is None or (home is not None and node.package_name != home):
            continue
        entry["nodes"] += 1
        described = bool(node.description.strip())
        entry["described"] += described
        entry["tested"] += bool(node.tests)
        for column in state.columns(unique_id):
            entry["columns"] += 1
            entry["columns_described"] += bool(column.description.strip())
            entry["columns_tested"] += bool(column.tests)
        if node.resource_type == "model":
            if not node.tests:
                without_tests.append(unique_id)
            if not described:
                without_descriptions.append(unique_id)

    return _StateHealth(
        tests=TestCounts(
            total=len(state.tests),
            not_run=not_run,
            passed=counts["pass"],
            warn=counts["warn"],
            fail=counts["fail"],
            error=counts["error"],
            skipped=counts["skipped"],
        ),
        failing=_capped_tests(state, failing),
        warning=_capped_tests(state, warning),
        coverage=list(coverage.values()),
        without_tests=_capped_nodes(state, without_tests),
        without_descriptions=_capped_nodes(state, without_descriptions),
    )


def threshold_seconds(threshold: str | None) -> float | None:
    """Seconds in a freshness threshold such as ``"6 hour"``; None when unset or unknown."""
    if not threshold:
        return None
    count, _, period = threshold.partition(" ")
    seconds = _PERIOD_SECONDS.get(period.strip().lower())
    try:
        return float(count) * seconds if seconds is not None else None
    except ValueError:
        return None


def _parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def freshness_now(
    max_loaded_at: str | None, warn_after: str | None, error_after: str | None, now: datetime
) -> tuple[str | None, float | None]:
    """The freshness status a check would give ``now`` (pass, warn or error) and the age in
    seconds; (None, None) when the newest row's time is unknown."""
    loaded = _parse_time(max_loaded_at)
    if loaded is None:
        return None, None
    age = (now - loaded).total_seconds()
    error, warn = threshold_seconds(error_after), threshold_seconds(warn_after)
    if error is not None and age > error:
        return "error", age
    if warn is not None and age > warn:
        return "warn", age
    return "pass", age


def _freshness(state: ProjectState, now: datetime) -> tuple[FreshnessCounts, list[StaleSource]]:
    counts = FreshnessCounts(
        sources=state.counts.get("source", 0), checked=0, passed=0, warn=0, error=0
    )
    stale: list[StaleSource] = []
    for unique_id, fresh in state.freshness.items():
        counts["checked"] += 1
        rank = _FRESHNESS_RANK.get(fresh.status, 2)
        counts[("passed", "warn", "error")[rank]] += 1
        status_now, age = freshness_now(
            fresh.max_loaded_at, fresh.warn_after, fresh.error_after, now
        )
        worst = max(rank, _FRESHNESS_RANK.get(status_now or "pass", 0))
        if worst == 0:
            continue
        node = state.nodes.get(unique_id)
        raw = node.raw if node is not None else {}
        stale.append(
            StaleSource(
                unique_id=unique_id,
                name=node.name if node is not None else unique_id.rsplit(".", 1)[-1],
                source_name=raw.get("source_name")
                if isinstance(raw.get("source_name"), str)
                else None,
                status=fresh.status,
                status_now=status_now or fresh.status,
                max_loaded_at=fresh.max_loaded_at,
                age_seconds=age if age is not None else fresh.age_seconds,
                warn_after=fresh.warn_after,
                error_after=fresh.error_after,
            )
        )
    stale.sort(key=lambda source: (-_FRESHNESS_RANK.get(source["status_now"], 2),
                                   -(source["age_seconds"] or 0)))  # fmt: skip
    return counts, stale


def _last_invocation(state: ProjectState) -> LastInvocation | None:
    artifact = state.artifacts.get("run_results")
    if artifact is None:
        return None
    counts: dict[str, int] = {}
    results = artifact.data.get("results")
    for entry in results if isinstance(results, list) else ():
        status = entry.get("status") if isinstance(entry, dict) else None
        if isinstance(status, str):
            counts[status] = counts.get(status, 0) + 1
    which = _mapping(artifact.data.get("args")).get("which")
    elapsed = artifact.data.get("elapsed_time")
    return LastInvocation(
        command=which if isinstance(which, str) else None,
        invocation_id=artifact.metadata.invocation_id,
        generated_at=artifact.metadata.generated_at,
        elapsed_time=float(elapsed) if isinstance(elapsed, (int, float)) else None,
        counts=counts,
    )


def _store_run(run: RunSummary) -> StoreRun:
    return StoreRun(
        id=run["id"],
        command=run["command"],
        cli=run["cli"],
        status=run["status"],
        created_at=run["created_at"],
        finished_at=run["finished_at"],
        duration=run["duration"],
        counts=dict(run["counts"]),
    )


def _slowest_from_results(state: ProjectState) -> list[SlowModel]:
    timed = [
        (result.execution_time, unique_id)
        for unique_id, result in state.run_results.items()
        if result.execution_time is not None
        and unique_id in state.nodes
        and state.nodes[unique_id].resource_type == "model"
    ]
    timed.sort(key=lambda item: (-item[0], item[1]))
    return [
        SlowModel(
            unique_id=unique_id,
            name=state.nodes[unique_id].name,
            average=seconds,
            longest=seconds,
            latest=seconds,
            runs=1,
        )
        for seconds, unique_id in timed[:SLOWEST]
    ]


def project_health(
    state: ProjectState, database: Database | None, now: datetime | None = None
) -> ProjectHealth:
    """The dashboard of a project: its state, plus the run history kept in ``database``
    (None: artifacts only). ``now`` dates source freshness (default: the current time)."""
    moment = now or datetime.now(timezone.utc)
    project = state.project.id
    # A copy: the caller owns the payload, the state's cache is shared.
    summary = copy.deepcopy(state.derived("catalog.health", _state_health))
    freshness, stale = _freshness(state, moment)

    recent: list[RunSummary] = []
    active = 0
    slowest: list[SlowModel] = []
    if database is not None:
        history = RunHistory(database)
        recent = history.page(
            project=project, status=None, command=None, offset=0, limit=DURATION_RUNS
        )["items"]
        active = sum(
            history.page(project=project, status=status, command=None, offset=0, limit=1)["total"]
            for status in ("queued", "running")
        )
        slowest = slowest_models(database, project, state.nodes, SLOWEST)
    finished = [run for run in recent if run["status"] in FINISHED]
    source: Literal["runs", "run_results", "none"] = "runs"
    if not slowest:
        slowest = _slowest_from_results(state)
        source = "run_results" if slowest else "none"

    return ProjectHealth(
        project=project,
        name=state.metadata.project_name,
        adapter_type=state.metadata.adapter_type,
        generated_at=state.metadata.generated_at,
        counts=dict(state.counts),
        last_run=_store_run(finished[0]) if finished else None,
        active_runs=active,
        last_invocation=_last_invocation(state),
        tests=summary.tests,
        failing_tests=summary.failing,
        warning_tests=summary.warning,
        freshness=freshness,
        stale_sources=stale,
        slowest_models=slowest,
        slowest_source=source,
        coverage=summary.coverage,
        models_without_tests=summary.without_tests,
        models_without_descriptions=summary.without_descriptions,
        run_durations=[
            _store_run(run) for run in reversed(finished) if run["duration"] is not None
        ],
    )
