"""The web page at `/`, driven in a real headless Chromium (selenium and Debian's chromedriver) against a
real `huanjie serve` on a loopback port: sign in with a key from `huanjie keys create`, open the demo
county, wait for its job, read a township's team in the DOM, click a seat for its candidates, pin one,
and see the diff with its 变动 words. It prints the two latencies (click -> candidates, pin -> diff) and
keeps screenshots; every API call the page made must be an operation of /openapi.json.

Without chromium or chromedriver the test skips, saying how to install them, and fails under CI=true
(tests/service/web.py, shared with the page's other browser tests)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import httpx

from tests.server import Server
from tests.service.web import (
    browser,
    diff_shown,
    documented,
    only_documented_calls_and_shots,
    open_demo,
    served,
    sign_in,
)

__all__ = ["browser", "served"]  # the fixtures, from tests/service/web.py
SHOTS = ("web-county.png", "web-candidates.png", "web-diff.png", "web-history.png")
"""Saved to docs/ for the README when HUANJIE_WEB_SHOTS=1 (the screenshots are otherwise test artefacts)."""


def test_page_signs_in_opens_the_demo_asks_a_seat_pins_and_shows_the_diff(
        served: tuple[Server, str], browser: object, tmp_path: Path) -> None:
    """Sign in, the demo's teams, a seat's candidates, why-not, a pin's, a ban's and a removal's diff; only
    documented calls."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select, WebDriverWait

    srv, secret = served
    d = browser
    wait = WebDriverWait(d, 90)
    d.get(srv.url + "/")
    assert d.find_element(By.ID, "sign-in-title").text == "登录"
    sign_in(d, wait, secret)

    # the county: every township's team, in the staff's columns, with the 变动 word coloured
    open_demo(d, wait)
    towns = d.find_elements(By.CSS_SELECTOR, "#townships section.township")
    assert len(towns) == 12
    first = towns[0]
    header = [th.text for th in first.find_elements(By.CSS_SELECTOR, "table.team th")]
    assert header == ["拟任职务", "姓名", "性别", "出生年月", "学历", "现任职务", "变动"]
    rows = first.find_elements(By.CSS_SELECTOR, "table.team tbody tr")
    assert len(rows) >= 7
    spans = d.find_elements(By.CSS_SELECTOR, "#townships .change")
    assert {s.text for s in spans} & {"连任", "改任", "交流", "提拔", "进班子"}
    colours = {s.value_of_css_property("color") for s in spans}
    assert len(colours) >= 2  # the 变动 words are coloured by word
    assert first.find_element(By.XPATH, ".//h3[2]").text == "退出名单"
    d.save_screenshot(str(tmp_path / "web-county.png"))

    # ask: a seat's candidates, by keyboard-reachable button
    second = towns[1]
    seat = second.find_element(By.CSS_SELECTOR, "table.team tbody tr button.seat")
    seat.click()
    wait.until(lambda _: d.execute_script("return window.timing && window.timing.candidates"))
    pins = d.find_elements(By.CSS_SELECTOR, "#candidate-table button.pin")
    assert pins, d.find_element(By.ID, "candidate-table").text
    click_ms = d.execute_script("return window.timing.candidates - window.timing.clicked")

    # why-not for any cadre of the pool: found by name in the list, asked by keyboard (Enter)
    wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, "#cadre-names option")) > 100)
    someone = d.find_elements(By.CSS_SELECTOR, "#cadre-names option")[57].get_attribute("value")
    box = d.find_element(By.ID, "why-not-name")
    box.send_keys(someone + Keys.ENTER)
    wait.until(lambda _: d.find_element(By.ID, "why-not-answer").get_attribute("data-ready") == "1")
    answer = d.find_element(By.ID, "why-not-answer")
    verdict = answer.find_element(By.CSS_SELECTOR, "[data-possible]")
    assert verdict.text.startswith("可以" if verdict.get_attribute("data-possible") == "true" else "不可以")
    assert someone.split()[0] in verdict.text
    if verdict.get_attribute("data-possible") == "true":
        assert "得分变化" in verdict.text
    else:
        assert answer.find_elements(By.CSS_SELECTOR, "ul.reasons li"), answer.text
    for rule in answer.find_elements(By.CSS_SELECTOR, "li[data-rule]"):  # an id and its Chinese clause
        assert re.search(r"[\u4e00-\u9fff]", rule.text), rule.text
        assert rule.get_attribute("data-rule") in rule.text
    d.save_screenshot(str(tmp_path / "web-candidates.png"))

    # pin one: a what-if version, solved as a job, and the diff seat by seat
    name = pins[0].find_element(By.XPATH, "./../..").find_element(By.CSS_SELECTOR, "td").text
    pins[0].click()
    diff_shown(d, wait)
    pin_ms = d.execute_script("return window.timing.diff - window.timing.pinned")
    diff = d.find_element(By.ID, "diff")
    assert diff.is_displayed()
    after = [td.text for td in diff.find_elements(By.CSS_SELECTOR, "tr.diff-row td.after")]
    assert any(name in a for a in after), (name, after)
    changed = {s.text for s in diff.find_elements(By.CSS_SELECTOR, "td.after .change")}
    assert changed and changed <= {"连任", "改任", "交流", "提拔", "破格提拔", "越级提拔", "降任", "进班子"}
    # the score and rule deltas beside the seats: the pin moved the score, so some term moved
    terms = d.find_element(By.ID, "diff-terms").text
    assert terms.startswith("得分变化:"), terms
    for row in diff.find_elements(By.CSS_SELECTOR, "#diff-rules tr.rule-delta"):
        cells = [td.text for td in row.find_elements(By.CSS_SELECTOR, "td")]
        assert cells[0] == row.get_attribute("data-rule") and cells[2] != cells[3], cells
    d.save_screenshot(str(tmp_path / "web-diff.png"))

    # ban the seat's holder from it, then remove them from the pool: each a what-if, solved and diffed
    for action in ("ban", "remove"):
        d.find_element(By.ID, "back-to-base").click()
        d.find_elements(By.CSS_SELECTOR, "#townships section.township")[1].find_element(
            By.CSS_SELECTOR, "table.team tbody tr button.seat").click()
        wait.until(lambda _: d.execute_script("return window.timing && window.timing.candidates"))
        holder = d.find_element(By.CSS_SELECTOR, "#candidate-table tr.holder")
        gone = holder.find_element(By.CSS_SELECTOR, "td").text
        holder.find_element(By.CSS_SELECTOR, f"button.{action}").click()
        diff_shown(d, wait)
        before = [td.text for td in d.find_elements(By.CSS_SELECTOR, "#diff tr.diff-row td.before")]
        assert any(gone in b for b in before), (action, gone, before)
        second_team = d.find_elements(By.CSS_SELECTOR, "#townships section.township")[1]
        first_seat = second_team.find_element(By.CSS_SELECTOR, "table.team tbody tr td:nth-child(2)").text
        assert first_seat != gone, action
        if action == "remove":
            cells = d.find_elements(By.CSS_SELECTOR, "#townships table.team td:nth-child(2)")
            names = [td.text for td in cells]
            assert gone not in names
    # the history: the base and its three what-ifs, each with its job's score; compare the pin with the ban
    wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")) == 4)
    scores = [td.text for td in d.find_elements(By.CSS_SELECTOR, "#history-table td.score")]
    assert all(re.fullmatch(r"-?\d+", x) for x in scores), scores
    Select(d.find_element(By.ID, "compare-a")).select_by_index(1)
    Select(d.find_element(By.ID, "compare-b")).select_by_index(2)
    d.execute_script("document.getElementById('diff').dataset.ready = ''")
    d.find_element(By.ID, "compare").click()
    wait.until(lambda _: d.find_element(By.ID, "diff").get_attribute("data-ready") == "1")
    summary = d.find_element(By.ID, "diff-summary").text
    assert summary.startswith("版本 2 → 版本 3"), summary
    assert f"({scores[1]} → {scores[2]})" in summary, (summary, scores)
    d.save_screenshot(str(tmp_path / "web-history.png"))

    # take it away: the Excel report of the slate on screen, fetched with the key
    doc = httpx.get(srv.url + "/openapi.json").json()
    assert d.find_element(By.ID, "download-xlsx").is_displayed()
    if documented("/v1/jobs/j/report", "get", doc):
        d.find_element(By.ID, "download-xlsx").click()
        wait.until(lambda _: d.execute_script("return window.downloads.length"))
        got = d.execute_script("return window.downloads[0]")
        assert got["format"] == "xlsx" and got["status"] == 200 and got["size"] > 0, got
    else:
        warnings.warn("GET /v1/jobs/{job_id}/report is not in /openapi.json yet: the Excel download's "
                      "check is skipped (the buttons are there; the endpoint comes from another branch)",
                      stacklevel=1)
    print(f"\nweb page latency on the demo county: click -> candidates {click_ms:.0f} ms; "
          f"pin -> diff shown {pin_ms:.0f} ms")

    only_documented_calls_and_shots(d, srv, tmp_path, SHOTS)
