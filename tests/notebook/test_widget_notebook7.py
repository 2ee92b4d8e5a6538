"""The lineage widget in Jupyter Notebook 7, in Debian's Chromium (Python Playwright).

JupyterLab is covered by the Galata spec (ui-tests/tests/widget.spec.ts); Notebook 7 loads
the same labextensions in another application shell, so the widget is checked there too:
it draws, and a click on a node is read back from Python.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
FCT_ORDERS = "model.copper_kettle.fct_orders"
STARTUP_SECONDS = 90

_CONFIG = """
c = get_config()  # noqa: F821
c.ServerApp.port = {port}
c.ServerApp.port_retries = 0
c.ServerApp.root_dir = {root!r}
c.ServerApp.open_browser = False
c.ServerApp.allow_root = True
c.ServerApp.disable_check_xsrf = True
c.IdentityProvider.token = ""
c.ServerApp.password = ""
c.JupyterNotebookApp.expose_app_in_browser = True
c.DbtWorkbench.store_path = ":memory:"
"""

_CELLS = [
    "from jupyterlab_dbt_workbench import LineageWidget\n"
    'w = LineageWidget("fct_orders", upstream=0, downstream=0)\n'
    "w",
    "print(w.selected)",
]

# Runs one cell of the open notebook through the application's own command.
_RUN_CELL = """
async index => {
  const panel = window.jupyterapp.shell.currentWidget;
  await panel.sessionContext.ready;
  panel.content.activeCellIndex = index;
  await window.jupyterapp.commands.execute('notebook:run-cell');
}
"""


def _notebook(cells: list[str]) -> dict[str, object]:
    return {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "source": source,
                "outputs": [],
                "execution_count": None,
            }
            for source in cells
        ],
        "metadata": {
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def notebook7(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Jupyter Notebook 7 server whose root is a copy of the built demo; yields its URL."""
    base = tmp_path_factory.mktemp("notebook7")
    root = base / "demo"
    shutil.copytree(built_demo, root)
    (root / "widget.ipynb").write_text(json.dumps(_notebook(_CELLS)))
    port = _free_port()
    config = base / "jupyter_notebook_config.py"
    config.write_text(_CONFIG.format(port=port, root=str(root)))
    log = (base / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "notebook", "--config", str(config)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "JUPYTER_CONFIG_DIR": str(base / "config")},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/status", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        "Notebook 7 did not start:\n" + (base / "server.log").read_text()[-3000:]
                    ) from None
                time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def test_the_widget_draws_and_reports_the_click_in_notebook_7(notebook7: str) -> None:
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(f"{notebook7}/notebooks/widget.ipynb")
            page.wait_for_function(
                "() => window.jupyterapp?.shell.currentWidget?.sessionContext",
                timeout=STARTUP_SECONDS * 1000,
            )
            page.evaluate(_RUN_CELL, 0)

            host = page.locator("[data-dbt-lineage-widget]")
            expect(host).to_have_attribute("data-node-count", "1", timeout=60_000)
            box = host.bounding_box()
            assert box is not None
            page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            expect(host).to_have_attribute("data-selected", FCT_ORDERS)

            page.evaluate(_RUN_CELL, 1)
            output = page.locator(".jp-Notebook .jp-Cell").nth(1).locator(".jp-OutputArea-output")
            expect(output).to_have_text(FCT_ORDERS, timeout=30_000)
        finally:
            browser.close()
