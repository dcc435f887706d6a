"""`huanjie report`: the Excel workbook's sheets, layout and cells are the result's data; the HTML
report, opened in a real headless Chromium, has its tables and charts; the PDF has a page per
township; outputs and Chromium are checked before any work.

The Chromium tests skip when there is no `chromium` (saying how to install it) and fail under
CI=true, as the PostgreSQL tests do (tests/dbs.py): `.ci/chromium.sh` installs it."""

from __future__ import annotations

import re
import struct
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from model.enums import Change
from model.generator import generate_county
from model.io import load_scenario, save_scenario
from model.scenario import Scenario
from model.slate import Slate, SolveResult
from service.render.catalog import CATALOG
from service.render.charts import AGE_BANDS, SHARES, target_share
from service.render.pdf import ChromiumMissing, chromium, dump_dom, screenshot
from service.render.sheets import TEAM_HEADER
from service.render.statistics import COLUMNS
from tests.clirun import run_cli, tree_hash
from tests.dbs import in_ci

SETUP = "the report tests need Debian's chromium (apt-get install chromium; .ci/chromium.sh does)"


def need_chromium() -> None:
    """Chromium on PATH, else the test fails (CI) or skips with how to install it."""
    import os

    try:
        chromium()
    except ChromiumMissing as e:
        if in_ci(os.environ):
            pytest.fail(f"{e}. {SETUP}", pytrace=False)
        pytest.skip(f"{e}. {SETUP}")


@dataclass(frozen=True)
class Solved:
    folder: Path
    result_path: Path
    sc: Scenario
    result: SolveResult

    @property
    def slate(self) -> Slate:
        return self.result.slates[0]


@pytest.fixture(scope="module")
def solved(tmp_path_factory: pytest.TempPathFactory) -> Solved:
    """A generated county of 3 townships and 80 cadres, solved once (a few seconds)."""
    root = tmp_path_factory.mktemp("report")
    save_scenario(generate_county(3, 80, 3), root / "county")
    out = root / "result.json"
    run = run_cli(["solve", str(root / "county"), "--time-limit", "60", "--json", str(out)])
    assert run.code == 0, run.err
    return Solved(root / "county", out, load_scenario(root / "county"),
                  SolveResult.model_validate_json(out.read_text(encoding="utf-8")))


def report(s: Solved, tmp: Path, *flags: str) -> None:
    run = run_cli(["report", str(s.folder), str(s.result_path), *flags])
    assert run.code == 0, run.err


# --------------------------------------------------------------------------- Excel


def test_workbook_sheets_headers_frozen_panes_and_print_setup(solved: Solved, tmp_path: Path) -> None:
    """One 人事安排方案 sheet per township between 概况 and the county's sheets; every sheet has its
    header in row 2, frozen under it, repeated on print, the print area over the table; wide ones
    landscape."""
    report(solved, tmp_path, "--xlsx", str(tmp_path / "r.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    towns = [t.name for t in solved.sc.county.townships]
    assert wb.sheetnames == ["概况", *(f"{n}人事安排方案" for n in towns), "退出名单", "进退留转", "班子结构",
                             "规则检查", "规则明细"]
    for ws in wb:
        assert ws.freeze_panes == "A3"
        assert ws.print_title_rows == "$1:$2"
        last = ws.cell(2, ws.max_column).column_letter
        assert ws.print_area == f"'{ws.title}'!$A$1:${last}${max(ws.max_row, 3)}"
    for n in towns:
        ws = wb[f"{n}人事安排方案"]
        assert [c.value for c in ws[2]] == TEAM_HEADER
        assert ws["A1"].value == f"{n}领导班子人事安排方案"
        assert ws.page_setup.orientation == "landscape"
    assert [c.value for c in wb["班子结构"][2]][3:] == [h for h, _ in COLUMNS]


def test_workbook_cells_are_the_results_data(solved: Solved, tmp_path: Path) -> None:
    """Names and 变动 per township in the slate's order, the leavers, the county's 进退留转, the
    structure figures and the rule ids with their clauses are the result's own."""
    report(solved, tmp_path, "--xlsx", str(tmp_path / "r.xlsx"))
    wb = openpyxl.load_workbook(tmp_path / "r.xlsx")
    sc, slate = solved.sc, solved.slate
    for t in sc.county.townships:
        mine = [a for a in slate.assignments if a.township == t.id]
        rows = list(wb[f"{t.name}人事安排方案"].iter_rows(min_row=3, values_only=True))
        assert [r[1] for r in rows] == [sc.cadre_by_id[a.cadre].name for a in mine]
        assert [r[8] for r in rows] == [a.change.zh for a in mine]
    leavers = list(wb["退出名单"].iter_rows(min_row=3, values_only=True))
    assert [r[1] for r in leavers] == [sc.cadre_by_id[x.cadre].name for x in slate.leavers]
    county = list(wb["进退留转"].iter_rows(min_row=3, values_only=True))[-1]
    counts = Counter(a.change for a in slate.assignments) + Counter({Change.leaves: len(slate.leavers)})
    assert county == ("全县", *(counts[w] for w in Change), len(slate.assignments) + len(slate.leavers))
    stats = list(wb["班子结构"].iter_rows(min_row=3, values_only=True))
    whole = next(s for s in slate.statistics if s.township is None)
    assert stats[-2][3:] == tuple(getattr(whole.new, f) for _, f in COLUMNS)
    assert stats[-1][3:] == tuple(getattr(whole.sitting, f) for _, f in COLUMNS)
    rules = list(wb["规则检查"].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in rules] == list(dict.fromkeys(r.rule for r in slate.report))
    assert all(r[3] == CATALOG[r[0]] for r in rules if r[0] in CATALOG)


def test_column_widths_fit_chinese_text(solved: Solved, tmp_path: Path) -> None:
    """A column is at least as wide as its longest value with each CJK character counted 2."""
    report(solved, tmp_path, "--xlsx", str(tmp_path / "r.xlsx"))
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx")[f"{solved.sc.county.townships[0].name}人事安排方案"]
    longest_title = max(len(str(r[0])) for r in ws.iter_rows(min_row=3, values_only=True))
    assert ws.column_dimensions["A"].width >= 2 * longest_title
    assert ws.column_dimensions["B"].width >= 2 * 2  # a name of two characters at least


# --------------------------------------------------------------------------- HTML and PDF


def segment(dom: str, start: str, end: str) -> str:
    """The DOM from the first `start` to the next `end` after it."""
    i = dom.index(start)
    return dom[i:dom.index(end, i)]


def test_html_is_self_contained(solved: Solved, tmp_path: Path) -> None:
    """No script, no stylesheet or image fetched, no URL but the SVG namespace: it opens offline."""
    report(solved, tmp_path, "--html", str(tmp_path / "r.html"))
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<link" not in page and "url(" not in page and "@import" not in page
    assert set(re.findall(r"https?://[^\s\"'<>]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "@media print" in page and "table-header-group" in page


def test_html_report_in_headless_chromium(solved: Solved, tmp_path: Path) -> None:
    """Chromium loads the page: a team table per township with a row per seat, the three charts
    with a bar per band, share and word and the targets the rule report sets; a screenshot is kept."""
    need_chromium()
    report(solved, tmp_path, "--html", str(tmp_path / "r.html"))
    dom = dump_dom(tmp_path / "r.html")
    sc, slate = solved.sc, solved.slate
    for t in sc.county.townships:
        table = segment(dom, f'<table class="team" data-township="{t.id}">', "</table>")
        assert table.count("<tr>") == 1 + sum(1 for a in slate.assignments if a.township == t.id)
    age = segment(dom, 'id="chart-age"', "</svg>")
    assert age.count('class="bar ') == len(AGE_BANDS) * 2 * 2  # bands x (new, old) x (men, women)
    shares = segment(dom, 'id="chart-shares"', "</svg>")
    assert shares.count('class="bar ') == len(sc.county.townships) * len(SHARES) * 2
    goals = sum(target_share(slate.report, t.id, s.who) is not None
                for t in sc.county.townships for s in SHARES)
    assert goals > 0 and shares.count('class="target ') == goals
    changes = segment(dom, 'id="chart-changes"', "</svg>")
    assert changes.count('class="bar ') == len(Change)
    png = screenshot((tmp_path / "r.html").read_text(encoding="utf-8"), 1280, 1600)
    (tmp_path / "report.png").write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (1280, 1600)


def test_pdf_has_a_page_per_township(solved: Solved, tmp_path: Path) -> None:
    """Each township's 人事安排方案 is on a page of its own, its whole team on that page."""
    need_chromium()
    report(solved, tmp_path, "--pdf", str(tmp_path / "r.pdf"))
    pages = [p.extract_text() for p in PdfReader(tmp_path / "r.pdf").pages]
    sc, slate = solved.sc, solved.slate
    for t in sc.county.townships:
        mine = [i for i, text in enumerate(pages) if f"{t.name}领导班子人事安排方案" in text]
        assert len(mine) == 1, t.name
        page = pages[mine[0]]
        assert all(sc.cadre_by_id[a.cadre].name in page for a in slate.assignments if a.township == t.id)
    starts = [i for i, text in enumerate(pages) if "领导班子人事安排方案(" in text.splitlines()[0]]
    assert len(starts) == len(sc.county.townships)


# --------------------------------------------------------------------------- the verb's checks


def test_report_needs_a_format_and_writable_outputs(solved: Solved, tmp_path: Path) -> None:
    """No format, a result as its own output, one file for two formats: exit 2, nothing written."""
    before = tree_hash(solved.folder.parent)
    base = ["report", str(solved.folder), str(solved.result_path)]
    assert "at least one of --xlsx" in run_cli(base).err
    assert "input files" in run_cli([*base, "--xlsx", str(solved.result_path)]).err
    same = str(tmp_path / "r.out")
    run = run_cli([*base, "--xlsx", same, "--html", same])
    assert run.code == 2 and "a file of its own" in run.err
    assert tree_hash(solved.folder.parent) == before and not list(tmp_path.iterdir())


def test_pdf_without_chromium_says_how_to_install(solved: Solved, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Without Chromium, --pdf exits 2 with the install line before writing any of the files."""
    monkeypatch.setenv("HUANJIE_CHROMIUM", str(tmp_path / "no-chromium"))
    run = run_cli(["report", str(solved.folder), str(solved.result_path), "--xlsx", str(tmp_path / "r.xlsx"),
                   "--pdf", str(tmp_path / "r.pdf")])
    assert run.code == 2 and "Traceback" not in run.err
    assert "install Debian's chromium: apt-get install chromium" in run.err
    assert not list(tmp_path.iterdir())


def test_result_of_another_scenario_is_refused(solved: Solved, tmp_path: Path) -> None:
    """A result solved from another scenario is refused (exit 2), naming both scenarios."""
    other = tmp_path / "other"
    save_scenario(generate_county(2, 40, 9), other)
    run = run_cli(["report", str(other), str(solved.result_path), "--html", str(tmp_path / "r.html")])
    assert run.code == 2 and "was solved from the scenario named" in run.err
    assert not (tmp_path / "r.html").exists()


def test_bad_result_and_unknown_cadre_are_located(solved: Solved, tmp_path: Path) -> None:
    """A result that does not parse, or names a cadre the scenario lacks, is refused (exit 2) with
    the field located in the result's file."""
    import json

    bad = tmp_path / "bad.json"
    data = json.loads(solved.result_path.read_text(encoding="utf-8"))
    bad.write_text(json.dumps({**data, "status": "DONE"}), encoding="utf-8")
    run = run_cli(["report", str(solved.folder), str(bad), "--html", str(tmp_path / "r.html")])
    assert run.code == 2 and "field 'status'" in run.err and "DONE" in run.err
    data["slates"][0]["assignments"][0]["cadre"] = "nobody"
    bad.write_text(json.dumps(data), encoding="utf-8")
    run = run_cli(["report", str(solved.folder), str(bad), "--html", str(tmp_path / "r.html")])
    assert run.code == 2 and "slates[0].assignments[0].cadre" in run.err and "nobody" in run.err
    assert not (tmp_path / "r.html").exists()
