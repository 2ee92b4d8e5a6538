"""The scheduler loop and its executions, with a fake clock and the fake dbt at the
subprocess seam: slots, runs, environment, policies, bad input, restarts and leases."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from jupyterlab_dbt_workbench.errors import Conflict, InvalidSchedule
from jupyterlab_dbt_workbench.runs.owner import current_owner
from jupyterlab_dbt_workbench.schedules.model import MASK

from .schedule_helpers import WARN_BUILD, FakeClock, MakeScheduler, Project, schedule_body

T0 = datetime(2026, 1, 5, 8, 0, tzinfo=timezone.utc)
EVERYTHING = {
    "kind": "webhook",
    "events": ["success", "failure", "warning", "cancel", "recovery"],
    "url": "http://127.0.0.1:9/hook",
}


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def tick_at(harness: Any, clock: FakeClock, when: datetime, wait: bool = True) -> None:
    clock.set(when)
    harness.scheduler.tick()
    if wait:
        assert harness.scheduler.wait_idle(20)


def executions(harness: Any, schedule_id: str) -> list[dict[str, Any]]:
    return list(reversed(harness.scheduler.executions(schedule_id)))


def test_a_due_slot_runs_each_step_as_the_schedule_with_its_environment(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(
        schedule_body(
            steps=["seed", "build -s orders+"],
            target="prod",
            env={"DBT_ENV": "ci", "WAREHOUSE_PASSWORD": "hunter2"},
        )
    )
    assert created["next_run_at"] == "2026-01-05T09:00:00+00:00"
    assert created["next_run_local"] == "2026-01-05T09:00:00+00:00"
    assert created["env"] == {"DBT_ENV": "ci", "WAREHOUSE_PASSWORD": MASK}

    tick_at(harness, clock, at(30))
    assert project.calls() == []
    tick_at(harness, clock, at(60))

    (execution,) = executions(harness, created["id"])
    assert execution["status"] == "success"
    assert (execution["trigger"], execution["slot"]) == ("cron", "2026-01-05T09:00:00+00:00")
    assert execution["message"] == "2 step(s) succeeded."
    argvs = [call["argv"] for call in project.calls()]
    assert [argv[0] for argv in argvs] == ["seed", "build"]
    assert argvs[1][:3] == ["build", "--select", "orders+"]
    assert all(argv[argv.index("--target") + 1] == "prod" for argv in argvs)
    assert all(env["WAREHOUSE_PASSWORD"] == "hunter2" for env in project.environments())
    assert all(env["DBT_ENV"] == "ci" for env in project.environments())
    runs = [harness.manager.get(run_id) for run_id in execution["run_ids"]]
    assert [run["user"] for run in runs] == ["schedule:nightly"] * 2
    # The environment reaches dbt but is never kept with the run.
    assert all("hunter2" not in str(run) for run in runs)
    schedule = harness.scheduler.get(created["id"])
    assert schedule["last_status"] == "success"
    assert schedule["next_run_at"] == "2026-01-05T10:00:00+00:00"


def test_masked_environment_values_keep_their_stored_value_on_update(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(env={"API_TOKEN": "s3cret", "MODE": "a"}))
    shown = harness.scheduler.update(
        created["id"], {**created, "env": {**created["env"], "MODE": "b"}}
    )
    assert shown["env"] == {"API_TOKEN": MASK, "MODE": "b"}
    harness.scheduler.run_now(created["id"])
    assert harness.scheduler.wait_idle(20)
    (env,) = project.environments()
    assert (env["API_TOKEN"], env["MODE"]) == ("s3cret", "b")
    with pytest.raises(InvalidSchedule, match="NEW_KEY is masked but no value is stored"):
        harness.scheduler.update(created["id"], {"env": {"NEW_KEY": MASK}})


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"cron": "61 * * * *"}, "Invalid cron expression '61 * * * *'"),
        ({"cron": "* * * *"}, "has 4 field(s): give 5"),
        ({"cron": "0 25 * * *"}, "the hour field `25` is not valid (0-23)"),
        ({"cron": "@often"}, "Unknown cron preset '@often'"),
        ({"cron": "0 0 30 2 *"}, "never fires"),
        ({"timezone": "Mars/Olympus"}, "Unknown timezone 'Mars/Olympus'"),
        ({"steps": ["bogus"]}, "Step 1 (`bogus`): `bogus` is not a dbt command"),
        ({"steps": ["build", "parse -s orders"]}, "Step 2 (`parse -s orders`): `dbt parse` does"),
        ({"steps": ["build --target-path x"]}, "`--target-path` cannot be given"),
        ({"steps": ["source freshness --bogus"]}, "`dbt source freshness` has no option `--bogus`"),
        ({"vars": "[1, 2]"}, "`vars` must be a YAML mapping"),
        ({"steps": []}, "Missing field(s): steps"),
        ({"overlap": "never"}, "`overlap` must be one of skip, queue, cancel_previous"),
        ({"retry": {"max_attempts": 0}}, "`retry.max_attempts` must be a whole number from 1"),
        ({"env": {"1BAD": "x"}}, "'1BAD' is not a valid environment variable name"),
        ({"colour": "red"}, "Unknown field(s) 'colour'"),
    ],
)
def test_bad_schedules_are_refused_with_a_message_naming_the_problem(
    make_scheduler: MakeScheduler, fields: dict[str, Any], message: str
) -> None:
    harness = make_scheduler()
    with pytest.raises(InvalidSchedule) as error:
        harness.scheduler.create(schedule_body(**fields))
    assert message in error.value.message


def test_steps_may_use_any_option_dbt_knows(make_scheduler: MakeScheduler) -> None:
    harness = make_scheduler()
    steps = ["build --fail-fast --empty", "source freshness --output=x.json", "test -x"]
    created = harness.scheduler.create(schedule_body(steps=steps))
    assert created["steps"] == steps


def test_two_schedules_cannot_share_a_name(make_scheduler: MakeScheduler) -> None:
    harness = make_scheduler()
    harness.scheduler.create(schedule_body())
    with pytest.raises(Conflict, match="named 'nightly' already exists"):
        harness.scheduler.create(schedule_body())


def test_failures_are_retried_with_exponential_backoff_then_notified_once(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    project.scenario(exit=1)
    harness = make_scheduler()
    created = harness.scheduler.create(
        schedule_body(
            retry={"max_attempts": 3, "backoff": "exponential", "delay": 60},
            notifications=[{"kind": "slack", "events": ["failure"], "url": "https://h/x"}],
        )
    )
    tick_at(harness, clock, at(60))
    first, retry = executions(harness, created["id"])
    assert (first["status"], first["attempt"]) == ("failed", 1)
    assert (retry["status"], retry["trigger"], retry["attempt"]) == ("queued", "retry", 2)
    assert retry["slot"] == first["slot"]
    tick_at(harness, clock, at(60) + timedelta(seconds=59))
    assert len(project.calls()) == 1  # the first retry waits 60 s
    tick_at(harness, clock, at(61))
    tick_at(harness, clock, at(62) + timedelta(seconds=59))
    assert len(project.calls()) == 2  # the second waits 120 s
    tick_at(harness, clock, at(63))
    statuses = [(e["status"], e["attempt"]) for e in executions(harness, created["id"])]
    assert statuses == [("failed", 1), ("failed", 2), ("failed", 3)]
    assert harness.notifier.events() == ["failure"]
    (_, notification) = harness.notifier.sent[0]
    assert notification.schedule_name == "nightly"
    assert notification.message.startswith("Step 1 (`build`) ended failed")
    assert harness.scheduler.get(created["id"])["last_status"] == "failed"


def test_success_after_a_failure_is_a_recovery_and_warnings_are_warnings(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(notifications=[EVERYTHING]))
    project.scenario(exit=1)
    tick_at(harness, clock, at(60))
    project.scenario()
    tick_at(harness, clock, at(120))
    project.scenario(lines=WARN_BUILD)
    tick_at(harness, clock, at(180))
    tick_at(harness, clock, at(240))
    assert [e["status"] for e in executions(harness, created["id"])] == [
        "failed", "success", "warning", "warning",
    ]  # fmt: skip
    assert harness.notifier.events() == ["failure", "recovery", "warning", "warning"]
    assert harness.notifier.sent[2][1].counts == {"success": 1, "warn": 1}


def test_a_run_longer_than_the_timeout_is_cancelled_and_ends_timeout(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    project.scenario(sleep=30)
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(timeout=1, notifications=[EVERYTHING]))
    tick_at(harness, clock, at(60))
    (execution,) = executions(harness, created["id"])
    assert execution["status"] == "timeout"
    assert execution["message"] == "Timed out after 1 s; the run was cancelled."
    assert harness.manager.get(execution["run_ids"][0])["status"] == "cancelled"
    assert harness.notifier.events() == ["failure"]


@pytest.mark.parametrize(
    ("overlap", "expected"),
    [
        ("skip", [("success", "cron"), ("skipped", "cron")]),
        ("queue", [("success", "cron"), ("success", "cron")]),
        ("cancel_previous", [("cancelled", "cron"), ("success", "cron")]),
    ],
)
def test_overlap_policy_when_a_slot_comes_while_the_last_still_runs(
    make_scheduler: MakeScheduler,
    project: Project,
    clock: FakeClock,
    overlap: str,
    expected: list[tuple[str, str]],
) -> None:
    project.scenario(sleep=1.5)
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(overlap=overlap))
    tick_at(harness, clock, at(60), wait=False)
    tick_at(harness, clock, at(120))
    got = executions(harness, created["id"])
    assert [(e["status"], e["trigger"]) for e in got] == expected
    if overlap == "skip":
        assert (
            got[1]["message"]
            == f"Skipped: execution {got[0]['id']} was still running (overlap: skip)."
        )
        assert len(project.calls()) == 1
    if overlap == "queue":
        # One after the other, never both at once.
        first, second = project.calls()
        assert second["start"] >= first["end"]
    if overlap == "cancel_previous":
        assert got[0]["message"] == "Cancelled: a newer slot started (overlap: cancel_previous)."


@pytest.mark.parametrize(
    ("catch_up", "expected"),
    [
        ({"mode": "skip", "max": 3}, [("skipped", "catch_up", "2026-01-05T13:00:00+00:00")]),
        (
            {"mode": "once", "max": 3},
            [
                ("skipped", "catch_up", "2026-01-05T12:00:00+00:00"),
                ("success", "catch_up", "2026-01-05T13:00:00+00:00"),
            ],
        ),
        (
            {"mode": "each", "max": 3},
            [
                ("skipped", "catch_up", "2026-01-05T10:00:00+00:00"),
                ("success", "catch_up", "2026-01-05T11:00:00+00:00"),
                ("success", "catch_up", "2026-01-05T12:00:00+00:00"),
                ("success", "catch_up", "2026-01-05T13:00:00+00:00"),
            ],
        ),
    ],
)
def test_catch_up_after_downtime(
    make_scheduler: MakeScheduler,
    project: Project,
    clock: FakeClock,
    catch_up: dict[str, Any],
    expected: list[tuple[str, str, str]],
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(catch_up=catch_up))
    # Nobody ticked from 08:00 to 13:30: the slots 09:00 to 13:00 were missed.
    tick_at(harness, clock, at(330))
    got = executions(harness, created["id"])
    assert [(e["status"], e["trigger"], e["slot"]) for e in got] == expected
    skipped = {"skip": 5, "once": 4, "each": 2}[catch_up["mode"]]
    assert got[0]["message"].startswith(f"{skipped} slot(s) missed while no scheduler was running")
    assert harness.scheduler.get(created["id"])["next_run_at"] == "2026-01-05T14:00:00+00:00"


def test_a_slot_a_little_late_runs_on_time_and_covers_missed_ones_with_once(
    make_scheduler: MakeScheduler, clock: FakeClock
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body())
    tick_at(harness, clock, at(180) + timedelta(seconds=30))
    got = executions(harness, created["id"])
    assert [(e["status"], e["trigger"]) for e in got] == [
        ("skipped", "catch_up"),
        ("success", "cron"),
    ]
    assert got[1]["slot"] == "2026-01-05T11:00:00+00:00"


def test_a_schedule_whose_project_is_gone_is_in_error_and_the_others_keep_running(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock, tmp_path: Path
) -> None:
    other = tmp_path / "root" / "other"
    other.mkdir()
    (other / "dbt_project.yml").write_text("name: other\nprofile: shop\n")
    (other / "profiles.yml").write_text("shop: {}\n")
    (other / "fake_dbt.json").write_text("{}")
    harness = make_scheduler()
    doomed = harness.scheduler.create(schedule_body(name="doomed", project="other"))
    kept = harness.scheduler.create(schedule_body(name="kept"))
    (other / "dbt_project.yml").unlink()
    tick_at(harness, clock, at(60))
    broken = harness.scheduler.get(doomed["id"])
    assert broken["state"] == "error"
    assert broken["error"].startswith("Project 'other' is gone:")
    assert executions(harness, doomed["id"]) == []
    assert [e["status"] for e in executions(harness, kept["id"])] == ["success"]
    with pytest.raises(Conflict, match="Project 'other' is gone"):
        harness.scheduler.run_now(doomed["id"])
    # Restored: the error clears and the schedule runs again.
    (other / "dbt_project.yml").write_text("name: other\nprofile: shop\n")
    tick_at(harness, clock, at(120))
    assert harness.scheduler.get(doomed["id"])["state"] == "ok"


def test_run_now_runs_at_once_outside_the_slots(
    make_scheduler: MakeScheduler, project: Project
) -> None:
    harness = make_scheduler()
    created = harness.scheduler.create(schedule_body(enabled=False))
    assert created["next_run_at"] is None
    started = harness.scheduler.run_now(created["id"], requested_by="ada")
    assert (started["status"], started["trigger"], started["slot"]) == ("running", "manual", None)
    done = harness.scheduler.wait(started["id"], 20)
    assert done is not None and done["status"] == "success"
    assert len(project.calls()) == 1


def test_two_schedulers_on_one_store_never_run_a_slot_twice(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    first, second = make_scheduler(), make_scheduler()
    created = first.scheduler.create(
        schedule_body(cron="*/5 * * * *", overlap="queue", catch_up={"mode": "skip", "max": 1})
    )
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def loop(harness: Any) -> None:
        try:
            for _ in range(12):
                barrier.wait(10)
                harness.scheduler.tick()
                barrier.wait(10)
                if harness is first:
                    clock.advance(300)
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=loop, args=(h,)) for h in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors
    for _ in range(20):  # executions queued behind one another start as each ends
        for harness in (first, second):
            harness.scheduler.tick()
            assert harness.scheduler.wait_idle(20)
    got = executions(first, created["id"])
    slots = [e["slot"] for e in got]
    assert len(slots) == len(set(slots)) == 12  # 08:05 to 09:00
    assert [e["status"] for e in got] == ["success"] * 12
    assert len(project.calls()) == 12


def test_a_restart_in_the_middle_of_an_execution_interrupts_it_without_rerunning_the_slot(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    project.scenario(sleep=30)
    before = make_scheduler()
    created = before.scheduler.create(schedule_body(catch_up={"mode": "each", "max": 5}))
    tick_at(before, clock, at(60), wait=False)
    deadline = time.monotonic() + 20
    while not executions(before, created["id"])[0]["run_ids"]:
        assert time.monotonic() < deadline, "the execution never started its run"
        time.sleep(0.02)
    (running,) = executions(before, created["id"])
    assert running["status"] == "running"
    before.close()  # the server stops: its run ends interrupted, and so does the execution

    project.scenario()
    after = make_scheduler()
    (stopped,) = executions(after, created["id"])
    assert stopped["status"] == "interrupted"
    assert after.manager.get(stopped["run_ids"][0])["status"] == "interrupted"
    tick_at(after, clock, at(61))
    assert len(executions(after, created["id"])) == 1
    # Down from 09:01 to 11:30: the slots 10:00 and 11:00 are caught up, 09:00 is not rerun.
    tick_at(after, clock, at(210))
    got = executions(after, created["id"])
    assert [(e["status"], e["slot"]) for e in got] == [
        ("interrupted", "2026-01-05T09:00:00+00:00"),
        ("success", "2026-01-05T10:00:00+00:00"),
        ("success", "2026-01-05T11:00:00+00:00"),
    ]


def test_an_execution_left_running_by_a_dead_server_is_marked_interrupted(
    make_scheduler: MakeScheduler, project: Project, clock: FakeClock
) -> None:
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    host, _, started = current_owner().split("|")
    dead = f"{host}|{int(gone.stdout)}|{started}"
    project.scenario(sleep=30)
    crashed = make_scheduler(owner=dead)
    created = crashed.scheduler.create(schedule_body())
    tick_at(crashed, clock, at(60), wait=False)

    after = make_scheduler()
    (execution,) = executions(after, created["id"])
    assert execution["status"] == "interrupted"
    assert execution["message"].startswith("The server running it stopped before it ended.")
    crashed.close()  # its thread finds the execution already ended and leaves it so
    assert executions(after, created["id"])[0]["status"] == "interrupted"
