"""Fixtures of the graph tests: the small project of ``graph_builders`` as a ProjectState."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graph_builders import StateFactory, build_small_state

from jupyterlab_dbt_workbench.artifacts.state import ProjectState


@pytest.fixture
def make_state(tmp_path: Path) -> StateFactory:
    """``make_state(manifest=None, statuses=None)``: see ``build_small_state``."""

    def make(
        manifest: dict[str, Any] | None = None, statuses: dict[str, str] | None = None
    ) -> ProjectState:
        return build_small_state(tmp_path, manifest, statuses)

    return make


@pytest.fixture
def shop(make_state: StateFactory) -> ProjectState:
    return make_state()
