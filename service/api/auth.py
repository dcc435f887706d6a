"""API keys and roles: `require(Role.planner)` is a route's dependency that answers 401
without a live key and 403 when the key's role is below the one needed. The key
comes as `Authorization: Bearer <secret>` or `X-API-Key: <secret>`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from service.store.views import KeyInfo, Role

bearer = HTTPBearer(auto_error=False, description="an API key: `huanjie keys create NAME --role planner`")
header = APIKeyHeader(name="X-API-Key", auto_error=False, description="the same key, as a header")


def require(role: Role) -> Callable[..., KeyInfo]:
    def caller(request: Request, b: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
               h: Annotated[str | None, Depends(header)]) -> KeyInfo:
        secret = (b.credentials if b is not None else None) or h
        if not secret:
            raise HTTPException(401, "an API key is needed: send 'Authorization: Bearer <key>'",
                                headers={"WWW-Authenticate": "Bearer"})
        key = request.app.state.store.keys.check(secret)
        if key is None:
            raise HTTPException(401, "this API key is unknown or revoked",
                                headers={"WWW-Authenticate": "Bearer"})
        request.state.key = key
        if not key.role.allows(role):
            raise HTTPException(403, f"this needs the {role.value} role; the key has {key.role.value}")
        return key

    caller.role = role  # type: ignore[attr-defined]  (read by service/api/endpoints.py)
    return caller


viewer = require(Role.viewer)
planner = require(Role.planner)
admin = require(Role.admin)

Viewer = Annotated[KeyInfo, Depends(viewer)]
Planner = Annotated[KeyInfo, Depends(planner)]
Admin = Annotated[KeyInfo, Depends(admin)]
