"""Project states of jaffle_shop (real dbt artifacts) for the column lineage tests."""

from __future__ import annotations

import copy
import gzip
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.artifacts.loader import read_artifact
from jupyterlab_dbt_workbench.artifacts.state import ProjectState, build_state
from jupyterlab_dbt_workbench.project.discovery import ProjectInfo

ARTIFACTS = Path(__file__).resolve().parent.parent / "fixtures" / "artifacts"
# jaffle_shop on DuckDB, compiled, with its catalog (dbt 1.12 wrote them; manifest v12).
MANIFEST = "manifest_v12_dbt-1.12.json"
CATALOG = "catalog_v1_dbt-1.12.json"

StateFactory = Callable[..., ProjectState]


def fixture_json(name: str) -> Any:
    return orjson.loads(gzip.decompress((ARTIFACTS / f"{name}.gz").read_bytes()))


def state_factory(folder: Path, manifest: Any, catalog_json: Any) -> StateFactory:
    """``make(edit=None, catalog=True)``: a state of jaffle_shop; ``edit(manifest)`` may
    change a private copy of the manifest first."""

    def make(
        edit: Callable[[dict[str, Any]], None] | None = None, *, catalog: bool = True
    ) -> ProjectState:
        data = copy.deepcopy(manifest)
        if edit is not None:
            edit(data)
        target = folder / "target"
        target.mkdir(exist_ok=True)
        files = {"manifest": data, "catalog": catalog_json if catalog else None}
        artifacts = {}
        for kind, content in files.items():
            if content is not None:
                path = target / f"{kind}.json"
                path.write_bytes(orjson.dumps(content))
                artifacts[kind] = read_artifact(kind, path, f"target/{kind}.json")
        info = ProjectInfo(
            id="shop", name="jaffle_shop", path=folder, profile=None, target_path="target"
        )
        return build_state(info, artifacts, "2026-01-01T00:00:00+00:00")

    return make
