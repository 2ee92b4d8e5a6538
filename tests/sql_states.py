"""Project states for the SQL workspace tests: the small "shop" project of the search tests
(models orders, stg_orders, ...; source shop.raw_customers), written to a folder with its own
dbt_project.yml (vars) and profiles.yml (a DuckDB target), plus the really built demo.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson
import search_states

from jupyterlab_dbt_workbench.artifacts.loader import FileSignature, LoadedArtifact, parse_artifact
from jupyterlab_dbt_workbench.artifacts.state import ProjectState, build_state
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo
from jupyterlab_dbt_workbench.workbench import Workbench

PROJECT_YML = """\
name: shop
profile: shop
vars:
  start_date: '2024-01-01'
  shop:
    region: emea
  other_package:
    region: apac
"""

PROFILES_YML = """\
shop:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: warehouse/shop.duckdb
      schema: analytics
      threads: 2
    prod:
      type: duckdb
      path: prod.duckdb
"""


def shop_state(folder: Path, edit: Callable[[dict[str, Any]], None] | None = None) -> ProjectState:
    """The shop project in ``folder``; ``edit(manifest)`` may change the manifest first."""
    (folder / "dbt_project.yml").write_text(PROJECT_YML)
    (folder / "profiles.yml").write_text(PROFILES_YML)
    manifest = search_states.manifest()
    if edit is not None:
        edit(manifest)
    raw = orjson.dumps(manifest)
    data, metadata = parse_artifact("manifest", raw, "target/manifest.json")
    artifact = LoadedArtifact(
        kind="manifest",
        path=folder / "target" / "manifest.json",
        label="target/manifest.json",
        data=data,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        signature=FileSignature(0, len(raw)),
        metadata=metadata,
    )
    info = ProjectInfo(id="shop", name="shop", path=folder, profile="shop", target_path="target")
    return build_state(info, {"manifest": artifact}, "2026-01-01T00:00:00+00:00")


def demo_copy(built_demo: Path, folder: Path) -> Iterator[ProjectState]:
    """A private copy of the built demo and its state (for a module-scoped fixture)."""
    target = folder / "demo"
    shutil.copytree(built_demo, target)
    workbench = Workbench(target, store_path=None)
    try:
        yield workbench.state(None)
    finally:
        workbench.close()
