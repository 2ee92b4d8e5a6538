"""The run manager with a fake dbt at the subprocess seam: queue, cancel, kills, restarts,
history, events and listeners. Real dbt runs are in test_real_runs.py."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import MakeManager, Project, dbt_event, node_info

from jupyterlab_dbt_workbench.errors import RunConflict, RunNotFound
from jupyterlab_dbt_workbench.runs.options import RunRequest

MODEL = "model.shop.orders"
TEST = "test.shop.not_null_orders_id.abc123"
CHILD = "model.shop.revenue"

# What dbt prints for a build of three nodes where the model fails and its child is skipped.
FAILING_BUILD = [
    dbt_event("MainReportVersion", "Running with dbt=1.11.16"),
    dbt_event("LogStartLine", "1 of 3 START sql table model orders", node=node_info(MODEL, "started"), index=1, total=3),  # noqa: E501
    dbt_event("LogModelResult", "1 of 3 ERROR creating sql table model orders", level="error", node=node_info(MODEL, "error"), index=1, total=3, execution_time=0.25),  # noqa: E501
    dbt_event("SkippingDetails", "2 of 3 SKIP relation revenue", node=node_info(CHILD, "skipped"), index=2, total=3),  # noqa: E501
    dbt_event("LogStartLine", "3 of 3 START test not_null_orders_id", node=node_info(TEST, "started"), index=3, total=3),  # noqa: E501
    dbt_event("LogTestResult", "3 of 3 WARN 2 not_null_orders_id", level="warn", node=node_info(TEST, "warn"), num_models=3, num_failures=2, execution_time=0.1),  # noqa: E501
    "Traceback-free plain text that dbt or a library printed",
    dbt_event("RunResultError", 'Runtime Error in model orders: table "raw" does not exist', level="error", node=node_info(MODEL, "error")),  # noqa: E501
]  # fmt: skip


def build(project: str | None = "shop", **options: Any) -> RunRequest:
    return RunRequest(project=project, command="build", **options)


def test_a_failing_build_is_parsed_into_events_nodes_and_progress(
    make_manager: MakeManager, project: Project, tmp_path: Path
) -> None:
    project.scenario(lines=FAILING_BUILD, exit=1)
    manager = make_manager()

    submitted = manager.submit(build(select=("orders+",), user="ada"))
    detail = manager.wait(submitted["id"], timeout=10)

    assert detail["status"] == "failed"
    assert detail["returncode"] == 1
    assert detail["user"] == "ada"
    assert detail["cli"] == "build --select orders+"
    assert detail["message"] == "1 node(s) failed: orders (error)."
    assert detail["progress"] == {"done": 3, "total": 3}
    assert detail["counts"] == {"error": 1, "skipped": 1, "warn": 1}
    nodes = {node["unique_id"]: node for node in detail["nodes"]}
    assert nodes[MODEL]["status"] == "error"
    assert nodes[MODEL]["execution_time"] == 0.25
    assert nodes[MODEL]["message"].startswith("Runtime Error in model orders")
    assert nodes[CHILD]["status"] == "skipped"
    assert nodes[TEST]["failures"] == 2
    assert (nodes[TEST]["name"], nodes[TEST]["resource_type"]) == ("not_null_orders_id", "test")

    events = manager.events(submitted["id"])["items"]
    assert [event["seq"] for event in events] == list(range(1, len(FAILING_BUILD) + 1))
    plain = [event for event in events if event["name"] == "Output"]
    assert [event["message"] for event in plain] == [FAILING_BUILD[6]]
    assert events[2]["unique_id"] == MODEL and events[2]["node_status"] == "error"

    (call,) = project.calls()
    assert call["cwd"] == str(project.path)
    argv = call["argv"]
    assert argv[:3] == ["build", "--select", "orders+"]
    assert argv[argv.index("--log-format") + 1] == "json"
    run_folder = tmp_path / "runs" / submitted["id"]
    assert argv[argv.index("--target-path") + 1] == str(run_folder / "target")
    assert argv[argv.index("--log-path") + 1] == str(run_folder / "logs")
    assert argv[argv.index("--profiles-dir") + 1] == str(project.path)
    # What users see: `dbt` and paths relative to the project where possible.
    assert detail["argv"][0] == "dbt"
    assert detail["argv"][detail["argv"].index("--profiles-dir") + 1] == "."


def test_runs_beyond_the_limit_wait_in_order_and_say_their_position(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(sleep=0.4)
    manager = make_manager(max_concurrent=2, one_run_per_project=False)

    runs = [manager.submit(build(select=(f"m{i}",))) for i in range(4)]

    assert [run["status"] for run in runs] == ["running", "running", "queued", "queued"]
    assert runs[3]["message"] == "Queued: position 2 of 2; 2 of at most 2 runs are running."
    assert manager.get(runs[2]["id"])["message"] == (
        "Queued: position 1 of 2; 2 of at most 2 runs are running."
    )
    details = [manager.wait(run["id"], timeout=10) for run in runs]
    assert [detail["status"] for detail in details] == ["success"] * 4
    # The queued ones start in the order they came, each when a slot frees up.
    assert details[2]["started_at"] <= details[3]["started_at"]
    calls = {call["argv"][2]: call for call in project.calls()}
    ends = sorted(calls[name]["end"] for name in ("m0", "m1"))
    assert calls["m2"]["start"] >= ends[0]
    assert calls["m3"]["start"] >= ends[1]
    calls = list(calls.values())
    # Never more than two dbt processes at once: count those alive at each start (a call
    # may overlap two others that never overlap each other, so pairs would not say it).
    for call in calls:
        alive = [c for c in calls if c["start"] <= call["start"] < c["end"]]
        assert len(alive) <= 2


def test_runs_of_one_project_wait_for_each_other_by_default(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(sleep=0.3)
    manager = make_manager(max_concurrent=2)

    first, second = (manager.submit(build(select=(name,))) for name in ("m0", "m1"))

    assert (first["status"], second["status"]) == ("running", "queued")
    assert "waiting for the run of project shop" in second["message"]
    assert [manager.wait(run["id"], timeout=10)["status"] for run in (first, second)] == [
        "success",
        "success",
    ]
    calls = {call["argv"][2]: call for call in project.calls()}
    assert calls["m1"]["start"] >= calls["m0"]["end"]


def test_a_queue_of_runs_that_cannot_start_drains_without_recursion(
    make_manager: MakeManager, project: Project, tmp_path: Path
) -> None:
    manager = make_manager(max_concurrent=1, dbt=str(tmp_path / "no-such-dbt"))
    runs = [manager.submit(build(select=(f"m{i}",))) for i in range(300)]
    details = [manager.wait(run["id"], timeout=20) for run in runs]
    assert {detail["status"] for detail in details} == {"error"}
    assert "could not be started" in details[-1]["message"]


def test_cancel_escalates_from_sigint_to_sigterm_and_sigkill(
    make_manager: MakeManager, project: Project
) -> None:
    manager = make_manager()
    outcomes = {}
    for ignored in (["SIGINT"], ["SIGINT", "SIGTERM"], []):
        project.scenario(lines=["working"], sleep=30, ignore=ignored)
        run = manager.submit(build())
        deadline = time.monotonic() + 10
        while not manager.events(run["id"])["items"]:
            assert time.monotonic() < deadline
            time.sleep(0.02)
        started = time.monotonic()
        assert manager.cancel(run["id"])["message"] == (
            "Cancelling: dbt was asked to stop (SIGINT)."
        )
        detail = manager.wait(run["id"], timeout=10)
        outcomes[tuple(ignored)] = (detail, time.monotonic() - started)

    detail, seconds = outcomes[()]
    assert (detail["status"], detail["returncode"], detail["exit_signal"]) == ("cancelled", 2, None)
    assert detail["message"] == "Cancelled by the user; dbt stopped after SIGINT."
    assert seconds < 0.5
    detail, seconds = outcomes[("SIGINT",)]
    assert (detail["status"], detail["exit_signal"]) == ("cancelled", "SIGTERM")
    assert 0.5 <= seconds < 1.0
    detail, seconds = outcomes[("SIGINT", "SIGTERM")]
    assert (detail["status"], detail["exit_signal"]) == ("cancelled", "SIGKILL")
    assert detail["message"] == "Cancelled by the user; dbt stopped after SIGKILL."
    assert seconds >= 1.0
    # The log written before the cancel is kept.
    assert manager.events(detail["id"])["items"][0]["message"] == "working"


def test_cancelling_a_queued_run_ends_it_at_once(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(sleep=0.5)
    manager = make_manager(max_concurrent=1)
    first, second, third = (manager.submit(build(select=(name,))) for name in "abc")

    cancelled = manager.cancel(second["id"])

    assert cancelled["status"] == "cancelled"
    assert cancelled["message"] == "Cancelled before it started."
    assert manager.get(third["id"])["message"] == (
        "Queued: position 1 of 1; 1 of at most 1 runs are running."
    )
    assert manager.wait(third["id"], timeout=10)["status"] == "success"
    assert [call["argv"][2] for call in project.calls()] == ["a", "c"]
    # Cancelling a finished run changes nothing.
    assert manager.cancel(first["id"])["status"] == "success"


def test_dbt_killed_from_outside_fails_with_its_signal_and_keeps_the_log(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(lines=FAILING_BUILD[:2], sleep=30)
    manager = make_manager()
    run = manager.submit(build())
    (call,) = project.wait_for_calls(1)
    deadline = time.monotonic() + 10
    while manager.get(run["id"])["progress"]["total"] is None:
        assert time.monotonic() < deadline
        time.sleep(0.02)

    os.kill(call["pid"], signal.SIGKILL)
    detail = manager.wait(run["id"], timeout=10)

    assert (detail["status"], detail["exit_signal"]) == ("failed", "SIGKILL")
    assert detail["returncode"] == -signal.SIGKILL
    assert "killed by SIGKILL from outside the workbench" in detail["message"]
    assert [e["name"] for e in manager.events(run["id"])["items"]] == [
        "MainReportVersion",
        "LogStartLine",
    ]
    # The node dbt was working on is no longer shown as running.
    assert detail["nodes"][0]["status"] == "failed"


def test_a_killed_run_leaves_the_projects_artifacts_alone(
    make_manager: MakeManager, project: Project
) -> None:
    target = project.path / "target"
    target.mkdir()
    (target / "run_results.json").write_text('{"complete": true}')
    project.scenario(files={"run_results.json": '{"half": '}, sleep=30)
    manager = make_manager()
    run = manager.submit(build())
    (call,) = project.wait_for_calls(1)
    deadline = time.monotonic() + 10
    while not (
        Path(call["argv"][call["argv"].index("--target-path") + 1]) / "run_results.json"
    ).exists():
        assert time.monotonic() < deadline
        time.sleep(0.02)

    os.kill(call["pid"], signal.SIGKILL)
    detail = manager.wait(run["id"], timeout=10)

    assert detail["status"] == "failed"
    assert (target / "run_results.json").read_text() == '{"complete": true}'
    assert [path.name for path in target.iterdir()] == ["run_results.json"]


# A server process that owns two runs (one running, one queued) until it is killed.
_DOOMED_SERVER = """
import sys, time
from pathlib import Path
from jupyterlab_dbt_workbench.runs.manager import RunManager
from jupyterlab_dbt_workbench.runs.options import RunRequest
from jupyterlab_dbt_workbench.store.database import Database
from jupyterlab_dbt_workbench.workbench import Workbench

root, database, runs, dbt = (Path(a) for a in sys.argv[1:5])
manager = RunManager(Workbench(root, store_path=None), Database(database), runs,
                     max_concurrent=1, dbt=str(dbt), flush_interval=0.05)
for name in ("a", "b"):
    print(manager.submit(RunRequest(project="shop", command="build", select=(name,)))["id"],
          flush=True)
time.sleep(60)
"""


def test_runs_of_a_killed_server_are_marked_interrupted_on_restart(
    make_manager: MakeManager, project: Project, fake_dbt: str, tmp_path: Path
) -> None:
    import subprocess
    import sys

    project.scenario(lines=["started"], sleep=30)
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            _DOOMED_SERVER,
            str(project.path.parent),
            str(tmp_path / "runs.sqlite"),
            str(tmp_path / "runs"),
            fake_dbt,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None
    running, queued = server.stdout.readline().strip(), server.stdout.readline().strip()
    project.wait_for_calls(1)
    time.sleep(0.3)  # let its flusher record the run as running
    server.kill()  # dies without a word: no shutdown, no flush
    server.wait()

    restarted = make_manager()

    detail = restarted.get(running)
    assert detail["status"] == "interrupted"
    assert detail["message"].startswith("The process running it stopped while it ran")
    assert detail["finished_at"] is not None
    detail = restarted.get(queued)
    assert detail["status"] == "interrupted"
    assert "waited in the queue" in detail["message"]
    assert restarted.list(status="running")["total"] == 0


def test_a_second_manager_leaves_the_live_runs_of_another_alone(
    make_manager: MakeManager, project: Project
) -> None:
    """What happens when a notebook's %dbt starts a manager while the server runs a build."""
    project.scenario(lines=["started"], sleep=2)
    server = make_manager(max_concurrent=1)
    running = server.submit(build(select=("a",)))
    queued = server.submit(build(select=("b",)))
    project.wait_for_calls(1)

    kernel = make_manager()

    assert kernel.get(running["id"])["status"] == "running"
    assert kernel.get(queued["id"])["status"] == "queued"
    assert server.wait(running["id"], timeout=20)["status"] == "success"
    assert server.wait(queued["id"], timeout=20)["status"] == "success"


def test_shutdown_stops_runs_and_records_them_interrupted(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(lines=["started"], sleep=30)
    manager = make_manager(max_concurrent=1)
    running = manager.submit(build(select=("a",)))
    queued = manager.submit(build(select=("b",)))
    project.wait_for_calls(1)

    manager.shutdown()

    assert manager.get(running["id"])["status"] == "interrupted"
    assert manager.get(queued["id"])["status"] == "interrupted"
    assert len(project.calls()) == 1
    with pytest.raises(RunConflict, match="stopping"):
        manager.submit(build())
    # What a restarted server reads back.
    assert make_manager().get(running["id"])["status"] == "interrupted"


def test_history_keeps_the_newest_runs_and_deletes_the_folders_of_the_others(
    make_manager: MakeManager, project: Project, tmp_path: Path
) -> None:
    manager = make_manager(history_limit=2)
    ids = []
    for name in "abc":
        ids.append(manager.submit(build(select=(name,)))["id"])
        manager.wait(ids[-1], timeout=10)

    page = manager.list()
    assert page["total"] == 2
    assert [item["id"] for item in page["items"]] == [ids[2], ids[1]]
    with pytest.raises(RunNotFound, match=ids[0]):
        manager.get(ids[0])
    assert not (tmp_path / "runs" / ids[0]).exists()
    assert (tmp_path / "runs" / ids[2] / "target").is_dir()


def test_list_filters_and_pages(make_manager: MakeManager, project: Project) -> None:
    manager = make_manager()
    ok = manager.wait(manager.submit(build())["id"], timeout=10)
    project.scenario(exit=1)
    bad = manager.wait(manager.submit(RunRequest("shop", "test"))["id"], timeout=10)

    assert [r["id"] for r in manager.list(status="failed")["items"]] == [bad["id"]]
    assert [r["id"] for r in manager.list(command="build")["items"]] == [ok["id"]]
    assert manager.list(project="elsewhere")["total"] == 0
    page = manager.list(offset=1, limit=1)
    assert (page["total"], [r["id"] for r in page["items"]]) == (2, [ok["id"]])


def test_listeners_get_the_backlog_then_live_events_then_the_end(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(lines=FAILING_BUILD, line_delay=0.05, exit=1)
    manager = make_manager()
    run = manager.submit(build())
    while len(manager.events(run["id"])["items"]) < 2:
        time.sleep(0.01)

    received: list[dict[str, Any]] = []
    ended = threading.Event()

    def listen(message: dict[str, Any]) -> None:
        received.append(message)
        if message["type"] == "end":
            ended.set()

    manager.subscribe(run["id"], listen)
    assert ended.wait(10)

    seqs = [m["event"]["seq"] for m in received if m["type"] == "event"]
    assert seqs == list(range(1, len(FAILING_BUILD) + 1))
    assert received[-1]["type"] == "end"
    assert received[-1]["run"]["status"] == "failed"
    progress = [m["run"]["progress"]["done"] for m in received if m["type"] == "run"]
    assert progress == sorted(progress) and progress[-1] == 3

    # A finished run: its whole log, then the end, at once.
    replay: list[dict[str, Any]] = []
    manager.subscribe(run["id"], replay.append)
    assert [m["type"] for m in replay] == ["event"] * len(FAILING_BUILD) + ["end"]


def test_a_long_log_is_stored_compactly_and_read_in_pages(
    make_manager: MakeManager, project: Project, tmp_path: Path
) -> None:
    lines = [
        dbt_event("Note", f"line {i}", level="warn" if i % 100 == 0 else "info")
        for i in range(20000)
    ]
    project.scenario(lines=lines)
    # One chunk per flush: with a flush a second, a long log makes few rows.
    manager = make_manager(flush_interval=1.0)
    run = manager.wait(manager.submit(build())["id"], timeout=60)

    chunks = manager.history.database.query(
        "SELECT COUNT(*), SUM(LENGTH(data)) FROM run_events WHERE run_id = ?", (run["id"],)
    )[0]
    assert chunks[0] < 100
    assert chunks[1] < sum(len(line) for line in lines) / 10

    page = manager.events(run["id"], after=100, limit=50)
    assert [e["seq"] for e in page["items"]] == list(range(101, 151))
    assert page["next"] == 150
    warnings = manager.events(run["id"], level="warn", limit=1000)
    assert [e["message"] for e in warnings["items"][:2]] == ["line 0", "line 100"]
    assert len(warnings["items"]) == 200
    assert warnings["next"] == 20000
    found = manager.events(run["id"], q="LINE 19999")
    assert [e["seq"] for e in found["items"]] == [20000]


def test_a_missing_dbt_ends_the_run_in_error_saying_so(
    make_manager: MakeManager, tmp_path: Path
) -> None:
    manager = make_manager(dbt=str(tmp_path / "nowhere" / "dbt"))
    run = manager.wait(manager.submit(build())["id"], timeout=10)
    assert run["status"] == "error"
    assert (
        run["message"] == f"dbt could not be started: {tmp_path / 'nowhere' / 'dbt'} was not found."
    )


def test_dbt_usage_errors_end_in_error_with_dbts_message(
    make_manager: MakeManager, project: Project
) -> None:
    project.scenario(
        lines=[
            dbt_event("MainReportVersion", "Running with dbt=1.11.16"),
            dbt_event("MainEncounteredError", "Encountered an error:\n'foo' is not a valid method name", level="error"),  # noqa: E501
        ],
        exit=2,
    )  # fmt: skip
    manager = make_manager()
    run = manager.wait(manager.submit(build(select=("foo:bar",)))["id"], timeout=10)
    assert run["status"] == "error"
    assert run["message"] == "Encountered an error:\n'foo' is not a valid method name"


def test_rerun_repeats_the_request_and_retry_needs_a_failed_run(
    make_manager: MakeManager, project: Project
) -> None:
    manager = make_manager()
    first = manager.wait(manager.submit(build(select=("orders",), threads=2))["id"], timeout=10)

    again = manager.wait(manager.rerun(first["id"], user="bob")["id"], timeout=10)

    assert again["rerun_of"] == first["id"]
    assert again["cli"] == first["cli"] == "build --select orders --threads 2"
    assert again["user"] == "bob"
    assert project.calls()[1]["argv"][:5] == ["build", "--select", "orders", "--threads", "2"]
    with pytest.raises(RunConflict, match="nothing to retry"):
        manager.retry(first["id"])
    project.scenario(exit=2)
    broken = manager.wait(manager.submit(build())["id"], timeout=10)
    with pytest.raises(RunConflict, match=r"left no run_results\.json"):
        manager.retry(broken["id"])
    with pytest.raises(RunNotFound, match="nope"):
        manager.rerun("nope")


def test_retry_starts_from_a_copy_of_the_failed_runs_target(
    make_manager: MakeManager, project: Project, tmp_path: Path
) -> None:
    project.scenario(files={"run_results.json": '{"results": []}'}, exit=1)
    manager = make_manager()
    failed = manager.wait(manager.submit(build())["id"], timeout=10)
    project.scenario()

    retried = manager.wait(manager.retry(failed["id"])["id"], timeout=10)

    assert (retried["retry_of"], retried["command"], retried["status"]) == (
        failed["id"],
        "retry",
        "success",
    )
    argv = project.calls()[1]["argv"]
    assert argv[0] == "retry"
    copied = Path(argv[argv.index("--target-path") + 1]) / "run_results.json"
    assert copied.read_text() == '{"results": []}'
    assert copied.parent != tmp_path / "runs" / failed["id"] / "target"
