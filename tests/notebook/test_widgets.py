"""The lineage widget: its traits, and the kernel's answers to the view's requests.

The view's side is simulated at the comm: a request goes in as the frontend sends it, and the
message the kernel would publish is read back.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import traitlets

from jupyterlab_dbt_workbench import DbtProject, LineageWidget
from jupyterlab_dbt_workbench.graph.payloads import Lineage
from jupyterlab_dbt_workbench.lineage.payloads import ColumnGraph, ModelColumnLineage
from jupyterlab_dbt_workbench.notebook.widgets import ESM_PATH

FCT_ORDERS = "model.copper_kettle.fct_orders"


@pytest.fixture(scope="module")
def small_project(tmp_path_factory: pytest.TempPathFactory) -> DbtProject:
    """A small synthetic project (artifacts written without dbt, in well under a second)."""
    from jupyterlab_dbt_workbench.demo.synthetic import write_artifacts

    folder = tmp_path_factory.mktemp("widget") / "synthetic"
    write_artifacts(folder, models=30, seed=0)
    return DbtProject(folder)


@pytest.fixture(scope="module")
def middle(small_project: DbtProject) -> str:
    """A model with parents and children, two steps away from some of them."""
    state = small_project.state
    for unique_id, node in state.nodes.items():
        parents = [p for p in state.parents.get(unique_id, ()) if p.startswith("model.")]
        children = [c for c in state.children.get(unique_id, ()) if c.startswith("model.")]
        if node.resource_type == "model" and parents and children:
            return unique_id
    raise AssertionError("the synthetic project has no model in the middle")


class Wire:
    """What the kernel publishes on a widget's comm."""

    def __init__(self, widget: LineageWidget, monkeypatch: pytest.MonkeyPatch) -> None:
        self.widget = widget
        self.sent: list[dict[str, Any]] = []
        monkeypatch.setattr(widget.comm, "publish_msg", self._publish)

    def _publish(self, msg_type: str, data: Any = None, **_: Any) -> None:
        # Through JSON, as the message really travels.
        self.sent.append(json.loads(json.dumps(data)))

    def request(self, method: str, params: dict[str, Any], id_: str = "r1") -> dict[str, Any]:
        """Send one request as the view does; return the custom message answered."""
        message = {"type": "request", "id": id_, "method": method, "params": params}
        self.sent.clear()
        self.widget._handle_msg(
            {"content": {"data": {"method": "custom", "content": message}}, "buffers": []}
        )
        (answer,) = self.sent
        assert answer["method"] == "custom"
        return answer["content"]  # type: ignore[no-any-return]


def test_the_bundle_is_the_widgets_module() -> None:
    # Built by `jlpm build` (esbuild) and shipped in the wheel.
    assert ESM_PATH.is_file()
    source = ESM_PATH.read_text(encoding="utf-8")
    assert "export" in source and "render" in source and "msg:custom" in source


def test_focus_names_become_unique_ids(small_project: DbtProject, middle: str) -> None:
    name = small_project.state.nodes[middle].name
    widget = LineageWidget(name, project=small_project)
    assert widget.focus == middle
    assert (widget.upstream, widget.downstream, widget.lens) == (1, 1, "resource_type")
    assert widget.selected is None and widget.selected_column is None
    widget.focus = None
    assert widget.focus is None


def test_bad_values_are_refused_with_the_reason(small_project: DbtProject, middle: str) -> None:
    with pytest.raises(traitlets.TraitError, match="No node named 'no_such_model'"):
        LineageWidget("no_such_model", project=small_project)
    with pytest.raises(traitlets.TraitError, match="Unknown selector method 'bogus'"):
        LineageWidget(select="bogus:x", project=small_project)
    with pytest.raises(ValueError, match="select="):
        LineageWidget(project=small_project)
    widget = LineageWidget(middle, project=small_project)
    with pytest.raises(traitlets.TraitError):
        widget.upstream = -1
    with pytest.raises(traitlets.TraitError):
        widget.lens = "colour"
    with pytest.raises(traitlets.TraitError):
        widget.group_by = "owner"
    widget.group_by = "folder"
    widget.lens = "test_status"
    assert (widget.group_by, widget.lens) == ("folder", "test_status")


def test_synced_state_is_small_and_the_selection_comes_back(
    small_project: DbtProject, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = LineageWidget(select="*", project=small_project)
    state = widget.get_state()
    for trait in ("focus", "select", "exclude", "upstream", "downstream", "lens", "group_by"):
        assert trait in state
    for trait in ("column_mode", "height", "selected", "selected_column"):
        assert trait in state
    # The graph is fetched on demand: nothing but the script itself is large.
    state.pop("_esm")
    assert len(json.dumps(state)) < 2000

    # A click in the view arrives as a state update.
    clicked = next(iter(small_project.state.nodes))
    widget._handle_msg(
        {
            "content": {
                "data": {
                    "method": "update",
                    "state": {
                        "selected": clicked,
                        "selected_column": {"node": clicked, "column": "id"},
                    },
                }
            },
            "buffers": [],
        }
    )
    assert widget.selected == clicked
    assert widget.selected_column == {"node": clicked, "column": "id"}


def test_lineage_request_keeps_the_steps_asked_on_each_side(
    small_project: DbtProject, middle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = LineageWidget(middle, upstream=2, downstream=0, project=small_project)
    wire = Wire(widget, monkeypatch)
    answer = wire.request(
        "lineage", {"focus": middle, "depth": 2, "upstream": 2, "downstream": 0}, "a-7"
    )
    assert answer["type"] == "response" and answer["id"] == "a-7" and answer["ok"]
    data = answer["data"]
    assert set(data) == set(Lineage.__annotations__)
    distances = {node["unique_id"]: node["distance"] for node in data["nodes"]}
    assert distances[middle] == 0
    assert all(-2 <= distance <= 0 for distance in distances.values())
    # Exactly the upstream half of 2+middle+2.
    both = small_project.lineage(middle, depth=2, max_nodes=20000)
    expected = {
        n["unique_id"] for n in both["nodes"] if n["distance"] is not None and n["distance"] <= 0
    }
    assert set(distances) == expected
    assert all(a in distances and b in distances for a, b in data["edges"])
    assert data["total"] == len(expected) and not data["truncated"]
    assert data["select"] == f"2+{small_project.state.nodes[middle].name}+0"

    # A plain query of the view is answered as GET lineage would.
    answer = wire.request("lineage", {"select": "*", "maxNodes": 5})
    assert answer["ok"] and len(answer["data"]["nodes"]) == 5 and answer["data"]["truncated"]


def test_failed_requests_answer_the_reason_not_a_traceback(
    small_project: DbtProject, middle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    wire = Wire(LineageWidget(middle, project=small_project), monkeypatch)
    cases = [
        ("lineage", {"focus": "no_such_model"}, "No node named 'no_such_model'"),
        ("lineage", {"select": "bogus:x"}, "Unknown selector method 'bogus'"),
        ("lineage", {"focus": middle, "depth": "two"}, "'depth' must be a whole number"),
        ("lineage", {}, "Give a selector"),
        ("columnTrace", {"uniqueId": middle, "column": "no_such_column"}, "no_such_column"),
        ("modelColumns", {}, "'uniqueId' parameter is required"),
        ("explode", {}, "Unknown request 'explode'"),
    ]
    for method, params, message in cases:
        answer = wire.request(method, params)
        assert answer["ok"] is False, (method, params)
        assert message in answer["error"]
        assert "Traceback" not in answer["error"]
        assert "data" not in answer


def test_requests_from_other_widgets_messages_are_ignored(
    small_project: DbtProject, middle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = LineageWidget(middle, project=small_project)
    wire = Wire(widget, monkeypatch)
    widget._handle_msg(
        {"content": {"data": {"method": "custom", "content": {"type": "hello"}}}, "buffers": []}
    )
    assert wire.sent == []


# On the built demo: real compiled SQL, and the magic.


@pytest.fixture(scope="module")
def demo(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("widget-demo") / "demo"
    shutil.copytree(built_demo, copy)
    return copy


@pytest.mark.slow
def test_column_requests_answer_like_the_column_api(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    widget = LineageWidget("fct_orders", project=demo, column_mode=True)
    assert widget.focus == FCT_ORDERS and widget.column_mode
    wire = Wire(widget, monkeypatch)

    answer = wire.request("modelColumns", {"uniqueId": FCT_ORDERS})
    assert answer["ok"], answer
    columns = answer["data"]
    assert set(columns) == set(ModelColumnLineage.__annotations__)
    assert columns["unique_id"] == FCT_ORDERS and columns["status"] == "ok"
    names = [column["name"] for column in columns["columns"]]
    assert "order_id" in names and "customer_id" in names

    answer = wire.request("columnTrace", {"uniqueId": FCT_ORDERS, "column": "customer_id"})
    assert answer["ok"], answer
    trace = answer["data"]
    assert set(trace) == set(ColumnGraph.__annotations__)
    assert trace["direction"] == "both"
    start = [n for n in trace["nodes"] if n["distance"] == 0]
    assert [(n["node"], n["column"]) for n in start] == [(FCT_ORDERS, "customer_id")]
    assert any(e["target"] == FCT_ORDERS for e in trace["edges"])  # where it comes from
    assert any(e["source"] == FCT_ORDERS for e in trace["edges"])  # where it goes


@pytest.fixture
def shell(demo: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    from IPython.core.interactiveshell import InteractiveShell

    monkeypatch.chdir(demo / "models")
    shell = InteractiveShell.instance()
    shell.run_line_magic("load_ext", "jupyterlab_dbt_workbench")
    yield shell
    InteractiveShell.clear_instance()


@pytest.mark.slow
def test_the_lineage_magic_returns_the_widget(shell: Any, demo: Path) -> None:
    from IPython.core.error import UsageError

    widget = shell.run_line_magic("dbt", "lineage fct_orders --upstream 2 --downstream 0 --columns")
    assert isinstance(widget, LineageWidget)
    assert widget.focus == FCT_ORDERS
    assert (widget.upstream, widget.downstream, widget.column_mode) == (2, 0, True)
    assert widget.project.path == demo.resolve()

    widget = shell.run_line_magic("dbt", "lineage -s tag:finance --exclude fct_orders")
    assert (widget.focus, widget.select, widget.exclude) == (None, "tag:finance", "fct_orders")

    with pytest.raises(UsageError, match="No node named 'no_such_model'"):
        shell.run_line_magic("dbt", "lineage no_such_model")
    with pytest.raises(UsageError, match="Say which node"):
        shell.run_line_magic("dbt", "lineage --upstream 2")
    with pytest.raises(UsageError, match="--upstream"):
        shell.run_line_magic("dbt", "lineage fct_orders --upstream two")
