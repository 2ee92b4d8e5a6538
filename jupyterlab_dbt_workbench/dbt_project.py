"""One dbt project from Python: a notebook or a script asks it questions, no server needed.

    from jupyterlab_dbt_workbench import DbtProject
    project = DbtProject("path/to/project")
    project.select("tag:finance+")
    project.lineage("fct_orders")                 # 1+fct_orders+1
    project.impact("stg_orders")                  # everything downstream, with distances
    project.column_lineage("fct_orders", "order_total").upstream()

It reads the artifacts dbt already wrote (target/manifest.json, catalog.json...); nothing here
runs dbt. Names may be given instead of unique ids wherever a node is asked for.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.catalog.entity import dashboard
from jupyterlab_dbt_workbench.catalog.listing import NodeFilter
from jupyterlab_dbt_workbench.catalog.payloads import ProjectHealth
from jupyterlab_dbt_workbench.errors import ProjectNotFound
from jupyterlab_dbt_workbench.graph import impact, model_lineage, resolve_node, select
from jupyterlab_dbt_workbench.graph.payloads import Impact, Lineage
from jupyterlab_dbt_workbench.lineage import ColumnTrace, ProjectColumnLineage
from jupyterlab_dbt_workbench.payloads import NodeDetail
from jupyterlab_dbt_workbench.project.discovery import PROJECT_FILE
from jupyterlab_dbt_workbench.search.payloads import SearchResult
from jupyterlab_dbt_workbench.workbench import Workbench

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.repository.impact_payloads import ChangeReport
    from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace

# The project is the root of its own workbench, so its id there is always ".".
_ID = "."


def find_project_folder(start: Path) -> Path:
    """The folder holding dbt_project.yml: ``start`` itself or the nearest parent."""
    start = start.expanduser().resolve()
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    raise ProjectNotFound(
        f"No {PROJECT_FILE} in {start} or any folder above it. Give the path of a dbt project, "
        "or run `jupyter dbt-workbench demo` to get one."
    )


class DbtProject:
    """The artifacts of one dbt project, with selection, lineage and column lineage.

    ``store_path`` is the SQLite file where column lineage is cached between sessions (the
    server's store may be given); None keeps the cache in memory.
    """

    def __init__(self, path: str | Path = ".", *, store_path: str | Path | None = None) -> None:
        self.path = find_project_folder(Path(path))
        self._workbench = Workbench(
            self.path, store_path=Path(store_path) if store_path is not None else None
        )
        self._sql: SqlWorkspace | None = None

    def __repr__(self) -> str:
        state = self.state
        counts = ", ".join(f"{n} {kind}" for kind, n in sorted(state.counts.items()))
        return f"<DbtProject {state.metadata.project_name or self.path.name}: {counts}>"

    def close(self) -> None:
        if self._sql is not None:
            self._sql.shutdown()
        self._workbench.close()

    @property
    def state(self) -> ProjectState:
        """The loaded artifacts; ``reload()`` reads them again after a dbt run."""
        return self._workbench.state(_ID)

    def reload(self) -> DbtProject:
        self._workbench.reload(_ID)
        return self

    def unique_id(self, node: str) -> str:
        """The unique id of a node given by name (``orders``) or unique id."""
        return resolve_node(self.state, node)

    def node(self, node: str) -> NodeDetail:
        """Everything known about a node: columns with types, tests and results, SQL, parents."""
        return self._workbench.node(_ID, self.unique_id(node))

    def search(
        self,
        query: str,
        *,
        offset: int = 0,
        limit: int = 20,
        **filters: str | list[str],
    ) -> SearchResult:
        """Search nodes, macros and columns: ``search("orders type:model")``, or with filters
        as keywords: ``search("amount", resource_type="model", tag=["finance"])``."""
        chosen = {
            key: [value] if isinstance(value, str) else list(value)
            for key, value in filters.items()
        }
        return self._workbench.search(_ID, query, filters=chosen, offset=offset, limit=limit)

    def nodes(self, resource_type: str | None = None, **filters: Any) -> Any:
        """The project's nodes as a pandas DataFrame (``resource_type``, ``tag``, ``q``...)."""
        import pandas as pd

        tags = filters.pop("tag", None)
        chosen = NodeFilter(
            resource_types=(resource_type,) if resource_type else (),
            tags=(tags,) if isinstance(tags, str) else tuple(tags or ()),
            **filters,
        )
        page = self._workbench.list_nodes(_ID, chosen, 0, 5000)
        rows = list(page["items"])
        while len(rows) < page["total"]:
            page = self._workbench.list_nodes(_ID, chosen, len(rows), 5000)
            rows += page["items"]
        return pd.DataFrame(rows)

    def select(
        self, select_: str | None = None, exclude: str | None = None, *, state: str | None = None
    ) -> list[str]:
        """What ``dbt ls --select ... --exclude ...`` lists, as unique ids.

        ``state`` is the baseline for ``state:`` selectors: a kept snapshot version ("3") or
        a folder holding a manifest.json, like dbt's ``--state``.
        """
        baseline = self._workbench.baseline_state(_ID, state) if state else None
        return select(self.state, select_, exclude, baseline=baseline)

    def lineage(
        self,
        focus: str | None = None,
        *,
        select: str | None = None,
        exclude: str | None = None,
        depth: int | None = None,
        group_by: str | None = None,
        max_nodes: int = 500,
    ) -> Lineage:
        """Model-level lineage: ``1+focus+1`` by default, or any dbt selector."""
        return model_lineage(
            self.state,
            select=select,
            focus=focus,
            exclude=exclude,
            depth=depth,
            group_by=group_by,
            max_nodes=max_nodes,
        )

    def impact(self, *nodes: str) -> Impact:
        """Everything downstream of the nodes, nearest first, and the exposures reached."""
        return impact(self.state, [self.unique_id(node) for node in nodes])

    @property
    def columns(self) -> ProjectColumnLineage:
        """Column lineage of the whole project (computed once per state, cached per model)."""
        return self._workbench.column_lineage(_ID)

    def column_lineage(self, node: str, column: str) -> ColumnTrace:
        """One column's lineage: ``.upstream()``, ``.downstream()``, ``.impact()``."""
        return self.columns.column(node, column)

    def changes(self, base: str | None = None) -> ChangeReport:
        """What the working tree changes in the project: against HEAD, or (``base``, e.g.
        "main") against the merge-base of HEAD and that ref. Modified nodes with the reasons,
        downstream nodes and exposures, and each changed model's column changes."""
        from jupyterlab_dbt_workbench.repository.changes import project_changes

        return project_changes(self._workbench, _ID, base)

    def schedules(self, store_path: str | Path | None = None) -> Any:
        """This project's schedules as a pandas DataFrame (name, cron, next run, last status...).

        Read from the workbench store: ``store_path``, else the one this project was opened
        with, else the Jupyter server's default store. A schedule belongs to this project when
        its project id (a folder under the server's root) ends this project's path.
        """
        import pandas as pd

        from jupyterlab_dbt_workbench.config import DbtWorkbench
        from jupyterlab_dbt_workbench.schedules.store import ScheduleStore
        from jupyterlab_dbt_workbench.store.database import Database

        path = store_path or self._workbench.database.path or DbtWorkbench().store_path
        database = Database(Path(path))
        try:
            found = ScheduleStore(database).all()
        finally:
            database.close()
        columns = ["name", "project", "cron", "timezone", "enabled", "next_run_local",
                   "last_status", "last_run_at", "state", "error", "id"]  # fmt: skip
        rows = []
        for schedule in found:
            parts = Path(schedule.project).parts
            if schedule.project != "." and self.path.parts[-len(parts) :] != parts:
                continue
            shown: dict[str, Any] = dict(schedule.payload())
            rows.append([shown[column] for column in columns])
        return pd.DataFrame(rows, columns=columns)

    def health(self) -> ProjectHealth:
        """The project health dashboard: counts, tests, freshness, coverage, slowest models
        (the same payload as ``GET dashboard``)."""
        return dashboard(self._workbench, _ID)

    def suggest_tests(self, node: str) -> Any:
        """Profile a model, seed or snapshot in its DuckDB warehouse and suggest the generic
        tests its data passes, with the evidence (the payload of ``GET quality/suggestions``)."""
        from jupyterlab_dbt_workbench.quality import suggest_tests

        return suggest_tests(self.state, self.unique_id(node))

    def sql(self, text: str, *, limit: int | None = None, target: str | None = None) -> Any:
        """Run SQL with ``ref()``/``source()`` on the project's warehouse; a pandas DataFrame.

        Writes are refused (unless ``DbtWorkbench.allow_sql_writes`` is configured); at most
        ``limit`` rows (default 10,000). The query is recorded in the SQL history of
        ``store_path``.
        """
        if self._sql is None:
            from jupyterlab_dbt_workbench.config import DbtWorkbench

            self._sql = DbtWorkbench().make_sql_workspace(self._workbench)
        frame, _ = self._sql.run_dataframe(_ID, text, limit=limit, target=target)
        return frame

    def edit_metadata(
        self,
        node: str,
        *,
        description: str | None = None,
        tags: list[str] | None = None,
        owner: str | None = None,
        columns: list[dict[str, Any]] | None = None,
        dry_run: bool = False,
    ) -> Any:
        """Write a node's description, tags, owner or column changes into its YAML file.

        ``columns`` items are ``{"name", "description"?, "tags"?, "add_tests"?}`` (e.g.
        ``{"name": "status", "add_tests": ["not_null"]}``). Returns the applied edit with its
        diff; ``dry_run=True`` returns the preview and writes nothing. The artifacts show the
        change after the next ``dbt parse``.
        """
        from jupyterlab_dbt_workbench import metadata

        body: dict[str, Any] = {"node": self.unique_id(node), "columns": columns or []}
        for key, value in (("description", description), ("tags", tags), ("owner", owner)):
            if value is not None:
                body[key] = value
        _, edit = metadata.edit_from_json(body)
        shown = metadata.preview(self.state, edit)
        if dry_run:
            return shown
        return metadata.apply(self.state, edit, shown["base"])
