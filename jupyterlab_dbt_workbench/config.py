"""Server-side settings of the workbench, configurable like any Jupyter server option.

Set them in ``jupyter_server_config.py`` (``c.DbtWorkbench.snapshot_limit = 50``) or on the
command line (``--DbtWorkbench.poll_interval=5``). The user-facing settings (grouping, refresh
interval of the browser) live in JupyterLab's settings registry instead.
"""

from __future__ import annotations

from pathlib import Path

from traitlets import Bool, Float, Int, Unicode, default
from traitlets.config import Configurable


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

    @default("store_path")
    def _default_store_path(self) -> str:
        from jupyter_core.paths import jupyter_data_dir

        return str(Path(jupyter_data_dir()) / "dbt_workbench" / "workbench.sqlite")
