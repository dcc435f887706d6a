"""Small hand-built scenarios for tests: every field has a plain default, so a
test states only what matters to it."""

from __future__ import annotations

from datetime import date
from typing import Any

from model.people import Cadre, County, Township
from model.scenario import Scenario

ON = date(2026, 9, 1)


def born(age: int, on: date = ON) -> date:
    """A birth date giving exactly `age` full years on the reshuffle date."""
    return date(on.year - age, 1, 1)


def cadre(cid: str, **kw: Any) -> Cadre:
    base: dict[str, Any] = dict(
        id=cid, name=kw.pop("name", f"干部{cid}"), gender="male", birth_date=born(kw.pop("age", 38)),
        education="bachelor", rank="deputy_section", township_years=5, leadership_years=3,
        grades=("competent", "competent", "competent"),
    )
    base.update(kw)
    return Cadre.model_validate(base)


def township(tid: str, **kw: Any) -> Township:
    return Township.model_validate({"id": tid, "name": kw.pop("name", f"{tid}镇"), **kw})


def scenario(
    townships: list[Township], cadres: list[Cadre], ruleset: str = "xx-2011", **kw: Any
) -> Scenario:
    return Scenario.model_validate(
        {
            "name": kw.pop("name", "test"),
            "reshuffle_date": ON,
            "county": County(id="c", name="测试县", townships=tuple(townships)),
            "cadres": tuple(cadres),
            "ruleset": ruleset,
            **kw,
        }
    )
