"""Server-side settings of the workbench, configurable like any Jupyter server option.

Set them in ``jupyter_server_config.py`` (``c.DbtWorkbench.snapshot_limit = 50``) or on the
command line (``--DbtWorkbench.poll_interval=5``). The user-facing settings (grouping, refresh
interval of the browser) live in JupyterLab's settings registry instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from traitlets import Bool, Float, Int, Unicode, default
from traitlets.config import Configurable

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.runs.manager import RunManager
    from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler
    from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace
    from jupyterlab_dbt_workbench.workbench import Workbench


class DbtWorkbench(Configurable):
    """Options read once when the server extension starts."""

    store_path = Unicode(
        help=(
            "SQLite file holding artifact snapshots (and later runs, schedules and history). "
            "Defaults to dbt_workbench/workbench.sqlite in the Jupyter data directory. "
            "Use ':memory:' to keep nothing across restarts."
        ),
    ).tag(config=True)

    snapshot_limit = Int(
        20,
        help="How many artifact snapshot versions to keep per project (older ones are pruned).",
    ).tag(config=True)

    poll_interval = Float(
        2.0,
        help="Seconds between checks of the projects' artifacts for changes (0 disables it).",
    ).tag(config=True)

    open_on_start = Bool(
        False,
        help="Open the dbt side panel and the overview when JupyterLab starts (used by the demo).",
    ).tag(config=True)

    max_concurrent_runs = Int(
        2,
        help="How many dbt runs may execute at once; further runs wait in a queue.",
    ).tag(config=True)

    run_history_limit = Int(
        500,
        help="How many finished runs to keep in the history (older ones and their files go).",
    ).tag(config=True)

    runs_dir = Unicode(
        help=(
            "Folder holding each run's own target/ and logs/ folders. Defaults to "
            "dbt_workbench/runs in the Jupyter data directory."
        ),
    ).tag(config=True)

    cancel_interrupt_timeout = Float(
        10.0,
        help="Seconds a cancelled dbt run gets after SIGINT to stop before it is sent SIGTERM.",
    ).tag(config=True)

    cancel_terminate_timeout = Float(
        5.0,
        help="Seconds a cancelled dbt run gets after SIGTERM to stop before it is killed.",
    ).tag(config=True)

    dbt_executable = Unicode(
        "",
        help=(
            "The dbt program runs use. Empty: the dbt installed beside this Python, else the "
            "first dbt on PATH."
        ),
    ).tag(config=True)

    run_heartbeat_interval = Float(
        15.0,
        help="Seconds between heartbeat messages on a run's websocket while nothing happens.",
    ).tag(config=True)

    allow_metadata_edits = Bool(
        True,
        help=(
            "Let users edit descriptions, tags, owners and column tests from the UI (written "
            "into the project's YAML files). False makes the edit routes answer 403 and hides "
            "the edit actions for everyone; roles (docs/security.md) restrict it per user."
        ),
    ).tag(config=True)

    allow_sql_writes = Bool(
        False,
        help=(
            "Let the SQL workspace run statements that write to the warehouse (INSERT, CREATE, "
            "DROP, COPY, ATTACH, SET, ...) for users with the admin role. False refuses them "
            "and opens DuckDB read-only."
        ),
    ).tag(config=True)

    sql_max_rows = Int(
        10_000_000,
        help="The most rows one SQL workspace query may return (the cap of its row limit).",
    ).tag(config=True)

    sql_default_limit = Int(
        10_000,
        help="The row limit of a SQL workspace query that does not give one.",
    ).tag(config=True)

    sql_timeout = Float(
        300.0,
        help="Seconds a SQL workspace query may run before it is interrupted (the cap too).",
    ).tag(config=True)

    sql_results_dir = Unicode(
        help=(
            "Folder holding SQL workspace results as Parquet files. Defaults to "
            "dbt_workbench/sql-results in the Jupyter data directory."
        ),
    ).tag(config=True)

    sql_results_keep = Int(
        50,
        help="How many SQL workspace results to keep on disk (older ones answer 410 Gone).",
    ).tag(config=True)

    scheduler_enabled = Bool(
        True,
        help=(
            "Run the schedules' loop inside this server. False keeps the Schedules API (edit, "
            "Run now) but runs nothing on a cron slot: let another server sharing the store "
            "run them."
        ),
    ).tag(config=True)

    scheduler_interval = Float(
        15.0,
        help="Seconds between two turns of the schedules' loop (a slot starts this late at most).",
    ).tag(config=True)

    @default("store_path")
    def _default_store_path(self) -> str:
        from jupyter_core.paths import jupyter_data_dir

        return str(Path(jupyter_data_dir()) / "dbt_workbench" / "workbench.sqlite")

    @default("runs_dir")
    def _default_runs_dir(self) -> str:
        from jupyter_core.paths import jupyter_data_dir

        return str(Path(jupyter_data_dir()) / "dbt_workbench" / "runs")

    @default("sql_results_dir")
    def _default_sql_results_dir(self) -> str:
        from jupyter_core.paths import jupyter_data_dir

        return str(Path(jupyter_data_dir()) / "dbt_workbench" / "sql-results")

    def make_workbench(self, root: Path) -> Workbench:
        """The workbench over ``root`` with these settings (the server's, or a kernel's)."""
        from jupyterlab_dbt_workbench.workbench import Workbench

        store = self.store_path
        return Workbench(
            root,
            store_path=None if store == ":memory:" else Path(store),
            snapshot_limit=self.snapshot_limit,
        )

    def make_run_manager(self, workbench: Workbench) -> RunManager:
        """The run manager over ``workbench`` with these settings, sharing its store."""
        from jupyterlab_dbt_workbench.runs.manager import RunManager

        return RunManager(
            workbench,
            workbench.database,
            Path(self.runs_dir),
            max_concurrent=self.max_concurrent_runs,
            history_limit=self.run_history_limit,
            dbt=self.dbt_executable or None,
            interrupt_timeout=self.cancel_interrupt_timeout,
            terminate_timeout=self.cancel_terminate_timeout,
        )

    def make_sql_workspace(self, workbench: Workbench) -> SqlWorkspace:
        """The SQL workspace over ``workbench`` with these settings, sharing its store."""
        from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace

        return SqlWorkspace(
            workbench,
            Path(self.sql_results_dir),
            allow_writes=self.allow_sql_writes,
            max_rows=self.sql_max_rows,
            default_limit=self.sql_default_limit,
            timeout=self.sql_timeout,
            keep=self.sql_results_keep,
            dbt=self.dbt_executable or None,
        )

    def make_scheduler(self, workbench: Workbench, run_manager: RunManager) -> Scheduler:
        """The scheduler over ``workbench`` and ``run_manager``, with a notifier, sharing the
        workbench's store."""
        from jupyterlab_dbt_workbench.notify import Notifier
        from jupyterlab_dbt_workbench.schedules.scheduler import Scheduler

        notifier = Notifier(workbench.database)
        return Scheduler(workbench, run_manager, notifier, workbench.database)
