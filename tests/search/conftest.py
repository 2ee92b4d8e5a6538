"""Fixtures of the search tests: the small project of ``tests/search_states.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from search_states import build

from jupyterlab_dbt_workbench.artifacts.state import ProjectState


@pytest.fixture
def shop(tmp_path: Path) -> ProjectState:
    return build(tmp_path)
