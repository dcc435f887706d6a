"""Regenerate `strokes.txt`, the stroke-order table of model/strokes.py, from the cn-sort package.

    pip download cn-sort==0.14.0 --no-deps -d /tmp/cnsort
    python -m model.data.make_strokes /tmp/cnsort/cn_sort-0.14.0-py3-none-any.whl

cn-sort (MIT, © 2019 bmxbmx3, notice in STROKES-LICENSE) ranks about 20,900 characters in
`res/all_word.json`; `stroke_increment_level` is one rank per character in the order of
GB 13000.1 / GF 3003-1999: stroke count first, then the stroke types 横竖撇点折 one by one. The
file carries no stroke counts or stroke sequences, only that rank, so the table keeps the order:
the CJK characters, each once, lowest rank first. The wheel is read as a zip, never imported
(importing cn_sort sets the root logger to DEBUG and writes log files into the working folder).
"""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

DATA = "cn_sort/res/all_word.json"
OUT = Path(__file__).with_name("strokes.txt")
PER_LINE = 50
HEADER = (
    "# The stroke order of model/strokes.py: characters lowest rank first, line after line.\n"
    "# Derived from cn-sort 0.14.0 res/all_word.json (stroke_increment_level), MIT, (c) 2019 bmxbmx3;\n"
    "# see STROKES-LICENSE. Regenerate: python -m model.data.make_strokes CN_SORT.whl\n"
)


def is_cjk(ch: str) -> bool:
    """The ideographs the table keeps; cn-sort ranks ASCII below them, which names never hold."""
    return len(ch) == 1 and ("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff")


def ranked(entries: list[dict]) -> list[str]:
    """Each character once, by its rank; a character given two ranks is an error in the source."""
    rank: dict[str, int] = {}
    for e in entries:
        ch, level = e["chinese"], int(e["stroke_increment_level"])
        if not is_cjk(ch):
            continue
        if rank.setdefault(ch, level) != level:
            raise SystemExit(f"{ch}: two ranks in the source ({rank[ch]} and {level})")
    by_level: dict[int, str] = {}
    for ch, level in rank.items():
        if level in by_level:
            raise SystemExit(f"rank {level} shared by {by_level[level]} and {ch}; the order would be open")
        by_level[level] = ch
    return [by_level[k] for k in sorted(by_level)]


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    with zipfile.ZipFile(argv[0]) as z:
        entries = json.loads(z.read(DATA).decode("utf-8"))["all_word"]
    chars = ranked(entries)
    lines = ["".join(chars[i:i + PER_LINE]) for i in range(0, len(chars), PER_LINE)]
    OUT.write_text(HEADER + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"{OUT}: {len(chars)} characters")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
