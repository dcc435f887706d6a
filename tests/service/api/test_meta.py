"""Rulesets and the rules table (the same as `huanjie rules`), health, readiness and metrics."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from model.ruleset import load_preset, preset_ids
from service.render.rules_table import table_rows
from tests.service.api.conftest import Service


def test_rulesets_and_rules_are_the_presets(service: Service) -> None:
    """Each preset is listed and read whole; the rules table is the one `huanjie rules` prints."""
    listed = service.get("/v1/rulesets").json()
    assert [r["id"] for r in listed] == preset_ids()
    for r in listed:
        assert r["rules"] == len(load_preset(r["id"]).rules)
    one = service.get("/v1/rulesets/xx-2011").json()
    assert one == load_preset("xx-2011").model_dump(mode="json")
    table = service.get("/v1/rules").json()
    assert table == [row.model_dump(mode="json") for row in table_rows(preset_ids())]
    only = service.get("/v1/rules", params={"preset": "qiong-2011"}).json()
    assert {p for row in only for p in row["presets"]} == {"qiong-2011"}
    assert service.get("/v1/rulesets/nope").status_code == 404
    assert service.get("/v1/rules", params={"preset": "nope"}).status_code == 404


def test_health_and_readiness_need_no_key(service: Service) -> None:
    """/healthz says the process answers; /readyz that the database and the job pool do."""
    assert service.client.get("/healthz").json() == {"status": "ok"}
    assert service.client.get("/readyz").json() == {"status": "ready"}


def test_metrics_are_prometheus_text(service: Service) -> None:
    """/metrics parses as the Prometheus text format: jobs by state, and a histogram of solve
    seconds that counts a job once it has run."""
    job = service.post("/v1/jobs", json={"scenario_id": service.small, "settings": {"time_limit": 10}}).json()
    service.wait(job["id"])
    r = service.client.get("/metrics")
    assert r.headers["content-type"].startswith("text/plain")
    families = {f.name: f for f in text_string_to_metric_families(r.text)}
    states = {s.labels["state"]: s.value for s in families["huanjie_jobs"].samples}
    assert set(states) == {"queued", "running", "completed", "stopped", "failed"} and states["completed"] >= 1
    seconds = families["huanjie_job_solve_seconds"]
    assert seconds.type == "histogram"
    buckets = [s.value for s in seconds.samples if s.name.endswith("_bucket")]
    count = next(s.value for s in seconds.samples if s.name.endswith("_count"))
    assert buckets == sorted(buckets) and buckets[-1] == count
    assert states["completed"] <= count <= states["completed"] + states["stopped"] + states["failed"]
