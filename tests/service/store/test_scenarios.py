"""Stored scenarios: versions, what-ifs resolved on their base, content hashes, lists and round trips."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.generator import generate_county
from model.scenario import Scenario
from model.whatif import ScenarioDelta, apply_delta
from service.store import NotFound, Store
from service.store.views import VersionInfo, VersionKind, VersionRef
from tests.service.store.conftest import at_once, county


def ref(v: VersionInfo) -> VersionRef:
    return VersionRef(scenario_id=v.scenario_id, version=v.version)


def change(sc: Scenario) -> ScenarioDelta:
    """A what-if: one cadre out of the pool and a new name."""
    return ScenarioDelta(name="试算", remove=(sc.cadres[0].id,))


def test_create_makes_version_one(store: Store) -> None:
    """A new scenario is version 1 of itself, named by its content, with its counts and author."""
    sc = county()
    v = store.scenarios.create(sc, by="k1")
    assert (v.version, v.kind, v.base, v.created_by) == (1, VersionKind.scenario, None, "k1")
    assert (v.cadres, v.townships) == (len(sc.cadres), len(sc.county.townships))
    info = store.scenarios.get(v.scenario_id)
    assert (info.name, info.latest, info.created_by) == (sc.name, 1, "k1")


def test_each_change_is_a_new_version(store: Store) -> None:
    """add_version numbers versions 1, 2, 3; every version stays readable; no version means the latest."""
    sc = county()
    first = store.scenarios.create(sc)
    sid = first.scenario_id
    second = store.scenarios.add_version(sid, sc.with_changes(name="第二稿"), by="k2")
    third = store.scenarios.add_version(sid, sc.with_changes(name="第三稿"))
    assert [v.version for v in (first, second, third)] == [1, 2, 3]
    assert store.scenarios.versions(sid) == [first, second, third]
    assert store.scenarios.get(sid).latest == 3
    assert store.scenarios.resolve(sid, 2)[1].name == "第二稿"
    assert store.scenarios.resolve(sid)[1].name == "第三稿"
    assert store.scenarios.version(sid)[0] == third
    assert store.scenarios.resolve(sid, 1)[1] == sc


def test_what_if_resolves_to_its_base_with_the_change(store: Store) -> None:
    """A what-if is stored as its delta and reads as apply_delta(base, change); later versions of the
    base leave it as it was."""
    sc = county()
    base = store.scenarios.create(sc)
    delta = change(sc)
    what_if = store.scenarios.create(delta, base=ref(base))
    assert what_if.kind == VersionKind.what_if and what_if.base == ref(base)
    assert ScenarioDelta.model_validate_json(store.scenarios.version(what_if.scenario_id, 1)[1]) == delta
    expected = apply_delta(sc, delta)
    assert store.scenarios.resolve(what_if.scenario_id)[1] == expected
    assert what_if.cadres == len(sc.cadres) - 1

    store.scenarios.add_version(base.scenario_id, county(3, 90, 2))
    assert store.scenarios.resolve(what_if.scenario_id)[1] == expected
    assert store.scenarios.version(what_if.scenario_id)[0].content_hash == what_if.content_hash
    on_new = store.scenarios.add_version(what_if.scenario_id, delta,
                                         base=VersionRef(scenario_id=base.scenario_id, version=2))
    resolved = store.scenarios.resolve(what_if.scenario_id, on_new.version)[1]
    assert resolved == apply_delta(county(3, 90, 2), delta)


def test_what_if_on_a_what_if(store: Store) -> None:
    """A what-if may stand on another what-if: both deltas apply, in order."""
    sc = county()
    base = store.scenarios.create(sc)
    first = store.scenarios.create(change(sc), base=ref(base))
    second = ScenarioDelta(remove=(sc.cadres[1].id,))
    top = store.scenarios.create(second, base=ref(first))
    assert store.scenarios.resolve(top.scenario_id)[1] == apply_delta(apply_delta(sc, change(sc)), second)


def test_content_hash_is_the_resolved_scenario(store: Store) -> None:
    """Equal scenarios hash alike, however stored (again, or as an empty what-if); a change changes it."""
    sc = county()
    a = store.scenarios.create(sc)
    b = store.scenarios.create(sc)
    empty = store.scenarios.create(ScenarioDelta(), base=ref(a))
    other = store.scenarios.create(change(sc), base=ref(a))
    assert a.content_hash == b.content_hash == empty.content_hash
    assert other.content_hash != a.content_hash
    assert store.scenarios.create(apply_delta(sc, change(sc))).content_hash == other.content_hash


def test_list_pages_with_a_total(store: Store) -> None:
    """list(limit, offset) pages through every scenario once, newest first, with the total each time."""
    made = [store.scenarios.create(county().with_changes(name=f"第{i}稿")).scenario_id for i in range(5)]
    pages = [store.scenarios.list(limit=2, offset=off) for off in (0, 2, 4, 6)]
    assert [total for total, _ in pages] == [5, 5, 5, 5]
    assert [len(items) for _, items in pages] == [2, 2, 1, 0]
    seen = [s.id for _, items in pages for s in items]
    assert sorted(seen) == sorted(made)
    assert [s.created_at for _, items in pages for s in items] == sorted(
        (s.created_at for _, items in pages for s in items), reverse=True)


def test_unknown_ids_and_versions_are_not_found(store: Store) -> None:
    """Every read of a missing scenario or version raises NotFound; a what-if without its base is
    refused; neither stores anything."""
    sid = store.scenarios.create(county()).scenario_id
    calls = [
        lambda: store.scenarios.get("nope"),
        lambda: store.scenarios.versions("nope"),
        lambda: store.scenarios.version("nope"),
        lambda: store.scenarios.resolve("nope", 1),
        lambda: store.scenarios.add_version("nope", county()),
        lambda: store.scenarios.version(sid, 2),
        lambda: store.scenarios.resolve(sid, 9),
        lambda: store.scenarios.create(ScenarioDelta(), base=VersionRef(scenario_id=sid, version=2)),
        lambda: store.scenarios.create(ScenarioDelta(), base=VersionRef(scenario_id="nope", version=1)),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
    with pytest.raises(ValueError, match="base"):
        store.scenarios.create(ScenarioDelta())
    assert store.scenarios.list() == (1, [store.scenarios.get(sid)])


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(townships=st.integers(1, 3), extra=st.integers(0, 15), seed=st.integers(0, 10_000),
       ruleset=st.sampled_from(["xx-2011", "qiong-2011", "county-2017"]))
def test_scenario_read_back_equals_the_one_stored(store: Store, townships: int, extra: int, seed: int,
                                                  ruleset: str) -> None:
    """Any generated county reads back equal, to the byte of its JSON, with the hash of what was stored."""
    sc = generate_county(townships, 30 * townships + extra, seed, ruleset=ruleset)
    v = store.scenarios.create(sc)
    got_v, got = store.scenarios.resolve(v.scenario_id, 1)
    assert got.model_dump_json() == sc.model_dump_json()
    assert got == sc and got_v == v
    assert store.scenarios.create(got).content_hash == v.content_hash


def test_versions_added_at_once_are_numbered_apart(store: Store, db_url: str) -> None:
    """Changes saved at the same moment on several connections each get their own next version."""
    stores = [store, Store.open(db_url, upgrade=False)]
    try:
        sc = county()
        sid = stores[0].scenarios.create(sc).scenario_id
        made: list[int] = []

        def saver(st: Store, n: int) -> Callable[[], None]:
            def work() -> None:
                for i in range(3):
                    made.append(st.scenarios.add_version(sid, sc.with_changes(name=f"稿{n}-{i}")).version)
            return work

        assert at_once(*(saver(st, n) for n, st in enumerate(stores * 3))) == []
        total = 6 * 3
        assert sorted(made) == list(range(2, total + 2))
        assert stores[0].scenarios.get(sid).latest == total + 1
    finally:
        stores[1].close()


def test_a_long_name_is_stored(store: Store) -> None:
    """A scenario's name has no length limit in the model, so the store keeps any length (PostgreSQL too)."""
    name = "长" * 1000
    v = store.scenarios.create(county().with_changes(name=name))
    assert store.scenarios.get(v.scenario_id).name == name
    assert store.scenarios.resolve(v.scenario_id)[1].name == name
