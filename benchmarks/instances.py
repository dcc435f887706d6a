"""The benchmark instances: generated once by `huanjie generate`'s code with fixed
seeds and stored under benchmarks/instances/, so every run reads the same files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
STORE = HERE / "instances"


@dataclass(frozen=True)
class Instance:
    name: str
    townships: int
    cadres: int
    seed: int
    counties: int = 1

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
            sc = generate_county(inst.townships, inst.cadres, inst.seed + k)
            save_scenario(sc, folder, overwrite=True)
    return inst.folders()


if __name__ == "__main__":
    for inst in [*COUNTIES, PROVINCE]:
        print(inst.name, len(ensure(inst)))
