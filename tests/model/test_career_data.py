"""The career facts of a cadre (成长地, 参加工作时间, 入党时间, 亲属关系): read, checked, written back."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from model.enums import Kinship
from model.errors import InputErrors
from model.io import load_scenario, save_scenario
from model.people import Relative
from tests.factory import cadre, scenario, township


def test_a_relative_reads_from_a_cell_item_in_either_form() -> None:
    """'g2:夫妻', 'g2：夫妻' and 'g2(近姻亲)' name the cadre and the kind; other text is refused."""
    assert Relative.model_validate("g2:夫妻") == Relative(cadre="g2", kind=Kinship.spouse)
    assert Relative.model_validate("g2：配偶").kind == Kinship.spouse
    assert Relative.model_validate("g2(近姻亲)") == Relative(cadre="g2", kind=Kinship.in_law)
    assert str(Relative(cadre="g2", kind=Kinship.direct_blood)) == "g2:直系血亲"
    with pytest.raises(ValueError, match="like g0012:夫妻"):
        Relative.model_validate("夫妻")


def test_career_facts_round_trip_through_a_scenario_folder(tmp_path: Path) -> None:
    """The four columns are written with Chinese headers and read back to the same scenario."""
    sc = scenario([township("t1")], [
        cadre("g1", hometown="t1", work_since=date(2005, 7, 1), party_since=date(2008, 6, 30),
              relatives=("g2:夫妻",)),
        cadre("g2", relatives=("g1(夫妻)", "g3:三代以内旁系血亲")),
        cadre("g3"),
    ])
    save_scenario(sc, tmp_path / "c")
    header = (tmp_path / "c" / "cadres.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert header.endswith("成长地,参加工作时间,入党时间,亲属关系")
    assert load_scenario(tmp_path / "c") == sc


def test_a_relative_outside_the_pool_or_oneself_is_an_input_error() -> None:
    """A relation names a cadre of the pool, and not the cadre itself."""
    with pytest.raises(InputErrors) as e:
        scenario([township("t1")], [cadre("g1", relatives=("g9:夫妻", "g1:直系血亲"))])
    messages = [err.message for err in e.value.errors]
    assert any("no cadre of the pool has this id" in m for m in messages)
    assert any("no relative of themselves" in m for m in messages)


def test_party_and_work_dates_are_bounded_like_the_other_dates() -> None:
    """Joining the party after the reshuffle date is refused with the reason."""
    with pytest.raises(InputErrors, match="party membership taken after the reshuffle date"):
        scenario([township("t1")], [cadre("g1", party_since=date(2030, 1, 1))])
