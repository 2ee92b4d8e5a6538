"""The workbench a kernel holds for one server root, shared by every magic of that kernel.

``%dbt``, ``%dbt_sql`` and ``%dbt schedule`` all need the project's state and the store; one
session per root loads the artifacts once and keeps one connection to the store. The run
manager and the SQL workspace are created on first use, so a kernel that only queries never
starts run threads, and one that only runs dbt never opens a results folder.
"""

from __future__ import annotations

import atexit
import threading
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jupyterlab_dbt_workbench.config import DbtWorkbench
    from jupyterlab_dbt_workbench.runs.manager import RunManager
    from jupyterlab_dbt_workbench.sql.engine import SqlWorkspace
    from jupyterlab_dbt_workbench.workbench import Workbench


def workbench_config() -> DbtWorkbench:
    """The workbench settings as the Jupyter server reads them (store, runs folder, limits)."""
    from jupyter_core.application import JupyterApp

    from jupyterlab_dbt_workbench.config import DbtWorkbench

    reader = JupyterApp(config_file_name="jupyter_server_config")
    reader.load_config_file()
    return DbtWorkbench(config=reader.config)


class KernelSession:
    """The workbench of one root in this kernel, with its run manager and SQL workspace."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.config = workbench_config()
        self.workbench: Workbench = self.config.make_workbench(root)
        self._lock = threading.Lock()
        self._manager: RunManager | None = None
        self._sql: SqlWorkspace | None = None

    @property
    def manager(self) -> RunManager:
        """The run manager (created on first use; it marks runs a dead kernel left as
        interrupted)."""
        with self._lock:
            if self._manager is None:
                self._manager = self.config.make_run_manager(self.workbench)
            return self._manager

    @property
    def sql(self) -> SqlWorkspace:
        """The SQL workspace, with the server's limits and results folder."""
        with self._lock:
            if self._sql is None:
                self._sql = self.config.make_sql_workspace(self.workbench)
            return self._sql

    def close(self) -> None:
        """Stop what still runs (runs are recorded as interrupted) and release the store."""
        with self._lock:
            sql, manager = self._sql, self._manager
            self._sql = self._manager = None
        if sql is not None:
            sql.shutdown()
        if manager is not None:
            manager.shutdown()
        self.workbench.close()


_sessions: dict[Path, KernelSession] = {}
_sessions_lock = threading.Lock()


def session_for(root: Path) -> KernelSession:
    """The kernel's session for ``root``, created on first use."""
    with _sessions_lock:
        session = _sessions.get(root)
        if session is None:
            session = _sessions[root] = KernelSession(root)
            if len(_sessions) == 1:
                atexit.register(close_all)
        return session


def sessions() -> list[KernelSession]:
    """The kernel's open sessions."""
    with _sessions_lock:
        return list(_sessions.values())


def close_all() -> None:
    """Close every session of this kernel (at exit, and between tests)."""
    with _sessions_lock:
        open_sessions = list(_sessions.values())
        _sessions.clear()
    for session in open_sessions:
        session.close()
