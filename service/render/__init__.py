"""Renderers: the one place where staff-facing text is written. They turn the
solver's and the referee's data (reasons, slates, results) into Chinese for the
CLI today and for Excel, HTML and the web page next.

`words.py` is the registry of reason codes; the modules that register wordings
are imported here, so every code is worded whichever renderer is imported."""

from service.render import career, infeasible, leavers, report, rules, verbs, words

__all__ = ["career", "infeasible", "leavers", "report", "rules", "verbs", "words"]
