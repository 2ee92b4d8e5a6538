"""``LineageWidget``: the workbench's lineage view in a notebook cell (anywidget).

The view is the same canvas renderer as the JupyterLab panel, bundled into
``static/lineage.js``. Only small traits are synced; the graph itself is fetched on demand:
the view sends ``{type: "request", id, method, params}`` custom messages and the kernel
answers each with ``{type: "response", id, ok, data}`` (or ``ok: false`` and an ``error``
message), computed by the core (``DbtProject``).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import anywidget
import traitlets

from jupyterlab_dbt_workbench.dbt_project import DbtProject
from jupyterlab_dbt_workbench.errors import InvalidRequest, WorkbenchError

_LOG = logging.getLogger(__name__)

LENSES = ("resource_type", "materialized", "status", "test_status", "tag")
GROUP_KEYS = ("folder", "schema", "package", "tag", "resource_type")
# The most nodes one answer carries; the core's own cap (the full 5,000-model graph fits).
MAX_NODES = 20000
_MAX_DEPTH = 1000

ESM_PATH = Path(__file__).parent / "static" / "lineage.js"

_projects: dict[Path, DbtProject] = {}
_projects_lock = threading.Lock()


def project_for(project: str | Path | DbtProject | None) -> DbtProject:
    """The ``DbtProject`` a widget shows: the one given, else the kernel's shared one for the
    folder (found like ``%dbt`` does: the project containing the working directory, or the
    only one under it), loaded once per kernel."""
    if isinstance(project, DbtProject):
        return project
    from .magics import find_project

    folder = find_project(Path.cwd(), str(project) if project is not None else None)
    with _projects_lock:
        found = _projects.get(folder)
        if found is None:
            found = _projects[folder] = DbtProject(folder)
        return found


def _text(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidRequest(f"'{name}' must be a string, not {value!r}.")
    return value


def _required(params: Mapping[str, Any], name: str) -> str:
    value = _text(params, name)
    if value is None:
        raise InvalidRequest(f"The '{name}' parameter is required.")
    return value


def _count(params: Mapping[str, Any], name: str, top: int) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= top:
        raise InvalidRequest(f"'{name}' must be a whole number from 0 to {top}, not {value!r}.")
    return value


def lineage(project: DbtProject, params: Mapping[str, Any]) -> Any:
    """The ``lineage`` request: a query of the view (``select``, ``exclude``, ``focus``,
    ``depth``, ``maxNodes``, ``group_by``) answered like ``GET lineage``.

    ``upstream`` / ``downstream`` (with a focus and no selector) keep that many steps on each
    side, which a single ``depth`` cannot say.
    """
    select, focus = _text(params, "select"), _text(params, "focus")
    upstream = _count(params, "upstream", _MAX_DEPTH)
    downstream = _count(params, "downstream", _MAX_DEPTH)
    depth = _count(params, "depth", _MAX_DEPTH)
    max_nodes = _count(params, "maxNodes", MAX_NODES) or MAX_NODES
    sides = None
    if select is None and (upstream is not None or downstream is not None):
        sides = (1 if upstream is None else upstream, 1 if downstream is None else downstream)
        depth = max(sides)
        if sides[0] == sides[1]:
            sides = None
    found = project.lineage(
        focus,
        select=select,
        exclude=_text(params, "exclude"),
        depth=depth,
        group_by=_text(params, "group_by"),
        max_nodes=max_nodes if sides is None else MAX_NODES,
    )
    if sides is not None and found["focus"] is not None:
        return _within(project, found, -sides[0], sides[1], max_nodes)
    return found


def _within(project: DbtProject, answer: Any, low: int, high: int, max_nodes: int) -> Any:
    """``answer`` (a focus and ``n`` steps on both sides) cut to ``low``..``high`` steps from
    the focus (ancestors have negative distances), then to ``max_nodes`` nearest first."""
    from jupyterlab_dbt_workbench.graph.grouping import group_nodes

    inside = [
        node
        for node in answer["nodes"]
        if node["distance"] is not None and low <= node["distance"] <= high
    ]
    nodes = inside[:max_nodes]
    kept = {node["unique_id"] for node in nodes}
    groups, group_edges = answer["groups"], answer["group_edges"]
    if answer["group_by"] is not None:
        groups, group_edges = group_nodes(project.state, list(kept), answer["group_by"])
    return {
        **answer,
        "select": f"{-low}+{project.state.nodes[answer['focus']].name}+{high}",
        "nodes": nodes,
        "edges": [edge for edge in answer["edges"] if edge[0] in kept and edge[1] in kept],
        "groups": groups,
        "group_edges": group_edges,
        "total": len(inside),
        "truncated": len(inside) > len(nodes),
    }


def model_columns(project: DbtProject, params: Mapping[str, Any]) -> Any:
    """The ``modelColumns`` request: every column edge of one model (``GET lineage/columns``)."""
    from jupyterlab_dbt_workbench.lineage.payloads import model_payload

    columns = project.columns
    columns.require_compiled()
    return model_payload(columns, _required(params, "uniqueId"))


def column_trace(project: DbtProject, params: Mapping[str, Any]) -> Any:
    """The ``columnTrace`` request: a column's lineage up- and downstream
    (``GET lineage/column?direction=both``)."""
    from jupyterlab_dbt_workbench.lineage.payloads import column_graph_payload

    columns = project.columns
    columns.require_compiled()
    return column_graph_payload(
        columns,
        _required(params, "uniqueId"),
        _required(params, "column"),
        "both",
        _count(params, "depth", _MAX_DEPTH),
    )


METHODS: dict[str, Callable[[DbtProject, Mapping[str, Any]], Any]] = {
    "lineage": lineage,
    "modelColumns": model_columns,
    "columnTrace": column_trace,
}


def answer(project: DbtProject, request: Mapping[str, Any]) -> dict[str, Any]:
    """The response message to one request message of the view. Failures are answered with
    the core error's message (``ok: false``), never with a traceback."""
    request_id = request.get("id")
    method = METHODS.get(str(request.get("method")))
    try:
        if method is None:
            raise InvalidRequest(
                f"Unknown request {request.get('method')!r}; known: {', '.join(METHODS)}."
            )
        params = request.get("params") or {}
        if not isinstance(params, Mapping):
            raise InvalidRequest("The request's 'params' must be an object.")
        data = method(project, params)
    except WorkbenchError as error:
        return {"type": "response", "id": request_id, "ok": False, "error": error.message}
    except Exception as error:  # a bug must not leave the view waiting forever
        _LOG.exception("The lineage widget's %r request failed", request.get("method"))
        message = f"The kernel could not answer: {type(error).__name__}: {error}"
        return {"type": "response", "id": request_id, "ok": False, "error": message}
    return {"type": "response", "id": request_id, "ok": True, "data": data}


class LineageWidget(anywidget.AnyWidget):
    """The lineage of a dbt node or selection, drawn by the workbench's renderer.

    ``LineageWidget("fct_orders", upstream=2, downstream=2)`` shows two steps on each side of
    ``fct_orders``; ``select``/``exclude`` take dbt selectors instead. Click a node and read
    ``widget.selected`` (its unique id) from Python; in column mode, ``selected_column`` is
    ``{"node", "column"}`` of the clicked column. ``project`` is a dbt project folder or a
    ``DbtProject`` (default: the project containing the working directory).
    """

    # A property, not anywidget's usual path attribute, which is read when the class is
    # defined: importing the package must work in a source tree whose bundle is not built.
    @property
    def _esm(self) -> str:
        try:
            return ESM_PATH.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise RuntimeError(
                f"The lineage widget's script {ESM_PATH} is missing: build the package "
                "(`jlpm build` in its source folder, or reinstall it)."
            ) from None

    focus = traitlets.Unicode(None, allow_none=True, help="unique id of the centred node").tag(
        sync=True
    )
    select = traitlets.Unicode(None, allow_none=True, help="dbt selector to show").tag(sync=True)
    exclude = traitlets.Unicode(None, allow_none=True, help="dbt selector to leave out").tag(
        sync=True
    )
    upstream = traitlets.Int(1, min=0, max=_MAX_DEPTH).tag(sync=True)
    downstream = traitlets.Int(1, min=0, max=_MAX_DEPTH).tag(sync=True)
    lens = traitlets.Enum(LENSES, default_value="resource_type").tag(sync=True)
    group_by = traitlets.Enum(GROUP_KEYS, default_value=None, allow_none=True).tag(sync=True)
    column_mode = traitlets.Bool(False).tag(sync=True)
    height = traitlets.Unicode("480px", help="CSS height of the view").tag(sync=True)
    selected = traitlets.Unicode(None, allow_none=True, help="unique id of the clicked node").tag(
        sync=True
    )
    selected_column = traitlets.Dict(
        default_value=None, allow_none=True, help="{'node', 'column'} clicked in column mode"
    ).tag(sync=True)

    def __init__(
        self,
        focus: str | None = None,
        *,
        upstream: int = 1,
        downstream: int = 1,
        project: str | Path | DbtProject | None = None,
        select: str | None = None,
        exclude: str | None = None,
        column_mode: bool = False,
        lens: str = "resource_type",
        **kwargs: Any,
    ) -> None:
        if focus is None and select is None:
            raise ValueError("Give a node to centre on (LineageWidget('orders')) or a select=.")
        self.project = project_for(project)
        super().__init__(
            focus=focus,
            upstream=upstream,
            downstream=downstream,
            select=select,
            exclude=exclude,
            column_mode=column_mode,
            lens=lens,
            **kwargs,
        )
        self.on_msg(self._on_request)

    @traitlets.validate("focus")
    def _valid_focus(self, proposal: Any) -> str | None:
        value = proposal["value"]
        if value is None:
            return None
        try:
            return self.project.unique_id(value)
        except WorkbenchError as error:
            raise traitlets.TraitError(error.message) from None

    @traitlets.validate("select", "exclude")
    def _valid_selector(self, proposal: Any) -> str | None:
        value = proposal["value"]
        if not value:
            return None
        try:
            self.project.select(value)
        except WorkbenchError as error:
            raise traitlets.TraitError(error.message) from None
        return str(value)

    def _on_request(self, _widget: Any, content: Any, _buffers: Any) -> None:
        if isinstance(content, Mapping) and content.get("type") == "request":
            self.send(answer(self.project, content))
