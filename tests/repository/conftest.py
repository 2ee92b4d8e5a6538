"""Every repository test runs git with a private config (identity, no hooks, no signing)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import git_repos
import pytest

from jupyterlab_dbt_workbench.repository.locate import ProjectRepository, repository_at


@pytest.fixture(autouse=True)
def _isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    git_repos.isolate(monkeypatch, tmp_path)


@pytest.fixture
def open_repo() -> Iterator[Callable[[Path], ProjectRepository]]:
    """Open the repository holding a folder; every opened one is closed after the test."""
    opened: list[ProjectRepository] = []

    def open_(folder: Path) -> ProjectRepository:
        found = repository_at(folder)
        opened.append(found)
        return found

    yield open_
    for found in opened:
        found.repo.close()
