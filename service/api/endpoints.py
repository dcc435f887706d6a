"""The README's endpoint table, generated from the app's routes and the role each one's
key dependency asks (service/api/auth.py), so the table cannot drift from the code.

    python -m service.api.endpoints            # print the README block
    python -m service.api.endpoints --write    # replace it in README.md
"""

from __future__ import annotations

import sys
from collections.abc import Iterable

from fastapi import APIRouter
from fastapi.routing import APIRoute

BEGIN = "<!-- endpoints:begin (python -m service.api.endpoints --write; tests fail when stale) -->"
END = "<!-- endpoints:end -->"


def role_of(route: APIRoute) -> str:
    """The least role a route's key must have ('none' for the open ones)."""
    stack = list(route.dependant.dependencies)
    while stack:
        dep = stack.pop()
        role = getattr(dep.call, "role", None)
        if role is not None:
            return role.value
        stack += dep.dependencies
    return "none"


def endpoint_table(routers: Iterable[APIRouter]) -> str:
    lines = ["| method | path | role | what it does |", "|---|---|---|---|"]
    for route in (r for router in routers for r in router.routes):
        if not isinstance(route, APIRoute) or not route.include_in_schema:
            continue
        for method in sorted(route.methods):
            what = route.summary or (route.endpoint.__doc__ or "").strip().split("\n")[0] or route.name
            lines.append(f"| {method} | `{route.path}` | {role_of(route)} | {what} |")
    return "\n".join(lines)


def readme_block() -> str:
    from service.api.app import ROUTERS

    return "\n".join([BEGIN, endpoint_table(ROUTERS), END])


if __name__ == "__main__":
    if "--write" in sys.argv:
        from service.render.rules_table import replace_block

        replace_block("README.md", readme_block(), BEGIN, END)
    else:
        print(readme_block())
