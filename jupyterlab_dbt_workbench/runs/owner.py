"""Which process owns a run, and whether that process still lives.

The server and every notebook kernel (``%dbt``) keep their runs in the same store. When a
run manager starts it must mark as ``interrupted`` only the runs whose owner died (a server
that was killed), never the live runs of another process. A pid alone is not enough: pids are
reused, so the owner is the host, the pid and the process's start time together.
"""

from __future__ import annotations

import os
import socket

import psutil

_SEPARATOR = "|"


def current_owner() -> str:
    """The owner string of this process."""
    started = psutil.Process(os.getpid()).create_time()
    return _SEPARATOR.join((socket.gethostname(), str(os.getpid()), f"{started:.2f}"))


def owner_alive(owner: str | None) -> bool:
    """Whether the process named by ``owner`` still runs.

    An owner on another host cannot be checked from here and counts as alive; a run without
    an owner (or with a malformed one) counts as orphaned.
    """
    if not owner:
        return False
    parts = owner.split(_SEPARATOR)
    if len(parts) != 3:
        return False
    host, pid, started = parts
    if host != socket.gethostname():
        return True
    try:
        process = psutil.Process(int(pid))
        return abs(process.create_time() - float(started)) < 1.0
    except (psutil.NoSuchProcess, psutil.AccessDenied, ValueError):
        return False
