"""The %dbt magic in a real IPython kernel, on a copy of the built demo project."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

TIMEOUT = 300


class Kernel:
    """A kernel and its client; ``run`` executes code and returns what the cell showed."""

    def __init__(self, manager: Any, client: Any) -> None:
        self.manager = manager
        self.client = client

    def run(self, code: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        msg_id = self.client.execute(code)
        outputs = []
        while True:
            message = self.client.get_iopub_msg(timeout=TIMEOUT)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "status" and message["content"]["execution_state"] == "idle":
                break
            if kind in ("stream", "display_data", "update_display_data", "execute_result", "error"):
                outputs.append({"type": kind, **message["content"]})
        reply = self.client.get_shell_msg(timeout=TIMEOUT)
        return reply["content"], outputs


def text_of(outputs: list[dict[str, Any]]) -> str:
    parts = []
    for output in outputs:
        if output["type"] == "stream":
            parts.append(output["text"])
        elif output["type"] == "error":
            parts.append("\n".join(output["traceback"]))
        elif "data" in output:
            parts.append(output["data"].get("text/plain", ""))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def kernel(built_demo: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Kernel]:
    from jupyter_client.manager import start_new_kernel

    root = tmp_path_factory.mktemp("magic-root")
    shutil.copytree(built_demo, root / "demo")
    env = {
        **os.environ,
        "JUPYTER_DATA_DIR": str(root / ".data"),
        "JUPYTER_CONFIG_DIR": str(root / ".config"),
        # As jupyter_server names a notebook at <root>/demo/analysis.ipynb.
        "JPY_SESSION_NAME": "demo/analysis.ipynb",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    manager, client = start_new_kernel(
        kernel_name="python3", cwd=str(root / "demo"), env=env, startup_timeout=120
    )
    try:
        reply, outputs = Kernel(manager, client).run("%load_ext jupyterlab_dbt_workbench")
        assert reply["status"] == "ok", text_of(outputs)
        yield Kernel(manager, client)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def test_build_one_model_shows_progress_and_returns_results(kernel: Kernel) -> None:
    reply, outputs = kernel.run("r = %dbt build -s stg_orders\nr")
    assert reply["status"] == "ok", text_of(outputs)

    # The progress display was shown, then updated in place until the end.
    shown = [o for o in outputs if o["type"] == "display_data"]
    updates = [o for o in outputs if o["type"] == "update_display_data"]
    assert len(shown) == 1 and updates
    display_id = shown[0]["transient"]["display_id"]
    assert all(o["transient"]["display_id"] == display_id for o in updates)
    final = updates[-1]["data"]
    assert "success" in final["text/plain"] and "stg_orders" in final["text/plain"]
    assert "<div" in final["text/html"]

    (result,) = [o for o in outputs if o["type"] == "execute_result"]
    assert result["data"]["text/plain"].startswith("dbt build --select stg_orders: success")
    assert "stg_orders" in result["data"]["text/html"]

    reply, outputs = kernel.run(
        "import json\n"
        "print(json.dumps({'status': r.status, 'ok': r.ok, 'id': r.run_id,\n"
        "  'nodes': r.nodes[['unique_id', 'status']].to_dict('records'),\n"
        "  'log': 'stg_orders' in r.log}))"
    )
    assert reply["status"] == "ok", text_of(outputs)
    facts = json.loads(text_of(outputs))
    assert facts["status"] == "success" and facts["ok"] and facts["log"]
    statuses = {node["unique_id"]: node["status"] for node in facts["nodes"]}
    assert statuses["model.copper_kettle.stg_orders"] == "success"
    assert any(uid.startswith("test.") and status == "pass" for uid, status in statuses.items())

    # Recorded in the workbench's store under the project id the UI uses.
    reply, outputs = kernel.run(
        "from jupyterlab_dbt_workbench.notebook.session import sessions\n"
        "(session,) = sessions()\n"
        "page = session.manager.list(project='demo')\n"
        "print(json.dumps([item['id'] for item in page['items']]))"
    )
    assert json.loads(text_of(outputs)) == [facts["id"]]


def test_a_selection_that_matches_nothing_says_so(kernel: Kernel) -> None:
    reply, outputs = kernel.run("%dbt run -s nonexistent_model_xyz")
    assert reply["status"] == "ok", text_of(outputs)
    text = text_of([o for o in outputs if o["type"] == "execute_result"])
    assert "0 nodes" in text
    assert "nonexistent_model_xyz" in text and "does not match any enabled nodes" in text
    assert "Traceback" not in text_of(outputs)


def test_a_bad_command_is_a_one_line_message(kernel: Kernel) -> None:
    _, outputs = kernel.run("%dbt bogus -s stg_orders")
    (error,) = outputs
    assert error["type"] == "stream" and error["name"] == "stderr"
    # IPython prints a UsageError as one line, without a traceback.
    assert error["text"].startswith("UsageError: `bogus` is not a dbt command")
    assert "build" in error["text"]
    assert "Traceback" not in error["text"] and "File " not in error["text"]


def test_help(kernel: Kernel) -> None:
    reply, outputs = kernel.run("%dbt --help")
    assert reply["status"] == "ok"
    text = text_of(outputs)
    assert "--project PATH" in text and "build -s orders+" in text
