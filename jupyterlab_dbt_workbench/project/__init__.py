"""dbt projects under the server root: finding them and guarding paths inside it."""

from __future__ import annotations

from .discovery import ProjectInfo, discover_projects
from .paths import project_id_for, resolve_under

__all__ = ["ProjectInfo", "discover_projects", "project_id_for", "resolve_under"]
