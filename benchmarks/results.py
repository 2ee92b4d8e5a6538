"""What one benchmark reports: a measured figure against its target."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Result:
    """One line of the report. ``passed`` None: measured, no target to pass."""

    name: str
    measured: str
    target: str
    passed: bool | None
    details: list[str] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """PASS, FAIL or INFO."""
        if self.passed is None:
            return "INFO"
        return "PASS" if self.passed else "FAIL"


def timed(function: Callable[[], object], repeat: int = 1) -> float:
    """The median wall time of ``repeat`` calls of ``function``, in seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)
