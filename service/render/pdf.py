"""The PDF of the HTML report, printed by headless Chromium (Debian's `chromium`), and the
same browser's screenshot and DOM for the docs and the tests. Each run gets a fresh profile
(`--user-data-dir`) in a temporary folder, removed after, so runs never share state or lock
each other out; nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

BINARY_VAR = "HUANJIE_CHROMIUM"
"""Another browser binary than the `chromium` on PATH."""

INSTALL = "install Debian's chromium: apt-get install chromium"
TIMEOUT = 120.0


class ChromiumMissing(Exception):
    """No Chromium to print with; the message says how to install it."""


class ChromiumFailed(Exception):
    """Chromium ran but did not write what was asked; the message has the end of its stderr."""


def chromium() -> str:
    """The browser binary: $HUANJIE_CHROMIUM, else `chromium` on PATH."""
    given = os.environ.get(BINARY_VAR, "").strip()
    found = shutil.which(given or "chromium")
    if found is None:
        where = f"{BINARY_VAR}={given} is not an executable" if given else "chromium is not on PATH"
        raise ChromiumMissing(f"{where}; {INSTALL}")
    return found


def run_chromium(url: str, *flags: str, timeout: float = TIMEOUT) -> str:
    """Run headless Chromium on `url` with these flags and a throwaway profile; its stdout."""
    binary = chromium()
    with tempfile.TemporaryDirectory(prefix="huanjie-chromium-") as profile:
        args = [binary, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions", *flags, url]
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as e:
            raise ChromiumFailed(f"chromium did not finish within {timeout:g} s") from e
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-3:])
        raise ChromiumFailed(f"chromium exited with {done.returncode}: {tail}")
    return done.stdout


def _produce(html: str, flag: str, suffix: str, *flags: str) -> bytes:
    """Write the page to a temporary folder, have Chromium turn it into one file, read it back."""
    with tempfile.TemporaryDirectory(prefix="huanjie-report-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / f"out{suffix}"
        page.write_text(html, encoding="utf-8")
        run_chromium(page.as_uri(), f"{flag}={out}", *flags)
        if not out.is_file() or out.stat().st_size == 0:
            raise ChromiumFailed(f"chromium wrote no {suffix} file")
        return out.read_bytes()


def print_pdf(html: str) -> bytes:
    """The page printed as the browser prints it (the page's @media print and @page rules),
    without the browser's own header and footer."""
    return _produce(html, "--print-to-pdf", ".pdf", "--no-pdf-header-footer")


def screenshot(html: str, width: int = 1280, height: int = 1600) -> bytes:
    """A PNG of the top of the page in a window of this size."""
    return _produce(html, "--screenshot", ".png", f"--window-size={width},{height}", "--hide-scrollbars")


def dump_dom(path: Path) -> str:
    """The DOM Chromium holds once the file has loaded, serialized."""
    return run_chromium(path.resolve().as_uri(), "--dump-dom")
