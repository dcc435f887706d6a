"""Solved bases kept between calls: why-not, recommend and diff reuse the base solve
of their scenario (solver/warm.py `prepare`: the built model and its relaxation),
keyed by the content hash of the scenario as resolved, so a page's second click on a
county, or a second command through the daemon (service/daemon.py), pays only the
forced solves. Only a base proven optimal is kept (a base cut
short by its budget would make every later answer as weak as it); a prepared base is
used by one call at a time (its kept relaxations grow as it is used)."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from model.slate import SolveStatus

if TYPE_CHECKING:
    from model.scenario import Scenario
    from solver.stop import Stop
    from solver.warm import Prepared


def content_hash(sc: Scenario) -> str:
    """A scenario's identity: equal for equal content, however it was read (files, the store)."""
    return hashlib.sha256(sc.model_dump_json().encode()).hexdigest()


KEPT = 4
"""Bases kept at once (each holds its county's built model: tens of MB at 1,000 cadres)."""


class Bases:
    def __init__(self, kept: int = KEPT) -> None:
        self.kept = kept
        self.built = 0
        """How many bases were solved (a test reads it)."""
        self._lock = threading.Lock()
        self._entries: OrderedDict[str, tuple[threading.Lock, list[Prepared | None]]] = OrderedDict()

    def kept_now(self) -> int:
        """How many bases are solved and kept now (the daemon's status says it)."""
        with self._lock:
            return sum(1 for _, slot in self._entries.values() if slot[0] is not None)

    @contextmanager
    def hold(self, key: str, sc: Scenario, workers: int, stop: Stop) -> Iterator[Prepared | None]:
        """The base of `sc` (solved now, within `stop`, if it is not kept), held for one call;
        None when its solve was not proven optimal (the call then solves as it would cold)."""
        with self._lock:
            lock, slot = self._entries.get(key) or (threading.Lock(), [None])
            self._entries[key] = (lock, slot)
            self._entries.move_to_end(key)
            while len(self._entries) > self.kept:
                self._entries.popitem(last=False)
        with lock:
            if slot[0] is None:
                from solver.warm import prepare

                self.built += 1
                p = prepare(sc, stop, workers)
                if p.result.status != SolveStatus.OPTIMAL:
                    yield None
                    return
                slot[0] = p
            yield slot[0]
