"""A scenario's membership (section P) in the store, on SQLite and PostgreSQL: stored as the readers'
files, read back equal, replaced whole, and missing ones named."""

from __future__ import annotations

import functools

import pytest

from model.io import load_scenario
from model.membership import Membership, load_membership, load_membership_folder, scenario_townships
from model.scenario import Scenario
from service.store import NotFound, Store
from tests.service.api.conftest import DEMO


@functools.cache
def demo() -> tuple[Scenario, Membership]:
    sc = load_scenario(DEMO)
    return sc, load_membership_folder(DEMO, scenario_townships(sc), sc.reshuffle_date)


def read_back(store: Store, scenario_id: str, sc: Scenario) -> Membership:
    _, files = store.memberships.files(scenario_id)
    return load_membership((files["units.csv"], "units.csv"), (files["nominees.csv"], "nominees.csv"),
                           (files["congress.yaml"], "congress.yaml"), scenario_townships(sc),
                           sc.reshuffle_date)


def test_a_membership_is_stored_and_read_back_equal(store: Store) -> None:
    """Put, then get: the summary counts per township and the files read back to the same membership."""
    sc, m = demo()
    v = store.scenarios.create(sc, by="k1")
    info = store.memberships.put(v.scenario_id, v.version, m, by="k1")
    assert (info.version, info.units, info.nominees) == (1, len(m.units), len(m.nominees))
    assert info.created_by == "k1"
    t01 = next(t for t in info.townships if t.township == "t01")
    assert (t01.units, t01.nominees) == (len(m.units_of("t01")), len(m.nominees_of("t01")))
    assert t01.members == sc.townships["t01"].party_members
    assert store.memberships.get(v.scenario_id) == info
    assert read_back(store, v.scenario_id, sc) == m


def test_a_second_put_replaces_the_first(store: Store) -> None:
    """One membership per scenario: a new put replaces it whole (its counts, hash and version)."""
    sc, m = demo()
    v = store.scenarios.create(sc)
    first = store.memberships.put(v.scenario_id, 1, m)
    fewer = Membership(m.units, m.nominees[:-1], m.settings)
    second = store.memberships.put(v.scenario_id, 1, fewer, by="k2")
    assert second.nominees == first.nominees - 1 and second.content_hash != first.content_hash
    assert store.memberships.get(v.scenario_id) == second
    assert read_back(store, v.scenario_id, sc) == fewer


def test_missing_scenario_and_missing_membership_are_named(store: Store) -> None:
    """No scenario: 'no scenario'; a scenario without a membership: 'no membership of scenario'."""
    sc, m = demo()
    with pytest.raises(NotFound, match="no scenario 's-none'"):
        store.memberships.put("s-none", 1, m)
    with pytest.raises(NotFound, match="no scenario 's-none'"):
        store.memberships.get("s-none")
    v = store.scenarios.create(sc)
    with pytest.raises(NotFound, match=f"no membership of scenario '{v.scenario_id}'"):
        store.memberships.files(v.scenario_id)
