"""API keys kept as hashes, checked and revoked, and the audit log of who did what."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service.store import NotFound, Store
from service.store.keys import digest
from service.store.tables import KeyRow
from service.store.views import Role


def test_created_secret_verifies(store: Store) -> None:
    """The secret shown at creation checks as that key, with its role, and notes when it was used;
    another key of the same name and role has its own secret."""
    new = store.keys.create("ops", Role.planner)
    assert new.key.last_used_at is None
    checked = store.keys.check(new.secret)
    assert checked.id == new.key.id and checked.role == Role.planner and checked.name == "ops"
    assert checked.last_used_at is not None
    assert store.keys.check(new.secret + "x") is None
    assert store.keys.check("") is None
    twin = store.keys.create("ops", Role.planner)
    assert twin.secret != new.secret and store.keys.check(twin.secret).id == twin.key.id != new.key.id


def test_stored_row_has_only_the_hash(store: Store) -> None:
    """The database keeps the secret's SHA-256 and nowhere the secret itself."""
    new = store.keys.create("ops", Role.admin)
    with store.engine.connect() as conn:
        row = conn.execute(select(KeyRow)).one()
    assert row.secret_hash == digest(new.secret) != new.secret
    assert all(new.secret not in str(value) for value in row)


def test_revoked_key_fails_check(store: Store) -> None:
    """A revoked key no longer checks; revoking again keeps the first revocation time; others still work."""
    gone, kept = store.keys.create("gone", Role.viewer), store.keys.create("kept", Role.viewer)
    revoked = store.keys.revoke(gone.key.id)
    assert revoked.revoked_at is not None
    assert store.keys.check(gone.secret) is None
    assert store.keys.revoke(gone.key.id).revoked_at == revoked.revoked_at
    assert store.keys.check(kept.secret).id == kept.key.id
    assert [(k.id, k.revoked_at is not None) for k in store.keys.list()] == [(gone.key.id, True),
                                                                            (kept.key.id, False)]
    with pytest.raises(NotFound):
        store.keys.revoke("nope")


def test_audit_newest_first_and_by_key(store: Store) -> None:
    """Audit entries list newest first, filter by key and by limit, and record anonymous calls too."""
    a = store.keys.create("a", Role.planner).key
    b = store.keys.create("b", Role.viewer).key
    store.audit.record(a, "POST /v1/scenarios", "s1", 201)
    store.audit.record(b, "GET /v1/scenarios/{id}", "s1", 200)
    store.audit.record(None, "GET /v1/jobs", None, 401)
    store.audit.record(a, "POST /v1/jobs", "j1", 202)
    entries = store.audit.list()
    assert [(e.key_id, e.action, e.outcome) for e in entries] == [
        (a.id, "POST /v1/jobs", 202), (None, "GET /v1/jobs", 401),
        (b.id, "GET /v1/scenarios/{id}", 200), (a.id, "POST /v1/scenarios", 201)]
    assert entries[0].role == "planner" and entries[1].role is None
    assert [e.target for e in store.audit.list(key_id=a.id)] == ["j1", "s1"]
    assert [e.action for e in store.audit.list(limit=1, key_id=b.id)] == ["GET /v1/scenarios/{id}"]
    assert len(store.audit.list(limit=2)) == 2
