"""Pausing Python's cyclic garbage collector around large builds.

Building a project state, its graph or its search index allocates hundreds of thousands of
small containers while the parsed manifest holds millions more: every full collection those
allocations trigger walks them all for nothing (none of it is cyclic garbage), which can
double a build. Builds of different projects run in different threads at once, so the pause
is counted: the collector comes back on when the last build ends, not the first.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the body with the cyclic collector off (as it was before, once every body ends)."""
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
