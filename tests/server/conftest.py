"""Server-test helpers: validate responses against the served OpenAPI schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def conforms() -> Callable[[str, str, Any], None]:
    """Assert that ``body`` matches the 200 schema of ``method path`` in the OpenAPI document."""
    from jsonschema import Draft202012Validator

    from jupyterlab_dbt_workbench.server.openapi import openapi_document

    doc = openapi_document()

    def check(method: str, path: str, body: Any) -> None:
        responses = doc["paths"][path][method.lower()]["responses"]
        success = next(code for code in responses if code.startswith(("1", "2")))
        schema = responses[success]["content"]["application/json"]["schema"]
        root = {**schema, "components": doc["components"]}
        errors = sorted(Draft202012Validator(root).iter_errors(body), key=str)
        assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors[:10])

    return check
