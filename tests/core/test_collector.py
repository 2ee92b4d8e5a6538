"""The collector pause shared by the state, graph and search-index builds."""

from __future__ import annotations

import gc
import threading

from jupyterlab_dbt_workbench.collector import collector_paused


def test_overlapping_builds_keep_the_collector_off_until_the_last_ends() -> None:
    assert gc.isenabled()
    first_in = threading.Event()
    first_may_end = threading.Event()

    def first() -> None:
        with collector_paused():
            first_in.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    first_in.wait(5)
    with collector_paused():
        first_may_end.set()
        thread.join(5)
        # The first build ended while this one still runs: the collector stays off.
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_already_off_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
