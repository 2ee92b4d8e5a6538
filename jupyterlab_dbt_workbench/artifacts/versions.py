"""Which artifact schema versions the workbench reads, and the check of each file against them."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jupyterlab_dbt_workbench.errors import MalformedArtifact, UnsupportedSchemaVersion

# What dbt 1.5 and later write. Older files lack fields we rely on (attached_node, raw_code...).
SUPPORTED_VERSIONS: Mapping[str, tuple[int, ...]] = {
    "manifest": (9, 10, 11, 12),
    "run_results": (4, 5, 6),
    "catalog": (1,),
    "sources": (3,),
}

# The schema URL spells run_results with a dash.
_URL_KINDS = {
    "manifest": "manifest",
    "run-results": "run_results",
    "catalog": "catalog",
    "sources": "sources",
}
_SCHEMA_URL = re.compile(r"/dbt/(?P<kind>[a-z_-]+)/v(?P<version>\d+)\.json$")


@dataclass(frozen=True, slots=True)
class ArtifactMetadata:
    """The ``metadata`` block every artifact carries, validated."""

    kind: str
    schema_version: int
    dbt_version: str | None
    generated_at: str | None
    invocation_id: str | None
    adapter_type: str | None
    project_name: str | None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _supported_text(kind: str) -> str:
    return ", ".join(f"v{number}" for number in SUPPORTED_VERSIONS[kind])


def check_metadata(kind: str, data: Any, label: str) -> ArtifactMetadata:
    """Validate the metadata of a parsed artifact of ``kind`` (``manifest``, ``run_results``...).

    ``label`` names the file in messages. Raises ``MalformedArtifact`` when the metadata is
    missing or garbled, or the file holds another kind of artifact, and
    ``UnsupportedSchemaVersion`` when its version is not one we read.
    """
    metadata = data.get("metadata") if isinstance(data, dict) else None
    url = metadata.get("dbt_schema_version") if isinstance(metadata, dict) else None
    match = _SCHEMA_URL.search(url) if isinstance(url, str) else None
    if metadata is None or match is None:
        raise MalformedArtifact(
            f"{label} has no readable metadata.dbt_schema_version, so it is not a dbt "
            f"{kind} artifact dbt wrote. Regenerate it with dbt 1.5 or later.",
            artifact=kind,
        )
    found_kind = _URL_KINDS.get(match["kind"], match["kind"])
    if found_kind != kind:
        raise MalformedArtifact(
            f"{label} holds a {found_kind} artifact, not a {kind}. Regenerate it with dbt.",
            artifact=kind,
        )
    version = int(match["version"])
    dbt_version = _text(metadata.get("dbt_version"))
    if version not in SUPPORTED_VERSIONS[kind]:
        written_by = f" (written by dbt {dbt_version})" if dbt_version else ""
        raise UnsupportedSchemaVersion(
            f"{label} is {kind} schema v{version}{written_by}; the workbench reads {kind} "
            f"{_supported_text(kind)}. Regenerate it with dbt 1.5 or later "
            "(for example `dbt parse` or `dbt build`).",
            artifact=kind,
        )
    return ArtifactMetadata(
        kind=kind,
        schema_version=version,
        dbt_version=dbt_version,
        generated_at=_text(metadata.get("generated_at")),
        invocation_id=_text(metadata.get("invocation_id")),
        adapter_type=_text(metadata.get("adapter_type")),
        project_name=_text(metadata.get("project_name")),
    )
