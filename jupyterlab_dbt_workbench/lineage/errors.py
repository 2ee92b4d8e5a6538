"""Errors of column lineage (subclasses of the core error tree)."""

from __future__ import annotations

from jupyterlab_dbt_workbench.errors import Conflict, NotFound


class ColumnNotFound(NotFound):
    """A node exists but has no column of that name."""

    reason = "column_not_found"


class NoCompiledCode(Conflict):
    """No SQL model of the project has compiled code, so nothing can be traced."""

    reason = "no_compiled_code"
