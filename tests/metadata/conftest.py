"""Fixtures of the metadata tests: the hand-made shop project, and the OpenAPI check."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from shop_project import write_project

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.workbench import Workbench


@pytest.fixture
def shop(tmp_path: Path) -> Path:
    return write_project(tmp_path / "shop")


@pytest.fixture
def shop_state(shop: Path) -> Iterator[Callable[[], ProjectState]]:
    workbench = Workbench(shop, store_path=None)
    yield lambda: workbench.state(".")
    workbench.close()


@pytest.fixture
def conforms() -> Callable[[str, str, Any], None]:
    """Assert that ``body`` matches the success schema of ``method path`` in the OpenAPI doc."""
    from jsonschema import Draft202012Validator

    from jupyterlab_dbt_workbench.server.openapi import openapi_document

    doc = openapi_document()

    def check(method: str, path: str, body: Any) -> None:
        responses = doc["paths"][path][method.lower()]["responses"]
        success = next(code for code in responses if code.startswith("2"))
        schema = responses[success]["content"]["application/json"]["schema"]
        errors = list(
            Draft202012Validator({**schema, "components": doc["components"]}).iter_errors(body)
        )
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])

    return check
