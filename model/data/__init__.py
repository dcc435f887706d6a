"""Data files shipped in the package: the stroke-order table (strokes.txt, from cn-sort, MIT, notice in
STROKES-LICENSE) and the script that regenerates it (make_strokes.py)."""
