"""The metadata routes over the hand-made shop project: preview, apply, conflicts, settings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from shop_project import write_project

MARTS = "models/marts/_marts.yml"


@pytest.fixture
def shop_root(jp_root_dir: Path) -> Path:
    return write_project(jp_root_dir / "shop")


def body(**fields: Any) -> bytes:
    return json.dumps({"project": "shop", "node": "model.shop.orders", **fields}).encode()


async def test_preview_then_apply_writes_the_file(shop_root: Path, api: Any, conforms: Any) -> None:
    status, settings = await api("metadata", "settings")
    assert status == 200 and settings["allow_edits"] is True
    conforms("get", "/metadata/settings", settings)
    status, form = await api(
        "metadata", "node", params={"project": "shop", "node": "model.shop.orders"}
    )
    assert status == 200, form
    conforms("get", "/metadata/node", form)
    assert form["description"] == "One row per order."
    status, shown = await api("metadata", "preview", method="POST", body=body(description="New."))
    assert status == 200, shown
    conforms("post", "/metadata/preview", shown)
    assert "+    description: 'New.'" in shown["diff"]
    status, saved = await api(
        "metadata", "apply", method="POST", body=body(description="New.", base=shown["base"])
    )
    assert status == 200, saved
    conforms("post", "/metadata/apply", saved)
    assert "description: 'New.'" in (shop_root / MARTS).read_text()
    # The same base again: the file moved on, so the second apply is refused.
    status, error = await api(
        "metadata", "apply", method="POST", body=body(description="Other.", base=shown["base"])
    )
    assert status == 409
    assert error["reason"] == "file_changed"
    assert "description: 'New.'" in (shop_root / MARTS).read_text()


async def test_errors_map_to_statuses(shop_root: Path, api: Any) -> None:
    status, error = await api("metadata", "preview", method="POST", body=body(colour="red"))
    assert (status, error["reason"]) == (400, "bad_parameter")
    status, error = await api(
        "metadata", "preview", method="POST", body=body(node="model.shop.nope", description="x")
    )
    assert status == 404
    status, error = await api(
        "metadata", "preview", method="POST", body=body(node="model.shop.escape", description="x")
    )
    assert (status, error["reason"]) == (400, "unsafe_path")
    (shop_root / MARTS).write_text("models:\n  - name: orders\n    description: [oops\n")
    status, error = await api("metadata", "preview", method="POST", body=body(description="x"))
    assert (status, error["reason"]) == (422, "invalid_yaml")
    assert "line" in error["message"]
    status, error = await api("metadata", "apply", method="POST", body=body(description="x"))
    assert status == 400 and "base" in error["message"]


async def test_edits_switched_off_answer_403(
    shop_root: Path, api: Any, jp_serverapp: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    service = jp_serverapp.web_app.settings["dbt_workbench_service"]
    monkeypatch.setattr(service.config, "allow_metadata_edits", False)
    before = (shop_root / MARTS).read_text()
    status, settings = await api("metadata", "settings")
    assert settings["allow_edits"] is False and "allow_metadata_edits" in settings["message"]
    status, error = await api("metadata", "preview", method="POST", body=body(description="x"))
    assert (status, error["reason"]) == (403, "metadata_edits_disabled")
    status, error = await api(
        "metadata", "apply", method="POST", body=body(description="x", base="missing")
    )
    assert status == 403
    status, form = await api(
        "metadata", "node", params={"project": "shop", "node": "model.shop.orders"}
    )
    assert status == 200 and form["allow_edits"] is False
    assert (shop_root / MARTS).read_text() == before
