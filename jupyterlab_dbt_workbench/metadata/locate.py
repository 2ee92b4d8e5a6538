"""Which YAML file holds (or should hold) a node's properties, and where in it.

The manifest says: a model, seed or snapshot has ``patch_path`` (``project://models/x.yml``)
once a properties file describes it; a source table lives in the file that declares it. A
node no file describes yet gets ``_<folder>__<models|seeds|snapshots>.yml`` next to its own
file (dbt's style guide naming): an existing one is extended, or a new one created.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jupyterlab_dbt_workbench.artifacts.state import Node, ProjectState
from jupyterlab_dbt_workbench.errors import InvalidRequest, InvalidYaml, NodeNotFound
from jupyterlab_dbt_workbench.project.paths import resolve_under

EDITABLE_TYPES = ("model", "seed", "snapshot", "source")
_YAML_SUFFIXES = (".yml", ".yaml")


@dataclass(frozen=True)
class Place:
    """Where a node's properties are written."""

    node: Node
    relative: str  # relative to the project folder, with '/'
    path: Path
    section: str  # models, seeds, snapshots or sources
    name: str  # the entry's name (the source's name for a source table)
    table: str | None  # the table's name for a source table

    @property
    def label(self) -> str:
        return f"{self.node.resource_type} {self.node.name!r}"


def node_of(state: ProjectState, unique_id: str) -> Node:
    """The node to edit; ``NodeNotFound`` or ``InvalidRequest`` say why it cannot be."""
    node = state.nodes.get(unique_id)
    if node is None:
        raise NodeNotFound(
            f"No node {unique_id!r} in project {state.project.id!r}. It may have been renamed "
            "or removed; reload the project's artifacts to see the current nodes."
        )
    if node.resource_type not in EDITABLE_TYPES:
        raise InvalidRequest(
            f"{unique_id} is a {node.resource_type}; only models, seeds, snapshots and source "
            "tables can be edited here."
        )
    project_name = state.metadata.project_name
    if project_name and node.package_name != project_name:
        raise InvalidRequest(
            f"{unique_id} comes from the package {node.package_name!r}, installed by dbt deps; "
            "edits there would be lost. Change it in that package, or override it in your "
            "own project."
        )
    if node.raw.get("version") is not None:
        raise InvalidRequest(
            f"{unique_id} is a versioned model; its properties are spread over its versions. "
            "Edit its YAML file by hand."
        )
    return node


def place_of(state: ProjectState, unique_id: str) -> Place:
    """Where ``unique_id``'s properties are (or will be) written."""
    node = node_of(state, unique_id)
    root = state.project.path
    if node.resource_type == "source":
        source = node.raw.get("source_name")
        return _place(root, node, node.original_file_path, "sources", str(source), node.name)
    section = f"{node.resource_type}s"
    patch = node.raw.get("patch_path")
    if isinstance(patch, str) and patch:
        relative = patch.split("://", 1)[-1]
    elif node.original_file_path.endswith(_YAML_SUFFIXES):
        relative = node.original_file_path
    else:
        relative = _default_file(root, node, section)
    return _place(root, node, relative, section, node.name, None)


def _place(
    root: Path, node: Node, relative: str, section: str, name: str, table: str | None
) -> Place:
    path = resolve_under(root, relative)
    if path.suffix not in _YAML_SUFFIXES:
        raise InvalidRequest(f"{relative} is not a YAML file; it cannot be edited here.")
    return Place(node, PurePosixPath(relative).as_posix(), path, section, name, table)


def _default_file(root: Path, node: Node, section: str) -> str:
    """A file in the node's folder that already names it (artifacts older than the file), or
    ``_<folder>__<section>.yml``."""
    from .change import find_entry
    from .document import YamlDocument

    folder = PurePosixPath(node.original_file_path).parent
    absolute = resolve_under(root, folder.as_posix())
    candidates = sorted(
        path for suffix in _YAML_SUFFIXES for path in absolute.glob(f"*{suffix}") if path.is_file()
    )
    for path in candidates:
        try:
            document = YamlDocument(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError, InvalidYaml):
            # A broken neighbour is reported if it is ever the file edited, not here.
            continue
        if find_entry(document.data, section, node.name, None) is not None:
            return (folder / path.name).as_posix()
    return (folder / f"_{folder.name}__{section}.yml").as_posix()
