"""Renderers: the one place where staff-facing text is written. They turn the
solver's and the referee's data (reasons, slates, results) into Chinese for the
CLI today and for Excel, HTML and the web page next."""
