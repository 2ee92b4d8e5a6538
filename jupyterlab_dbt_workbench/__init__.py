"""jupyterlab-dbt-workbench: a dbt workbench inside JupyterLab.

This module holds only entry points; the workbench itself lives in the domain packages
(``project``, ``artifacts``, ``catalog``, ``store``...), the server shell in ``server`` and the
notebook shell in ``notebook``.
"""

from __future__ import annotations

from typing import Any

try:
    from ._version import __version__
except ImportError:  # pragma: no cover - only when running from a source tree never built
    import warnings

    warnings.warn(
        "Importing 'jupyterlab_dbt_workbench' outside a proper installation.", stacklevel=2
    )
    __version__ = "dev"


def __getattr__(name: str) -> Any:
    # `from jupyterlab_dbt_workbench import DbtProject` (or `LineageWidget`) without loading
    # the core, or anywidget, on every server or kernel start.
    if name == "DbtProject":
        from .dbt_project import DbtProject

        return DbtProject
    if name == "LineageWidget":
        from .notebook.widgets import LineageWidget

        return LineageWidget
    raise AttributeError(name)


def _jupyter_labextension_paths() -> list[dict[str, str]]:
    return [{"src": "labextension", "dest": "jupyterlab-dbt-workbench"}]


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "jupyterlab_dbt_workbench"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Register the workbench's routes and services with a running Jupyter server."""
    from .server.extension import load_extension

    load_extension(server_app)


def load_ipython_extension(ipython: Any) -> None:
    """``%load_ext jupyterlab_dbt_workbench``: the ``%dbt`` magic in this IPython shell."""
    from .notebook import load_ipython_extension as load

    load(ipython)
