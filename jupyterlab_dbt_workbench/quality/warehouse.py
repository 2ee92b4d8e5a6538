"""Reach a project's DuckDB warehouse for a few read-only queries, never holding it.

The database file comes from the profile dbt itself would use: the project's own
``profiles.yml`` when it has one (as runs do), else ``$DBT_PROFILES_DIR`` or ``~/.dbt``. Only
the DuckDB ``path`` is read from it; nothing else of the profile (secrets included) leaves
this module. The file is opened read-only for one job and closed at once: DuckDB lets one
process hold a file while it writes, so a dbt run in progress makes the file unopenable
(``WarehouseBusy``), and a connection held open would make the next dbt run fail.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from jupyterlab_dbt_workbench.artifacts.state import ProjectState
from jupyterlab_dbt_workbench.errors import Conflict, UnsupportedAdapter, WarehouseBusy

T = TypeVar("T")

_ENV_VAR = re.compile(
    r"""\{\{\s*env_var\(\s*['"]([^'"]+)['"]\s*(?:,\s*['"]([^'"]*)['"]\s*)?\)\s*\}\}"""
)
_LOCK_WORDS = ("could not set lock", "conflicting lock")
BUSY = "The warehouse is busy (a dbt run holds the DuckDB file {path}); try again when it ends."


def profiles_file(project_dir: Path) -> Path:
    """The profiles.yml dbt would read for this project."""
    own = project_dir / "profiles.yml"
    if own.is_file():
        return own
    configured = os.environ.get("DBT_PROFILES_DIR")
    if configured:
        return Path(configured).expanduser() / "profiles.yml"
    return Path.home() / ".dbt" / "profiles.yml"


def _render(value: Any, what: str) -> str:
    """A profile value with ``{{ env_var('X', 'default') }}`` resolved; other Jinja refused."""
    text = str(value)

    def replace(match: re.Match[str]) -> str:
        found = os.environ.get(match.group(1), match.group(2))
        if found is None:
            raise Conflict(
                f"The profile's {what} uses the environment variable {match.group(1)}, which "
                "is not set for the Jupyter server."
            )
        return found

    rendered = _ENV_VAR.sub(replace, text)
    if "{{" in rendered or "{%" in rendered:
        raise UnsupportedAdapter(
            f"The profile's {what} is a Jinja expression the workbench cannot evaluate; "
            "profiling needs a plain DuckDB path."
        )
    return rendered


def duckdb_path(state: ProjectState, target: str | None = None) -> Path:
    """The DuckDB file of ``target`` (default: the profile's own); refuses other adapters."""
    adapter = state.metadata.adapter_type
    if adapter and adapter != "duckdb":
        raise UnsupportedAdapter(
            f"Profiling needs a DuckDB warehouse; project {state.project.id!r} uses "
            f"{adapter}. Other adapters will come with the SQL workspace."
        )
    project_dir = state.project.path
    source = profiles_file(project_dir)
    profile_name = state.project.profile
    try:
        profiles = YAML(typ="safe", pure=True).load(source.read_text(encoding="utf-8")) or {}
    except (OSError, YAMLError) as error:
        raise Conflict(
            f"Cannot read the dbt profiles ({source}) to find the warehouse: "
            f"{type(error).__name__}."
        ) from error
    profile = profiles.get(profile_name) if isinstance(profiles, dict) and profile_name else None
    if not isinstance(profile, dict):
        raise Conflict(
            f"No profile {profile_name!r} in {source}; dbt needs it to reach the warehouse too."
        )
    target = target or _render(
        os.environ.get("DBT_TARGET") or profile.get("target", "dev"), "target"
    )
    outputs = profile.get("outputs")
    output = outputs.get(target) if isinstance(outputs, dict) else None
    if not isinstance(output, dict):
        raise Conflict(f"Profile {profile_name!r} in {source} has no target {target!r}.")
    kind = output.get("type")
    if kind != "duckdb":
        raise UnsupportedAdapter(
            f"Profiling needs a DuckDB warehouse; target {target!r} of profile "
            f"{profile_name!r} is {kind!r}. Other adapters will come with the SQL workspace."
        )
    raw_path = _render(output.get("path", ":memory:"), "DuckDB path")
    if raw_path in ("", ":memory:") or raw_path.startswith(("md:", "motherduck:")):
        raise UnsupportedAdapter(
            f"Target {target!r} keeps its DuckDB database in memory or in MotherDuck; only a "
            "database file can be profiled."
        )
    path = Path(raw_path).expanduser()
    # dbt runs from the project folder, so a relative path is relative to it.
    return path if path.is_absolute() else project_dir / path


def is_lock_error(error: BaseException) -> bool:
    """Whether a DuckDB error says another process (a dbt run) holds the file's lock."""
    return any(word in str(error).lower() for word in _LOCK_WORDS)


@contextmanager
def _connection(path: Path) -> Iterator[Any]:
    import duckdb

    if not path.is_file():
        raise Conflict(
            f"The warehouse file {path.name} does not exist yet: build the project first "
            "(dbt build).",
            reason="warehouse_missing",
        )
    try:
        connection = duckdb.connect(str(path), read_only=True)
    except duckdb.IOException as error:
        if is_lock_error(error):
            raise WarehouseBusy(BUSY.format(path=path.name)) from error
        raise
    try:
        yield connection
    finally:
        connection.close()


def with_warehouse(state: ProjectState, job: Callable[[Any], T]) -> T:
    """Run ``job(connection)`` on a read-only connection to the project's DuckDB file."""
    with _connection(duckdb_path(state)) as connection:
        return job(connection)
