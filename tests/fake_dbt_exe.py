"""The fake dbt of the run tests as an executable: the subprocess seam where a real dbt would be
too slow. Imported by module name (tests/ is on the path), never as ``tests.fake_dbt_exe``."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

FAKE_DBT = Path(__file__).parent / "runs" / "fake_dbt.py"


def install_fake_dbt(folder: Path, prelude: str = "") -> str:
    """An executable named ``dbt`` in ``folder`` that runs tests/runs/fake_dbt.py (with
    ``prelude`` Python code first) under this Python: the subprocess seam of run tests."""
    executable = folder / "dbt"
    executable.parent.mkdir(parents=True, exist_ok=True)
    executable.write_text(f"#!{sys.executable}\n{prelude}" + FAKE_DBT.read_text())
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
    return str(executable)
