"""A run's own target folder: what goes in before dbt starts, what comes out when it ends.

dbt writes into the run's folder, never into the project's target; when the run ends, the
artifacts its command produces are copied next to the project's files under a temporary name
and renamed over them (a rename is atomic), so a reader of the project's target (the
workbench watcher, the user's own tools) sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

MANIFEST = "manifest.json"
RUN_RESULTS = "run_results.json"
CATALOG = "catalog.json"
SOURCES = "sources.json"
# dbt's parse cache: seeded into each run so it parses only what changed (as plain dbt does in
# the project), and handed back so that the next run, or the user's own dbt, benefits too.
PARSE_CACHE = "partial_parse.msgpack"

_RESULTS = (MANIFEST, RUN_RESULTS)
# What each command writes meaningfully into the project's state. `source freshness` also
# writes a manifest, without compiled code: swapping it in would lose the build's.
_PRODUCED: dict[str, tuple[str, ...]] = {
    "build": _RESULTS,
    "run": _RESULTS,
    "test": _RESULTS,
    "seed": _RESULTS,
    "snapshot": _RESULTS,
    "retry": _RESULTS,
    "compile": (MANIFEST,),
    "show": (MANIFEST,),
    "ls": (MANIFEST,),
    "list": (MANIFEST,),
    "parse": (MANIFEST,),
    "docs generate": (CATALOG, MANIFEST),
    "source freshness": (SOURCES,),
}

Signature = tuple[int, int]


def swapped_files(command: str, args: Iterable[str]) -> tuple[str, ...]:
    """The artifact files a command's run replaces in the project's target folder."""
    files = _PRODUCED.get(command, ())
    if command == "docs generate" and "--no-compile" in args:
        # Without compiling, its manifest lacks the compiled code the project's one has.
        files = (CATALOG,)
    return files


def signatures(folder: Path) -> dict[str, Signature]:
    """(size, mtime) of each file directly in ``folder``: what was there before dbt ran."""
    found: dict[str, Signature] = {}
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        if entry.is_file(follow_symlinks=False):
            stat = entry.stat(follow_symlinks=False)
            found[entry.name] = (stat.st_size, stat.st_mtime_ns)
    return found


def written(folder: Path, before: dict[str, Signature]) -> list[str]:
    """The files directly in ``folder`` that are new or changed since ``before``, sorted."""
    after = signatures(folder)
    return sorted(name for name, signature in after.items() if before.get(name) != signature)


def seed(target: Path, source: Path | None, names: Iterable[str]) -> None:
    """Create the run's target folder with copies of ``names`` from ``source`` (if there)."""
    target.mkdir(parents=True, exist_ok=True)
    if source is None:
        return
    for name in names:
        path = source / name
        if path.is_file():
            shutil.copy2(path, target / name)


def swap_into(project_target: Path, run_target: Path, names: Iterable[str], tag: str) -> list[str]:
    """Replace the project's copies of ``names`` with the run's, atomically file by file.

    Returns the names swapped. ``tag`` makes the temporary names unique (the run id).
    """
    project_target.mkdir(parents=True, exist_ok=True)
    swapped = []
    for name in names:
        source = run_target / name
        if not source.is_file():
            continue
        # Same folder as the destination, so that the rename never crosses file systems;
        # the watcher only looks at the real names, never at these.
        temporary = project_target / f".{name}.{tag}.tmp"
        try:
            shutil.copyfile(source, temporary)
            temporary.replace(project_target / name)
        finally:
            temporary.unlink(missing_ok=True)
        swapped.append(name)
    return swapped
