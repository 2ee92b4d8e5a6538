"""Building dbt command lines: always a list of arguments, never a shell string."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path


def dbt_executable() -> str:
    """The dbt next to this Python (same environment) if there is one, else dbt on PATH."""
    name = "dbt.exe" if os.name == "nt" else "dbt"
    beside = Path(sys.executable).parent / name
    if beside.exists():
        return str(beside)
    found = shutil.which("dbt")
    if found is None:
        from jupyterlab_dbt_workbench.errors import ExternalToolError

        raise ExternalToolError(
            "dbt was not found. Install it in this environment: "
            "pip install 'dbt-core>=1.11,<1.12' dbt-duckdb",
            reason="dbt_missing",
        )
    return found


def dbt_environment() -> dict[str, str]:
    """The environment for a dbt subprocess: no usage tracking (no network here), no colours."""
    env = dict(os.environ)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    env.setdefault("DBT_USE_COLORS", "False")
    return env
