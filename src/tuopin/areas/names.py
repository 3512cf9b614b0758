"""Traditional-Chinese and romanised forms of area names, for names given only in zh-Hans."""

from __future__ import annotations

from functools import lru_cache

from opencc import OpenCC
from pypinyin import Style, lazy_pinyin

# Generic parts of a unit's name and how the romanised form renders them, longest first.
_GENERICS = [
    ("街道办事处", "Subdistrict"),
    ("生态移民示范区", "Ecological Resettlement Zone"),
    ("自治区", "Autonomous Region"),
    ("开发区", "Development Zone"),
    ("街道", "Subdistrict"),
    ("苏木", "Sumu"),
    ("嘎查", "Gacha"),
    ("社区", "Community"),
    ("左旗", "Left Banner"),
    ("右旗", "Right Banner"),
    ("盟", "League"),
    ("旗", "Banner"),
    ("镇", "Town"),
    ("乡", "Township"),
    ("村", "Village"),
    ("组", "Group"),
    ("市", "City"),
    ("县", "County"),
    ("省", "Province"),
]


@lru_cache(maxsize=1)
def _converter() -> OpenCC:
    return OpenCC("s2t")


def to_hant(name: str) -> str:
    """``name`` in Traditional Chinese characters."""
    return str(_converter().convert(name))


def to_latn(name: str) -> str:
    """``name`` romanised: Hanyu Pinyin of the proper name and an English generic."""
    for generic, english in _GENERICS:
        if name.endswith(generic) and len(name) > len(generic):
            stem = name[: -len(generic)]
            return f"{_pinyin(stem)} {english}"
    return _pinyin(name)


def _pinyin(text: str) -> str:
    syllables = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    return "".join(syllables).capitalize()
