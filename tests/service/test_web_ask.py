"""The web page's asking parts (service/web/ask.js) in a real headless Chromium against a real
`huanjie serve`, with tests/service/web.py's fixtures: upload an Excel roster (a bad one first: its
located errors in a table) and see its county; pin a cadre to a township (any seat) and see the diff;
change a rule's parameter in the form generated from its schema and see the new version's diff. It prints
the rule change's click -> diff latency; every API call the page made must be an operation of
/openapi.json."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from tests.server import Server
from tests.service.web import (
    browser,
    county_shown,
    diff_shown,
    only_documented_calls_and_shots,
    served,
    sign_in,
)
from tests.service.web import open_demo as demo_shown

__all__ = ["browser", "served"]  # the fixtures, from tests/service/web.py


def start(d: Any, srv: Server, secret: str) -> Any:
    """Sign in; the start section's wait (90 s)."""
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(d, 90)
    d.get(srv.url + "/")
    sign_in(d, wait, secret)
    return wait


def open_demo(d: Any, srv: Server, secret: str) -> Any:
    """Signed in, the demo county shown with its rules listed and its pool offered by name."""
    from selenium.webdriver.common.by import By

    wait = start(d, srv, secret)
    demo_shown(d, wait)
    wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, "#rule-pick option")) > 10)
    wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, "#cadre-names option")) > 100)
    return wait


def rosters(tmp_path: Path) -> tuple[Path, Path]:
    """The small generated county as an Excel roster, and a copy whose first cadre's 性别 is wrong."""
    import openpyxl

    from model.generator import generate_county
    from model.writers import roster_bytes

    good = tmp_path / "东县名册.xlsx"
    good.write_bytes(roster_bytes(generate_county(3, 80, 1)))
    wb = openpyxl.load_workbook(io.BytesIO(good.read_bytes()))
    ws = wb["干部"]
    column = [c.value for c in ws[2]].index("性别") + 1
    ws.cell(row=3, column=column, value="未知")
    bad = tmp_path / "错误名册.xlsx"
    wb.save(bad)
    return good, bad


def test_page_uploads_a_roster_shows_its_errors_then_its_county(
        served: tuple[Server, str], browser: Any, tmp_path: Path) -> None:
    """A bad .xlsx roster: its located error (file, row, field, value) in a table, nothing opened; the
    good one: stored, solved as a job, its three townships' teams shown; then a folder's three files."""
    from selenium.webdriver.common.by import By

    srv, secret = served
    d = browser
    wait = start(d, srv, secret)
    good, bad = rosters(tmp_path)
    d.find_element(By.ID, "roster-files").send_keys(str(bad))
    d.find_element(By.ID, "upload-button").click()
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#upload-errors tr.upload-error"))
    rows = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
            for tr in d.find_elements(By.CSS_SELECTOR, "#upload-errors tr.upload-error")]
    located = (f"{bad.name}[干部]", "3", "未知")
    assert any((r[0], r[1], r[3]) == located and "性别" in r[2] for r in rows), rows
    assert "处错误" in d.find_element(By.ID, "upload-state").text
    assert d.find_element(By.ID, "start").is_displayed()
    d.save_screenshot(str(tmp_path / "web-upload-errors.png"))

    d.find_element(By.ID, "roster-files").clear()
    d.find_element(By.ID, "roster-files").send_keys(str(good))
    d.find_element(By.ID, "upload-button").click()
    county_shown(d, wait)
    towns = d.find_elements(By.CSS_SELECTOR, "#townships section.township")
    assert len(towns) == 3
    assert d.find_element(By.ID, "county-title").text.startswith("石阳县")
    assert d.find_elements(By.CSS_SELECTOR, "#townships table.team tbody tr")
    d.save_screenshot(str(tmp_path / "web-upload.png"))

    # a scenario folder's three files, chosen together, as the CLI reads them
    from model.generator import generate_county
    from model.io import save_scenario

    save_scenario(generate_county(2, 60, 3), tmp_path / "folder")
    d.find_element(By.ID, "back-to-start").click()
    d.find_element(By.ID, "roster-files").clear()  # a file input of `multiple` adds to what it holds
    d.find_element(By.ID, "roster-files").send_keys(
        "\n".join(str(tmp_path / "folder" / f) for f in ("scenario.yaml", "townships.csv", "cadres.csv")))
    d.execute_script("document.getElementById('job-state').dataset.state = ''")
    d.find_element(By.ID, "upload-button").click()
    county_shown(d, wait)
    assert len(d.find_elements(By.CSS_SELECTOR, "#townships section.township")) == 2
    only_documented_calls_and_shots(d, srv, tmp_path, ("web-upload-errors.png", "web-upload.png"))


def test_page_pins_a_cadre_to_a_township_and_shows_the_diff(
        served: tuple[Server, str], browser: Any, tmp_path: Path) -> None:
    """A cadre of the second township pinned to the first (any seat), asked by keyboard: a what-if job
    whose diff has them in the first township, and the first township's team shows them."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    srv, secret = served
    d = browser
    wait = open_demo(d, srv, secret)
    towns = d.find_elements(By.CSS_SELECTOR, "#townships section.township")
    first = towns[0].find_element(By.CSS_SELECTOR, "h3").text
    row = towns[1].find_elements(By.CSS_SELECTOR, "table.team tbody tr")[2]
    cadre, name = row.get_attribute("data-cadre"), row.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text
    Select(d.find_element(By.ID, "township-town")).select_by_index(0)
    town = Select(d.find_element(By.ID, "township-town")).first_selected_option.text
    assert first.startswith(town), (first, town)
    d.find_element(By.ID, "township-cadre").send_keys(f"{name} {cadre}" + Keys.ENTER)
    diff_shown(d, wait)
    assert d.find_element(By.ID, "diff-summary").text.startswith(f"{name} 进{town}班子")
    diff = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
            for tr in d.find_elements(By.CSS_SELECTOR, "#diff tr.diff-row")]
    assert any(r[0] == town and name in r[3] for r in diff), diff
    team = d.find_elements(By.CSS_SELECTOR, "#townships section.township")[0]
    assert cadre in [tr.get_attribute("data-cadre") for tr in team.find_elements(By.CSS_SELECTOR, "tbody tr")]
    d.save_screenshot(str(tmp_path / "web-township-pin.png"))
    only_documented_calls_and_shots(d, srv, tmp_path, ("web-township-pin.png",))


def test_page_changes_a_rule_parameter_in_its_generated_form(
        served: tuple[Server, str], browser: Any, tmp_path: Path) -> None:
    """D1-C1 (at least one cadre of 30 or under per team) opened in the form built from its schema
    (Chinese titles, the 统计对象 fieldset, the gender enum in Chinese); 最少人数 1 -> 2 is a new version,
    solved, with its diff and a lower score; the click -> diff latency is printed."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    srv, secret = served
    d = browser
    wait = open_demo(d, srv, secret)
    Select(d.find_element(By.ID, "rule-pick")).select_by_value("D1-C1")
    wait.until(lambda _: d.find_elements(By.CSS_SELECTOR, "#rule-form input[data-param='min_count']"))
    form = d.find_element(By.ID, "rule-form")
    clause = form.find_element(By.CSS_SELECTOR, "[data-rule='D1-C1']").text
    assert clause.startswith("D1-C1 党政领导班子中30岁以下"), clause
    legends = [x.text for x in form.find_elements(By.CSS_SELECTOR, "legend")]
    assert "统计对象" in legends, legends
    gender = Select(form.find_element(By.CSS_SELECTOR, "select[data-param='gender']"))
    assert [o.text for o in gender.options] == ["不限", "男", "女"]
    assert Select(d.find_element(By.ID, "rule-strength")).first_selected_option.text == "必须"
    box = form.find_element(By.CSS_SELECTOR, "input[data-param='min_count']")
    assert box.get_attribute("value") == "1"
    label = form.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").text
    assert label == "最少人数"
    box.clear()
    box.send_keys("2")
    d.execute_script("document.getElementById('ask-rule').scrollIntoView()")
    d.save_screenshot(str(tmp_path / "web-rule-form.png"))
    d.find_element(By.ID, "rule-submit").click()
    diff_shown(d, wait)
    rule_ms = d.execute_script("return window.timing.diff - window.timing.pinned")
    summary = d.find_element(By.ID, "diff-summary").text
    assert summary.startswith("D1-C1 最少人数 改为 2:"), summary
    assert d.find_elements(By.CSS_SELECTOR, "#diff tr.diff-row")
    wait.until(lambda _: len(d.find_elements(By.CSS_SELECTOR, "#history-table tbody tr")) == 2)
    scores = [td.text for td in d.find_elements(By.CSS_SELECTOR, "#history-table td.score")]
    assert int(scores[1]) < int(scores[0]), scores
    d.save_screenshot(str(tmp_path / "web-rule-diff.png"))
    print(f"\nweb page latency on the demo county: rule change click -> diff shown {rule_ms:.0f} ms")
    only_documented_calls_and_shots(d, srv, tmp_path, ("web-rule-form.png", "web-rule-diff.png"))
