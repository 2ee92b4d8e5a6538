"""Jupyter server configuration for the Galata browser tests.

Started by Playwright's webServer (`jlpm start`). Serves the folder named by
DBT_WORKBENCH_UI_ROOT (run.sh prepares the demo project there) on a fixed port.
"""

import os
import tempfile

from jupyterlab.galata import configure_jupyter_server

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

configure_jupyter_server(c)

c.ServerApp.allow_root = True
c.ServerApp.port = int(os.environ.get("DBT_WORKBENCH_UI_PORT", "8899"))
c.ServerApp.root_dir = os.environ.get("DBT_WORKBENCH_UI_ROOT") or tempfile.mkdtemp(
    prefix="dbt-workbench-ui-"
)
# Snapshots of a test run must neither leak into nor read from the user's real store.
c.DbtWorkbench.store_path = ":memory:"
