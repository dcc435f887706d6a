"""Stored scenarios: each change is a new version; a what-if version is a delta on a
named base version, resolved on read, so its base's later versions never change it."""

from __future__ import annotations

import threading
from collections import OrderedDict

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from model.scenario import Scenario
from model.whatif import ScenarioDelta, apply_delta
from service.bases import content_hash
from service.store.clock import aware, new_id, now
from service.store.tables import ScenarioRow, VersionRow
from service.store.views import ScenarioInfo, VersionInfo, VersionKind, VersionRef

MAX_DEPTH = 20
"""What-ifs on what-ifs: deeper than this is refused (a stored chain cannot loop: a base
version exists before the what-if naming it)."""


CACHED_CADRES = 50_000
"""Resolved scenarios kept in memory, by their cadres in all (the largest pool a job takes
is 20,000): a job's submit and its start each read its scenario, and parsing a pool's
JSON costs more than the rest of a submit."""


class Resolved:
    """Resolved scenarios by content hash, least recently used out first. A hash names one
    content, so an entry is never stale; the scenarios are frozen models, shared safely."""

    def __init__(self, cadres: int = CACHED_CADRES) -> None:
        self.cadres, self._held = cadres, 0
        self._items: OrderedDict[str, Scenario] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> Scenario | None:
        with self._lock:
            sc = self._items.get(key)
            if sc is not None:
                self._items.move_to_end(key)
            return sc

    def put(self, key: str, sc: Scenario) -> None:
        with self._lock:
            if key in self._items or len(sc.cadres) > self.cadres:
                return
            self._items[key] = sc
            self._held += len(sc.cadres)
            while self._held > self.cadres:
                _, old = self._items.popitem(last=False)
                self._held -= len(old.cadres)


class NotFound(LookupError):
    """A stored thing that does not exist: `what` and `id` say which (the API's 404)."""

    def __init__(self, what: str, id: str) -> None:
        super().__init__(f"no {what} '{id}'")
        self.what, self.id = what, id


def info(row: ScenarioRow) -> ScenarioInfo:
    return ScenarioInfo(id=row.id, name=row.name, latest=row.latest, created_at=aware(row.created_at),
                        created_by=row.created_by)


def version_info(row: VersionRow) -> VersionInfo:
    base = None if row.base_id is None else VersionRef(scenario_id=row.base_id, version=row.base_version)
    return VersionInfo(scenario_id=row.scenario_id, version=row.version, kind=VersionKind(row.kind),
                       base=base, content_hash=row.content_hash, cadres=row.cadres,
                       townships=row.townships, created_at=aware(row.created_at), created_by=row.created_by)


class Scenarios:
    def __init__(self, session: sessionmaker[Session]) -> None:
        self.session = session
        self.resolved = Resolved()

    def create(self, content: Scenario | ScenarioDelta, *, base: VersionRef | None = None,
               by: str | None = None, name: str | None = None) -> VersionInfo:
        """A new stored scenario with `content` as version 1."""
        with self.session.begin() as s:
            row = ScenarioRow(id=new_id("s"), name="", latest=0, created_at=now(), created_by=by)
            s.add(row)
            s.flush()
            return self._add(s, row, content, base, by, name)

    def add_version(self, scenario_id: str, content: Scenario | ScenarioDelta, *,
                    base: VersionRef | None = None, by: str | None = None) -> VersionInfo:
        """The next version of a stored scenario."""
        with self.session.begin() as s:
            # Lock the scenario by writing it before reading `latest`: SQLite ignores FOR UPDATE, so two
            # savers at once would read the same number and the second would fail on its version's key.
            locked = s.execute(update(ScenarioRow).where(ScenarioRow.id == scenario_id)
                               .values(latest=ScenarioRow.latest)).rowcount
            if not locked:
                raise NotFound("scenario", scenario_id)
            return self._add(s, s.get_one(ScenarioRow, scenario_id), content, base, by, None)

    def _add(self, s: Session, row: ScenarioRow, content: Scenario | ScenarioDelta,
             base: VersionRef | None, by: str | None, name: str | None) -> VersionInfo:
        if isinstance(content, ScenarioDelta):
            if base is None:
                raise ValueError("a what-if needs its base version")
            resolved = apply_delta(self._resolve(s, base.scenario_id, base.version, 0), content)
            kind = VersionKind.what_if
        else:
            resolved, kind, base = content, VersionKind.scenario, None
        row.latest += 1
        row.name = name or resolved.name or row.name
        v = VersionRow(scenario_id=row.id, version=row.latest, kind=kind.value,
                       content=content.model_dump_json(exclude_defaults=kind == VersionKind.what_if),
                       base_id=base and base.scenario_id, base_version=base and base.version,
                       content_hash=content_hash(resolved),
                       cadres=resolved.pool_size,
                       townships=len(resolved.county.townships), created_at=now(), created_by=by)
        s.add(v)
        s.flush()
        return version_info(v)

    def list(self, limit: int = 100, offset: int = 0) -> tuple[int, list[ScenarioInfo]]:
        with self.session() as s:
            total = s.scalar(select(func.count()).select_from(ScenarioRow)) or 0
            rows = s.scalars(select(ScenarioRow).order_by(ScenarioRow.created_at.desc(), ScenarioRow.id)
                             .limit(limit).offset(offset))
            return total, [info(r) for r in rows]

    def get(self, scenario_id: str) -> ScenarioInfo:
        with self.session() as s:
            row = s.get(ScenarioRow, scenario_id)
            if row is None:
                raise NotFound("scenario", scenario_id)
            return info(row)

    def versions(self, scenario_id: str) -> list[VersionInfo]:
        self.get(scenario_id)
        with self.session() as s:
            rows = s.scalars(select(VersionRow).where(VersionRow.scenario_id == scenario_id)
                             .order_by(VersionRow.version))
            return [version_info(r) for r in rows]

    def version(self, scenario_id: str, version: int | None = None) -> tuple[VersionInfo, str]:
        """A version's record and its content as stored (a scenario's or a delta's JSON)."""
        with self.session() as s:
            row = self._version_row(s, scenario_id, version)
            return version_info(row), row.content

    def resolve(self, scenario_id: str, version: int | None = None) -> tuple[VersionInfo, Scenario]:
        """A version as the scenario a solve reads (a what-if applied to its base)."""
        with self.session() as s:
            row = self._version_row(s, scenario_id, version)
            sc = self.resolved.get(row.content_hash)
            if sc is None:
                sc = self._resolve(s, row.scenario_id, row.version, 0)
                self.resolved.put(row.content_hash, sc)
            return version_info(row), sc

    def _version_row(self, s: Session, scenario_id: str, version: int | None) -> VersionRow:
        head = s.get(ScenarioRow, scenario_id)
        if head is None:
            raise NotFound("scenario", scenario_id)
        row = s.get(VersionRow, (scenario_id, head.latest if version is None else version))
        if row is None:
            raise NotFound("version", f"{scenario_id}@{version}")
        return row

    def _resolve(self, s: Session, scenario_id: str, version: int, depth: int) -> Scenario:
        if depth > MAX_DEPTH:
            raise ValueError(f"what-ifs nest deeper than {MAX_DEPTH}")
        row = self._version_row(s, scenario_id, version)
        if row.kind == VersionKind.scenario:
            return Scenario.model_validate_json(row.content)
        base = self._resolve(s, row.base_id, row.base_version, depth + 1)
        return apply_delta(base, ScenarioDelta.model_validate_json(row.content))
