"""The process's memory during a solve (solver/memory.py `give_back`, model/collector.py):
freed memory goes back to the system, and the cycle collector pauses while solves run."""

from __future__ import annotations

import gc
import sys
import threading
from pathlib import Path

import pytest

from model.collector import collections_paused
from solver.memory import give_back


def resident_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS line")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_freed_heap_blocks_leave_the_process() -> None:
    """Blocks below glibc's mmap threshold stay resident after they are freed, until give_back."""
    blocks = [bytearray(100_000) for _ in range(2_000)]  # 200 MB in heap blocks, each touched
    for b in blocks:
        b[::4096] = b"\1" * len(b[::4096])
    keep = bytearray(100)  # allocated last, so the heap's top is not free
    del blocks
    before = resident_mb()
    give_back()
    assert before - resident_mb() > 100
    assert keep is not None


def test_give_back_is_safe_to_call_twice() -> None:
    """Nothing to give back is no error."""
    give_back()
    give_back()


def test_collections_pause_nests_and_restores() -> None:
    """Off inside, on again only after the outermost pause ends; a collector off before stays off."""
    assert gc.isenabled()
    with collections_paused():
        assert not gc.isenabled()
        with collections_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    gc.disable()
    try:
        with collections_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_collections_pause_across_threads() -> None:
    """Two solves on two threads: the first to end does not turn the collector on under the other."""
    inside, leave = threading.Event(), threading.Event()

    def other() -> None:
        with collections_paused():
            inside.set()
            leave.wait(5)

    t = threading.Thread(target=other)
    with collections_paused():
        t.start()
        inside.wait(5)
    assert not gc.isenabled()
    leave.set()
    t.join(5)
    assert gc.isenabled()


def test_a_solve_leaves_the_collector_on() -> None:
    """solve() pauses the collector and turns it back on, also when it raises."""
    from solver.search import solve

    with pytest.raises(AttributeError):
        solve(None)  # type: ignore[arg-type]
    assert gc.isenabled()


def test_the_collector_is_off_while_a_solve_runs() -> None:
    """Every event a solve reports is heard with the collector off."""
    from model.generator import generate_county
    from solver.search import solve

    heard: list[bool] = []
    solve(generate_county(2, 40, 3), time_limit=10, workers=1,
          on_event=lambda e: heard.append(gc.isenabled()))
    assert heard and not any(heard)
    assert gc.isenabled()
