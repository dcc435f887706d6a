"""API keys, kept as the SHA-256 of their secret (shown once, at creation), and the
audit log of who did what. A secret is 32 random bytes, so a plain hash is enough:
there is nothing to guess that a slow hash would protect."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from service.store.clock import aware, new_id, now
from service.store.scenarios import NotFound
from service.store.tables import AuditRow, KeyRow
from service.store.views import AuditEntry, KeyInfo, NewKey, Role

SECRET_PREFIX = "hj_"
USED_EVERY = timedelta(minutes=1)
"""`last_used_at` is kept to this precision: a key's check writes it only when older, so the many
reads of a client polling its job are reads, not one database commit each (a commit waits for
the disk: about 9 ms on SQLite here, all writers in a row)."""


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def key_info(row: KeyRow) -> KeyInfo:
    return KeyInfo(id=row.id, name=row.name, role=Role(row.role), created_at=aware(row.created_at),
                   revoked_at=aware(row.revoked_at), last_used_at=aware(row.last_used_at))


class Keys:
    def __init__(self, session: sessionmaker[Session]) -> None:
        self.session = session

    def create(self, name: str, role: Role) -> NewKey:
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        row = KeyRow(id=new_id("k"), name=name, role=Role(role).value, secret_hash=digest(secret),
                     created_at=now())
        with self.session.begin() as s:
            s.add(row)
        return NewKey(key=key_info(row), secret=secret)

    def list(self) -> list[KeyInfo]:
        with self.session() as s:
            return [key_info(r) for r in s.scalars(select(KeyRow).order_by(KeyRow.created_at, KeyRow.id))]

    def revoke(self, key_id: str) -> KeyInfo:
        with self.session.begin() as s:
            row = s.get(KeyRow, key_id)
            if row is None:
                raise NotFound("key", key_id)
            if row.revoked_at is None:
                row.revoked_at = now()
            return key_info(row)

    def check(self, secret: str) -> KeyInfo | None:
        """The live key whose secret this is (None: unknown or revoked); notes its use (to the
        minute, USED_EVERY)."""
        with self.session.begin() as s:
            row = s.scalar(select(KeyRow).where(KeyRow.secret_hash == digest(secret)))
            if row is None or row.revoked_at is not None:
                return None
            t = now()
            if row.last_used_at is None or t - aware(row.last_used_at) >= USED_EVERY:
                row.last_used_at = t
            return key_info(row)


class Audit:
    def __init__(self, session: sessionmaker[Session]) -> None:
        self.session = session

    def record(self, key: KeyInfo | None, action: str, target: str | None, outcome: int) -> None:
        with self.session.begin() as s:
            s.add(AuditRow(at=now(), key_id=key and key.id, role=key and key.role.value, action=action[:200],
                           target=target and target[:200], outcome=outcome))

    def list(self, limit: int = 200, key_id: str | None = None) -> list[AuditEntry]:
        q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if key_id is not None:
            q = q.where(AuditRow.key_id == key_id)
        with self.session() as s:
            return [AuditEntry(at=aware(r.at), key_id=r.key_id, role=r.role, action=r.action, target=r.target,
                               outcome=r.outcome) for r in s.scalars(q)]
