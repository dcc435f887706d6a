"""Facts kept by the object they were found for.

The referee and the build keep facts of frozen objects (a rule's spec, a cadre)
in stores that live as long as a scenario. A store keyed by `id()` alone could
hand a fact to another object that was given the same id after the first one
was freed, or to a look-alike made for one call (a test's own cadre, a what-if's
spec), so each entry keeps its object and is made again when the key names
another one.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

T = TypeVar("T")


def by_identity(store: dict[Hashable, tuple[Any, Any]], key: Hashable, obj: object,
                make: Callable[[], T]) -> T:
    """make(), kept in `store` under `key` together with `obj`; made again when `key`
    now stands for another object than the one it was made for."""
    hit = store.get(key)
    if hit is None or hit[0] is not obj:
        hit = store[key] = (obj, make())
    return hit[1]  # type: ignore[no-any-return]
