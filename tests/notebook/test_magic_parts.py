"""The %dbt magic's parts that need no dbt: finding the project, the progress and the result."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from IPython.core.error import UsageError

from jupyterlab_dbt_workbench.notebook.magics import _split_project, find_project, server_root
from jupyterlab_dbt_workbench.notebook.progress import LiveProgress
from jupyterlab_dbt_workbench.notebook.result import RunResult


def make_project(folder: Path, name: str = "shop") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dbt_project.yml").write_text(f"name: {name}\nprofile: {name}\nversion: '1.0'\n")
    return folder


def test_the_project_containing_the_working_directory_is_used(tmp_path: Path) -> None:
    project = make_project(tmp_path / "shop")
    inner = project / "models" / "staging"
    inner.mkdir(parents=True)
    assert find_project(inner, None) == project.resolve()


def test_the_only_project_below_the_working_directory_is_used(tmp_path: Path) -> None:
    project = make_project(tmp_path / "work" / "shop")
    assert find_project(tmp_path, None) == project.resolve()


def test_several_projects_ask_for_one_by_name(tmp_path: Path) -> None:
    make_project(tmp_path / "a", "a")
    make_project(tmp_path / "b", "b")
    with pytest.raises(UsageError, match=r"Several dbt projects.*\ba, b\b.*--project"):
        find_project(tmp_path, None)
    assert find_project(tmp_path, "b") == (tmp_path / "b").resolve()


def test_no_project_and_a_wrong_project_option_are_explained(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="No dbt project"):
        find_project(tmp_path, None)
    with pytest.raises(UsageError, match=r"not a dbt project: it has no dbt_project\.yml"):
        find_project(tmp_path, "elsewhere")


def test_the_server_root_comes_from_the_notebook_path() -> None:
    cwd = Path("/srv/root/notebooks/deep")
    assert server_root(cwd, "notebooks/deep/analysis.ipynb") == Path("/srv/root")
    assert server_root(Path("/srv/root"), "analysis.ipynb") == Path("/srv/root")
    # A path that does not end the working directory is not trusted, nor is no session.
    assert server_root(cwd, "other/analysis.ipynb") is None
    assert server_root(cwd, "../x.ipynb") is None
    assert server_root(cwd, None) is None


def test_project_option_may_follow_the_dbt_words() -> None:
    assert _split_project(["build", "-s", "x", "--project", "p"]) == (["build", "-s", "x"], "p")
    assert _split_project(["--project=p", "run"]) == (["run"], "p")
    with pytest.raises(UsageError, match="PATH"):
        _split_project(["run", "--project"])


def summary(**changes: Any) -> dict[str, Any]:
    run: dict[str, Any] = {
        "id": "r1",
        "project": "demo",
        "command": "build",
        "cli": "build --select stg_orders+",
        "status": "running",
        "progress": {"done": 3, "total": 6},
        "counts": {"success": 2, "error": 1},
        "duration": None,
        "message": None,
    }
    return {**run, **changes}


def test_progress_redraws_in_place_with_counts_and_failures() -> None:
    shown: list[tuple[dict[str, str], bool]] = []
    now = [0.0]
    progress = LiveProgress(
        summary(), lambda bundle, first: shown.append((bundle, first)), clock=lambda: now[0]
    )
    progress.draw(force=True)
    progress.add_event({"unique_id": "model.demo.<bad>", "node_status": "error", "message": "boom"})
    progress.draw()  # too soon after the last drawing: skipped
    now[0] = 5.0
    progress.update_run(summary(status="failed", progress={"done": 6, "total": 6}, duration=4.2))

    assert [first for _, first in shown] == [True, False, False]
    text = shown[-1][0]["text/plain"]
    assert "6/6" in text and "failed" in text and "4.2s" in text
    assert "success 2 · error 1" in text
    assert "error model.demo.<bad>" in text
    html = shown[-1][0]["text/html"]
    assert "model.demo.&lt;bad&gt;" in html and "<bad>" not in html
    assert "width: 100.0%" in html


def test_a_queued_run_says_why_it_waits() -> None:
    shown: list[dict[str, str]] = []
    message = "Queued: 2 runs are running (limit 2); this one is next."
    progress = LiveProgress(
        summary(status="queued", progress={"done": 0, "total": None}, message=message),
        lambda bundle, first: shown.append(bundle),
    )
    progress.draw(force=True)
    assert message in shown[0]["text/plain"]
    assert message in shown[0]["text/html"]


def detail(**changes: Any) -> dict[str, Any]:
    nodes = [
        {
            "unique_id": "model.demo.stg_orders",
            "name": "stg_orders",
            "resource_type": "model",
            "status": "success",
            "execution_time": 0.31,
            "rows_affected": 120,
            "failures": None,
            "message": "OK",
            "started_at": None,
            "finished_at": None,
        },
        {
            "unique_id": "test.demo.not_null_x",
            "name": "not_null_x",
            "resource_type": "test",
            "status": "fail",
            "execution_time": 0.05,
            "rows_affected": None,
            "failures": 3,
            "message": "Got 3 results, configured to fail if != 0",
            "started_at": None,
            "finished_at": None,
        },
    ]
    return {
        **summary(status="failed", duration=3.5, counts={"success": 1, "fail": 1}),
        "nodes": nodes,
        **changes,
    }


def test_result_exposes_nodes_log_and_a_compact_summary() -> None:
    events = [{"level": "info", "message": "Running with dbt=1.11"}, {"message": "Done."}]
    result = RunResult(detail(), events)
    assert result.status == "failed" and not result.ok and result.run_id == "r1"
    frame = result.nodes
    assert list(frame["name"]) == ["stg_orders", "not_null_x"]
    assert frame.loc[1, "failures"] == 3
    assert result.log == "Running with dbt=1.11\nDone."
    text = repr(result)
    assert text.startswith("dbt build --select stg_orders+: failed · 2 nodes")
    assert "fail: not_null_x: Got 3 results" in text
    html = result._repr_html_()
    assert "not_null_x" in html and "<table>" in html and "Got 3 results" in html


def test_a_run_that_did_nothing_shows_dbts_own_words() -> None:
    events = [
        {"level": "warn", "unique_id": None, "message": "The selection criterion 'nope' does "
         "not match any enabled nodes"},
        {"level": "warn", "unique_id": None, "message": "Nothing to do."},
        {"level": "warn", "unique_id": None, "message": "Nothing to do."},
    ]  # fmt: skip
    result = RunResult(detail(status="success", nodes=[], counts={}), events)
    text = repr(result)
    assert "0 nodes" in text
    assert "dbt: The selection criterion 'nope' does not match any enabled nodes" in text
    assert text.count("Nothing to do.") == 1
    assert "does not match any enabled nodes" in result._repr_html_()
    assert result.nodes.empty and "status" in result.nodes.columns


def test_an_errored_run_shows_its_message() -> None:
    message = "dbt could not start: 'foo' is not a valid method name"
    result = RunResult(detail(status="error", nodes=[], message=message), [])
    assert message in repr(result)
    assert "is not a valid method name" in result._repr_html_()


class FakeManager:
    """Just enough of a RunManager to follow one run: messages are sent by the test."""

    def __init__(self) -> None:
        self.listener: Any = None
        self.cancelled: list[str] = []
        self.unsubscribed = False

    def subscribe(self, run_id: str, callback: Any) -> Any:
        self.listener = callback
        callback({"type": "event", "event": {"seq": 1, "message": "Running with dbt=1.11"}})
        callback({"type": "run", "run": summary()})

        def unsubscribe() -> None:
            self.unsubscribed = True

        return unsubscribe

    def cancel(self, run_id: str) -> dict[str, Any]:
        self.cancelled.append(run_id)
        self.listener({"type": "end", "run": summary(status="cancelled")})
        return summary(status="cancelled")

    def get(self, run_id: str) -> dict[str, Any]:
        return detail(status="cancelled", message="Cancelled by the user.", nodes=[])


def test_interrupting_the_kernel_cancels_the_run() -> None:
    from jupyterlab_dbt_workbench.notebook.magics import follow

    shown: list[str] = []

    def publish(bundle: dict[str, str], first: bool) -> None:
        shown.append(bundle["text/plain"])
        if len(shown) == 2:  # the user presses interrupt while the bar is drawn
            raise KeyboardInterrupt

    manager = FakeManager()
    progress = LiveProgress(summary(), publish)
    progress.draw(force=True)
    result = follow(manager, summary(), progress)

    assert manager.cancelled == ["r1"] and manager.unsubscribed
    assert result.status == "cancelled" and "Cancelled by the user." in repr(result)
    assert result.log == "Running with dbt=1.11"
    assert any("Cancelling the dbt run" in text for text in shown)
