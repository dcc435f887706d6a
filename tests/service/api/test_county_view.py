"""The county view's parts under TestClient: an ended job's small charts (bars and target ticks from the
referee's counts), its rule report with what binds each rule, and an infeasible job's conflict with the
cheapest relaxation as a what-if that, stored and solved, has a slate."""

from __future__ import annotations

from pathlib import Path

import yaml

from model.scenario import Pin
from model.slate import Relaxation
from model.whatif import ScenarioDelta, relaxed
from tests.service.api.conftest import Service

ROOT = Path(__file__).resolve().parents[3]


def solved(service: Service, scenario_id: str, version: int | None = None) -> str:
    body = {"scenario_id": scenario_id, "settings": {"top": 1, "time_limit": 20}}
    if version is not None:
        body["version"] = version
    job = service.post("/v1/jobs", json=body)
    assert job.status_code == 202, job.text
    assert service.wait(job.json()["id"])["state"] == "completed"
    return job.json()["id"]


def test_charts_draw_each_count_rule_against_its_target(service: Service) -> None:
    """Every township count rule of the slate has a chart with a bar a team and the county, a target tick
    at need/total; the structure's age and education charts come first."""
    job = solved(service, service.small)
    result = service.get(f"/v1/jobs/{job}/result").json()
    charts = service.get(f"/v1/jobs/{job}/charts").json()["charts"]
    keys = [c["key"] for c in charts]
    assert keys[:2] == ["age", "education"] and keys[-1] == "county"
    report = result["slates"][0]["report"]
    counts = {r["rule"] for r in report if r["reason"]["code"] == "count" and r["township"]}
    assert counts and counts <= {k.split(".")[0] for k in keys}
    women = next(c for c in charts if c["key"] == "D1-C2")
    assert women["svg"].startswith('<svg class="chart"') and women["svg"].count('class="target"') == 3 + 1
    assert women["svg"].count('<rect class="bar share') == 3 + 1 and "女" in women["title"]
    assert service.get(f"/v1/jobs/{job}/charts?slate=2").status_code == 404


def test_rule_rows_open_what_binds_them(service: Service) -> None:
    """The rule report's rows in the report's order; a rule's binding lists its broken instances first,
    with their penalty and a negative margin, and a tight one has margin 0."""
    job = solved(service, service.small)
    report = service.get(f"/v1/jobs/{job}/result").json()["slates"][0]["report"]
    rows = service.get(f"/v1/jobs/{job}/rules").json()["rows"]
    assert [r["rule"] for r in rows] == list(dict.fromkeys(r["rule"] for r in report))
    for row in rows:
        assert row["clause"] and row["strength_zh"]
        flags = [b["holds"] for b in row["binding"]]
        assert flags == sorted(flags)  # broken first
        assert len(row["binding"]) >= min(row["broken"] + row["tight"], 12)
        for b in row["binding"]:
            assert b["text"] and b["place"]
            if not b["holds"] and b["margin"] is not None:
                assert b["margin"] <= 0
            if b["tight"]:
                assert b["margin"] == 0 and b["holds"]
    broken = [r for r in report if not r["holds"] and r["penalty"]]
    if broken:
        row = next(r for r in rows if r["rule"] == broken[0]["rule"])
        assert row["penalty"] >= broken[0]["penalty"] and row["binding"][0]["penalty"] > 0


def test_an_infeasible_job_gives_its_conflict_and_a_what_if_that_solves(service: Service,
                                                                        demo_id: str) -> None:
    """Too few under-30 cadres (scenarios/what-if/few-young.yaml on the demo): the job has no slate; the
    conflict names D1-C1 with its clause, the relaxation lowers it, and its what-if has a slate."""
    few = yaml.safe_load((ROOT / "scenarios/what-if/few-young.yaml").read_text(encoding="utf-8"))
    body = {"base": {"scenario_id": demo_id, "version": 1}, "name": few["name"], "remove": few["remove"]}
    v = service.post(f"/v1/scenarios/{demo_id}/versions", json=body)
    assert v.status_code == 201, v.text
    job = solved(service, demo_id, v.json()["version"])
    assert service.get(f"/v1/jobs/{job}/view").status_code == 404
    why = service.get(f"/v1/jobs/{job}/conflict").json()
    assert why["status"] == "INFEASIBLE" and why["status_zh"] == "无可行方案"
    assert any(r["id"] == "D1-C1" and "30岁" in r["clause"] for line in why["reasons"] for r in line["rules"])
    assert why["relaxations"][0]["change"]["rule"] == "D1-C1" and "D1-C1" in why["relaxations"][0]["text"]
    apply = why["apply"]
    assert apply["base"] == {"scenario_id": demo_id, "version": 1} and apply["remove"] == few["remove"]
    assert apply["rules"]["D1-C1"]["params"] == why["relaxations"][0]["change"]["override"]["params"]
    again = service.post(f"/v1/scenarios/{demo_id}/versions", json=apply)
    assert again.status_code == 201, again.text
    fixed = solved(service, demo_id, again.json()["version"])
    assert service.get(f"/v1/jobs/{fixed}/view").status_code == 200
    assert service.get(f"/v1/jobs/{fixed}/conflict").status_code == 409


def test_a_relaxation_drops_only_the_what_ifs_own_pins() -> None:
    """A dropped pin leaves the change's pins; a pin the change did not add cannot be dropped by it."""
    pin = Pin(cadre="g0376", township="t02", seat="secretary")
    drop = Relaxation(rule="pin", parameter="g0376", before="t02/secretary", after=None)
    lower = Relaxation(rule="D1-C1", parameter="min_count", before=1, after=0,
                       override={"params": {"min_count": 0}})
    out = relaxed(ScenarioDelta(pins=(pin,)), [drop, lower])
    assert out is not None and out.pins == () and out.rules["D1-C1"].params == {"min_count": 0}
    assert relaxed(ScenarioDelta(), [drop]) is None
