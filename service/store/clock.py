"""Ids and times of the records: UTC, aware, and the same on SQLite (which drops the zone)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def aware(t: datetime | None) -> datetime | None:
    """A time as aware UTC: one read back (SQLite returns it naive, PostgreSQL in the session's
    time zone), or one to compare with stored times (SQLite stores the wall clock and drops the
    zone, so 08:00+08:00 must become 00:00 first). A naive time is taken as UTC."""
    if t is None:
        return None
    return t.replace(tzinfo=UTC) if t.tzinfo is None else t.astimezone(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"
