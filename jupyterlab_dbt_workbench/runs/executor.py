"""One dbt process: started from an argv list, its output read line by line, stopped on request.

Thread model: ``start`` launches the process and one reader thread, which calls ``on_line`` for
every line dbt prints (stdout and stderr together) and ``on_exit`` once, with the return code,
after the output ends and the process is reaped. ``cancel`` may be called from any thread; it
escalates in a short-lived thread of its own.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

_POSIX = os.name == "posix"


class Execution:
    """A dbt subprocess and the thread reading it."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        cwd: Path,
        env: dict[str, str],
        on_line: Callable[[str], None],
        on_exit: Callable[[int], None],
        name: str = "dbt",
    ) -> None:
        self.argv = list(argv)
        self.cwd = cwd
        self.env = env
        self._on_line = on_line
        self._on_exit = on_exit
        self._name = name
        self._process: subprocess.Popen[bytes] | None = None
        self._thread: threading.Thread | None = None
        self._cancelling = False
        self.last_signal: str | None = None
        """The last signal ``cancel`` sent (SIGINT, SIGTERM or SIGKILL)."""

    @property
    def pid(self) -> int | None:
        """The process id once started."""
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        """Launch dbt and its reader thread; raises ``OSError`` if it cannot be started."""
        self._process = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # Its own process group: a Ctrl-C in the server's terminal does not reach dbt,
            # and a cancel reaches dbt and anything it started.
            start_new_session=_POSIX,
        )
        self._thread = threading.Thread(
            target=self._read, name=f"dbt-workbench-{self._name}", daemon=True
        )
        self._thread.start()

    def _read(self) -> None:
        process = self._process
        assert process is not None and process.stdout is not None
        with process.stdout:
            for raw in process.stdout:
                self._on_line(raw.decode("utf-8", errors="replace"))
        self._on_exit(process.wait())

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the reader thread to finish; True when it has."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def cancel(self, interrupt_timeout: float, terminate_timeout: float) -> None:
        """Ask dbt to stop: SIGINT (dbt cancels its queries and writes what it has), then
        SIGTERM after ``interrupt_timeout`` seconds, then SIGKILL after ``terminate_timeout``.

        Returns at once; a second call while escalating does nothing.
        """
        if self._process is None or self._cancelling:
            return
        self._cancelling = True
        threading.Thread(
            target=self._escalate,
            args=(interrupt_timeout, terminate_timeout),
            name=f"dbt-workbench-cancel-{self._name}",
            daemon=True,
        ).start()

    def _escalate(self, interrupt_timeout: float, terminate_timeout: float) -> None:
        process = self._process
        assert process is not None
        steps = (
            (signal.SIGINT, interrupt_timeout),
            (signal.SIGTERM, terminate_timeout),
            (signal.SIGKILL if _POSIX else signal.SIGTERM, None),
        )
        for sig, timeout in steps:
            if process.poll() is not None:
                return
            self._signal(process, sig)
            if timeout is None:
                return
            try:
                process.wait(timeout)
                return
            except subprocess.TimeoutExpired:
                continue

    def _signal(self, process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
        self.last_signal = sig.name
        try:
            if _POSIX:
                os.killpg(process.pid, sig)
            else:
                process.send_signal(sig)
        except (ProcessLookupError, PermissionError):
            # It ended between the check and the signal.
            pass
