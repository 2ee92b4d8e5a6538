"""The core knows nothing of Jupyter: only the server shell (and entry points) may import it."""

from __future__ import annotations

import ast
from pathlib import Path

import jupyterlab_dbt_workbench

PACKAGE = Path(jupyterlab_dbt_workbench.__file__).parent
JUPYTER_MODULES = (
    "jupyter_server",
    "jupyter_core",
    "jupyterlab",
    "tornado",
    "IPython",
    "ipywidgets",
    "anywidget",
    "traitlets",
    "notebook",
    "nbformat",
)
# The shells over the core, which are there to talk to Jupyter.
SHELLS = (
    "server",
    "notebook",
    "config.py",
    "__init__.py",
    "cli.py",
    "labextension",
    "demo/project",
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def test_core_modules_do_not_import_jupyter() -> None:
    offenders = []
    core_files = 0
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).as_posix()
        if relative.startswith(SHELLS) or relative == "_version.py":
            continue
        core_files += 1
        for name in imported_modules(path):
            if name.split(".")[0] in JUPYTER_MODULES:
                offenders.append(f"{relative} imports {name}")
    assert core_files >= 10, "the core packages were not found"
    assert offenders == []
