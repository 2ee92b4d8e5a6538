"""Fixtures shared by every test: a real Jupyter server with the workbench, and one real demo build.

The demo build (dbt build + docs generate + source freshness on DuckDB) takes about half a
minute, so it happens once per session; tests that change files work on a copy of it.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_dbt_exe import install_fake_dbt

pytest_plugins = ["pytest_jupyter.jupyter_server"]

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def fake_dbt(tmp_path: Path) -> str:
    """The fake dbt (tests/runs/fake_dbt.py) as an executable, for ``dbt_executable``."""
    return install_fake_dbt(tmp_path / "bin")


@pytest.fixture
def jp_server_config() -> dict[str, Any]:
    return {
        "ServerApp": {"jpserver_extensions": {"jupyterlab_dbt_workbench": True}},
        # Fast polling so that tests which rewrite artifacts see the reload quickly.
        "DbtWorkbench": {"poll_interval": 0.2},
    }


@pytest.fixture(scope="session")
def built_demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, copied, generated and really built once for the whole session."""
    from jupyterlab_dbt_workbench.demo.command import prepare

    directory = tmp_path_factory.mktemp("demo-build") / "demo"
    log: list[str] = []
    try:
        prepare(directory, log.append)
    except Exception as error:  # show what dbt said, not only the exception
        raise AssertionError("\n".join([*log[-40:], str(error)])) from error
    return directory


@pytest.fixture
def demo_root(jp_root_dir: Path, built_demo: Path) -> Path:
    """A server root holding a private copy of the built demo in ``<root>/demo``."""
    target = jp_root_dir / "demo"
    shutil.copytree(built_demo, target)
    return target


ApiCall = Callable[..., Any]


@pytest.fixture
def api(jp_fetch: Any) -> ApiCall:
    """Call the workbench API; returns (status, decoded JSON body)."""

    async def call(*parts: str, method: str = "GET", params: Any = None, **kwargs: Any) -> Any:
        if method in ("POST", "PUT", "PATCH") and "body" not in kwargs:
            kwargs["body"] = b""
        response = await jp_fetch(
            "dbt-workbench",
            "api",
            *parts,
            method=method,
            params=params,
            raise_error=False,
            **kwargs,
        )
        body = response.body.decode() if response.body else ""
        return response.code, (json.loads(body) if body else None)

    return call


@pytest.fixture
def wait_for() -> Callable[..., Any]:
    """Poll an async predicate until it holds (artifact reloads happen in the background)."""
    import asyncio
    import time

    async def wait(predicate: Callable[[], Any], timeout: float = 15.0) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            value = await predicate()
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError("condition not met in time")
            await asyncio.sleep(0.1)

    return wait


@pytest.fixture(autouse=True)
def _no_dbt_tracking(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # dbt would try to reach its tracking endpoint; these machines have no internet.
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    yield
