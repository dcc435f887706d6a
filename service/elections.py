"""The election verbs (section V) as plain functions over pydantic requests and answers, called by the
command line (service/election_cli.py) and the HTTP routers (service/api/elections.py) alike, as
service/calls.py does for the other verbs: the lists of model/election.py from a slate, given or
solved first within the budget, and the meeting of D5-V2 from a township's membership."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from model.election import (
    Ballot,
    CommitteeList,
    MeetingPlan,
    Membership,
    PromotionList,
    ballot,
    committee_list,
    meeting_plan,
    promotion_list,
)
from model.errors import InputError
from model.referee import make_view
from model.slate import Assignment, SolveStatus
from model.strokes import Convention, unknown_characters
from service.calls import EXAMPLE_SLATE, TimeLimit, Workers, refuse, request_config, slate_references

if TYPE_CHECKING:
    from model.scenario import Scenario
    from solver.stop import Stop


class ListsRequest(BaseModel):
    """One township's election lists from a slate: the one given, or the best of a solve within the budget."""

    model_config = request_config({"township": "t01", "time_limit": 10, "workers": 2},
                                  {"township": "t01", "assignments": EXAMPLE_SLATE, "convention": "fullname"})

    township: str = Field(description="a township id or name")
    convention: Convention = Field(Convention.surname,
                                   description="surname: by surname, then given name (D1-V2); "
                                               "fullname: the whole name, character by character")
    assignments: list[Assignment] | None = Field(None, description="the slate; none: solve first")
    time_limit: TimeLimit = 60.0
    workers: Workers = 2

    def township_id(self, sc: Scenario) -> str | None:
        """The township's id, the request naming it by id or by name."""
        if self.township in sc.townships:
            return self.township
        return next((t.id for t in sc.county.townships if t.name == self.township), None)

    def errors(self, sc: Scenario) -> list[InputError]:
        errors = []
        if self.township_id(sc) is None:
            errors.append(InputError(f"unknown township '{self.township}'; use one of {sorted(sc.townships)} "
                                     "or its name", "township", self.township))
        if self.assignments is not None:
            errors += slate_references(sc, self.assignments)
        return errors


class ElectionLists(BaseModel):
    """A township's lists (D1-V1, D1-V2, D5-V1) from one slate; `status`: the solve's, when none was
    given; the lists are None when the solve found no slate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    township: str
    status: SolveStatus | None = None
    ballot: Ballot | None = None
    promotions: PromotionList | None = None

    @property
    def committee(self) -> CommitteeList | None:
        return self.ballot.committee if self.ballot is not None else None


def lists_call(sc: Scenario, req: ListsRequest, *, stop: Stop | None = None) -> ElectionLists:
    """The lists of the slate given, or of the best slate solved; every name the stroke table cannot
    order is an input error (field `names`), all listed at once."""
    refuse(req.errors(sc))
    tid = req.township_id(sc)
    assert tid is not None
    status = None
    assignments = req.assignments
    if assignments is None:
        from solver import solve

        result = solve(sc, time_limit=req.time_limit, workers=req.workers, stop=stop)
        status = result.status
        if not result.slates:
            return ElectionLists(township=tid, status=status)
        assignments = list(result.slates[0].assignments)
    view = make_view(sc, [])
    cl = committee_list(sc, assignments, tid, view)
    refuse([InputError(str(e), "names", e.name) for e in
            unknown_characters([x.name for x in cl.candidates if not x.leader])])
    return ElectionLists(township=tid, status=status, ballot=ballot(sc, cl, req.convention),
                         promotions=promotion_list(sc, assignments, tid, view))


def meeting_call(m: Membership) -> MeetingPlan:
    return meeting_plan(m)


__all__ = ["ElectionLists", "ListsRequest", "Membership", "lists_call", "meeting_call"]
