"""Memory freed by a phase goes back to the system (solver/memory.py `give_back`)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

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
