"""The notebook shell over the core: the ``%dbt`` magic, its live progress and its result."""

from __future__ import annotations

from typing import Any


def load_ipython_extension(ipython: Any) -> None:
    """Register the workbench magics with an IPython shell (``%load_ext``)."""
    from .magics import DbtMagics
    from .sql import SqlMagics

    ipython.register_magics(DbtMagics)
    ipython.register_magics(SqlMagics)
