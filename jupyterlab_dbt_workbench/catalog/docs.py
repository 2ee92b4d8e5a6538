"""Docs blocks: ``{{ doc('name') }}`` in descriptions, resolved from the manifest's ``docs``.

dbt renders doc() calls when it parses a project, so most manifests already hold the final
text and list the blocks used in ``doc_blocks``. Descriptions written by other tools (or
patched in by hand) may still carry the call; those are resolved here the way dbt does it:
the node's own package first, then the root project, then any package.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jupyterlab_dbt_workbench.artifacts.state import ProjectState

# doc('name') or doc('package', 'name'), with either quote and any spacing.
_DOC_CALL = re.compile(
    r"\{\{\s*doc\(\s*(['\"])([^'\"]+)\1\s*(?:,\s*(['\"])([^'\"]+)\3\s*)?\)\s*\}\}"
)


@dataclass(frozen=True)
class DocsIndex:
    """The docs blocks of a manifest: contents by unique id, and ids by block name."""

    contents: Mapping[str, str]
    by_name: Mapping[str, tuple[str, ...]]
    root_package: str | None

    def find(self, name: str, package: str | None, home: str | None) -> str | None:
        """The unique id of the block ``name`` (``package`` when the call named one),
        looked up from a node of package ``home``."""
        candidates = self.by_name.get(name, ())
        if package is not None:
            return next((uid for uid in candidates if uid.split(".")[1] == package), None)
        for preferred in (home, self.root_package):
            for uid in candidates:
                if preferred is not None and uid.split(".")[1] == preferred:
                    return uid
        return candidates[0] if candidates else None


def _docs_index(state: ProjectState) -> DocsIndex:
    manifest = state.artifacts["manifest"].data
    docs = manifest.get("docs")
    contents: dict[str, str] = {}
    by_name: dict[str, list[str]] = {}
    for unique_id, block in (docs if isinstance(docs, dict) else {}).items():
        if not isinstance(block, dict) or not isinstance(unique_id, str):
            continue
        text = block.get("block_contents")
        name = block.get("name")
        if isinstance(text, str) and isinstance(name, str) and unique_id.count(".") >= 2:
            contents[unique_id] = text
            by_name.setdefault(name, []).append(unique_id)
    return DocsIndex(
        contents=contents,
        by_name={name: tuple(sorted(ids)) for name, ids in by_name.items()},
        root_package=state.metadata.project_name,
    )


def docs_index(state: ProjectState) -> DocsIndex:
    """The docs blocks of ``state``, indexed once per state."""
    return state.derived("catalog.docs_index", _docs_index)


@dataclass(frozen=True)
class ResolvedText:
    """A description with its doc() calls replaced, and the blocks it uses."""

    text: str
    raw: str
    blocks: tuple[str, ...]


def resolve_docs(raw: str, index: DocsIndex, home: str | None, known: Any = ()) -> ResolvedText:
    """Replace every ``{{ doc(...) }}`` in ``raw`` by the block's contents.

    ``known`` are the blocks dbt already listed for this text (its ``doc_blocks``); they are
    reported along with the ones resolved here. A call naming no known block is left as
    written, so the reader sees what is missing.
    """
    blocks = [uid for uid in known if isinstance(uid, str)] if isinstance(known, list) else []

    def replace(match: re.Match[str]) -> str:
        first, second = match.group(2), match.group(4)
        package, name = (first, second) if second is not None else (None, first)
        unique_id = index.find(name, package, home)
        if unique_id is None:
            return match.group(0)
        if unique_id not in blocks:
            blocks.append(unique_id)
        return index.contents[unique_id]

    text = _DOC_CALL.sub(replace, raw) if "doc(" in raw else raw
    return ResolvedText(text=text, raw=raw, blocks=tuple(blocks))
