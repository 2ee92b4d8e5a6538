"""Fixtures of the column lineage tests: project states built from real dbt artifacts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from lineage_states import CATALOG, MANIFEST, StateFactory, fixture_json, state_factory


@pytest.fixture(scope="session")
def jaffle_manifest() -> Any:
    return fixture_json(MANIFEST)


@pytest.fixture(scope="session")
def jaffle_catalog() -> Any:
    return fixture_json(CATALOG)


@pytest.fixture
def make_state(tmp_path: Path, jaffle_manifest: Any, jaffle_catalog: Any) -> StateFactory:
    """``make_state(edit=None, catalog=True)``: a state of jaffle_shop (see lineage_states)."""
    return state_factory(tmp_path, jaffle_manifest, jaffle_catalog)
