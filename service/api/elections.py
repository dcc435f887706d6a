"""The election verbs over HTTP (section V): POST /v1/ballot and /v1/candidates (one township's lists
from a slate given, or from the best slate of a solve within the verbs' time bound), and POST
/v1/meeting (D5-V2 from membership counts; no scenario). Each answer is the model the CLI's
`--json` writes (service/elections.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from model.election import MeetingPlan, Membership
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.verbs import on_scenario, on_stored
from service.elections import ElectionLists, ListsRequest, lists_call, meeting_call

router = APIRouter(prefix="/v1", tags=["elections"], responses={
    **ANSWERS, 404: {"model": Problem, "description": "no such scenario or version"},
    413: {"model": OverLimit, "description": "the time limit is over its bound"}})

ListsBody = on_scenario(ListsRequest)


@router.post("/ballot", response_model=ElectionLists,
             summary="a township's committee ballot in stroke order (D1-V2), with its differential list")
async def ballot(request: Request, body: ListsBody, _: Planner) -> ElectionLists:
    return await on_stored(request, body, ListsRequest, lists_call)


@router.post("/candidates", response_model=ElectionLists,
             summary="a township's differential candidate list (D1-V1) and 1:2 promotion list (D5-V1)")
async def candidates(request: Request, body: ListsBody, _: Planner) -> ElectionLists:
    return await on_stored(request, body, ListsRequest, lists_call)


@router.post("/meeting", response_model=MeetingPlan,
             summary="which meeting a township holds and the quorum of a members' meeting (D5-V2)")
async def meeting(body: Membership, _: Viewer) -> MeetingPlan:
    return meeting_call(body)
