"""Bounds from the service's `Limits`, checked where the request names what they bound:
the body's size (a middleware, before anything is read), the pool and the time limit
(413), jobs a key has waiting (429)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.api.errors import LimitExceeded, OverLimit
from service.settings import Limits


def at_most(value: float, most: float, limit: str, what: str, status: int = 413) -> None:
    if value > most:
        raise LimitExceeded(status, f"{what} is {value:g}; this service takes at most {most:g} "
                                    f"(limit {limit})", limit, value, most)


def pool(cadres: int, most: int, limit: str = "max_cadres") -> None:
    at_most(cadres, most, limit, "the pool's size in cadres")


def time_limit(seconds: float, most: float, limit: str = "max_time_limit") -> None:
    at_most(seconds, most, limit, "the time limit in seconds")


class BodySize:
    """413 for a body over `Limits.max_request_bytes`: by its Content-Length at once, and by
    counting while it streams (a chunked upload has no length)."""

    def __init__(self, app: ASGIApp, limits: Limits) -> None:
        self.app, self.most = app, limits.max_request_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None and length.isdigit() and int(length) > self.most:
            await self._refuse(send, int(length))
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.most:
                    raise LimitExceeded(413, self._text(seen), "max_request_bytes", seen, self.most)
            return message

        await self.app(scope, counted, send)

    def _text(self, size: int) -> str:
        return (f"the request body is over {size} bytes; this service takes at most {self.most} "
                f"(limit max_request_bytes)")

    async def _refuse(self, send: Send, size: int) -> None:
        body = OverLimit(error=self._text(size), limit="max_request_bytes", value=size, max=self.most)
        data = body.model_dump_json().encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(data)).encode())]})
        await send({"type": "http.response.body", "body": data})
