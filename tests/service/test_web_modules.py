"""The page's ES modules parse: one SyntaxError (a name exported twice, as two branches' export lists
once merged into app.js) stops the module and every module importing it, and the page is dead."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[2] / "service" / "web"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.parametrize("module", sorted(p.name for p in WEB.glob("*.js")))
def test_web_module_parses(module: str) -> None:
    """`node --check` reads the module as an ES module without a SyntaxError."""
    source = (WEB / module).read_text(encoding="utf-8")
    r = subprocess.run(["node", "--input-type=module", "--check"], input=source, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0, r.stderr
