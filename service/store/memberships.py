"""A scenario's party membership (section P), one per scenario: stored as the files the readers read
(model/membership.py `membership_files`), so what a solve reads back goes through `load_membership`
like a folder's files, checked against the scenario version it is used with."""

from __future__ import annotations

import hashlib
import json

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from model.membership import Membership, membership_files
from service.store.clock import aware, now
from service.store.scenarios import NotFound
from service.store.tables import MembershipRow, ScenarioRow
from service.store.views import MembershipInfo, TownshipMembership

WHAT = "membership of scenario"
"""How a 404 names a missing membership."""


def summary(m: Membership) -> dict:
    """Counts per township, in the order of the units file."""
    return {"townships": [TownshipMembership(township=t, units=len(m.units_of(t)),
                                             members=sum(u.members for u in m.units_of(t)),
                                             nominees=len(m.nominees_of(t))).model_dump()
                          for t in m.townships],
            "units": len(m.units), "nominees": len(m.nominees)}


def membership_info(row: MembershipRow) -> MembershipInfo:
    return MembershipInfo(scenario_id=row.scenario_id, version=row.scenario_version,
                          content_hash=row.content_hash, created_at=aware(row.created_at),
                          created_by=row.created_by, **row.summary)


class Memberships:
    def __init__(self, session: sessionmaker[Session]) -> None:
        self.session = session

    def put(self, scenario_id: str, version: int, m: Membership, by: str | None = None) -> MembershipInfo:
        """Store (or replace) the scenario's membership, checked against `version`, in one transaction."""
        files = {name: data.decode("utf-8-sig") for name, data in membership_files(m).items()}
        content = json.dumps(files, ensure_ascii=False, sort_keys=True)
        with self.session.begin() as s:
            # Lock the scenario row first (as Scenarios.add_version does): two PUTs at once would both
            # find no row and the second insert would fail on the key.
            locked = s.execute(update(ScenarioRow).where(ScenarioRow.id == scenario_id)
                               .values(latest=ScenarioRow.latest)).rowcount
            if not locked:
                raise NotFound("scenario", scenario_id)
            row = s.get(MembershipRow, scenario_id)
            if row is None:
                row = MembershipRow(scenario_id=scenario_id)
                s.add(row)
            row.scenario_version, row.content, row.summary = version, content, summary(m)
            row.content_hash = hashlib.sha256(content.encode()).hexdigest()
            row.created_at, row.created_by = now(), by
            s.flush()
            return membership_info(row)

    def get(self, scenario_id: str) -> MembershipInfo:
        with self.session() as s:
            return membership_info(self._row(s, scenario_id))

    def files(self, scenario_id: str) -> tuple[MembershipInfo, dict[str, bytes]]:
        """The summary and the stored files (name -> bytes), for `load_membership`."""
        with self.session() as s:
            row = self._row(s, scenario_id)
            return membership_info(row), {n: t.encode() for n, t in json.loads(row.content).items()}

    def _row(self, s: Session, scenario_id: str) -> MembershipRow:
        row = s.get(MembershipRow, scenario_id)
        if row is None:
            if s.get(ScenarioRow, scenario_id) is None:
                raise NotFound("scenario", scenario_id)
            raise NotFound(WHAT, scenario_id)
        return row
