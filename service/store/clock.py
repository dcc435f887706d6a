"""Ids and times of the records: UTC, aware, and the same on SQLite (which drops the zone)."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)


def aware(t: datetime | None) -> datetime | None:
    """A time read back from the database, as UTC (SQLite returns it naive)."""
    if t is None:
        return None
    return t if t.tzinfo is not None else t.replace(tzinfo=UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"
