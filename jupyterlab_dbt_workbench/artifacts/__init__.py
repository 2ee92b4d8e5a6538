"""dbt artifacts: schema versions, loading, the immutable project state and change watching."""

from __future__ import annotations

from .loader import ARTIFACT_FILES, ARTIFACT_KINDS, ArtifactBusy, LoadedArtifact, read_artifact
from .state import Node, ProjectState, build_state
from .versions import SUPPORTED_VERSIONS, ArtifactMetadata, check_metadata
from .watcher import ArtifactWatcher

__all__ = [
    "ARTIFACT_FILES",
    "ARTIFACT_KINDS",
    "SUPPORTED_VERSIONS",
    "ArtifactBusy",
    "ArtifactMetadata",
    "ArtifactWatcher",
    "LoadedArtifact",
    "Node",
    "ProjectState",
    "build_state",
    "check_metadata",
    "read_artifact",
]
