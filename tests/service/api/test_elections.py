"""`huanjie ballot`, `candidates` and `meeting`, their Excel workbook and the HTTP endpoints."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from model.io import load_scenario
from service.elections import ListsRequest, lists_call
from tests.clirun import run_cli
from tests.service.api.conftest import Service

DEMO = str(Path(__file__).resolve().parents[3] / "scenarios" / "demo-county")


def test_ballot_verb_prints_the_ballot_and_writes_json_and_xlsx(tmp_path: Path) -> None:
    """The ballot in stroke order with its reasons; the JSON is the call's answer; the workbook reads back."""
    out, book = tmp_path / "b.json", tmp_path / "b.xlsx"
    r = run_cli(["ballot", DEMO, "--township", "安水镇", "--time-limit", "30", "--json", str(out),
                 "--xlsx", str(book)])
    assert r.code == 0, r.err
    assert "按姓氏笔画排序(D1-V2)" in r.out and "D1-V1" in r.out
    data = json.loads(out.read_text(encoding="utf-8"))
    entries = data["ballot"]["entries"]
    assert entries[0]["candidate"]["seat"] == "secretary"
    assert len(entries) == data["ballot"]["committee"]["required"]
    wb = load_workbook(book)
    assert wb.sheetnames == ["选票", "差额候选人名单", "提拔人选1比2名单", "说明"]
    ws = wb["选票"]
    assert ws.cell(2, 1).value == "序号" and ws.cell(2, 2).value == "姓名"
    printed = [ws.cell(i, 2).value.replace("\u3000", "") for i in range(3, 3 + len(entries))]
    assert printed == [e["candidate"]["name"] for e in entries]
    assert any("D1-V2" in (ws.cell(i, 2).value or "") for i in range(3, 8) for ws in [wb["说明"]])


def test_candidates_verb_prints_both_lists() -> None:
    """The differential list (D1-V1) and the 1:2 list (D5-V1)."""
    r = run_cli(["candidates", DEMO, "--township", "t08", "--time-limit", "30", "--convention", "fullname"])
    assert r.code == 0, r.err
    assert "差额人选" in r.out and "新提拔人选1:2推荐名单(D5-V1)" in r.out


def test_unknown_township_is_a_usage_error() -> None:
    """A township the scenario lacks: exit 2, the township named."""
    r = run_cli(["ballot", DEMO, "--township", "t99", "--time-limit", "5"])
    assert r.code == 2 and "t99" in r.err


def test_meeting_verb_on_the_quorum_boundary(tmp_path: Path) -> None:
    """100 should attend: 80 present (exactly 4/5) fails with exit 1, 81 passes; the workbook reads back."""
    low = run_cli(["meeting", "--members", "100", "--present", "80"])
    assert low.code == 1 and "至少到会81名" in low.out
    book = tmp_path / "m.xlsx"
    ok = run_cli(["meeting", "--members", "103", "--ill", "1", "--abroad", "2", "--present", "81",
                  "--xlsx", str(book)])
    assert ok.code == 0, ok.err
    ws = load_workbook(book)["会议"]
    assert {ws.cell(i, 1).value: ws.cell(i, 2).value for i in range(3, 9)}["党员大会至少到会"] == 81


def test_meeting_verb_refuses_impossible_counts() -> None:
    """More of the five kinds than members: exit 2 with the numbers."""
    r = run_cli(["meeting", "--members", "3", "--ill", "3"])
    assert r.code == 2 and "3" in r.err


def test_api_ballot_is_the_calls_answer(service: Service, demo_id: str) -> None:
    """POST /v1/ballot answers what lists_call gives on the stored demo county (its version 1: other
    tests add versions to the shared demo)."""
    ask = {"township": "t03", "time_limit": 30, "workers": 1}
    r = service.post("/v1/ballot", json={"scenario_id": demo_id, "version": 1, **ask})
    assert r.status_code == 200, r.text
    direct = lists_call(load_scenario(DEMO), ListsRequest(**ask))
    assert r.json()["ballot"]["entries"] == json.loads(direct.model_dump_json())["ballot"]["entries"]
    c = service.post("/v1/candidates", json={"scenario_id": demo_id, **ask})
    assert c.status_code == 200 and c.json()["promotions"] is not None


def test_api_meeting(service: Service) -> None:
    """POST /v1/meeting: the plan; impossible counts are a 422."""
    r = service.post("/v1/meeting", json={"members": 500, "present": 401})
    assert r.status_code == 200 and r.json()["congress"] is True and r.json()["quorate"] is True
    assert service.post("/v1/meeting", json={"members": 2, "ill": 2}).status_code == 422
