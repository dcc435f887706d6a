"""Plain-text layout for staff's terminals: columns aligned for CJK characters,
which take two cells each."""

from __future__ import annotations

import unicodedata


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def table(header: list[str], rows: list[list[str]]) -> str:
    cols = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(pad(h, w) for h, w in zip(header, cols, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in cols))
    lines += ["  ".join(pad(c, w) for c, w in zip(r, cols, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)
