"""Fixtures of the core tests: real dbt artifacts written into throwaway project folders."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from artifact_builders import (
    CATALOG,
    MANIFEST,
    ProjectFactory,
    fixture_bytes,
    run_results_with_test_outcomes,
    sources_json,
)

from jupyterlab_dbt_workbench.workbench import Workbench


@pytest.fixture
def make_project(tmp_path: Path) -> ProjectFactory:
    """Write a dbt project folder under ``tmp_path`` with the given artifacts in target/.

    Artifacts are given as fixture names (str), raw bytes, or None to leave the file out.
    """

    def make(
        relative: str = "shop",
        *,
        name: str = "jaffle_shop",
        manifest: str | bytes | None = MANIFEST,
        catalog: str | bytes | None = None,
        run_results: str | bytes | None = None,
        sources: str | bytes | None = None,
        project_yml: str | None = None,
    ) -> Path:
        folder = tmp_path / relative
        target = folder / "target"
        target.mkdir(parents=True, exist_ok=True)
        (folder / "dbt_project.yml").write_text(
            project_yml if project_yml is not None else f"name: {name}\nprofile: {name}\n"
        )
        files = {
            "manifest.json": manifest,
            "catalog.json": catalog,
            "run_results.json": run_results,
            "sources.json": sources,
        }
        for filename, content in files.items():
            if content is not None:
                data = fixture_bytes(content) if isinstance(content, str) else content
                (target / filename).write_bytes(data)
        return folder

    return make


@pytest.fixture
def full_project(make_project: ProjectFactory) -> Path:
    """The jaffle_shop project with every artifact: manifest, catalog, results, freshness."""
    return make_project(
        catalog=CATALOG,
        run_results=run_results_with_test_outcomes(),
        sources=sources_json(),
    )


@pytest.fixture
def workbench(tmp_path: Path, full_project: Path) -> Iterator[Workbench]:
    bench = Workbench(tmp_path, store_path=None)
    yield bench
    bench.close()
