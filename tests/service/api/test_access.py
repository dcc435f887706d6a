"""Every endpoint needs a key of at least its role (but health and docs), and a key does
only what its role allows; the audit log records who did what."""

from __future__ import annotations

import pytest

from service.store.views import Role
from tests.service.api.conftest import Service

NEEDS: dict[tuple[str, str], Role | None] = {
    ("POST", "/v1/scenarios"): Role.planner,
    ("POST", "/v1/scenarios/demo"): Role.planner,
    ("GET", "/v1/labels"): Role.viewer,
    ("POST", "/v1/words"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/view"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/charts"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/rules"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/conflict"): Role.viewer,
    ("PUT", "/v1/scenarios/{scenario_id}/membership"): Role.planner,
    ("GET", "/v1/scenarios/{scenario_id}/membership"): Role.viewer,
    ("POST", "/v1/scenarios/{scenario_id}/representatives"): Role.planner,
    ("GET", "/v1/scenarios"): Role.viewer,
    ("GET", "/v1/scenarios/{scenario_id}"): Role.viewer,
    ("POST", "/v1/scenarios/{scenario_id}/versions"): Role.planner,
    ("GET", "/v1/scenarios/{scenario_id}/versions/{version}"): Role.viewer,
    ("POST", "/v1/jobs"): Role.planner,
    ("GET", "/v1/jobs"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/events"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/result"): Role.viewer,
    ("GET", "/v1/jobs/{job_id}/report"): Role.viewer,
    ("POST", "/v1/jobs/{job_id}/stop"): Role.planner,
    ("POST", "/v1/jobs/{job_id}/rerun"): Role.planner,
    ("POST", "/v1/solve"): Role.planner,
    ("POST", "/v1/validate"): Role.viewer,
    ("POST", "/v1/explain"): Role.planner,
    ("POST", "/v1/why-not"): Role.planner,
    ("POST", "/v1/recommend"): Role.planner,
    ("POST", "/v1/diff"): Role.planner,
    ("POST", "/v1/ballot"): Role.planner,
    ("POST", "/v1/candidates"): Role.planner,
    ("POST", "/v1/meeting"): Role.viewer,
    ("GET", "/v1/rulesets"): Role.viewer,
    ("GET", "/v1/rulesets/{ruleset_id}"): Role.viewer,
    ("GET", "/v1/rules"): Role.viewer,
    ("GET", "/v1/rulesets/{ruleset_id}/rules/{rule_id}"): Role.viewer,
    ("GET", "/v1/scenarios/{scenario_id}/versions/{version}/rules"): Role.viewer,
    ("GET", "/v1/scenarios/{scenario_id}/versions/{version}/rules/{rule_id}"): Role.viewer,
    ("GET", "/v1/audit"): Role.admin,
    ("POST", "/v1/keys"): Role.admin,
    ("GET", "/v1/keys"): Role.admin,
    ("DELETE", "/v1/keys/{key_id}"): Role.admin,
    ("GET", "/healthz"): None,
    ("GET", "/readyz"): None,
    ("GET", "/metrics"): None,
}
"""The least role of each endpoint (None: open)."""


def concrete(path: str) -> str:
    return (path.replace("{scenario_id}", "s-none").replace("{version}", "1").replace("{job_id}", "j-none")
            .replace("{ruleset_id}", "xx-2011").replace("{key_id}", "k-none").replace("{rule_id}", "D1-C1"))


def test_the_table_names_every_endpoint(service: Service) -> None:
    """A new endpoint cannot slip in without a role: the table and the OpenAPI document agree."""
    doc = service.client.get("/openapi.json").json()
    routes = {(m.upper(), p) for p, ops in doc["paths"].items() for m in ops}
    assert routes == set(NEEDS)


@pytest.mark.parametrize(("method", "path"), sorted(NEEDS))
def test_each_role_does_only_what_it_may(service: Service, method: str, path: str) -> None:
    """No key: 401; a key below the role: 403; the role and those above: past the door."""
    needed = NEEDS[(method, path)]
    url = concrete(path)
    anonymous = service.client.request(method, url)
    if needed is None:
        assert anonymous.status_code in (200, 503)
        return
    assert anonymous.status_code == 401
    assert anonymous.json()["error"].startswith("an API key is needed")
    bad = service.client.request(method, url, headers={"Authorization": "Bearer hj_not-a-key"})
    assert bad.status_code == 401
    for role in Role:
        r = service.client.request(method, url, headers=service.headers(role),
                                   json={} if method == "POST" else None)
        if role.allows(needed):
            assert r.status_code not in (401, 403), (role, r.text)
        else:
            assert r.status_code == 403, (role, r.text)
            assert needed.value in r.json()["error"]


def test_a_revoked_key_is_refused_at_once(service: Service) -> None:
    """Revoking through the API ends a key's access on its next request."""
    new = service.post("/v1/keys", Role.admin, json={"name": "temp", "role": "viewer"}).json()
    ok = service.client.get("/v1/rulesets", headers={"Authorization": f"Bearer {new['secret']}"})
    assert ok.status_code == 200
    assert service.client.delete(f"/v1/keys/{new['key']['id']}", headers=service.headers(Role.admin)
                                 ).json()["revoked_at"] is not None
    again = service.client.get("/v1/rulesets", headers={"X-API-Key": new["secret"]})
    assert again.status_code == 401
    listed = {k["id"]: k for k in service.get("/v1/keys", Role.admin).json()}
    assert "secret" not in listed[new["key"]["id"]] and listed[new["key"]["id"]]["revoked_at"]


def test_secrets_are_stored_hashed(service: Service) -> None:
    """The database holds no secret, only its SHA-256."""
    from sqlalchemy import select

    from service.store.tables import KeyRow

    with service.store().engine.connect() as conn:
        hashes = [r.secret_hash for r in conn.execute(select(KeyRow))]
    for secret in service.keys.values():
        assert secret not in hashes
        assert len(secret) > 40


def test_the_audit_log_records_who_did_what(service: Service) -> None:
    """A write and a refused request are both in the audit log, with key, route and status."""
    service.post("/v1/jobs/j-none/stop")
    service.post("/v1/keys", Role.viewer, json={"name": "x", "role": "admin"})
    log = service.get("/v1/audit", Role.admin).json()
    planner = next(k for k in service.get("/v1/keys", Role.admin).json() if k["name"] == "test-planner")
    assert any(e["key_id"] == planner["id"] and e["action"] == "POST /v1/jobs/{job_id}/stop"
               and e["target"] == "j-none" and e["outcome"] == 404 for e in log)
    assert any(e["role"] == "viewer" and e["action"] == "POST /v1/keys" and e["outcome"] == 403 for e in log)
