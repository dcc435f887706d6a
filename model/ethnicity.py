"""The 56 ethnic groups (民族) of China, by the Chinese-language names of GB 3304.

A 民族 cell or a township's 民族乡民族 is checked against this list: a misspelt
name would otherwise count as a minority of its own (D1-C3) or make an ethnic
township's head seat impossible to fill (D1-E5). The convention of the list:
族 is part of the name but staff often leave it off (苗 = 苗族), and a cell typed
in traditional characters (漢族, 維吾爾族) names the same group.
"""

from __future__ import annotations

import difflib

HAN = "汉族"

ETHNIC_GROUPS: tuple[str, ...] = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族",
    "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族",
    "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
"""In the order and spelling of GB 3304 (codes 01 to 56)."""

_TRADITIONAL = str.maketrans({
    "漢": "汉", "維": "维", "爾": "尔", "壯": "壮", "鮮": "鲜", "滿": "满", "瑤": "瑶", "薩": "萨",
    "東": "东", "鄉": "乡", "納": "纳", "頗": "颇", "達": "达", "錫": "锡", "烏": "乌", "別": "别",
    "羅": "罗", "溫": "温", "獨": "独", "龍": "龙", "倫": "伦", "門": "门", "諾": "诺", "畬": "畲",
})
"""The traditional (and variant: 畬) characters of the 56 names, to the simplified ones of GB 3304."""

_ALIASES = {"僮族": "壮族", "han": HAN}
"""Older or Latin names: 僮族 was 壮族's name until 1965."""


def ethnic_group(text: str) -> str:
    """The GB 3304 name written by `text` (苗 -> 苗族, 漢族 -> 汉族); a ValueError saying what
    is expected when it names none of the 56."""
    raw = text.strip()
    name = raw.translate(_TRADITIONAL).replace(" ", "")
    name = _ALIASES.get(name.lower(), name)
    full = name if name.endswith("族") else name + "族"
    full = _ALIASES.get(full, full)
    if full in ETHNIC_GROUPS:
        return full
    hint = difflib.get_close_matches(full, ETHNIC_GROUPS, n=1, cutoff=0.6)
    guess = f"did you mean {hint[0]}? " if hint else ""
    raise ValueError(f"not one of the 56 ethnic groups of GB 3304; {guess}write the group's name, "
                     "e.g. 汉族, 苗族 or 苗 (族 may be left off)")


