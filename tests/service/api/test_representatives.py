"""Party-congress representatives over HTTP: a scenario's membership is uploaded as the CLI's files
(CSV or Excel), checked in one pass with located errors and stored whole or not at all, summarized
without names; a township's plan answers as the CLI's JSON or its workbook; the demo county carries
its membership; the same on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import logging
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook

from model.io import load_scenario
from model.membership import load_membership_folder, scenario_townships
from service.api.app import create_app
from service.settings import Settings
from service.store.views import Role
from solver.representatives import RepPlan, plan_representatives
from tests.service.api.conftest import DEMO, Service

FILES = ("units.csv", "nominees.csv", "congress.yaml")


def upload(files: dict[str, bytes]) -> dict:
    return {"files": [("files", (name, data)) for name, data in files.items()]}


def demo_files() -> dict[str, bytes]:
    return {name: (DEMO / name).read_bytes() for name in FILES}


@pytest.fixture(scope="module")
def with_membership(service: Service) -> str:
    """A stored demo county with its membership uploaded."""
    sid = service.store().scenarios.create(load_scenario(DEMO)).scenario_id
    r = service.client.put(f"/v1/scenarios/{sid}/membership", headers=service.headers(Role.planner),
                           **upload(demo_files()))
    assert r.status_code == 200, r.text
    return sid


def rows(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO((DEMO / name).read_text(encoding="utf-8-sig"))))


def text_of(table: list[list[str]]) -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(table)
    return out.getvalue().encode()


def test_the_summary_counts_units_members_and_nominees(service: Service, with_membership: str) -> None:
    """GET (a viewer may) gives per township its units, members and nominees, and no names."""
    r = service.get(f"/v1/scenarios/{with_membership}/membership", Role.viewer)
    assert r.status_code == 200, r.text
    body = r.json()
    sc = load_scenario(DEMO)
    assert [t["township"] for t in body["townships"]] == [t.id for t in sc.county.townships]
    assert all(t["members"] == sc.townships[t["township"]].party_members for t in body["townships"])
    assert body["nominees"] == len(rows("nominees.csv")) - 1 and body["units"] == len(rows("units.csv")) - 1
    names = {row[1] for row in rows("nominees.csv")[1:]}
    assert not [n for n in names if n in r.text]


def test_a_bad_upload_is_located_in_one_pass_and_stores_nothing(service: Service,
                                                                with_membership: str) -> None:
    """Errors of both files at once, each with file, row, field and value; the stored membership
    stays as it was."""
    before = service.get(f"/v1/scenarios/{with_membership}/membership").json()
    units, nominees = rows("units.csv"), rows("nominees.csv")
    units[1][0] = "t99"  # no such township
    nominees[2][nominees[0].index("性别")] = "x"
    files = {**demo_files(), "units.csv": text_of(units), "nominees.csv": text_of(nominees)}
    r = service.client.put(f"/v1/scenarios/{with_membership}/membership", headers=service.headers(),
                           **upload(files))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert {"file": "units.csv", "row": 2, "field": "乡镇", "value": "t99"}.items() <= next(
        e for e in errors if e["file"] == "units.csv" and e["row"] == 2).items()
    bad = next(e for e in errors if e["file"] == "nominees.csv")
    assert (bad["row"], bad["field"], bad["value"]) == (3, "性别", "x")
    assert service.get(f"/v1/scenarios/{with_membership}/membership").json() == before


def test_the_upload_names_missing_and_unexpected_files(service: Service, with_membership: str) -> None:
    """Without nominees, or with a stray file, or not as a form: 422 saying what to send."""
    url = f"/v1/scenarios/{with_membership}/membership"
    r = service.client.put(url, headers=service.headers(), **upload({"units.csv": b"x", "notes.txt": b"x"}))
    assert r.status_code == 422
    (e,) = r.json()["errors"]
    assert e["field"] == "files" and "not expected: notes.txt" in e["message"]
    r = service.client.put(url, headers=service.headers(), json={})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "body"


def test_an_excel_upload_reads_as_its_csv(service: Service) -> None:
    """units.xlsx (a title row above the header) and nominees.csv store the same counts as the CSVs."""
    sid = service.store().scenarios.create(load_scenario(DEMO)).scenario_id
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["选举单位"])
    for row in rows("units.csv"):
        ws.append([int(c) if c.isdigit() else c for c in row])
    out = io.BytesIO()
    wb.save(out)
    files = {"units.xlsx": out.getvalue(), "nominees.csv": (DEMO / "nominees.csv").read_bytes()}
    r = service.client.put(f"/v1/scenarios/{sid}/membership", headers=service.headers(), **upload(files))
    assert r.status_code == 200, r.text
    assert r.json()["units"] == len(rows("units.csv")) - 1


def test_a_township_plan_is_the_clis(service: Service, with_membership: str) -> None:
    """POST answers the RepPlan `huanjie representatives` computes: the same seats and the same
    apportionment, a selection, and every rule instance."""
    r = service.post(f"/v1/scenarios/{with_membership}/representatives",
                     json={"township": "t02", "time_limit": 5, "workers": 2})
    assert r.status_code == 200, r.text
    plan = RepPlan.model_validate(r.json())
    sc = load_scenario(DEMO)
    cli = plan_representatives(sc, load_membership_folder(DEMO, scenario_townships(sc), sc.reshuffle_date),
                               "t02", time_limit=5)
    assert (plan.seats, plan.units, plan.seat_rule) == (cli.seats, cli.units, cli.seat_rule)
    assert plan.result.selection is not None and plan.instances


def test_the_workbook_of_a_plan(service: Service, with_membership: str) -> None:
    """format=xlsx answers the CLI's workbook (its four sheets) as an attachment named by township."""
    r = service.post(f"/v1/scenarios/{with_membership}/representatives", params={"format": "xlsx"},
                     json={"township": "t01", "time_limit": 5})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"] and "xlsx" in r.headers["content-disposition"]
    sheets = load_workbook(io.BytesIO(r.content)).sheetnames
    assert sheets == ["代表名额", "名额分配", "候选人名单", "规则检查"]


def test_a_plan_asks_what_can_be_done(service: Service, with_membership: str) -> None:
    """An unknown township or P rule is a located 422 in the CLI's words; a time limit past the sync
    cap is 413 naming it; a scenario without a membership is 404 saying so."""
    url = f"/v1/scenarios/{with_membership}/representatives"
    r = service.post(url, json={"township": "t99"})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "township"
    assert r.json()["errors"][0]["message"].startswith("no township 't99'; use one of")
    r = service.post(url, json={"township": "t01", "rules": {"D9-P9": {"strength": "must"}}})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "rules.D9-P9"
    assert "not a representatives rule" in r.json()["errors"][0]["message"]
    r = service.post(url, json={"township": "t01", "time_limit": 1000})
    assert r.status_code == 413 and r.json()["limit"] == "sync_max_seconds"
    r = service.post(f"/v1/scenarios/{service.small}/representatives", json={"township": "t01"})
    assert r.status_code == 404 and r.json()["error"] == f"no membership of scenario '{service.small}'"


def test_the_demo_carries_its_membership(service: Service) -> None:
    """POST /v1/scenarios/demo stores the demo county with its units and nominees, ready for a plan."""
    sid = service.post("/v1/scenarios/demo").json()["scenario_id"]
    r = service.get(f"/v1/scenarios/{sid}/membership")
    assert r.status_code == 200 and r.json()["nominees"] == len(rows("nominees.csv")) - 1


def test_writes_are_audited_and_logs_hold_no_names(service: Service, with_membership: str,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    """A membership upload and a plan are in the audit log by key, route and scenario; nothing
    logged while they run names a nominee."""
    with caplog.at_level(logging.DEBUG):
        service.client.put(f"/v1/scenarios/{with_membership}/membership", headers=service.headers(),
                           **upload(demo_files()))
        service.post(f"/v1/scenarios/{with_membership}/representatives", json={"township": "t03",
                                                                                "time_limit": 3})
    names = {row[1] for row in rows("nominees.csv")[1:]}
    assert not [n for n in names if n in caplog.text]
    log = service.get("/v1/audit", Role.admin, params={"limit": 1000}).json()
    actions = {(e["action"], e["target"]) for e in log}
    assert ("PUT /v1/scenarios/{scenario_id}/membership", with_membership) in actions
    assert ("POST /v1/scenarios/{scenario_id}/representatives", with_membership) in actions


def test_membership_and_plan_on_each_database(db_url: str, tmp_path: Path) -> None:
    """Upload, summary and plan through a service whose store is SQLite, then PostgreSQL."""
    settings = Settings(data=tmp_path, db_url=db_url, workers=1)
    with TestClient(create_app(settings)) as client:
        store = client.app.state.store
        headers = {"Authorization": f"Bearer {store.keys.create('t', Role.planner).secret}"}
        sid = client.post("/v1/scenarios/demo", headers=headers).json()["scenario_id"]
        r = client.put(f"/v1/scenarios/{sid}/membership", headers=headers, **upload(demo_files()))
        assert r.status_code == 200, r.text
        assert client.get(f"/v1/scenarios/{sid}/membership", headers=headers).json() == r.json()
        plan = client.post(f"/v1/scenarios/{sid}/representatives", headers=headers,
                           json={"township": "t05", "time_limit": 3})
        assert plan.status_code == 200 and plan.json()["result"]["selection"] is not None
