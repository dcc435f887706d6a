"""The sitting members who have no seat in a slate (退出名单), and why.

A sitting member (`Cadre.is_sitting`) leaves the teams for one of these reasons,
each a `Reason` (worded in service/render/leavers.py):

- `leaver_removed`: the scenario takes the cadre out of the pool (`remove`);
- `leaver_age` (到龄): the age cap in force (D3-E2, D5-E2: the exit age, or the
  cap of one kept for the work) bars them from every seat;
- `leaver_votes` (测评/推荐未过): the renomination rule in force (D1-E6, D5-E1)
  bars them, with no organization's reason on record;
- `leaver_rotation` (任职满10年须交流): they held the post 10 years (D1-R1, by N-7
  they leave the township's team) and no seat elsewhere was found for them;
- `leaver_not_selected` (未选任): none of these.

The first three are removals: a rule (of strength must or generally) or the
scenario takes the cadre out of every team, so leaving costs the slate nothing.
Every other sitting member left out costs `weights.left_out`; the solver adds the
same cost as a bonus on each of the cadre's pairs and a constant (solver/objective.py),
reading `kept_members` from here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from model.enums import Strength
from model.people import Cadre
from model.reasons import Reason, reason
from model.rules import REGISTRY
from model.rules.base import View
from model.rules.seated import SeatedKind
from model.ruleset import RuleSpec, Seat
from model.scenario import Scenario
from model.slate import Leaver

EXIT_FINDINGS = {
    "age_cap": frozenset({"age_exit", "age_kept"}),
    "renomination": frozenset({"votes_short", "incompetent_votes"}),
}
"""Rule kinds whose finding on a cadre does not depend on the seat (beyond the seat
filter): kind -> the finding codes that bar every seat. The age cap checks the exit
age before the promotion caps, so any seat shows it."""

ROTATION_KIND = "same_post_tenure"
"""D1-R1's kind: a `must` rule of it with `same_post` makes the holder leave the post's team."""


@dataclass(frozen=True)
class ExitRule:
    """A rule in force that can take a cadre out of every team, with a seat to measure on."""

    spec: RuleSpec
    kind: SeatedKind
    params: Any
    findings: frozenset[str]
    seat: Seat

    def leaver_reason(self, finding: Reason) -> Reason:
        """到龄 for the age cap, 测评/推荐未过 for renomination, with the rule's finding."""
        args = {"rule": self.spec.id, "finding": finding.model_dump(mode="json")}
        if self.spec.kind == "age_cap":
            return reason("leaver_age", **args)
        return reason("leaver_votes", **args)


def exit_rules(sc: Scenario) -> list[ExitRule]:
    """The exit rules in force (must or generally) whose filter takes in every seat."""
    out: list[ExitRule] = []
    if not sc.seats:
        return out
    for spec in sc.ruleset_in_force.rules:
        if spec.kind not in EXIT_FINDINGS or spec.strength == Strength.prefer:
            continue
        kind = REGISTRY[spec.kind]
        assert isinstance(kind, SeatedKind)
        p = kind.parse(spec)
        if all(p.applies(s) for s in sc.seats):
            out.append(ExitRule(spec, kind, p, EXIT_FINDINGS[spec.kind], sc.seats[0]))
    return out


def removals(sc: Scenario, view: View, c: Cadre, rules: list[ExitRule]) -> list[Reason]:
    """Why the scenario or a rule takes cadre c out of every team (empty: nothing does)."""
    out: list[Reason] = []
    if c.id in sc.remove:
        out.append(reason("leaver_removed"))
    for r in rules:
        found = r.kind.measure(r.params, c, r.seat, view.townships[r.seat.township], view)
        if found.why is not None and found.why.code in r.findings:
            out.append(r.leaver_reason(found.why))
    return out


def rotation(sc: Scenario, c: Cadre) -> list[Reason]:
    """D1-R1: the cadre held their post the rule's years, so they leave their township's team."""
    out: list[Reason] = []
    tenure = c.tenure(sc.reshuffle_date)
    for spec in sc.ruleset_in_force.rules:
        if spec.kind != ROTATION_KIND or spec.strength != Strength.must or c.current_post is None:
            continue
        p = REGISTRY[spec.kind].parse(spec)
        if getattr(p, "same_post", True) and tenure >= p.years:
            out.append(reason("leaver_rotation", rule=spec.id, post=c.current_post.value, tenure=tenure,
                              years=p.years))
    return out


def kept_members(sc: Scenario, view: View) -> list[Cadre]:
    """The sitting members whom nothing removes: each one left without a seat costs
    `weights.left_out`. In pool order."""
    every = all_leavers(sc, view)
    return [c for c in sc.cadres if c.is_sitting and not every[c.id].removed]


def leavers_of(sc: Scenario, view: View, seated: Iterable[str]) -> tuple[Leaver, ...]:
    """Every sitting member with no seat among `seated` (cadre ids), in pool order, with
    the reasons (`leaver_not_selected` where there is none)."""
    taken = set(seated)
    every = all_leavers(sc, view)
    return tuple(leaver for cadre, leaver in every.items() if cadre not in taken)


def all_leavers(sc: Scenario, view: View) -> dict[str, Leaver]:
    """Each sitting member as the leaver they are when no seat holds them: a fact of the
    scenario (the rules read the cadre alone), so found once per scenario, not per slate."""
    def find(sc: Scenario) -> dict[str, Leaver]:
        rules = exit_rules(sc)
        out: dict[str, Leaver] = {}
        for c in sc.cadres:
            if not c.is_sitting or c.current_township is None or c.current_post is None:
                continue
            gone = removals(sc, view, c, rules)
            why = gone + rotation(sc, c)
            out[c.id] = Leaver(cadre=c.id, township=c.current_township, post=c.current_post,
                               reasons=tuple(why or [reason("leaver_not_selected")]), removed=bool(gone))
        return out
    return sc.computed("leavers", find)
