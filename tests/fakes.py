"""Test doubles for the solver's protocols."""

from __future__ import annotations

from collections.abc import Callable


class FakeClock:
    """A run budget (solver.stop.Stop) whose time passes only when a test says so,
    so budget tests do not depend on how fast the machine is."""

    def __init__(self, budget: float) -> None:
        self.budget = budget
        self.used = 0.0

    def advance(self, seconds: float) -> None:
        self.used += seconds

    def remaining(self) -> float:
        return max(0.0, self.budget - self.used)

    def should_stop(self) -> bool:
        return self.remaining() <= 0

    def on_stop(self, listener: Callable[[], None]) -> Callable[[], None]:
        return lambda: None
