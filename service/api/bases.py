"""Solved bases kept between clicks: why-not, recommend and diff on a stored version
reuse its base solve (solver/warm.py `prepare`: the built model and its relaxation),
keyed by the content hash of the scenario as resolved, so a page's second click on a
county pays only the forced solves. Only a base proven optimal is kept (a base cut
short by its budget would make every later answer as weak as it); a prepared base is
used by one call at a time (its kept relaxations grow as it is used)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from model.slate import SolveStatus

if TYPE_CHECKING:
    from model.scenario import Scenario
    from solver.warm import Prepared

KEPT = 4
"""Bases kept at once (each holds its county's built model: tens of MB at 1,000 cadres)."""


class Bases:
    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self.built = 0
        """How many bases were solved (a test reads it)."""
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[threading.Lock, list[Prepared | None]]] = OrderedDict()

    @contextmanager
    def hold(self, key: str, sc: Scenario, workers: int, seconds: float) -> Iterator[Prepared | None]:
        """The base of `sc` (solved now if it is not kept), held for one call; None when its
        solve was not proven optimal within `seconds` (the call then solves as it would cold)."""
        with self._lock:
            lock, slot = self._entries.get(key) or (threading.Lock(), [None])
            self._entries[key] = (lock, slot)
            self._entries.move_to_end(key)
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        with lock:
            if slot[0] is None:
                from solver.stop import MaxRuntime
                from solver.warm import prepare

                self.built += 1
                p = prepare(sc, MaxRuntime(seconds), workers)
                if p.result.status != SolveStatus.OPTIMAL:
                    yield None
                    return
                slot[0] = p
            yield slot[0]
