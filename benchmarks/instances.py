"""The benchmark instances: generated once by `huanjie generate`'s code with fixed
seeds and stored under benchmarks/instances/, so every run reads the same files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from model.scenario import Scenario

HERE = Path(__file__).resolve().parent
STORE = HERE / "instances"


@dataclass(frozen=True)
class Instance:
    name: str
    townships: int
    cadres: int
    seed: int
    counties: int = 1
    ruleset: str = "xx-2011"
    women: int | None = None
    """Keep only this many women in the pool (sitting ones first): a rule on women
    that no slate can meet (county-2017's D5-K2, more women than last term)."""
    generally: tuple[str, ...] = ()
    """Rules turned from their preset strength to `generally`."""

    def folders(self) -> list[Path]:
        if self.counties == 1:
            return [STORE / self.name]
        return [STORE / self.name / f"county{k + 1:02d}" for k in range(self.counties)]


COUNTIES = [
    Instance("c05-250", 5, 250, 101),
    Instance("c10-500", 10, 500, 102),
    Instance("c20-1000", 20, 1000, 103),
    Instance("c40-2000", 40, 2000, 104),
]
HARD = [
    Instance("h17-1000-w25", 20, 1000, 103, ruleset="county-2017", women=25),
    Instance("h17-1000-w40", 20, 1000, 103, ruleset="county-2017", women=40),
    Instance("h17-2000-w80", 40, 2000, 104, ruleset="county-2017", women=80),
    Instance("hxx-1000-k4", 20, 1000, 103, generally=("D1-K4",)),
    Instance("hqi-1000-k4", 20, 1000, 103, ruleset="qiong-2011", generally=("D1-K4",)),
]
"""The hard classes: a county-wide `generally` rule the pool cannot meet (too few
women for county-2017's D5-K2; xx-2011's ladder D1-K4 made `generally`, whose
senior part no slate meets) and one it can only just meet (qiong-2011's ladder),
for each of the three presets."""
COUNTY = "c20-1000"
"""The county the targets are judged on."""
PROVINCE = Instance("p20-10x1000", 10, 1000, 200, counties=20)
"""A province of 20 counties, 10 townships and 1,000 cadres each: 200 townships,
20,000 cadres, solved county by county."""


def ensure(inst: Instance) -> list[Path]:
    """Generate the instance's folders if they are not stored yet."""
    from model.generator import generate_county
    from model.io import save_scenario

    for k, folder in enumerate(inst.folders()):
        if not (folder / "scenario.yaml").is_file():
            sc = generate_county(inst.townships, inst.cadres, inst.seed + k, ruleset=inst.ruleset)
            sc = variant(inst, sc)
            save_scenario(sc, folder, overwrite=True)
    return inst.folders()


def variant(inst: Instance, sc: Scenario) -> Scenario:
    """The hard variant the instance names: fewer women, rules made `generally`."""
    from model.enums import Gender, Strength
    from model.overrides import RuleOverride

    if inst.women is not None:
        women = sorted((c for c in sc.cadres if c.gender == Gender.female),
                       key=lambda c: (not c.is_sitting, c.id))
        keep = {c.id for c in women[: inst.women]}
        sc = sc.with_changes(cadres=tuple(
            c if c.gender != Gender.female or c.id in keep else c.model_copy(update={"gender": Gender.male})
            for c in sc.cadres))
    if inst.generally:
        sc = sc.with_changes(rules={r: RuleOverride(strength=Strength.generally) for r in inst.generally})
    return sc


if __name__ == "__main__":
    for inst in [*COUNTIES, *HARD, PROVINCE]:
        print(inst.name, len(ensure(inst)))
