"""The score terms that are not rules, and what a seat means for its holder (变动).

Documented for users in the README ("The score"). Every term is an integer so
CP-SAT and the referee add up exactly the same number.
"""

from __future__ import annotations

from model.enums import Change, Post, Rank
from model.memo import by_identity
from model.people import Cadre, full_years
from model.reasons import Reason, reason
from model.rules import kind_of
from model.rules.career import RankYearsParams
from model.ruleset import Seat
from model.scenario import Scenario

DEPUTY_SECRETARIES = frozenset({Post.deputy_secretary, Post.deputy_secretary_party,
                                Post.deputy_secretary_stability})

USUAL_STEPS: dict[Post, Post] = {Post.township_head: Post.party_secretary}
"""The step inside a township's team that continues a career besides keeping the post:
the head becomes party secretary. A deputy secretary becoming head is the other
(`continuity_posts`), read from every post of the seat held now."""


def promotion_years(sc: Scenario) -> int:
    """The years at 副科 that N-3 asks before 正科: the `min_years` of the ruleset's N-3 rule
    when it is in force, else that rule kind's default (one number, in model/rules/career.py).
    Read once per scenario: the referee asks for every seat of every slate."""
    def read(sc: Scenario) -> int:
        spec = sc.ruleset_in_force.rule("N-3")
        if spec is not None and spec.kind == "rank_years":
            return kind_of(spec).parse(spec).min_years
        return RankYearsParams().min_years
    return sc.computed("promotion_years", read)


def years_at_rank(sc: Scenario, c: Cadre) -> int | None:
    """Full years at the cadre's rank on the reshuffle date (任职级时间); None when not given."""
    return None if c.rank_since is None else full_years(c.rank_since, sc.reshuffle_date)


def current_posts(sc: Scenario, c: Cadre) -> tuple[Post, ...]:
    """Every post of the seat a sitting member holds now: the seat of their township's
    team whose main post is their current post (a head is also a deputy secretary)."""
    if c.current_township is None or c.current_post is None:
        return ()
    t = sc.townships[c.current_township]
    team = sc.ruleset_in_force.team_for(t.township_class, t.residents, t.party_members)
    held = next((s.posts for s in team.seats if s.main_post == c.current_post), ())
    return held or (c.current_post,)


def continuity_posts(sc: Scenario, c: Cadre) -> frozenset[Post]:
    """The main posts of the cadre's own township whose seat continues their career:
    the post held now (连任) and the usual step up from it (乡镇长 -> 党委书记,
    党委副书记 -> 乡镇长). Empty for a cadre who sits in no team. Found once per cadre and
    scenario: the referee asks for each seat of every slate, the solver for each cadre."""
    if not c.is_sitting or c.current_post is None:
        return frozenset()
    known: dict = sc.computed("continuity_posts", lambda sc: {})
    return by_identity(known, c.id, c, lambda: steps_from(sc, c))  # a test may pass a cadre of its own


def steps_from(sc: Scenario, c: Cadre) -> frozenset[Post]:
    """`continuity_posts` of a sitting member, found."""
    assert c.current_post is not None
    out = {c.current_post}
    if c.current_post in USUAL_STEPS:
        out.add(USUAL_STEPS[c.current_post])
    if DEPUTY_SECRETARIES & set(current_posts(sc, c)):
        out.add(Post.township_head)
    return frozenset(out)


def continuity_reason(sc: Scenario, c: Cadre, seat: Seat) -> Reason | None:
    """Why the seat continues the cadre's career in the same township (None: it does not)."""
    if not c.sits_in(seat.township) or seat.main_post not in continuity_posts(sc, c):
        return None
    kept = seat.main_post == c.current_post
    return reason("continuity", step=not kept, post=c.current_post.value if c.current_post else None,
                  to=seat.main_post.value)


def merit_reason(c: Cadre) -> Reason:
    """The grades and votes behind a merit score: each grade with how often, in
    the order first met, and the recommendation share."""
    grades: dict[str, int] = {}
    for g in c.grades:
        grades[g.value] = grades.get(g.value, 0) + 1
    return reason("merit", grades=grades, recommendation_share=c.recommendation_share)


def bonus_terms(sc: Scenario, c: Cadre, seat: Seat) -> dict[str, tuple[int, Reason]]:
    """Points for putting cadre c in seat, by term, each with its reason (only
    non-zero terms)."""
    w = sc.weights_in_force
    terms = {"merit": (w.merit * c.merit, merit_reason(c))}
    kept = continuity_reason(sc, c, seat)
    if kept is not None:
        terms["continuity"] = (w.continuity, kept)
        if kept.args["step"]:
            terms["succession"] = (w.succession, kept)
    if c.reserve:
        terms["reserve"] = (w.reserve, reason("reserve"))
    return {k: v for k, v in terms.items() if v[0]}


def max_bonus(sc: Scenario) -> int:
    """An upper bound on the bonus points of one seat, over the whole pool."""
    w = sc.weights_in_force
    best_merit = max((c.merit for c in sc.cadres), default=0)
    return w.merit * best_merit + w.continuity + w.succession + w.reserve


def change_of(sc: Scenario, c: Cadre, seat: Seat) -> Change:
    """The seat's word for its holder, by the catalog's table (directives, section N):
    by rank first (降任 lower; 越级提拔 two ranks up; 提拔 one rank up, 破格提拔 when
    副科 -> 正科 comes with fewer years at 副科 than N-3 asks), then at the same rank by
    where the cadre sits now: 连任 the same township and main post, 改任 another post
    of the same township's team, 交流 from another township's team, 进班子 from
    outside the township teams. Years at rank not given count as enough."""
    up = seat.rank.level - c.rank.level
    if up < 0:
        return Change.demoted
    if up >= 2:
        return Change.promoted_two_ranks
    if up == 1:
        years = years_at_rank(sc, c)
        early = c.rank == Rank.deputy_section and years is not None and years < promotion_years(sc)
        return Change.promoted_early if early else Change.promoted
    if c.sits_in(seat.township):
        return Change.continues if c.current_post == seat.main_post else Change.reassigned
    if c.is_sitting:
        return Change.exchanged
    return Change.joins
