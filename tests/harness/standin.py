"""A stand-in for `huanjie serve`, so tests/server.py is proven before the real server exists:
a bare ASGI app run by `python -m uvicorn tests.harness.standin:app --lifespan on` (`on`: under
`auto` uvicorn takes a startup that raises for an app without lifespan, and serves on).

It counts its starts in $HUANJIE_DATA/starts (a restart on the same data sees the count grow) and
answers GET /readyz, /state (starts, pid, its HUANJIE_* variables, its helper child's pid).
Misbehaviour on demand, by environment: STANDIN_FAIL (startup raises), STANDIN_NEVER_READY (/readyz
is 503), STANDIN_SLOW_STOP (shutdown hangs, so only SIGKILL ends it), STANDIN_CHILD (a child process
that outlives it unless its process group is killed, as a stuck worker would).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from pathlib import Path
from typing import Any

state: dict[str, Any] = {}


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The ASGI entry point: lifespan events and two GET routes."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                _startup()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                if os.environ.get("STANDIN_SLOW_STOP"):
                    await asyncio.sleep(600)
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["path"] == "/readyz":
        ready = not os.environ.get("STANDIN_NEVER_READY")
        status, body = (200 if ready else 503), {"ready": ready}
    elif scope["path"] == "/state":
        status, body = 200, state
    else:
        status, body = 404, {"error": "not found"}
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


def _startup() -> None:
    if os.environ.get("STANDIN_FAIL"):
        raise RuntimeError("stand-in told to fail at startup")
    counter = Path(os.environ["HUANJIE_DATA"]) / "starts"
    starts = int(counter.read_text()) + 1 if counter.exists() else 1
    counter.write_text(str(starts))
    state.update(starts=starts, pid=os.getpid(), child=None,
                 env={k: v for k, v in os.environ.items() if k.startswith("HUANJIE_")})
    if os.environ.get("STANDIN_CHILD"):
        state["child"] = subprocess.Popen(["sleep", "600"]).pid
