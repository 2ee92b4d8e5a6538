"""Reading one artifact file: bytes, hash, JSON and schema check, never a half-written file."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from jupyterlab_dbt_workbench.errors import ArtifactError, MalformedArtifact
from jupyterlab_dbt_workbench.payloads import ArtifactKind

from .versions import ArtifactMetadata, check_metadata

ARTIFACT_KINDS: tuple[ArtifactKind, ...] = ("manifest", "catalog", "run_results", "sources")
ARTIFACT_FILES: Mapping[str, str] = {
    "manifest": "manifest.json",
    "catalog": "catalog.json",
    "run_results": "run_results.json",
    "sources": "sources.json",
}

# A file whose size or mtime moves while we read it is still being written; a few short
# retries cover dbt finishing its write, a longer wait is the next poll's business.
_READ_ATTEMPTS = 3
_RETRY_DELAY = 0.05


class ArtifactBusy(ArtifactError):
    """The file kept changing while it was read: dbt is still writing it."""

    reason = "artifact_busy"


@dataclass(frozen=True, slots=True)
class FileSignature:
    """What ``stat`` says of a file; a different signature means different content."""

    mtime_ns: int
    size: int


def file_signature(path: Path) -> FileSignature | None:
    """The signature of ``path``, or None when it does not exist (or is not a file)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    if not path.is_file():
        return None
    return FileSignature(stat.st_mtime_ns, stat.st_size)


@dataclass(frozen=True)
class LoadedArtifact:
    """A parsed, validated artifact. ``data`` is shared by every state built from it and is
    never mutated."""

    kind: str
    path: Path
    label: str
    data: Mapping[str, Any]
    raw: bytes
    sha256: str
    signature: FileSignature
    metadata: ArtifactMetadata

    @property
    def size(self) -> int:
        """Size of the file in bytes."""
        return len(self.raw)


def _read_stable(path: Path, kind: str, label: str) -> tuple[bytes, FileSignature]:
    for attempt in range(_READ_ATTEMPTS):
        before = file_signature(path)
        if before is None:
            raise MalformedArtifact(f"{label} does not exist.", artifact=kind)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise MalformedArtifact(
                f"{label} cannot be read: {exc.strerror or exc}.", artifact=kind
            ) from exc
        if file_signature(path) == before and len(raw) == before.size:
            return raw, before
        if attempt + 1 < _READ_ATTEMPTS:
            time.sleep(_RETRY_DELAY)
    raise ArtifactBusy(
        f"{label} is still being written (it changed while it was read); it will be read "
        "again once dbt has finished.",
        artifact=kind,
    )


def parse_artifact(kind: str, raw: bytes, label: str) -> tuple[Mapping[str, Any], ArtifactMetadata]:
    """Parse and validate the bytes of an artifact of ``kind``.

    Raises ``MalformedArtifact`` naming the file and the position of invalid JSON, and
    ``UnsupportedSchemaVersion`` for a schema version we do not read.
    """
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise MalformedArtifact(
            f"{label} is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno}, "
            f"byte {exc.pos} of {len(raw)}); dbt may have been interrupted while writing it. "
            "Run dbt again to regenerate it.",
            artifact=kind,
        ) from exc
    metadata = check_metadata(kind, data, label)
    return data, metadata


def read_artifact(kind: str, path: Path, label: str) -> LoadedArtifact:
    """Read, hash, parse and validate the artifact file ``path`` of ``kind``.

    ``label`` names the file in messages (e.g. ``target/manifest.json``). Raises
    ``ArtifactBusy`` when the file keeps changing while it is read.
    """
    raw, signature = _read_stable(path, kind, label)
    data, metadata = parse_artifact(kind, raw, label)
    return LoadedArtifact(
        kind=kind,
        path=path,
        label=label,
        data=data,
        raw=raw,
        sha256=hashlib.sha256(raw).hexdigest(),
        signature=signature,
        metadata=metadata,
    )
