"""What rule kinds share, defined once: sitting members, principal seats, the seat
filter, the places of a count rule; and the two registries (kinds, encoders)."""

from __future__ import annotations

from datetime import date

import pytest

from model.generator import generate_county
from model.referee import make_view, referee
from model.rules import REGISTRY, SeatFilter, kind_of
from model.rules.counts import Counted
from model.rules.seated import SeatedKind
from model.ruleset import Ruleset, principal_posts
from model.slate import Assignment
from service.render.rules import filter_text, instance_text
from service.render.words import Names
from solver import solve
from solver.build import Builder
from solver.encoders import ENCODERS, SEATED, check_registries
from tests.factory import cadre, scenario, township

SEATS = [
    {"id": "secretary", "label": "党委书记", "posts": ["party_secretary"], "rank": "full_section",
     "principal": True},
    {"id": "head", "label": "乡镇长", "posts": ["township_head"], "rank": "full_section"},
    {"id": "chair", "label": "人大主席", "posts": ["congress_chair"], "rank": "full_section"},
]
"""A team whose head is not a principal seat: principal posts must come from the template."""


def ruleset(rules: list[dict]) -> Ruleset:
    return Ruleset.model_validate({"id": "own", "title": "a county's own", "rules": rules,
                                   "teams": {k: {"seats": SEATS} for k in (1, 2, 3)}})


MORE_WOMEN_PRINCIPALS = {
    "id": "D5-K2", "kind": "county_min_count", "strength": "generally",
    "params": {"principal": True, "who": {"gender": "female"}, "more_than_sitting": True},
}


def test_sitting_member_is_one_definition() -> None:
    """Sitting is a post held in a township: not a post outside townships, nor a township without a post."""
    member = cadre("a", current_township="t1", current_post="deputy_head", post_since=date(2022, 1, 1))
    organ = cadre("b", current_post="deputy_head", post_since=date(2022, 1, 1))
    staff = cadre("c", current_township="t1")
    assert [c.is_sitting for c in (member, organ, staff)] == [True, False, False]
    assert member.sits_in("t1") and not member.sits_in("t2") and not staff.sits_in("t1")
    sc = scenario([township("t1"), township("t2")], [member, organ, staff], "xx-2011")
    assert sc.sitting == {"t1": [member], "t2": []}
    pool = Builder(sc).pool
    assert pool.sitting.tolist() == [True, False, False]


def test_principal_posts_come_from_the_templates() -> None:
    """More women principals than before counts a sitting head only where the head's seat is principal."""
    head = cadre("h", gender="female", current_township="t1", current_post="township_head",
                 post_since=date(2022, 1, 1))
    pool = [head, *(cadre(f"c{i}", gender="female" if i == 0 else "male") for i in range(5))]
    sc = scenario([township("t1")], pool, "own", ruleset_definition=ruleset([MORE_WOMEN_PRINCIPALS]))
    assert principal_posts(sc.seats) == {"party_secretary"}
    slate = [Assignment(township="t1", seat=s, cadre=c) for s, c in zip(("secretary", "head", "chair"),
                                                                         ("c0", "c1", "c2"), strict=True)]
    r = next(r for r in referee(sc, slate).report if r.key == "D5-K2@county")
    assert "上届0名" in instance_text(r, Names.of(sc)) and (r.have, r.need, r.short) == (1, 1, 0)
    res = solve(sc, time_limit=10, workers=1)  # the solver counts alike, or the agreement check raises
    assert res.status == "OPTIMAL" and res.slates[0].broken() == []


@pytest.mark.parametrize(
    ("flt", "hits", "label"),
    [({}, ["secretary", "head", "chair"], "乡镇领导班子成员"),
     ({"principal": True}, ["secretary"], "党政正职"),
     ({"posts": ["congress_chair"]}, ["chair"], "人大主席"),
     ({"principal": True, "posts": ["congress_chair"]}, ["secretary", "chair"], "党政正职及人大主席")],
)
def test_one_seat_filter_for_every_kind(flt: dict, hits: list[str], label: str) -> None:
    """Seated and count rules read the same filter: principal seats and seats holding a post, or all."""
    sc = scenario([township("t1")], [cadre("a")], "own", ruleset_definition=ruleset([]))
    for f in (SeatFilter.model_validate(flt), Counted.model_validate({**flt, "who": {}, "min_count": 1})):
        assert [s.id for s in sc.seats if f.applies(s)] == hits
        assert filter_text(**f.facts()) == label


def test_solver_reads_the_places_the_referee_checks() -> None:
    """Each place of a count rule maps to the seat groups holding exactly its seats."""
    sc = generate_county(3, 90, 1, ruleset="qiong-2011")
    b = Builder(sc)
    view = make_view(sc, [])
    for spec in sc.ruleset_in_force.rules:
        if spec.kind not in ("team_min_count", "county_min_count"):
            continue
        p = kind_of(spec).parse(spec)
        places = kind_of(spec).places(p, view)
        assert [place for place, _ in b.count_groups(spec, p)] == places
        for (_, groups), place in zip(b.count_groups(spec, p), places, strict=True):
            assert sorted((s.township, s.id) for g in groups for s in b.groups[g].seats) == \
                sorted((s.township, s.id) for s in place.seats)


def test_every_rule_kind_has_an_encoder() -> None:
    """The rule kinds and the encoders name the same kinds; every seated kind has a fail mask."""
    assert set(REGISTRY) == set(ENCODERS)
    assert {k for k, kind in REGISTRY.items() if isinstance(kind, SeatedKind)} == set(SEATED)
    check_registries()


def test_a_missing_encoder_fails_the_check() -> None:
    """A kind without an encoder (or an encoder without a kind) is an error naming it, raised at import."""
    with pytest.raises(ImportError, match="'new_kind' has no encoder"):
        check_registries(kinds={**REGISTRY, "new_kind": object()})
    with pytest.raises(ImportError, match="encoder 'old_kind' has no rule kind"):
        check_registries(encoders={**ENCODERS, "old_kind": object()})
    with pytest.raises(ImportError, match="seated rule kind 'experience' has no fail mask"):
        check_registries(masks={k: v for k, v in SEATED.items() if k != "experience"})
