"""The web page's ground under TestClient: the page and its files at `/`, the demo county stored by one
call, the label tables, and a job's slate as the staff's tables with the ids behind every row."""

from __future__ import annotations

from model.enums import Change
from service.store.views import Role
from tests.service.api.conftest import Service, small_county


def test_the_page_and_its_files_are_served_without_a_key(service: Service) -> None:
    """GET / is the page (Chinese, an ES module script); its script and styles come from /web/."""
    page = service.client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<html lang="zh-CN">' in page.text and 'type="module" src="/web/app.js"' in page.text
    for name in ("app.js", "style.css"):
        assert service.client.get(f"/web/{name}").status_code == 200


def test_demo_is_stored_by_a_planner_only(service: Service) -> None:
    """POST /v1/scenarios/demo stores the 400-cadre demo county; a viewer may not."""
    assert service.post("/v1/scenarios/demo", role=Role.viewer).status_code == 403
    stored = service.post("/v1/scenarios/demo")
    assert stored.status_code == 201, stored.text
    assert (stored.json()["cadres"], stored.json()["townships"], stored.json()["version"]) == (400, 12, 1)


def test_labels_are_the_renderers_words(service: Service) -> None:
    """Every 变动 code has the catalog's word; statuses and score terms come with it."""
    labels = service.get("/v1/labels").json()
    assert labels["changes"] == {c.value: c.zh for c in Change}
    assert labels["statuses"]["OPTIMAL"] == "最优(已证明)" and labels["terms"]["merit"] == "考核与推荐"


def test_view_lays_out_each_team_with_its_ids(service: Service) -> None:
    """An ended job's view: every seat of the slate once, its row's 变动 cell the word of its code."""
    job = service.post("/v1/jobs", json={"scenario_id": service.small, "settings": {"top": 1}}).json()
    assert service.wait(job["id"])["state"] == "completed"
    result = service.get(f"/v1/jobs/{job['id']}/result").json()
    view = service.get(f"/v1/jobs/{job['id']}/view").json()
    assert view["slate"] == 1 and view["objective"] == result["slates"][0]["score"]["objective"]
    rows = [(t["township"], r["seat"], r["cadre"]) for t in view["townships"] for r in t["team"]["rows"]]
    held = result["slates"][0]["assignments"]
    assert sorted(rows) == sorted((a["township"], a["seat"], a["cadre"]) for a in held)
    words = {c.value: c.zh for c in Change}
    for t in view["townships"]:
        assert t["team"]["header"][-1] == "变动" and t["leavers"]["title"] == "退出名单"
        assert all(r["cells"][-1] == words[r["change"]] for r in t["team"]["rows"])
    assert service.get(f"/v1/jobs/{job['id']}/view?slate=2").status_code == 404
    assert service.get("/v1/jobs/jnosuchjob/view").status_code == 404


def test_reasons_are_worded_as_the_cli_words_them(service: Service) -> None:
    """POST /v1/words gives the CLI's sentence for each reason; a reason no renderer can word is a
    located 422, not a 500."""
    from model.reasons import Reason
    from service.render.words import Names, say

    small = small_county()
    ok = [{"code": "removed", "args": {}}, {"code": "already_there", "args": {}}]
    r = service.post("/v1/words", Role.viewer, json={"scenario_id": service.small, "reasons": ok})
    assert r.status_code == 200, r.text
    assert r.json()["lines"] == [say(Reason.model_validate(x), Names.of(small)) for x in ok]
    bad = [{"code": "banned", "args": {}}, {"code": "no_such_code", "args": {}}]
    r = service.post("/v1/words", Role.viewer, json={"scenario_id": service.small, "reasons": bad})
    assert r.status_code == 422
    assert [(e["field"], e["value"]) for e in r.json()["errors"]] == [("reasons[0]", "banned"),
                                                                       ("reasons[1]", "no_such_code")]
