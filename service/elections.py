"""The election verbs (section V) as plain functions over pydantic requests and answers, called by the
command line (service/election_cli.py) and the HTTP routers (service/api/elections.py) alike, as
service/calls.py does for the other verbs: the lists of model/election.py from a slate, given or
solved first within the budget, and the meeting of D5-V2 from a township's membership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from model.election import (
    MOST,
    Ballot,
    CommitteeList,
    MeetingCounts,
    MeetingPlan,
    PartyMembers,
    PromotionList,
    ballot,
    committee_lists,
    meeting_plan,
    promotion_lists,
)
from model.errors import InputError
from model.referee import make_view
from model.slate import Assignment, SolveStatus
from model.strokes import Convention, unknown_characters
from service.calls import (
    EXAMPLE_SLATE,
    TimeLimit,
    Workers,
    located,
    refuse,
    request_config,
    slate_references,
    unknown_township,
)

if TYPE_CHECKING:
    from model.scenario import Scenario
    from solver.stop import Stop


class ListsRequest(BaseModel):
    """The election lists from a slate (the one given, or the best of a solve within the budget):
    of one township, or of every township when none is named. The extra names are distinct across
    the county either way: a township's lists are its part of the county-wide assignment."""

    model_config = request_config({"township": "t01", "time_limit": 10, "workers": 2},
                                  {"township": "t01", "assignments": EXAMPLE_SLATE, "convention": "fullname"},
                                  {"time_limit": 10, "workers": 2})

    township: str | None = Field(None, description="a township id or name; none: every township")
    convention: Convention = Field(Convention.surname,
                                   description="surname: by surname, then given name (D1-V2); "
                                               "fullname: the whole name, character by character")
    assignments: list[Assignment] | None = Field(None, description="the slate; none: solve first")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2

    def township_ids(self, sc: Scenario) -> list[str]:
        """The townships asked for, by id (every one when none is named; [] for an unknown name)."""
        if self.township is None:
            return list(sc.townships)
        return [named] if (named := sc.township_named(self.township)) is not None else []

    def errors(self, sc: Scenario) -> list[InputError]:
        errors = []
        if self.township is not None and sc.township_named(self.township) is None:
            errors.append(unknown_township(sc, self.township))
        if self.assignments is not None:
            errors += slate_references(sc, self.assignments)
        return errors


class TownshipLists(BaseModel):
    """A township's lists (D1-V1, D1-V2, D5-V1): its ballot (with the differential list it is made
    from) and its 1:2 list of new promotions."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    ballot: Ballot
    promotions: PromotionList

    @property
    def committee(self) -> CommitteeList:
        return self.ballot.committee


class ElectionLists(BaseModel):
    """The lists from one slate: `township` the one asked (None: every township), `townships` their
    lists in the county's order, empty when the solve found no slate; `status`: the solve's, when
    no slate was given."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str | None = None
    status: SolveStatus | None = None
    townships: tuple[TownshipLists, ...] = ()

    @property
    def short(self) -> bool:
        """Some list has fewer names than D1-V1 or D5-V1 asks."""
        return any(t.committee.short or t.promotions.short for t in self.townships)


def lists_call(sc: Scenario, req: ListsRequest, *, stop: Stop | None = None) -> ElectionLists:
    """The lists of the slate given, or of the best slate solved; every name of the asked
    townships' ballots that the stroke table cannot order is an input error (field `names`), all
    listed at once."""
    refuse(req.errors(sc))
    tids = req.township_ids(sc)
    asked = tids[0] if req.township is not None else None
    status = None
    assignments = req.assignments
    if assignments is None:
        from solver import solve

        result = solve(sc, time_limit=req.time_limit, workers=req.workers, stop=stop)
        status = result.status
        if not result.slates:
            return ElectionLists(township=asked, status=status)
        assignments = list(result.slates[0].assignments)
    view = make_view(sc, [])
    committees = committee_lists(sc, assignments, view)
    refuse([InputError(str(e), "names", e.name) for e in
            unknown_characters([x.name for t in tids for x in committees[t].candidates if not x.leader])])
    promotions = promotion_lists(sc, assignments, view)
    return ElectionLists(township=asked, status=status, townships=tuple(
        TownshipLists(township=t, ballot=ballot(sc, committees[t], req.convention), promotions=promotions[t])
        for t in tids))


class MeetingRequest(MeetingCounts):
    """D5-V2 for one township: its party members given (`members`), or read from a scenario's
    township (`township`, the 党员数 of its row), one or the other; the five kinds and the rest
    as MeetingCounts."""

    model_config = request_config({"members": 480, "ill": 3, "abroad": 2, "present": 370},
                                  {"township": "t03", "present": 300})

    members: int | None = Field(None, ge=1, le=MOST, description="party members of the township; "
                                                                     "none: the scenario township's")
    township: str | None = Field(None, description="a township id or name of the scenario")

    @model_validator(mode="after")
    def _one_source(self) -> MeetingRequest:
        if (self.members is None) == (self.township is None):
            raise ValueError("give the members (members) or a scenario's township (township), one of them")
        return self

    def errors(self, sc: Scenario | None) -> list[InputError]:
        if self.township is None:
            return []
        if sc is None:
            return [InputError("a township's members are read from a scenario; give one, or the "
                               "members", "township", self.township)]
        tid = sc.township_named(self.township)
        if tid is None:
            return [unknown_township(sc, self.township)]
        if sc.townships[tid].party_members < 1:
            return [InputError(f"township '{tid}' has no party members (党员数) in the scenario; give "
                               "the members", "township", self.township)]
        return []


def meeting_call(req: MeetingRequest | PartyMembers, sc: Scenario | None = None) -> MeetingPlan:
    """The meeting of D5-V2 from the members given or the scenario township's; counts that cannot
    be (more of the five kinds than members, more present than should attend) are input errors."""
    if isinstance(req, PartyMembers):
        return meeting_plan(req)
    refuse(req.errors(sc))
    tid = sc.township_named(req.township) if sc is not None and req.township is not None else None
    members = req.members if tid is None else sc.townships[tid].party_members
    try:
        membership = PartyMembers(members=members, **req.counts())
    except ValidationError as e:
        raise located(e, PartyMembers) from None
    return meeting_plan(membership, tid)


__all__ = ["ElectionLists", "ListsRequest", "MeetingRequest", "PartyMembers", "TownshipLists", "lists_call",
           "meeting_call"]
