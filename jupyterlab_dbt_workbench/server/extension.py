"""Wiring the workbench into a running Jupyter server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tornado.ioloop import IOLoop

from jupyterlab_dbt_workbench.config import DbtWorkbench

from .routes import handlers
from .service import WorkbenchService


def load_extension(server_app: Any) -> None:
    """Create the service, register the routes, start loading projects once the loop runs."""
    config = DbtWorkbench(parent=server_app)
    root = Path(server_app.root_dir).expanduser().resolve()
    service = WorkbenchService(root, config, server_app.log)
    web_app = server_app.web_app
    web_app.settings["dbt_workbench_service"] = service
    _add_page_config(web_app.settings, config)
    web_app.add_handlers(".*$", handlers(web_app.settings["base_url"]))
    IOLoop.current().add_callback(service.start)
    server_app.log.info("dbt workbench: serving projects under %s", root)


def _add_page_config(settings: dict[str, Any], config: DbtWorkbench) -> None:
    """Tell the frontend, through JupyterLab's page config, what it must do on start."""
    previous = settings.get("page_config_hook")

    def hook(handler: Any, page_config: dict[str, Any]) -> dict[str, Any]:
        if previous is not None:
            page_config = previous(handler, page_config)
        page_config["dbtWorkbenchOpenOnStart"] = bool(config.open_on_start)
        return page_config

    settings["page_config_hook"] = hook
