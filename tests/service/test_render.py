"""The renderer (service/render/) is the one home of staff-facing text: each reason
code worded exactly, results carry reasons as data, and no sentence is written in
model/ or solver/."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from model.analysis import analysis_of
from model.reasons import Reason, reason
from model.referee import judge
from model.scenario import Scenario
from model.slate import Assignment, Relaxation, Slate
from service.render.infeasible import reason_lines, relaxation_text
from service.render.rules import instance_text, term_text
from service.render.words import Names, say, wordings
from solver import solve
from tests.factory import cadre, scenario, township

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")

VOCABULARY = {
    "model/enums.py": "the Chinese labels of the closed vocabularies, which staff's files use as values",
    "model/records.py": "the Chinese column headers and the 是/否 cells of staff's spreadsheets",
    "model/generator.py": "sample data of generated counties: names, places, units, expertise tags",
    "model/ethnicity.py": "the ethnic group names staff write in the 民族 column (苗 and 苗族 alike)",
    "model/strokes.py": "the compound surnames (复姓) a name is read with, data of the stroke order",
    "model/data/make_strokes.py": "the ranges of CJK ideographs the stroke table keeps",
    "model/people.py": "the default ethnicity 汉族 and the 族 suffix that reading a cadre's 民族 cell adds",
    "model/membership.py": "the Chinese column headers of the units and nominee rolls and their 是/否 cells",
    "model/nominee_generator.py": "sample data of generated rolls: branch names, the default 汉族",
    "model/readers.py": "an input error hint that names Excel's own menu entry, CSV UTF-8 (逗号分隔)",
    "model/structured.py": "the 是/否 words a yes/no field takes, in a CSV cell or a YAML value alike",
    "model/writers.py": "the 是/否 cells and the 、 list separator of the scenario folder staff edit",
    "model/roster.py": "the headers, sheet names, post and degree words and date forms of Excel rosters",
}
"""Modules of model/ that may hold CJK string literals: the input side must read (and
write back) staff's own files, whose vocabulary is Chinese. Everything else staff read
is written in service/render/."""


def python_files(*packages: str) -> list[Path]:
    return [p for pkg in packages for p in sorted((ROOT / pkg).rglob("*.py"))]


def cjk_literals(path: Path) -> list[int]:
    """Lines of string constants (f-string parts included) with CJK characters; a
    string standing alone as a statement (a docstring) does not count."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    docs = {id(n.value) for n in ast.walk(tree)
            if isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant)}
    return [n.lineno for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
            and CJK.search(n.value)]


def reason_codes(*packages: str) -> dict[str, str]:
    """Every code passed as a literal to `reason(...)` in these packages -> where."""
    out: dict[str, str] = {}
    for path in python_files(*packages):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for n in ast.walk(tree):
            if (isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "reason"
                    and n.args and isinstance(n.args[0], ast.Constant)):
                out.setdefault(n.args[0].value, f"{path.relative_to(ROOT)}:{n.lineno}")
    return out


def test_no_staff_text_in_model_or_solver() -> None:
    """No string literal in model/ or solver/ holds Chinese, outside the vocabulary modules."""
    found = {str(p.relative_to(ROOT)): lines for p in python_files("model", "solver")
             if str(p.relative_to(ROOT)) not in VOCABULARY and (lines := cjk_literals(p))}
    assert found == {}, "word it in service/render/ and return a reason (model/reasons.py)"


def test_the_scan_sees_text_in_code_and_not_in_docstrings(tmp_path: Path) -> None:
    """The scan finds a Chinese f-string part and a constant, and passes over docstrings."""
    src = tmp_path / "m.py"
    src.write_text('"""模块。"""\n\ndef f(n):\n    """函数。"""\n    x = "好"\n    return f"{n}个"\n',
                   encoding="utf-8")
    assert cjk_literals(src) == [5, 6]


def test_every_reason_code_has_a_wording() -> None:
    """Each code the code base makes has a wording, and each wording a code that is made."""
    made, worded = reason_codes("model", "solver"), wordings()
    assert {c: w for c, w in made.items() if c not in worded} == {}
    assert sorted(set(worded) - set(made)) == []


def test_an_unknown_code_fails_loudly() -> None:
    """A reason nobody worded never reaches staff as a bare code."""
    with pytest.raises(KeyError, match="no_such_code"):
        say(reason("no_such_code"), Names())


# --- the exact sentences --------------------------------------------------------------------


def seated(sc: Scenario, ids: list[str]) -> Slate:
    """The slate giving the scenario's seats, in order, to these cadres."""
    slate, _ = judge(sc, [Assignment(township=s.township, seat=s.id, cadre=c)
                          for s, c in zip(sc.seats, ids, strict=False)])
    return slate


def small() -> Scenario:
    """One township 东山镇 of xx-2011; 王芳 is 56, 李强 is 35 and worked 0 years in townships."""
    people = [cadre("w", name="王芳", gender="female", age=56), cadre("l", name="李强", age=35,
                                                                     township_years=0)]
    people += [cadre(f"c{i}", age=28 + i, gender="female" if i == 0 else "male") for i in range(8)]
    return scenario([township("t1", name="东山镇")], people)


def test_seated_findings_are_worded_after_the_seat() -> None:
    """An age cap broken and held: the cadre and seat, then the finding with its numbers."""
    sc = small()
    slate = seated(sc, ["w", "l", *(f"c{i}" for i in range(len(sc.seats) - 2))])
    names = Names.of(sc)
    by_key = {r.key: r for r in slate.report}
    assert instance_text(by_key["D3-E2@t1/secretary"], names) == \
        "王芳任党委书记:56岁,已满48岁,一般不再担任科级领导职务"
    assert instance_text(by_key["D3-E2@t1/head"], names) == "李强任党委副书记、镇长:符合"
    assert instance_text(by_key["D1-E1@t1/secretary"], names) == "王芳任党委书记:符合"
    merit = next(t for t in slate.score.terms if t.term == "merit" and t.cadre == "w")
    assert term_text(merit, names) == "王芳任党委书记:近三年考核称职3次"


def test_count_and_shape_sentences() -> None:
    """A count rule and a team shape, broken and kept, in today's words."""
    names = Names(townships={"t1": "东山镇"})
    count = reason("count", township="t1", post=None, posts=[], principal=False, total=7,
                   who={"max_age": 30}, min_count=1, min_share=None, more_than_sitting=False,
                   sitting=None, have=0, need=1)
    assert say(count, names) == "东山镇乡镇领导班子成员7个职位中30岁以下干部0名,要求至少1名(至少1名)"
    share = count.model_copy(update={"args": {**count.args, "township": None, "post": "party_secretary",
                                              "posts": ["party_secretary"], "who": {"gender": "female"},
                                              "min_count": None, "min_share": 2 / 3, "have": 3,
                                              "need": 5}})
    assert say(share, names) == "全县党委书记7个职位中女干部3名,要求不少于2/3(至少5名)"
    bad = reason("team_shape", township="t1", problems=[
        reason("shape_seats", have=8, want=7).model_dump(),
        reason("shape_posts", posts=["deputy_head", "committee_member"], have=0, lo=1, hi=2).model_dump()])
    assert say(bad, names) == "东山镇:职数8名,应为7名;副乡镇长兼党委委员0名,应为1至2名"
    assert say(reason("team_shape", township="t1", problems=[]), names) == "东山镇:职数与兼任符合"


def test_infeasibility_sentences() -> None:
    """Pre-check reasons and relaxations, worded from their data."""
    names = Names(cadres={"g1": "卢艳"}, townships={"t2": "马林镇"})
    total = reason("count_short_total", rule="D1-C1", places=12, need=12, who={"max_age": 30}, available=10)
    assert say(total, names) == "D1-C1 12处合计需要12名30岁以下干部,候选池中可任这些职务的只有10人"
    pin = reason("pin_impossible", cadre="g1", township="t2", seat="secretary", rules=[], banned=True)
    assert say(pin, names) == "指定卢艳(g1)任t2/secretary无法满足:同一情景中又排除了该人选"
    lowered = Relaxation(rule="D1-C1", parameter="min_count", before=1, after=0)
    dropped = Relaxation(rule="pin", parameter="g1", before="t2/secretary", after=None)
    assert relaxation_text(lowered, names) == "D1-C1 min_count 由 1 调整为 0"
    assert reason_lines([total], [dropped], names) == [say(total, names), "最小放宽方案:",
                                                        "  取消指定卢艳(g1)任t2/secretary"]


def test_result_json_carries_reasons_as_code_and_args() -> None:
    """An infeasible solve's JSON has its reasons as {code, args} objects, and they read back."""
    sc = scenario([township("t1")], [cadre(f"c{i}", gender="female" if i < 4 else "male") for i in range(10)])
    res = solve(sc, time_limit=20, workers=1)
    assert res.status == "INFEASIBLE"
    data = json.loads(res.model_dump_json())
    assert data["reasons"] and all(set(r) == {"code", "args"} for r in data["reasons"])
    assert any(r["code"] == "count_short" and r["args"]["rule"] == "D1-C1" for r in data["reasons"])
    assert [Reason.model_validate(r) for r in data["reasons"]] == list(res.reasons)
    assert any("D1-C1" in line for line in reason_lines(res.reasons, res.relaxations, Names.of(sc)))


def test_rule_instances_in_json_carry_their_reason() -> None:
    """A judged slate's instances and score terms carry reasons as data, not sentences."""
    sc = small()
    slate = seated(sc, [c.id for c in sc.cadres][2:])
    data = json.loads(slate.model_dump_json())
    assert all(set(r["reason"]) == {"code", "args"} for r in data["report"])
    assert all(set(t["reason"]) == {"code", "args"} for t in data["score"]["terms"])


def test_analysis_adds_up() -> None:
    """The analysis's points by term and by township each add up to the score's points."""
    sc = small()
    slate = seated(sc, [c.id for c in sc.cadres])
    a = analysis_of(slate)
    assert a is not None
    assert sum(a.by_term.values()) == sum(t.points for t in a.by_township) == slate.score.points
    assert {r.rule for r in a.broken} == set(a.by_rule)
