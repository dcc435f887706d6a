"""Python's cycle collector paused while a solve or a verdict is made.

Both make many objects that live on and few reference cycles, yet every batch of
new objects sets off a collection, and the oldest generation's walks the whole
heap: the scenario's objects and the solver's model. On c20-1000 a first solve
spent 88 ms of 0.64 s in 42 collections (paused: 0.48 s against 0.53 s, back to
back); at 5,000 cadres a verdict took 0.35 s against 0.19 s paused. Here, not in
solver/, because the referee (model/referee.py) pauses it too.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_was_enabled = False


@contextmanager
def collections_paused() -> Iterator[None]:
    """The collector off inside, back on after the last pause ends if it was on
    before the first: counted, so pauses nest and overlap on several threads
    (a ranking judges its slates on a thread of its own, solver/forced.py)."""
    global _pauses, _was_enabled
    with _lock:
        if _pauses == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _was_enabled:
                gc.enable()
