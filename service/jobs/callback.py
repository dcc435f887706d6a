"""A job's `callback_url` is called once when the job ends: a POST of the job's record
(no slates; the caller fetches the result), with its outcome kept on the job."""

from __future__ import annotations

import logging

import httpx

from service.store import Store
from service.store.views import JobInfo

log = logging.getLogger("huanjie.jobs")

TIMEOUT = 10.0


def notify(store: Store, job: JobInfo) -> None:
    try:
        r = httpx.post(job.callback_url, content=job.model_dump_json(), timeout=TIMEOUT,
                       headers={"content-type": "application/json"})
        outcome = f"HTTP {r.status_code}"
    except httpx.HTTPError as e:
        outcome = f"failed: {type(e).__name__}"
    log.info("job %s callback: %s", job.id, outcome)
    store.jobs.callback_done(job.id, outcome)
