"""What the web page's browser tests (test_web.py, test_web_ask.py, test_web_report.py) share: a real
`huanjie serve` with a planner key, a headless Chromium driven by selenium (Debian's chromedriver), signing
in, waiting for the county or a diff, and the check that the page made only documented calls (its
screenshots copied to docs/ for the README when HUANJIE_WEB_SHOTS=1).

Without chromium or chromedriver a test skips, saying how to install them, and fails under CI=true
(.ci/chromium.sh installs both), as tests/service/test_reports.py does. A test module takes the fixtures
by importing `browser` and `served` and naming them in its `__all__`."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.server import Server
from tests.service.api.test_real_server import HUANJIE, new_key

ROOT = Path(__file__).resolve().parents[2]
DRIVER = Path(os.environ.get("HUANJIE_CHROMEDRIVER", "/usr/bin/chromedriver"))
BROWSER = Path(os.environ.get("HUANJIE_CHROMIUM", "/usr/bin/chromium"))
SETUP = "the web page test needs Debian's chromium and chromium-driver (.ci/chromium.sh installs both)"


def need_browser() -> None:
    """chromium, chromedriver and selenium present, else fail (CI) or skip saying how to install them."""
    missing = [str(p) for p in (BROWSER, DRIVER) if not p.exists()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install -e '.[dev]')")
    if missing:
        why = f"missing {', '.join(missing)}. {SETUP}"
        if os.environ.get("CI") == "true":
            pytest.fail(why, pytrace=False)
        pytest.skip(why)


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Server, str]]:
    env = {"HUANJIE_DATA": str(tmp_path / "data")}
    secret = new_key(env)
    with Server([*HUANJIE, "serve", "--port", "{port}", "--workers", "1"], env, cwd=ROOT,
                logs=tmp_path / "logs") as srv:
        yield srv, secret


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(BROWSER)
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1366,768",
                f"--user-data-dir={tmp_path / 'chromium-profile'}", "--lang=zh-CN"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(tmp_path / "downloads")})
    driver = webdriver.Chrome(service=Service(str(DRIVER)), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def sign_in(d: Any, wait: Any, secret: str) -> None:
    """The key typed into the page already loaded, until the start section's demo button can be clicked."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec

    d.find_element(By.ID, "key").send_keys(secret)
    d.find_element(By.ID, "sign-in-button").click()
    wait.until(ec.element_to_be_clickable((By.ID, "open-demo")))


def county_shown(d: Any, wait: Any) -> None:
    """Until the job's slate is drawn (the job bar's state says so)."""
    from selenium.webdriver.common.by import By

    wait.until(lambda _: d.find_element(By.ID, "job-state").get_attribute("data-state") == "shown")


def open_demo(d: Any, wait: Any) -> None:
    """The demo county opened from the start section, until its slate is drawn."""
    from selenium.webdriver.common.by import By

    d.find_element(By.ID, "open-demo").click()
    county_shown(d, wait)


def diff_shown(d: Any, wait: Any) -> None:
    """Until a what-if's job is solved and its diff drawn (the page's timing marks it)."""
    wait.until(lambda _: d.execute_script("return window.timing && window.timing.diff"))


def documented(path: str, method: str, doc: dict) -> bool:
    """The call's method and path match an operation of the OpenAPI document ({param} as one segment)."""
    for template, ops in doc["paths"].items():
        pattern = "^" + re.sub(r"\\\{[^/]+?\\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in ops:
            return True
    return False


def only_documented_calls_and_shots(d: Any, srv: Server, shots_in: Path, shots: tuple[str, ...]) -> None:
    """The page stands on the documented API only; the screenshots go to docs/ with HUANJIE_WEB_SHOTS=1."""
    doc = httpx.get(srv.url + "/openapi.json").json()
    calls = d.execute_script("return window.apiCalls")
    undocumented = [c for c in calls if not documented(c["path"], c["method"], doc)]
    assert calls and undocumented == []
    if os.environ.get("HUANJIE_WEB_SHOTS") == "1":
        for shot in shots:
            shutil.copy(shots_in / shot, ROOT / "docs" / shot)
