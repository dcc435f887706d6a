"""A job on a what-if version leans toward the best slate of its base's newest completed job, so its
diff shows what the change forces, not a tie broken the other way; a plain scenario's job is as before."""

from __future__ import annotations

import json

from model.diff import diff_slates
from model.slate import SolveResult
from model.whatif import ScenarioDelta, apply_delta
from service import calls
from tests.service.api.conftest import Service, small_county

SETTINGS = {"top": 1, "time_limit": 20, "workers": 1, "seed": 0, "deterministic": True}


def run(service: Service, sid: str, version: int) -> tuple[dict, SolveResult]:
    r = service.post("/v1/jobs", json={"scenario_id": sid, "version": version, "settings": SETTINGS})
    assert r.status_code == 202, r.text
    done = service.wait(r.json()["id"])
    assert done["state"] == "completed", done
    return done, SolveResult.model_validate(service.get(f"/v1/jobs/{done['id']}/result").json())


def kinds(service: Service, job: dict) -> dict[str, dict]:
    return {e["kind"]: e["data"] for e in service.get(f"/v1/jobs/{job['id']}/events").json()}


def test_a_what_if_job_moves_only_what_its_ban_forces(service: Service) -> None:
    """Banning t02's secretary moves 3 seats against the base job's slate (more when solved on its own,
    as it is while its base has no completed job); the job's events name the base job it leaned toward;
    the base's job, a plain scenario, leans on none and gives the slate it gave before."""
    small = small_county()
    opts = calls.SolveOptions(**SETTINGS)
    first = calls.solve_call(small, opts).slates[0]
    sid = service.post("/v1/scenarios", json=json.loads(small.model_dump_json())).json()["scenario_id"]
    secretary = first.by_seat()[("t02", "secretary")]
    change = {"bans": [{"cadre": secretary, "township": "t02", "seat": "secretary"}]}
    r = service.post(f"/v1/scenarios/{sid}/versions",
                     json={"base": {"scenario_id": sid, "version": 1}, **change})
    assert r.status_code == 201, r.text
    other = apply_delta(small, ScenarioDelta(**change))
    alone = calls.solve_call(other, opts).slates[0]
    job, whatif = run(service, sid, 2)
    assert "near" not in kinds(service, job) and whatif.slates[0].assignments == alone.assignments

    base_job, base = run(service, sid, 1)
    assert "near" not in kinds(service, base_job) and base.slates[0].assignments == first.assignments
    job, whatif = run(service, sid, 2)
    assert kinds(service, job)["near"] == {"job": base_job["id"], "base": {"scenario_id": sid, "version": 1}}
    near = calls.solve_call(other, opts, near=base.slates[0]).slates[0]
    assert whatif.slates[0].assignments == near.assignments
    assert whatif.slates[0].score.objective == alone.score.objective
    moved = diff_slates(base.slates[0], whatif.slates[0]).seats
    assert len(moved) == 3 < len(diff_slates(base.slates[0], alone).seats)

    # a newer base job does not change what a rerun of this what-if leans toward: the same slates
    newer, _ = run(service, sid, 1)
    r = service.post(f"/v1/jobs/{job['id']}/rerun")
    again = service.wait(r.json()["id"])
    assert kinds(service, again)["near"]["job"] == base_job["id"] != newer["id"]
    result = SolveResult.model_validate(service.get(f"/v1/jobs/{again['id']}/result").json())
    assert result.slates[0].assignments == whatif.slates[0].assignments
