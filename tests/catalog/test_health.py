"""The project health dashboard and a node's run history, on the tiny project and the demo."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from entity_builders import NOT_NULL, ORDERS, RAW_ORDERS, REVENUE, UNIQUE, build, sources

from jupyterlab_dbt_workbench.catalog.health import freshness_now, project_health, threshold_seconds
from jupyterlab_dbt_workbench.catalog.history import node_run_history
from jupyterlab_dbt_workbench.errors import InvalidRequest
from jupyterlab_dbt_workbench.runs.history import RunHistory
from jupyterlab_dbt_workbench.runs.payloads import NodeResult, RunProgress, RunSummary
from jupyterlab_dbt_workbench.store.database import Database

NOW = datetime(2026, 1, 1, 6, 0, tzinfo=timezone.utc)


@pytest.fixture
def database() -> Iterator[Database]:
    database = Database(None)
    yield database
    database.close()


def add_run(
    database: Database, number: int, status: str, duration: float | None, times: dict[str, float]
) -> str:
    """Record a finished run of project "shop" whose models took ``times`` seconds."""
    run_id = f"run-{number}"
    summary = RunSummary(
        id=run_id, project="shop", command="build", cli="build", argv=["dbt", "build"],
        user=None, status=status, created_at=f"2026-01-0{number}T00:00:00+00:00",  # type: ignore[typeddict-item]
        started_at=None, finished_at=f"2026-01-0{number}T00:01:00+00:00", duration=duration,
        returncode=0, exit_signal=None, retry_of=None, rerun_of=None,
        progress=RunProgress(done=len(times), total=len(times)), counts={"success": len(times)},
        message=None,
    )  # fmt: skip
    history = RunHistory(database)
    history.insert(summary, {"command": "build"}, None)  # type: ignore[typeddict-item]
    nodes = [
        (position, NodeResult(
            unique_id=uid, name=uid.rsplit(".", 1)[1], resource_type="model", status="success",
            started_at=None, finished_at=None, execution_time=seconds, message=None,
            rows_affected=10 * number, failures=None,
        ))
        for position, (uid, seconds) in enumerate(times.items())
    ]  # fmt: skip
    history.save(summary, nodes=nodes)
    return run_id


def test_counts_tests_and_coverage_from_the_artifacts(tmp_path: Path) -> None:
    health = project_health(build(tmp_path), None, NOW)

    assert health["counts"] == {"model": 2, "source": 1, "test": 3}
    assert health["tests"] == {"total": 3, "not_run": 1, "passed": 0, "warn": 1, "fail": 1,
                               "error": 0, "skipped": 0}  # fmt: skip
    assert [t["unique_id"] for t in health["failing_tests"]["items"]] == [NOT_NULL]
    failing = health["failing_tests"]["items"][0]
    assert failing["failures"] == 3
    assert [ref["unique_id"] for ref in failing["attached_to"]] == [ORDERS]
    assert health["warning_tests"]["total"] == 1
    assert health["warning_tests"]["items"][0]["unique_id"] == UNIQUE

    models = next(row for row in health["coverage"] if row["resource_type"] == "model")
    # orders: described, tested, 2 columns (1 described, 1 tested); revenue: described,
    # tested by the singular test, 2 cataloged columns without descriptions.
    assert models == {"resource_type": "model", "nodes": 2, "described": 2, "tested": 2,
                      "columns": 4, "columns_described": 1, "columns_tested": 1}  # fmt: skip
    assert health["models_without_tests"] == {"total": 0, "items": []}
    assert health["last_invocation"] is not None
    assert health["last_invocation"]["command"] == "build"
    assert health["last_invocation"]["counts"] == {"success": 2, "fail": 1, "warn": 1}


def test_without_runs_in_the_store_the_slowest_models_come_from_run_results(
    tmp_path: Path, database: Database
) -> None:
    health = project_health(build(tmp_path), database, NOW)
    assert health["slowest_source"] == "run_results"
    assert [(m["unique_id"], m["latest"]) for m in health["slowest_models"]] == [
        (ORDERS, 2.0),
        (REVENUE, 0.5),
    ]
    assert health["last_run"] is None
    assert health["run_durations"] == []


def test_runs_in_the_store_give_the_last_run_durations_and_slowest_models(
    tmp_path: Path, database: Database
) -> None:
    add_run(database, 1, "success", 30.0, {ORDERS: 1.0, REVENUE: 4.0})
    add_run(database, 2, "failed", 12.0, {ORDERS: 3.0, REVENUE: 1.0, "model.shop.gone": 99.0})

    health = project_health(build(tmp_path), database, NOW)

    assert health["last_run"] is not None
    assert (health["last_run"]["id"], health["last_run"]["status"]) == ("run-2", "failed")
    # Oldest first, as a chart draws them.
    assert [(r["id"], r["duration"]) for r in health["run_durations"]] == [
        ("run-1", 30.0),
        ("run-2", 12.0),
    ]
    assert health["slowest_source"] == "runs"
    # A removed model is left out; revenue averages 2.5 s, orders 2.0 s.
    slowest = [(m["unique_id"], m["average"], m["longest"], m["latest"], m["runs"])
               for m in health["slowest_models"]]  # fmt: skip
    assert slowest == [(REVENUE, 2.5, 4.0, 1.0, 2), (ORDERS, 2.0, 3.0, 3.0, 2)]


def test_node_history_is_newest_first_and_limited(database: Database) -> None:
    add_run(database, 1, "success", 30.0, {ORDERS: 1.0})
    add_run(database, 2, "success", 20.0, {REVENUE: 1.0})
    add_run(database, 3, "success", 10.0, {ORDERS: 2.5})

    history = node_run_history(database, "shop", ORDERS, limit=1)

    assert history["total"] == 2
    assert [(p["run_id"], p["execution_time"], p["rows_affected"]) for p in history["items"]] == [
        ("run-3", 2.5, 30)
    ]
    assert node_run_history(database, "other", ORDERS)["total"] == 0
    with pytest.raises(InvalidRequest):
        node_run_history(database, "shop", ORDERS, limit=0)


def test_a_source_that_passed_when_checked_is_stale_now(tmp_path: Path) -> None:
    # Checked one hour after its newest row (pass); 3 days later it is past error_after.
    state = build(tmp_path, sources=sources("2026-01-01T00:00:00+00:00"))
    later = datetime(2026, 1, 4, 0, 0, tzinfo=timezone.utc)

    assert project_health(state, None, NOW)["stale_sources"] == []
    health = project_health(state, None, later)

    assert health["freshness"] == {"sources": 1, "checked": 1, "passed": 1, "warn": 0, "error": 0}
    [stale] = health["stale_sources"]
    assert (stale["unique_id"], stale["status"], stale["status_now"]) == (
        RAW_ORDERS,
        "pass",
        "error",
    )
    assert stale["age_seconds"] == 3 * 86400


@pytest.mark.parametrize(
    "text,seconds",
    [("12 hour", 43200.0), ("2 day", 172800.0), ("30 minute", 1800.0), (None, None),
     ("3 fortnight", None)],
)  # fmt: skip
def test_threshold_seconds(text: str | None, seconds: float | None) -> None:
    assert threshold_seconds(text) == seconds


def test_freshness_now_without_a_loaded_time() -> None:
    assert freshness_now(None, "1 hour", None, NOW) == (None, None)
    assert freshness_now("2026-01-01T05:30:00Z", "1 hour", "2 hour", NOW) == ("pass", 1800.0)


@pytest.mark.slow
def test_the_demo_dashboard(built_demo: Path) -> None:
    from jupyterlab_dbt_workbench import DbtProject

    project = DbtProject(built_demo)
    try:
        health = project.health()
    finally:
        project.close()

    assert health["counts"]["model"] == 20
    assert health["counts"]["source"] == 2
    assert health["tests"]["warn"] == 2
    assert health["tests"]["fail"] + health["tests"]["error"] == 0
    assert health["warning_tests"]["total"] == 2
    assert {t["name"] for t in health["warning_tests"]["items"]} >= {
        "assert_completed_orders_are_fully_paid"
    }
    assert health["freshness"]["checked"] == 2
    assert "source.copper_kettle.shop_systems.inventory_counts" in {
        s["unique_id"] for s in health["stale_sources"]
    }
    models = next(row for row in health["coverage"] if row["resource_type"] == "model")
    assert models["nodes"] == 20
    assert models["described"] == 20
    assert models["tested"] + health["models_without_tests"]["total"] == 20
    assert health["slowest_source"] == "run_results"
    assert len(health["slowest_models"]) == 10
