"""The election verbs over HTTP (section V): POST /v1/ballot and /v1/candidates (one township's lists,
or every township's when none is named, from a slate given or from the best slate of a solve within
the verbs' time bound), and POST /v1/meeting (D5-V2 from a member count, or from a stored
scenario's township). Each answer is the model the CLI's `--json` writes (service/elections.py)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from pydantic import ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from model.election import MeetingPlan
from service.api.auth import Planner, Viewer
from service.api.errors import ANSWERS, OverLimit, Problem
from service.api.verbs import EXAMPLE_SCENARIO, on_scenario, on_stored, resolve
from service.calls import refuse
from service.elections import ElectionLists, ListsRequest, MeetingRequest, lists_call, meeting_call
from service.store.views import MAX_INT

router = APIRouter(prefix="/v1", tags=["elections"], responses={
    **ANSWERS, 404: {"model": Problem, "description": "no such scenario or version"},
    413: {"model": OverLimit, "description": "the time limit is over its bound"}})

ListsBody = on_scenario(ListsRequest)


class MeetingBody(MeetingRequest):
    """D5-V2 from `members`, or from the party members of `township` in a stored scenario
    (`scenario_id`, `version`)."""

    model_config = ConfigDict(json_schema_extra={"examples": [
        {"members": 480, "ill": 3, "abroad": 2, "present": 370},
        {"scenario_id": EXAMPLE_SCENARIO, "township": "t03", "present": 300}]})

    scenario_id: str | None = Field(None, description="a stored scenario, with township")
    version: int | None = Field(None, ge=1, le=MAX_INT, description="default: the latest version")


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
async def meeting(request: Request, body: MeetingBody, _: Viewer) -> MeetingPlan:
    req = MeetingRequest.model_validate(body.model_dump(exclude={"scenario_id", "version"}))
    if body.scenario_id is None:
        return meeting_call(req)  # refuses a township without a scenario
    if body.township is None:
        from model.errors import InputError

        refuse([InputError("a stored scenario gives a township's members: name the township", "township")])
    sc = await run_in_threadpool(resolve, request, body.scenario_id, body.version)
    return meeting_call(req, sc)
