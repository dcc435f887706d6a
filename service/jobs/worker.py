"""A job worker process: it takes jobs one at a time from its pipe, solves each with a
`Cancel` the supervisor can set (a stop message on the control pipe), and sends back
the solver's events and its result as JSON. It holds no database connection: the
supervisor writes every record, so a worker that crashes loses nothing but its run.

Messages to the supervisor: ("ready",) once, when its imports are done (only then is it
given jobs: a scenario bigger than the pipe's buffer, sent to a worker still booting, would
block the supervisor), then ("event", job, kind, data), ("done", job, status, result
JSON), ("error", job, message). From it: (job, scenario JSON, settings, near) or None (end); `near`, the
assignments of a what-if's base slate to lean toward, or None.
"""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection
from typing import Any

STOP = "stop"
READY = "ready"


def serve(jobs: Connection, control: Connection) -> None:
    """The worker's main loop; imports the solver first so a job does not wait for them."""
    from model.scenario import Scenario
    from solver.stop import Cancel

    send_lock = threading.Lock()
    current: dict[str, Any] = {"job": None, "cancel": None}

    def send(message: tuple) -> None:
        with send_lock:
            jobs.send(message)

    def listen() -> None:
        while True:
            try:
                kind, job_id = control.recv()
            except (EOFError, OSError):  # the server is gone (killed): end now, not after the solve
                os._exit(1)
            if kind == STOP and current["job"] == job_id and current["cancel"] is not None:
                current["cancel"].cancel()

    threading.Thread(target=listen, daemon=True).start()
    solve = _solver()
    send((READY,))
    while True:
        try:
            message = jobs.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        job_id, scenario_json, settings, near = message
        cancel = Cancel()
        current.update(job=job_id, cancel=cancel)
        try:
            sc = Scenario.model_validate_json(scenario_json)
            result = solve(sc, settings, near, cancel,
                           lambda e, j=job_id: send(("event", j, e.kind, e.model_dump(mode="json"))))
            send(("done", job_id, result.status.value, result.model_dump_json()))
        except Exception as e:  # a job's bug must not end the worker; it is reported
            send(("error", job_id, f"{type(e).__name__}: {e}"))
        finally:
            current.update(job=None, cancel=None)


def _solver():
    """The solve every job runs: the same call the CLI's `solve` makes (service/calls.py)."""
    from model.slate import Slate
    from service.calls import SolveOptions, solve_call

    def run(sc, settings: dict[str, Any], near: list[dict[str, Any]] | None, cancel, on_event):
        lean = Slate.model_validate({"assignments": near}) if near is not None else None
        return solve_call(sc, SolveOptions.model_validate(settings), stop=cancel, on_event=on_event,
                          near=lean)

    return run
