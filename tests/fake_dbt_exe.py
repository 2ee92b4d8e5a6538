"""The fake dbt of the run tests as an executable: the subprocess seam where a real dbt would be
too slow. Imported by module name (tests/ is on the path), never as ``tests.fake_dbt_exe``."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path
from typing import Any

FAKE_DBT = Path(__file__).parent / "runs" / "fake_dbt.py"


def install_fake_dbt(folder: Path, prelude: str = "") -> str:
    """An executable named ``dbt`` in ``folder`` that runs tests/runs/fake_dbt.py (with
    ``prelude`` Python code first) under this Python: the subprocess seam of run tests."""
    executable = folder / "dbt"
    executable.parent.mkdir(parents=True, exist_ok=True)
    executable.write_text(f"#!{sys.executable}\n{prelude}" + FAKE_DBT.read_text())
    executable.chmod(executable.stat().st_mode | stat.S_IXUSR)
    return str(executable)


class FakeDbtProject:
    """A dbt project folder for the fake dbt: its scenario and the calls it recorded."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def scenario(self, **scenario: Any) -> None:
        (self.path / "fake_dbt.json").write_text(json.dumps(scenario))

    def calls(self) -> list[dict[str, Any]]:
        """The last record of each call (a call writes one at start and one at its end)."""
        path = self.path / "fake_dbt_calls.jsonl"
        if not path.exists():
            return []
        records: dict[int, dict[str, Any]] = {}
        for line in path.read_text().splitlines():
            record = json.loads(line)
            records[record["pid"]] = record
        return sorted(records.values(), key=lambda record: record["start"])

    def wait_for_calls(self, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
        deadline = time.monotonic() + timeout
        while len(self.calls()) < count:
            assert time.monotonic() < deadline, f"dbt was not called {count} times"
            time.sleep(0.02)
        return self.calls()
