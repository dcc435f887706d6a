"""Reasons as data: why a rule holds or fails, why a seat cannot be filled, why a
scenario has no slate. A reason is a stable code and the numbers and ids behind
it; the renderers (service/render/) turn it into words, so the CLI, the API,
Excel, HTML and the web page state the same facts, and a client can act on the
code without parsing a sentence (as sortition-algorithms' message registry)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Reason(BaseModel):
    """One fact behind a verdict. `code` names the kind of fact (`age_cap`,
    `count_short`, ...); `args` holds its numbers and the ids it refers to (a
    cadre id under `cadre`, a township id under `township`, a seat id under
    `seat`), JSON values only. A code's args are the same wherever it is made."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    args: dict[str, Any] = Field(default_factory=dict)


def reason(code: str, **args: Any) -> Reason:
    """`reason('age_cap', age=56, cap=53)`: the short way to make one."""
    return Reason(code=code, args=args)
