"""Rule kinds, registered by name on import (see `base.REGISTRY`)."""

from model.rules import career, counts, expertise, seated, shape
from model.rules.base import REGISTRY, RuleKind, SeatFilter, View, kind_of

__all__ = [
    "REGISTRY", "RuleKind", "SeatFilter", "View",
    "career", "counts", "expertise", "kind_of", "seated", "shape",
]
