"""Noticing when dbt rewrites a project's artifacts, by their size and modification time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from .loader import ARTIFACT_FILES, ARTIFACT_KINDS, FileSignature, file_signature

Signatures = Mapping[str, FileSignature | None]


class ArtifactWatcher:
    """Compares the artifact files of one target folder with what was last loaded.

    Cheap enough to call every few seconds: four ``stat`` calls, no reading. Not thread-safe on
    its own; the workbench calls it under the project's load lock.
    """

    def __init__(self, target_dir: Path) -> None:
        self.target_dir = target_dir
        self._seen: Signatures = MappingProxyType(dict.fromkeys(ARTIFACT_KINDS))
        self._primed = False

    def path(self, kind: str) -> Path:
        """The file of the artifact ``kind`` in the target folder."""
        return self.target_dir / ARTIFACT_FILES[kind]

    def current(self) -> Signatures:
        """The signature of every artifact file now (None for a missing file)."""
        return MappingProxyType({kind: file_signature(self.path(kind)) for kind in ARTIFACT_KINDS})

    def changed(self) -> bool:
        """Whether any artifact differs from what was last marked as seen."""
        return not self._primed or self.current() != self._seen

    def mark_seen(self, signatures: Signatures) -> None:
        """Record ``signatures`` as handled: loaded, or failed in a way retrying cannot fix."""
        self._seen = signatures
        self._primed = True
