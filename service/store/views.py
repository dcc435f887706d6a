"""What the store hands out: pydantic views of its rows, the same models the HTTP
answers use (service/api/), so a stored record and an answer cannot drift."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from model.slate import Assignment, SolveStatus


class Role(StrEnum):
    """What a key may do; each role may do what the roles before it may."""

    viewer = "viewer"
    planner = "planner"
    admin = "admin"

    def allows(self, needed: Role) -> bool:
        order = list(Role)
        return order.index(self) >= order.index(needed)


class VersionKind(StrEnum):
    scenario = "scenario"
    what_if = "what_if"


class _View(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


MAX_INT = 2**31 - 1
"""The largest INTEGER both databases hold (PostgreSQL's is 32-bit): a version, offset or event seq
asked above it is refused as bad input, not passed to the database to overflow there."""


class VersionRef(_View):
    """A scenario version; a what-if names its base by one."""

    scenario_id: str
    version: int = Field(ge=1, le=MAX_INT)


class ScenarioInfo(_View):
    id: str
    name: str
    latest: int
    created_at: datetime
    created_by: str | None


class VersionInfo(_View):
    scenario_id: str
    version: int
    kind: VersionKind
    base: VersionRef | None = Field(None, description="the base version of a what-if")
    content_hash: str = Field(description="SHA-256 of the scenario as resolved (a what-if on its base)")
    cadres: int
    townships: int
    created_at: datetime
    created_by: str | None


class TownshipMembership(_View):
    """One township's part of a membership: counts only (no names)."""

    township: str
    units: int = Field(description="electoral units (党支部, 党总支)")
    members: int = Field(description="party members of its units")
    nominees: int = Field(description="nominees on its rolls")


class MembershipInfo(_View):
    """A scenario's stored membership (section P) as a summary; the rolls themselves stay stored."""

    model_config = ConfigDict(json_schema_extra={"examples": [{
        "scenario_id": "s000000000000", "version": 1, "content_hash": "0" * 64, "units": 2, "nominees": 5,
        "townships": [{"township": "t01", "units": 2, "members": 120, "nominees": 5}],
        "created_at": "2026-12-01T08:00:00Z", "created_by": "k000000000000"}]})

    scenario_id: str
    version: int = Field(description="the scenario version the files were checked against")
    content_hash: str = Field(description="SHA-256 of the stored files")
    units: int
    nominees: int
    townships: list[TownshipMembership]
    created_at: datetime
    created_by: str | None


class JobState(StrEnum):
    """queued -> running -> completed (the solve ended by itself, whatever its status), stopped
    (ended early on request, with the best found) or failed (an error, a crash, a runaway)."""

    queued = "queued"
    running = "running"
    completed = "completed"
    stopped = "stopped"
    failed = "failed"

    @property
    def ended(self) -> bool:
        return self in (JobState.completed, JobState.stopped, JobState.failed)


class SlateProgress(_View):
    """The best found so far while searching for slate number `slate` (1-based); once the
    referee has judged it, its seats."""

    slate: int
    objective: float | None
    bound: float | None = Field(description="the proven bound on this slate's score, when known")
    gap: float | None = Field(description="(bound - objective) / max(1, |objective|); 0 when proven")
    judged: bool = Field(False, description="the referee has judged this slate: it is one of the result's")
    assignments: list[Assignment] | None = Field(
        None, description="the slate's seats, once judged (in a job's record; lists leave them out)")


class JobEvent(_View):
    seq: int
    at: datetime
    kind: str
    data: dict[str, Any]


class JobInfo(_View):
    id: str
    state: JobState
    status: SolveStatus | None = Field(None, description="the solve's status once it has one")
    scenario: VersionRef
    content_hash: str
    ruleset: str
    overrides: dict[str, Any] = Field(description="the scenario's rule overrides in force")
    settings: dict[str, Any]
    software_version: str
    submitted_by: str | None
    submitted_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    attempts: int
    stop_requested: bool
    callback_url: str | None
    callback_outcome: str | None
    progress: list[SlateProgress] = Field(default_factory=list)
    reason: str | None = Field(None, description="why a job failed, stopped or was queued again")
    rerun_of: str | None
    has_result: bool


class KeyInfo(_View):
    id: str
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class NewKey(_View):
    """A key as created: `secret` is shown this once; only its hash is kept."""

    key: KeyInfo
    secret: str


class AuditEntry(_View):
    at: datetime
    key_id: str | None
    role: str | None
    action: str
    target: str | None
    outcome: int
