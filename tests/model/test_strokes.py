"""The stroke table (model/strokes.py): known orders, the two conventions, unknown characters."""

from __future__ import annotations

import pytest

from model.strokes import Convention, UnknownCharacter, name_key, rank, split_name, table


def test_known_stroke_orders_hold() -> None:
    """丁 < 于 < 万 < 上 < 马 < 王 < 韦 < 毛 < 方; 林 < 欧; 王 < 文 (GF 3003-1999 order)."""
    chain = "丁于万上马王韦毛方"
    assert [rank(c) for c in chain] == sorted(rank(c) for c in chain)
    assert rank("林") < rank("欧")
    assert rank("王") < rank("文")


def test_the_table_is_cn_sorts_cjk_characters_each_once() -> None:
    """About 20,900 characters, one rank each, simplified and traditional alike."""
    t = table()
    assert len(t) == 20897
    assert len(set(t.values())) == len(t)
    assert "鑿" in t and "凿" in t


def test_surname_convention_reads_a_blank_first() -> None:
    """姓氏笔画: 高富 (read 高　富) comes before 高大富."""
    assert sorted(["高大富", "高富"], key=name_key) == ["高富", "高大富"]


def test_fullname_convention_has_no_blank() -> None:
    """姓名笔画: 高大富 before 高富 (大 has fewer strokes than 富)."""
    assert sorted(["高富", "高大富"], key=lambda n: name_key(n, Convention.fullname)) == ["高大富", "高富"]


def test_compound_surname_is_one_surname() -> None:
    """欧阳明 is read 欧阳 + 明 and sorts after every 欧 (a shorter surname ends first)."""
    assert split_name("欧阳明") == ("欧阳", "明")
    assert split_name("欧阳") == ("欧", "阳")
    assert sorted(["欧阳明", "欧大明", "欧明"], key=name_key) == ["欧明", "欧大明", "欧阳明"]


def test_unknown_character_names_the_name_and_the_character() -> None:
    """A character outside the table fails with the name, the character and what to do."""
    with pytest.raises(UnknownCharacter) as e:
        name_key("张𠀋")
    assert e.value.name == "张𠀋" and e.value.char == "𠀋"
    assert "张𠀋" in str(e.value) and "U+2000B" in str(e.value) and "add" in str(e.value)


def test_middle_dots_of_transcribed_names_are_skipped() -> None:
    """阿依·买买提 sorts as 阿依买买提."""
    assert name_key("阿依·买买提", Convention.fullname) == name_key("阿依买买提", Convention.fullname)
