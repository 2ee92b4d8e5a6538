"""Real dbt runs of a copy of the demo project: a failing model, a warning test, retry after the
fix, cancel in the middle of a build, a bad selector, an unknown target, a project that does
not parse. Six dbt invocations in all."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.runs.options import RunRequest, parse_cli
from jupyterlab_dbt_workbench.runs.payloads import RunDetail
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

pytestmark = pytest.mark.slow

BROKEN = "model.copper_kettle.fct_daily_shop_revenue"
WARNING_TEST = "test.copper_kettle.assert_completed_orders_are_fully_paid"
MODEL_FILE = Path("models/marts/finance/fct_daily_shop_revenue.sql")


class Demo:
    def __init__(self, root: Path, built: Path) -> None:
        self.root = root
        self.path = root / "demo"
        self.built = built
        self.workbench = Workbench(root, store_path=None)
        self.database = Database(None)
        self.manager = RunManager(
            self.workbench, self.database, root.parent / "runs", max_concurrent=1
        )

    def run(self, request: RunRequest) -> RunDetail:
        return self.manager.wait(self.manager.submit(request)["id"], timeout=240)

    def project_results(self) -> dict[str, str]:
        data = json.loads((self.path / "target" / "run_results.json").read_text())
        return {result["unique_id"]: result["status"] for result in data["results"]}


@pytest.fixture(scope="module")
def demo(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    root = tmp_path_factory.mktemp("real-runs") / "root"
    shutil.copytree(built_demo, root / "demo")
    # Still a child of fct_orders, so that `fct_orders+` selects it; fails in the warehouse.
    (root / "demo" / MODEL_FILE).write_text(
        "select * from {{ ref('fct_orders') }} where a_column_that_does_not_exist = 1\n"
    )
    demo = Demo(root, built_demo)
    yield demo
    demo.manager.shutdown()
    demo.workbench.close()
    demo.database.close()


@pytest.fixture(scope="module")
def failed_build(demo: Demo) -> RunDetail:
    return demo.run(parse_cli("build -s fct_orders+", project="demo"))


@pytest.fixture(scope="module")
def retried(demo: Demo, failed_build: RunDetail) -> RunDetail:
    shutil.copyfile(demo.built / MODEL_FILE, demo.path / MODEL_FILE)
    return demo.manager.wait(demo.manager.retry(failed_build["id"])["id"], timeout=240)


def test_a_failing_model_fails_the_run_and_skips_its_tests(failed_build: RunDetail) -> None:
    nodes = {node["unique_id"]: node for node in failed_build["nodes"]}
    assert failed_build["status"] == "failed"
    assert failed_build["returncode"] == 1
    assert failed_build["message"] == "1 node(s) failed: fct_daily_shop_revenue (error)."
    assert nodes[BROKEN]["status"] == "error"
    assert "a_column_that_does_not_exist" in nodes[BROKEN]["message"]
    skipped = [node for node in nodes.values() if node["status"] == "skipped"]
    # The broken model's tests and the dashboard exposed from it could not run.
    assert {node["resource_type"] for node in skipped} == {"test", "exposure"}
    assert failed_build["counts"]["error"] == 1
    assert failed_build["counts"]["skipped"] == len(skipped)
    assert failed_build["progress"]["done"] == failed_build["progress"]["total"] == len(nodes)
    assert nodes["model.copper_kettle.fct_orders"]["status"] == "success"
    assert nodes["model.copper_kettle.fct_orders"]["execution_time"] > 0


def test_a_warning_test_warns_without_failing(demo: Demo, failed_build: RunDetail) -> None:
    node = next(n for n in failed_build["nodes"] if n["unique_id"] == WARNING_TEST)
    assert (node["status"], node["failures"]) == ("warn", 6)
    assert node["message"] == "Got 6 results, configured to warn if != 0"
    assert failed_build["counts"]["warn"] == 1
    warnings = demo.manager.events(failed_build["id"], level="warn")["items"]
    assert any(event["unique_id"] == WARNING_TEST for event in warnings)


def test_the_runs_artifacts_are_swapped_into_the_project(
    demo: Demo, failed_build: RunDetail
) -> None:
    assert failed_build["artifacts"] == [
        "graph_summary.json",
        "manifest.json",
        "run_results.json",
        "semantic_manifest.json",
    ]
    assert demo.project_results()[BROKEN] == "error"
    # The workbench was reloaded at once, not at its next poll.
    state = demo.workbench.state("demo")
    assert state.run_results[BROKEN].status == "error"
    assert state.run_results[WARNING_TEST].status == "warn"
    leftovers = [p.name for p in (demo.path / "target").iterdir() if p.name.startswith(".")]
    assert leftovers == []


def test_retry_after_the_fix_reruns_only_the_failed_and_skipped_nodes(
    demo: Demo, failed_build: RunDetail, retried: RunDetail
) -> None:
    redo = {
        node["unique_id"]
        for node in failed_build["nodes"]
        if node["status"] in ("error", "fail", "skipped")
    }
    assert retried["status"] == "success"
    assert retried["retry_of"] == failed_build["id"]
    assert {node["unique_id"] for node in retried["nodes"]} == redo
    statuses = {node["unique_id"]: node["status"] for node in retried["nodes"]}
    # dbt 1.11 "runs" exposures as no-ops.
    assert set(statuses.values()) == {"success", "pass", "no-op"}, statuses
    assert demo.workbench.state("demo").run_results[BROKEN].status == "success"


def test_cancel_in_the_middle_of_a_build_keeps_the_log_and_the_projects_state(
    demo: Demo, retried: RunDetail
) -> None:
    before = (demo.path / "target" / "run_results.json").read_bytes()
    run = demo.manager.submit(RunRequest("demo", "build", threads=1))
    deadline = time.monotonic() + 120
    while demo.manager.get(run["id"])["progress"]["done"] < 3:
        assert time.monotonic() < deadline, "the build made no progress"
        time.sleep(0.1)

    demo.manager.cancel(run["id"])
    detail = demo.manager.wait(run["id"], timeout=60)

    assert detail["status"] == "cancelled"
    assert detail["message"] == "Cancelled by the user; dbt stopped after SIGINT."
    assert 3 <= detail["progress"]["done"] < detail["progress"]["total"]
    events = demo.manager.events(run["id"], limit=10000)["items"]
    assert len(events) > 10
    assert (demo.path / "target" / "run_results.json").read_bytes() == before


def test_an_invalid_selector_errors_with_dbts_message(demo: Demo, retried: RunDetail) -> None:
    detail = demo.run(parse_cli("run -s nosuchmethod:orders", project="demo"))
    assert detail["status"] == "error"
    assert detail["returncode"] == 2
    assert "nosuchmethod" in detail["message"]


def test_an_unknown_target_errors_with_dbts_message(demo: Demo, retried: RunDetail) -> None:
    detail = demo.run(parse_cli("run -s stg_orders --target no_such_target", project="demo"))
    assert detail["status"] == "error"
    assert "no_such_target" in detail["message"]


def test_a_project_that_fails_to_parse_errors_with_dbts_message(
    demo: Demo, retried: RunDetail
) -> None:
    model = demo.path / "models" / "staging" / "broken_jinja.sql"
    model.write_text("select {{ ref('stg_orders' }}\n")
    try:
        detail = demo.run(parse_cli("run -s stg_orders", project="demo"))
    finally:
        model.unlink()
    assert detail["status"] == "error"
    assert "broken_jinja" in detail["message"]
