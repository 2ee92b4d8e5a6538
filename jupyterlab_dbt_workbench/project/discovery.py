"""Find the dbt projects under the server root and read what we need of ``dbt_project.yml``."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import project_id_for

PROJECT_FILE = "dbt_project.yml"

# Folders that never hold a project of the user's own: installed packages, build output,
# environments and caches. Walking them would also be slow on large trees.
_SKIPPED_DIRS = frozenset(
    {"dbt_packages", "target", "node_modules", "logs", "site-packages", "__pycache__"}
)


@dataclass(frozen=True)
class ProjectInfo:
    """A dbt project found under the server root."""

    id: str
    name: str
    path: Path
    profile: str | None
    target_path: str
    problem: str | None = None
    """Why ``dbt_project.yml`` could not be read fully, if it could not."""

    @property
    def target_dir(self) -> Path:
        """The absolute folder dbt writes the artifacts to."""
        return self.path / self.target_path


def _read_project_file(path: Path) -> tuple[str, str | None, str, str | None]:
    """Return (name, profile, target_path, problem) for one project folder."""
    # PyYAML ships without type stubs; it comes with dbt-core.
    yaml: Any = importlib.import_module("yaml")
    fallback_name = path.name or "project"
    try:
        with (path / PROJECT_FILE).open("rb") as handle:
            data: Any = yaml.safe_load(handle)
    except (OSError, yaml.YAMLError) as exc:
        detail = " ".join(str(exc).split())
        reading = f"{PROJECT_FILE} in {path} cannot be read: {detail}"
        return fallback_name, None, "target", reading
    if not isinstance(data, dict):
        shape = f"{PROJECT_FILE} in {path} is not a YAML mapping, so dbt cannot use it."
        return fallback_name, None, "target", shape

    problem: str | None = None
    name = data.get("name")
    if not isinstance(name, str) or not name:
        problem = f"{PROJECT_FILE} in {path} has no `name:`; dbt needs one."
        name = fallback_name
    profile = data.get("profile")
    target = data.get("target-path", "target")
    # A Jinja target path (env_var) or an absolute one cannot be read safely from here; dbt's
    # default is then our best guess.
    if not isinstance(target, str) or not target or "{{" in target or Path(target).is_absolute():
        target = "target"
    return name, profile if isinstance(profile, str) else None, target, problem


def _walk(folder: Path, depth: int, max_depth: int, found: list[Path]) -> None:
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError:
        return
    if any(entry.name == PROJECT_FILE and entry.is_file() for entry in entries):
        found.append(folder)
    if depth >= max_depth:
        return
    for entry in entries:
        if entry.name.startswith(".") or entry.name in _SKIPPED_DIRS:
            continue
        # Symlinked folders are not followed: they may loop or lead outside the root.
        if entry.is_dir(follow_symlinks=False):
            _walk(Path(entry.path), depth + 1, max_depth, found)


def discover_projects(root: Path, *, max_depth: int = 6) -> list[ProjectInfo]:
    """Every folder under ``root`` (``root`` included) holding a ``dbt_project.yml``.

    Skips installed packages, build output and hidden folders. A project whose
    ``dbt_project.yml`` is broken is still returned, with ``problem`` saying what is wrong,
    so one bad file never hides the other projects. Sorted by id.
    """
    base = root.resolve()
    folders: list[Path] = []
    _walk(base, 0, max_depth, folders)
    projects = []
    for folder in folders:
        name, profile, target, problem = _read_project_file(folder)
        projects.append(
            ProjectInfo(
                id=project_id_for(base, folder),
                name=name,
                path=folder,
                profile=profile,
                target_path=target,
                problem=problem,
            )
        )
    projects.sort(key=lambda info: info.id)
    return projects
