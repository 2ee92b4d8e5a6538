"""The one guard for paths that come from a request: they must stay under the server root."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from jupyterlab_dbt_workbench.errors import UnsafePath

_DRIVE = re.compile(r"^[A-Za-z]:")


def _refuse(relative: str, why: str) -> UnsafePath:
    return UnsafePath(
        f"The path {relative!r} is not allowed: {why}. Give a path relative to the server root "
        "that stays inside it."
    )


def _check_text(relative: str, original: str) -> None:
    if "\x00" in relative:
        raise _refuse(original, "it contains a NUL character")
    if "\\" in relative:
        raise _refuse(original, "it contains a backslash")
    if relative.startswith(("/", "~")) or _DRIVE.match(relative):
        raise _refuse(original, "it is absolute")
    if ".." in relative.split("/"):
        raise _refuse(original, "it contains '..'")


def resolve_under(root: Path, relative: str) -> Path:
    """Resolve ``relative`` against ``root`` and return the absolute, resolved path.

    Refuses (with ``UnsafePath``) absolute paths, ``..`` segments, backslashes and NUL
    characters, in the text as given and once percent-decoded (a client or proxy may decode
    ``%2e%2e`` after we checked), and any path that leaves the root through a symlink.
    ``""`` and ``"."`` name the root itself.
    """
    _check_text(relative, relative)
    decoded = unquote(relative)
    if decoded != relative:
        _check_text(decoded, relative)
    base = root.resolve()
    target = (base / relative).resolve() if relative not in ("", ".") else base
    if target != base and not target.is_relative_to(base):
        raise _refuse(relative, "it leads outside the server root")
    return target


def project_id_for(root: Path, path: Path) -> str:
    """The id of the project in ``path``: its path relative to ``root`` with ``/`` separators.

    ``"."`` when the project is the root itself.
    """
    relative = path.resolve().relative_to(root.resolve())
    text = relative.as_posix()
    return text if text else "."
