"""The web page's county view beyond the teams, in a real headless Chromium against a real `huanjie serve`
(the fixtures of tests/service/web.py): the structure charts with their targets, a rule report row
opened on what binds the rule, and an infeasible what-if on the demo county (too few under-30 cadres,
scenarios/what-if/few-young.yaml, stored by another system through the API) whose conflict the page
shows and whose cheapest relaxation one button stores, solves and diffs. It prints the time from that
click to the result shown, keeps screenshots, and checks that every call the page made is documented."""

from __future__ import annotations

from pathlib import Path

import httpx
import yaml

from tests.server import Server
from tests.service.web import ROOT, browser, only_documented_calls_and_shots, open_demo, served, sign_in

__all__ = ["browser", "served"]  # the fixtures, from tests/service/web.py

SHOTS = ("web-charts.png", "web-rules.png", "web-relax.png")
"""Saved to docs/ for the README when HUANJIE_WEB_SHOTS=1 (the screenshots are otherwise test artefacts)."""


def test_charts_rules_and_a_relaxation_applied_from_the_page(
        served: tuple[Server, str], browser: object, tmp_path: Path) -> None:
    """Charts with targets, a rule row opening what binds it, an infeasible what-if's conflict and the
    relaxation button giving a feasible job with a diff; only documented calls."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    srv, secret = served
    d = browser
    wait = WebDriverWait(d, 120)
    d.get(srv.url + "/")
    sign_in(d, wait, secret)
    open_demo(d, wait)

    # 结构统计: the structure's charts and one per count rule, each township's target a red tick
    d.find_element(By.ID, "tab-charts").click()
    wait.until(lambda _: d.find_element(By.ID, "charts").get_attribute("data-ready") == "1")
    assert not d.find_element(By.ID, "charts").get_attribute("hidden")
    assert d.find_element(By.ID, "townships").get_attribute("hidden")
    figures = d.find_elements(By.CSS_SELECTOR, "#charts figure.small-chart")
    keys = [f.get_attribute("data-key") for f in figures]
    assert {"age", "education", "D1-C1", "D1-C2", "D3-C1.young", "county"} <= set(keys), keys
    women = d.find_element(By.CSS_SELECTOR, '#charts figure[data-key="D1-C2"]')
    assert len(women.find_elements(By.CSS_SELECTOR, "line.target")) == 12 + 1  # each township and the county
    assert len(women.find_elements(By.CSS_SELECTOR, "rect.bar")) == 12 + 1
    assert "女" in women.get_attribute("aria-label")
    age = d.find_element(By.CSS_SELECTOR, '#charts figure[data-key="age"]')
    assert all(age.find_elements(By.CSS_SELECTOR, f"rect.bar.{team}") for team in ("new", "old"))
    d.save_screenshot(str(tmp_path / "web-charts.png"))

    # 规则检查: a broken rule's row opened, by keyboard-reachable button, shows where it binds and its cost
    d.find_element(By.ID, "tab-rules").click()
    wait.until(lambda _: d.find_element(By.ID, "rules").get_attribute("data-ready") == "1")
    rows = d.find_elements(By.CSS_SELECTOR, "#rules tr.rule")
    assert len(rows) > 20 and rows[0].find_element(By.CSS_SELECTOR, "td.clause").text
    broken = d.find_element(By.CSS_SELECTOR, "#rules tr.rule.broken")
    button = broken.find_element(By.CSS_SELECTOR, "button.rule-open")
    assert button.get_attribute("aria-expanded") == "false"
    button.click()
    detail = d.find_element(By.ID, button.get_attribute("aria-controls"))
    assert detail.is_displayed() and button.get_attribute("aria-expanded") == "true"
    first = detail.find_element(By.CSS_SELECTOR, "table.binding tbody tr")
    assert "broken" in first.get_attribute("class")
    cells = [td.text for td in first.find_elements(By.CSS_SELECTOR, "td")]
    # the place, what the referee found, the margin and the points it costs
    assert cells[0] and cells[3] and cells[4] and cells[5].startswith("-"), cells
    d.save_screenshot(str(tmp_path / "web-rules.png"))
    # 调整 beside the rule opens that rule's form (ask.js), built from its parameter schema
    rule = broken.get_attribute("data-rule")
    broken.find_element(By.CSS_SELECTOR, "button.rule-adjust").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, f'#rule-form p.clause[data-rule="{rule}"]'))

    # an infeasible what-if stored by another system: the page's history solves it and shows the conflict
    auth = {"Authorization": f"Bearer {secret}"}
    scenario = httpx.get(f"{srv.url}/v1/scenarios?limit=1", headers=auth).json()["items"][0]["id"]
    few = yaml.safe_load((ROOT / "scenarios/what-if/few-young.yaml").read_text(encoding="utf-8"))
    stored = httpx.post(f"{srv.url}/v1/scenarios/{scenario}/versions", headers=auth, json={
        "base": {"scenario_id": scenario, "version": 1}, "name": few["name"], "remove": few["remove"]})
    assert stored.status_code == 201, stored.text
    d.find_element(By.ID, "tab-townships").click()
    d.find_element(By.ID, "refresh-history").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#history-table button.solve-version"))
    d.find_element(By.CSS_SELECTOR, "#history-table button.solve-version").click()
    wait.until(lambda _: d.find_element(By.ID, "conflict").get_attribute("data-ready") == "1")
    conflict = d.find_element(By.ID, "conflict")
    assert conflict.find_element(By.TAG_NAME, "h2").text.startswith("无可行方案")
    refs = conflict.find_elements(By.CSS_SELECTOR, "ul.reasons .rule-ref[data-rule='D1-C1']")
    assert refs and "30岁" in refs[0].text, conflict.text
    change = conflict.find_element(By.CSS_SELECTOR, "ol.relaxations li[data-rule='D1-C1']")
    assert "D1-C1" in change.text and "调整为" in change.text
    d.save_screenshot(str(tmp_path / "web-relax.png"))

    # the button: the relaxed what-if stored, solved as a job, its slate and diff shown
    d.find_element(By.ID, "apply-relaxation").click()
    wait.until(lambda _: d.execute_script("return window.timing && window.timing.relaxShown"))
    relax_ms = d.execute_script("return window.timing.relaxShown - window.timing.relaxClicked")
    assert d.find_element(By.ID, "job-state").get_attribute("data-state") == "shown"
    assert not conflict.is_displayed()
    diff = d.find_element(By.ID, "diff")
    assert diff.is_displayed() and "按最小放宽方案" in d.find_element(By.ID, "diff-summary").text
    assert diff.find_elements(By.CSS_SELECTOR, "tr.diff-row"), diff.text
    history = d.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")
    assert len(history) == 3 and history[-1].find_elements(By.CSS_SELECTOR, "button.show-version")
    assert history[1].find_element(By.CSS_SELECTOR, "td.score").text == "无可行方案"
    assert history[1].find_elements(By.CSS_SELECTOR, "button.why-version")
    d.save_screenshot(str(tmp_path / "web-relaxed.png"))
    print(f"\nweb page on the demo county: relaxation click -> result and diff shown {relax_ms:.0f} ms")

    only_documented_calls_and_shots(d, srv, tmp_path, SHOTS)
