"""Stored, versioned scenarios: JSON, YAML, a folder's files, what-ifs; bad input is a 422
with the same located errors the CLI gives for the same file."""

from __future__ import annotations

import json
from pathlib import Path

from model.errors import InputErrors
from model.io import load_scenario
from service.store.views import Role
from tests.service.api.conftest import DEMO, Service, small_county


def folder_files() -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (name, (DEMO / name).read_bytes()))
            for name in ("scenario.yaml", "townships.csv", "cadres.csv")]


def test_a_folder_upload_is_the_scenario_the_cli_reads(service: Service) -> None:
    """The three files of a scenario folder, uploaded, resolve to the scenario `load_scenario` reads."""
    r = service.post("/v1/scenarios", files=folder_files())
    assert r.status_code == 201, r.text
    v = r.json()
    assert (v["version"], v["kind"], v["cadres"], v["townships"]) == (1, "scenario", 400, 12)
    stored = service.get(f"/v1/scenarios/{v['scenario_id']}/versions/1", params={"resolved": True}).json()
    assert stored["content"] == json.loads(load_scenario(DEMO).model_dump_json())


def test_json_and_yaml_bodies_store_the_same_scenario(service: Service) -> None:
    """A scenario as JSON, and as YAML, give equal content hashes."""
    sc = small_county()
    a = service.post("/v1/scenarios", content=sc.model_dump_json(),
                     headers={"content-type": "application/json"}).json()
    import yaml

    text = yaml.safe_dump(json.loads(sc.model_dump_json()), allow_unicode=True)
    b = service.post("/v1/scenarios", content=text.encode(),
                     headers={"content-type": "application/yaml"}).json()
    assert a["content_hash"] == b["content_hash"]
    assert a["scenario_id"] != b["scenario_id"]


def test_versions_and_what_ifs(service: Service) -> None:
    """Each change is a new version; a what-if names its base version and keeps reading it."""
    sc = small_county()
    v1 = service.post("/v1/scenarios", json=json.loads(sc.model_dump_json())).json()
    sid = v1["scenario_id"]
    removed = sc.cadres[0].id
    what_if = {"base": {"scenario_id": sid, "version": 1}, "name": "少一人", "remove": [removed]}
    v2 = service.post(f"/v1/scenarios/{sid}/versions", json=what_if).json()
    assert (v2["version"], v2["kind"], v2["base"], v2["cadres"]) == (2, "what_if", what_if["base"], 79)
    raw = service.get(f"/v1/scenarios/{sid}/versions/2").json()["content"]
    assert raw == {"name": "少一人", "remove": [removed]}
    v3 = service.post(f"/v1/scenarios/{sid}/versions", json=json.loads(
        sc.with_changes(name="新名").model_dump_json())).json()
    detail = service.get(f"/v1/scenarios/{sid}").json()
    assert detail["scenario"]["latest"] == 3 and [v["version"] for v in detail["versions"]] == [1, 2, 3]
    assert v3["content_hash"] != v1["content_hash"]
    again = service.get(f"/v1/scenarios/{sid}/versions/2", params={"resolved": True}).json()
    assert again["content"]["remove"] == [removed]  # still version 1 minus one, whatever v3 says
    assert again["content"]["name"] == "少一人" and len(again["content"]["cadres"]) == 80
    listed = service.get("/v1/scenarios", params={"limit": 1000}).json()
    assert sid in {s["id"] for s in listed["items"]} and listed["total"] >= 1


def test_bad_scenario_errors_are_the_clis(service: Service, tmp_path: Path) -> None:
    """A scenario with bad cells answers 422 with every error the CLI reports for that file."""
    data = json.loads(small_county().model_dump_json())
    data["cadres"][0]["gender"] = "unknown"
    data["cadres"][1]["birth_date"] = "1990-13-40"
    data["ruleset"] = "nope"
    body = json.dumps(data, ensure_ascii=False).encode()
    (tmp_path / "request.json").write_bytes(body)
    try:
        load_scenario(tmp_path / "request.json")
        raise AssertionError("the CLI accepted it")
    except InputErrors as e:
        cli = [{"message": x.message, "field": x.field, "value": x.value, "row": x.row} for x in e.errors]
    r = service.post("/v1/scenarios", content=body, headers={"content-type": "application/json"})
    assert r.status_code == 422
    api = [{k: x[k] for k in ("message", "field", "value", "row")} for x in r.json()["errors"]]
    assert api == cli and len(api) >= 3
    assert {x["file"] for x in r.json()["errors"]} == {"request.json"}


def test_a_bad_upload_names_the_file_row_and_field(service: Service) -> None:
    """A bad cell of cadres.csv is located by file, row and field, as the CLI locates it."""
    files = folder_files()
    csv = (DEMO / "cadres.csv").read_text(encoding="utf-8").splitlines()
    header = csv[0].split(",")
    cells = csv[2].split(",")
    column = next(i for i, h in enumerate(header) if h.startswith("性别") or h == "gender")
    cells[column] = "?"
    csv[2] = ",".join(cells)
    files[2] = ("files", ("cadres.csv", ("\n".join(csv) + "\n").encode()))
    r = service.post("/v1/scenarios", files=files)
    assert r.status_code == 422, r.text
    (err,) = r.json()["errors"]
    assert (err["file"], err["row"], err["value"]) == ("cadres.csv", 3, "?")


def test_bad_what_ifs_and_missing_things(service: Service) -> None:
    """A what-if on a version that does not exist is a 404; a bad change key a located 422;
    a wrong set of files a 422 saying which files to send."""
    base = {"scenario_id": service.small, "version": 99}
    assert service.post("/v1/scenarios", json={"base": base, "remove": []}).status_code == 404
    r = service.post("/v1/scenarios", json={"base": {"scenario_id": service.small, "version": 1},
                                            "pinz": []})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "pinz"
    r = service.post("/v1/scenarios", files=folder_files()[:2])
    assert r.status_code == 422 and "cadres.csv" in r.json()["errors"][0]["message"]
    assert service.get("/v1/scenarios/s-none").status_code == 404
    assert service.post("/v1/scenarios/s-none/versions", json={}).status_code == 404
    assert service.get(f"/v1/scenarios/{service.small}/versions/7").status_code == 404
    assert service.post("/v1/scenarios", Role.viewer, json={}).status_code == 403


def test_an_excel_roster_uploads_as_the_scenario_it_holds(service: Service) -> None:
    """One .xlsx roster in the upload is read by the roster reader: the demo roster is the demo county."""
    roster = (DEMO.parent / "demo-roster.xlsx").read_bytes()
    r = service.post("/v1/scenarios", files=[("files", ("demo-roster.xlsx", roster))])
    assert r.status_code == 201, r.text
    folder = service.post("/v1/scenarios", files=folder_files()).json()
    assert r.json()["content_hash"] == folder["content_hash"]
