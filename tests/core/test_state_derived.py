"""Structures derived from a project state are computed once per state and shared."""

from __future__ import annotations

import threading
import time

from jupyterlab_dbt_workbench.workbench import Workbench


def test_derived_value_is_computed_once_even_under_concurrent_readers(
    workbench: Workbench,
) -> None:
    state = workbench.state(None)
    calls: list[int] = []

    def build(s: object) -> int:
        calls.append(1)
        time.sleep(0.05)  # long enough for the other threads to arrive while it runs
        return len(state.nodes)

    results: list[int] = []
    threads = [
        threading.Thread(target=lambda: results.append(state.derived("count", build)))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [len(state.nodes)] * 8
    assert len(calls) == 1


def test_a_reload_starts_with_a_fresh_cache(workbench: Workbench) -> None:
    before = workbench.state(None)
    assert before.derived("marker", lambda s: object()) is before.derived("marker", lambda s: 1)
    workbench.reload(None)
    after = workbench.state(None)
    if after is not before:
        assert after.derived("marker", lambda s: "new") == "new"
    else:
        # Unchanged artifacts may keep the same state object; its cache is then still valid.
        assert after.derived("marker", lambda s: "new") != "new"


def test_a_slow_structure_does_not_block_another_key(workbench: Workbench) -> None:
    state = workbench.state(None)
    started = threading.Event()
    release = threading.Event()

    def slow(s: object) -> str:
        started.set()
        release.wait(5)
        return "slow"

    worker = threading.Thread(target=lambda: state.derived("slow", slow))
    worker.start()
    assert started.wait(5)
    begun = time.monotonic()
    assert state.derived("fast", lambda s: "fast") == "fast"
    assert time.monotonic() - begun < 1.0
    release.set()
    worker.join()
    assert state.derived("slow", slow) == "slow"
