"""Build ``src/tuopin/areas/data/alxa_areas.csv``, Alxa League's administrative tree.

Maintainer's tool, not runtime code. It imports ``opencc`` (package
``opencc-python-reimplemented``, used for the ``name_zh_hant`` column with the ``s2t``
profile) and ``pypinyin`` (used for ``name_latn``); run it in any environment that has
both, for example a throw-away virtualenv::

    python -m venv /tmp/areas
    /tmp/areas/bin/pip install opencc-python-reimplemented pypinyin
    /tmp/areas/bin/python scripts/build_alxa_areas.py          # rewrite the CSV
    /tmp/areas/bin/python scripts/build_alxa_areas.py --check  # exit 1 if stale

The output is deterministic: every name list below is data, nothing is random, and rows
are written in code order. Generated with opencc-python-reimplemented 0.1.7 and
pypinyin 0.55.0; a different version of either could change a transliteration, which
``--check`` reveals.

What is in the file:

* ``official`` rows: province, league, banners (incl. the development zone 152971) and
  the township level (苏木/镇/街道), copied from NBS 统计用区划代码 (2022-10 edition).
* village-level rows (嘎查/村/社区): the codes follow the NBS numbering (the 9 digits of
  the parent township + ``001``-``099`` for 社区, ``201``-``399`` for 嘎查/村) but are
  assigned here, not by NBS. Names listed as real (``real_name``) come from published
  lists; every other name is invented from Mongolian place-name morphology or, in the
  farming towns near Ningxia, in Han village style (``synthetic``).
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from opencc import OpenCC
from pypinyin import lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "src" / "tuopin" / "areas" / "data" / "alxa_areas.csv"

HEADER = [
    "code",
    "parent_code",
    "level",
    "kind",
    "name",
    "name_zh_hant",
    "name_latn",
    "provenance",
]

# NBS 统计用区划代码, 2022-10 edition (via modood/Administrative-divisions-of-China,
# dist/streets.csv; Ejina cross-checked with xzqh.org): code, parent code, level, name.
OFFICIAL = [
    ("150000000000", "", "province", "内蒙古自治区"),
    ("152900000000", "150000000000", "league", "阿拉善盟"),
    ("152921000000", "152900000000", "banner", "阿拉善左旗"),
    ("152922000000", "152900000000", "banner", "阿拉善右旗"),
    ("152923000000", "152900000000", "banner", "额济纳旗"),
    ("152971000000", "152900000000", "banner", "内蒙古阿拉善高新技术产业开发区"),
    ("152921102000", "152921000000", "sumu_town", "温都尔勒图镇"),
    ("152921105000", "152921000000", "sumu_town", "巴润别立镇"),
    ("152921110000", "152921000000", "sumu_town", "巴彦浩特镇"),
    ("152921111000", "152921000000", "sumu_town", "嘉尔嘎勒赛汉镇"),
    ("152921112000", "152921000000", "sumu_town", "吉兰泰镇"),
    ("152921113000", "152921000000", "sumu_town", "宗别立镇"),
    ("152921114000", "152921000000", "sumu_town", "敖伦布拉格镇"),
    ("152921115000", "152921000000", "sumu_town", "腾格里额里斯镇"),
    ("152921203000", "152921000000", "sumu_town", "巴彦木仁苏木"),
    ("152921213000", "152921000000", "sumu_town", "乌力吉苏木"),
    ("152921214000", "152921000000", "sumu_town", "巴彦诺日公苏木"),
    ("152921215000", "152921000000", "sumu_town", "额尔克哈什哈苏木"),
    ("152921216000", "152921000000", "sumu_town", "银根苏木"),
    ("152921217000", "152921000000", "sumu_town", "超格图呼热苏木"),
    ("152921401000", "152921000000", "sumu_town", "孪井滩生态移民示范区"),
    ("152921402000", "152921000000", "sumu_town", "额鲁特街道办事处"),
    ("152921403000", "152921000000", "sumu_town", "南环街道办事处"),
    ("152921404000", "152921000000", "sumu_town", "新华街道办事处"),
    ("152921405000", "152921000000", "sumu_town", "王府街道办事处"),
    ("152922103000", "152922000000", "sumu_town", "巴丹吉林镇"),
    ("152922104000", "152922000000", "sumu_town", "雅布赖镇"),
    ("152922105000", "152922000000", "sumu_town", "阿拉腾敖包镇"),
    ("152922211000", "152922000000", "sumu_town", "曼德拉苏木"),
    ("152922212000", "152922000000", "sumu_town", "阿拉腾朝格苏木"),
    ("152922213000", "152922000000", "sumu_town", "巴彦高勒苏木"),
    ("152922214000", "152922000000", "sumu_town", "塔木素布拉格苏木"),
    ("152923001000", "152923000000", "sumu_town", "航空街道"),
    ("152923002000", "152923000000", "sumu_town", "东风街道"),
    ("152923100000", "152923000000", "sumu_town", "达来呼布镇"),
    ("152923101000", "152923000000", "sumu_town", "东风镇"),
    ("152923102000", "152923000000", "sumu_town", "哈日布日格德音乌拉镇"),
    ("152923104000", "152923000000", "sumu_town", "策克镇"),
    ("152923200000", "152923000000", "sumu_town", "赛汉陶来苏木"),
    ("152923201000", "152923000000", "sumu_town", "马鬃山苏木"),
    ("152923202000", "152923000000", "sumu_town", "苏泊淖尔苏木"),
    ("152923203000", "152923000000", "sumu_town", "巴彦陶来苏木"),
    ("152923204000", "152923000000", "sumu_town", "温图高勒苏木"),
    ("152923205000", "152923000000", "sumu_town", "巴音陶海苏木"),
    ("152971100000", "152971000000", "sumu_town", "乌斯太镇"),
]

# Official English forms; every other romanisation is derived by latn().
LATN_FIXED = {
    "内蒙古自治区": "Inner Mongolia Autonomous Region",
    "阿拉善盟": "Alxa League",
    "阿拉善左旗": "Alxa Left Banner",
    "阿拉善右旗": "Alxa Right Banner",
    "额济纳旗": "Ejina Banner",
    "内蒙古阿拉善高新技术产业开发区": "Alxa High-tech Industrial Development Zone",
    "孪井滩生态移民示范区": "Luanjingtan Ecological Migration Demonstration Zone",
}

# Longest suffix first: 街道办事处 before 街道.
GENERICS = [
    ("街道办事处", "Subdistrict"),
    ("街道", "Subdistrict"),
    ("苏木", "Sumu"),
    ("社区", "Community"),
    ("嘎查", "Gacha"),
    ("镇", "Town"),
    ("村", "Village"),
]

# Readings pypinyin gets wrong for transliterated Mongolian and these place names
# (its defaults: 都 dou, 勒 lei, 长 zhang, 泊 po, 什 shen, 藏 cang).
PINYIN_OVERRIDES = {
    "都": "du",
    "勒": "le",
    "长": "chang",
    "泊": "bo",
    "什": "shi",
    "藏": "zang",
}

# Village level, per township code (9 digits): communities, then gaqa, then villages.
# Each list is (name without generic, provenance); R = real_name, S = synthetic.
R = "real_name"
S = "synthetic"


def _names(text: str, provenance: str) -> list[tuple[str, str]]:
    return [(name, provenance) for name in text.split()]


VILLAGE_LEVEL: dict[str, dict[str, list[tuple[str, str]]]] = {
    # --- 阿拉善左旗 152921 ---
    # 温都尔勒图镇: farming and herding, Han villages towards the Yellow River
    "152921102": {
        "gaqa": _names("温都尔呼都格 查干布拉格 乌兰哈达 额日布盖图 宝格德乌拉", S),
        "village": _names("头道湖 红井 二道井 新地", S),
    },
    "152921105": {  # 巴润别立镇: 12 嘎查 + 2 社区, all published names
        "community": _names("腰坝 巴彦扎木", R),
        "gaqa": _names(
            "图日根 塔塔水 白石头 巴彦宝格德 科泊那木格 铁木日乌德 沙日霍德 岗格 "
            "阿拉腾塔拉 孟根塔拉 上海 巴彦朝格图",
            R,
        ),
    },
    "152921110": {  # 巴彦浩特镇: league seat
        "community": _names("定远营 延福 贺兰 巴彦", S),
        "gaqa": _names("乌兰布拉格 查干高勒 巴音敖包 呼和陶勒盖", S),
    },
    "152921111": {  # 嘉尔嘎勒赛汉镇
        "gaqa": _names(
            "巴彦呼都格 查干陶来 乌兰敖包 呼和布拉格 阿拉腾乌拉 宝格德温都尔 "
            "额日布盖高勒 图古日格 苏海图",
            S,
        ),
    },
    "152921112": {  # 吉兰泰镇: salt lake town
        "community": _names("兰泰", S),
        "gaqa": _names("巴彦乌拉 查干呼都格 乌兰陶来 呼和淖尔", S),
        "village": _names("盐湖 沙井 红柳", S),
    },
    "152921113": {  # 宗别立镇: next to Ningxia, Han villages
        "gaqa": _names("巴彦敖包 沙日布拉格 哈日淖尔 宝格德塔拉", S),
        "village": _names("黄渠 新井 沙湾 马场井", S),
    },
    "152921114": {  # 敖伦布拉格镇
        "community": _names("敖伦", S),
        "gaqa": _names(
            "巴音乌拉 乌兰温都尔 查干温都尔 呼和陶来 阿拉腾布拉格 额日布盖陶来 "
            "宝日敖包 哈日呼都格 苏海淖尔",
            S,
        ),
    },
    "152921115": {  # 腾格里额里斯镇: desert lakes
        "gaqa": _names(
            "伊和淖尔 巴嘎淖尔 乌兰淖尔 沙日淖尔 阿拉腾陶来 宝格德呼都格 巴音高勒 "
            "图古日格淖尔 温都尔塔拉",
            S,
        ),
    },
    "152921203": {  # 巴彦木仁苏木
        "gaqa": _names(
            "巴彦木仁 乌兰塔拉 查干塔拉 呼和高勒 阿拉腾敖包 宝格德布拉格 额日布盖塔拉 巴音哈达",
            S,
        ),
    },
    "152921213": {  # 乌力吉苏木
        "gaqa": _names(
            "乌力吉图 巴彦塔拉 查干乌拉 乌兰高勒 呼和温都尔 阿拉腾呼都格 苏海陶来 宝日布拉格",
            S,
        ),
    },
    "152921214": {  # 巴彦诺日公苏木
        "gaqa": _names(
            "巴彦诺日公 乌兰乌拉 查干敖包 呼和塔拉 阿拉腾淖尔 宝格德陶来 德日斯图 "
            "额日布盖呼都格 温都尔乌拉",
            S,
        ),
    },
    "152921215": {  # 额尔克哈什哈苏木
        "gaqa": _names(
            "额尔克 巴音陶来 乌兰呼热 查干呼热 呼和呼都格 阿拉腾高勒 宝格德敖包 "
            "苏海呼都格 温都尔淖尔",
            S,
        ),
    },
    "152921216": {  # 银根苏木
        "gaqa": _names(
            "银根 巴彦哈达 乌兰陶勒盖 查干陶勒盖 呼和敖包 孟根高勒 宝日陶来 额日布盖敖包",
            S,
        ),
    },
    "152921217": {  # 超格图呼热苏木
        "gaqa": _names(
            "超格图 巴音温都尔 乌兰布日德 查干布日德 呼和哈达 阿拉腾乌苏 宝格德高勒 "
            "孟根乌拉 沙日陶来",
            S,
        ),
    },
    "152921401": {  # 孪井滩生态移民示范区: resettled farming villages
        "village": _names("孪井 治沙 通湖 草井 长流水 沙坡 甘泉 富民", S),
    },
    "152921402": {  # 额鲁特街道
        "community": _names("额鲁特 阿拉腾 格日勒 乌兰 和平 幸福", S),
    },
    "152921403": {  # 南环街道
        "community": _names("南环 通达 安居 丰泽 锦华", S),
    },
    "152921404": {  # 新华街道
        "community": _names("新华 华兴 建设 繁荣 文化 东方", S),
    },
    "152921405": {  # 王府街道
        "community": _names("王府 牌楼 福寿 和顺 宝格德", S),
    },
    # --- 阿拉善右旗 152922: 7 苏木镇, 40 嘎查, 9 社区 ---
    "152922103": {  # 巴丹吉林镇: banner seat
        "community": _names("阳光 长山 泰隆 团结 满达", R) + _names("驼乡 金沙", S),
        "gaqa": _names("额肯呼都格 巴音博日格 阿日毛道 巴彦高勒", R) + _names("诺尔图 毛都图", S),
    },
    "152922104": {  # 雅布赖镇
        "community": _names("盐场", S),
        "gaqa": _names("努日盖", R) + _names("巴音布日德 查干朝鲁 乌兰朝鲁 哈日陶来", S),
    },
    "152922105": {  # 阿拉腾敖包镇
        "community": _names("敖包", S),
        "gaqa": _names("固日班图拉格 阿拉腾图雅", R)
        + _names("巴彦温都尔 查干浩来 乌兰呼都格 孟根布拉格 额日布盖淖尔", S),
    },
    "152922211": {  # 曼德拉苏木
        "gaqa": _names("巴音呼都格 呼德呼都格", R)
        + _names("查干德日斯 萨仁淖尔 宝格德浩来 孟根陶来", S),
    },
    # 阿拉腾朝格苏木 (阿拉腾塔拉: named in a 2021 article that gives no sumu)
    "152922212": {
        "gaqa": _names("呼和乌拉 阿拉腾塔拉", R) + _names("巴彦朝鲁 查干哈达 那仁乌拉", S),
    },
    "152922213": {  # 巴彦高勒苏木
        "gaqa": _names("巴音乌兰 查干毛都 呼和乌苏 阿拉腾哈达 额日布盖乌苏", S),
    },
    "152922214": {  # 塔木素布拉格苏木
        "gaqa": _names("塔木素 巴彦德日斯 乌兰宝力格 查干宝力格 宝日呼都格 图古日格乌拉", S),
    },
    # --- 额济纳旗 152923 ---
    "152923001": {  # 航空街道
        "community": _names("蓝天 航天 银河", S),
    },
    "152923002": {  # 东风街道
        "community": _names("东风 胡杨 居延 弱水", S),
    },
    "152923100": {  # 达来呼布镇: banner seat
        "community": _names("达来 金秋 绿洲", S),
        "gaqa": _names("那仁宝勒格 查干波日格 乌苏荣贵 乌兰格日勒", R) + _names("陶来高勒", S),
    },
    "152923101": {  # 东风镇: gaqa of the former 巴彦宝格德苏木 (merged 2006)
        "gaqa": _names("宝日乌拉 额很查干 珠斯冷陶来 查干淖尔", R),
    },
    "152923102": {  # 哈日布日格德音乌拉镇
        "gaqa": _names("哈日乌拉 巴音毛都", S),
    },
    "152923104": {  # 策克镇
        "gaqa": _names("额尔敦陶来", S),
    },
    "152923200": {  # 赛汉陶来苏木
        "gaqa": _names("赛汉陶来 赛汉淖尔 巴音塔拉 孟格图 藏查干", R),
    },
    "152923201": {  # 马鬃山苏木
        "gaqa": _names("宝日哈达 沙日乌苏", S),
    },
    "152923202": {  # 苏泊淖尔苏木
        "gaqa": _names("乌兰图格 伊布图 策克", R) + _names("萨仁陶来", S),
    },
    "152923203": {  # 巴彦陶来苏木
        "gaqa": _names("伊和陶来 巴嘎陶来 额尔敦高勒", S),
    },
    "152923204": {  # 温图高勒苏木
        "gaqa": _names("沙日高勒 那仁高勒", S),
    },
    "152923205": {  # 巴音陶海苏木
        "gaqa": _names("查干陶海 巴音淖尔", S),
    },
    # --- 内蒙古阿拉善高新技术产业开发区 152971 ---
    "152971100": {  # 乌斯太镇
        "community": _names("太西 宏达 乌斯太", S),
        "gaqa": _names("图门敖包 沙日朝鲁", S),
    },
}

SUFFIX = {"community": "社区", "gaqa": "嘎查", "village": "村"}
FIRST_NUMBER = {"community": 1, "gaqa": 201}


def sumu_town_kind(name: str) -> str:
    if name.endswith(("街道", "街道办事处")):
        return "subdistrict"
    if name.endswith("苏木"):
        return "sumu"
    if name.endswith("镇"):
        return "town"
    return "other"


def official_kind(level: str, code: str, name: str) -> str:
    if level == "sumu_town":
        return sumu_town_kind(name)
    if level == "banner" and code == "152971000000":
        return "development_zone"
    return level


def latn(name: str) -> str:
    """Romanise: the official English form, or toneless pinyin plus English generic."""
    if name in LATN_FIXED:
        return LATN_FIXED[name]
    for suffix, english in GENERICS:
        if name.endswith(suffix):
            proper, generic = name[: -len(suffix)], english
            break
    else:
        raise ValueError(f"no generic suffix in {name!r}")
    syllables = lazy_pinyin(proper, v_to_u=True)
    if len(syllables) != len(proper):
        raise ValueError(f"non-Han character in {name!r}")
    syllables = [
        PINYIN_OVERRIDES.get(char, syl) for char, syl in zip(proper, syllables, strict=True)
    ]
    # Pinyin orthography: an apostrophe before a syllable starting with a, o or e
    # (巴音敖包 Bayin'aobao, not Bayinaobao).
    word = syllables[0] + "".join("'" + syl if syl[0] in "aoe" else syl for syl in syllables[1:])
    return f"{word.capitalize()} {generic}"


def build_rows() -> list[dict[str, str]]:
    to_hant = OpenCC("s2t")
    rows = []

    def add(code: str, parent: str, level: str, kind: str, name: str, provenance: str) -> None:
        rows.append(
            {
                "code": code,
                "parent_code": parent,
                "level": level,
                "kind": kind,
                "name": name,
                "name_zh_hant": to_hant.convert(name),
                "name_latn": latn(name),
                "provenance": provenance,
            }
        )

    for code, parent, level, name in OFFICIAL:
        add(code, parent, level, official_kind(level, code, name), name, "official")

    for prefix, groups in VILLAGE_LEVEL.items():
        parent = prefix + "000"
        community_number = FIRST_NUMBER["community"]
        village_number = FIRST_NUMBER["gaqa"]
        for kind in ("community", "gaqa", "village"):
            for stem, provenance in groups.get(kind, []):
                if kind == "community":
                    number, community_number = community_number, community_number + 1
                else:
                    number, village_number = village_number, village_number + 1
                add(
                    f"{prefix}{number:03d}",
                    parent,
                    "village",
                    kind,
                    stem + SUFFIX[kind],
                    provenance,
                )

    rows.sort(key=lambda row: row["code"])
    validate(rows)
    return rows


def _require(condition: bool, detail: object) -> None:
    if not condition:
        raise ValueError(f"alxa_areas invariant broken: {detail}")


def validate(rows: list[dict[str, str]]) -> None:
    """Fail loudly if the tree breaks an invariant the application relies on."""
    by_code = {row["code"]: row for row in rows}
    _require(len(by_code) == len(rows), "duplicate code")
    parent_level = {
        "league": "province",
        "banner": "league",
        "sumu_town": "banner",
        "village": "sumu_town",
    }
    for row in rows:
        _require(len(row["code"]) == 12 and row["code"].isdigit(), row)
        _require(all(row[column] for column in HEADER if column != "parent_code"), row)
        if row["level"] == "province":
            _require(row["parent_code"] == "", row)
            continue
        _require(row["parent_code"] in by_code, row)
        parent = by_code[row["parent_code"]]
        _require(parent["level"] == parent_level[row["level"]], row)
        if row["level"] == "village":
            _require(row["code"][:9] == row["parent_code"][:9], row)
            number = int(row["code"][9:])
            if row["kind"] == "community":
                _require(1 <= number <= 99, row)
            else:
                _require(201 <= number <= 399, row)
                _require(parent["kind"] != "subdistrict", row)
    villages = [row for row in rows if row["level"] == "village"]
    names_per_parent = {(row["parent_code"], row["name"]) for row in villages}
    _require(len(names_per_parent) == len(villages), "duplicate name within a township")
    # Invented names must not be mistaken for a real place elsewhere in the league.
    real = {row["name"] for row in villages if row["provenance"] == "real_name"}
    synthetic = [row["name"] for row in villages if row["provenance"] == "synthetic"]
    _require(len(set(synthetic)) == len(synthetic), "synthetic name used twice")
    _require(not real.intersection(synthetic), "synthetic name equals a real one")
    # Published counts: 198 嘎查村 league-wide; 阿拉善右旗 40 嘎查 and 9 社区.
    gaqa_villages = sum(row["kind"] in ("gaqa", "village") for row in villages)
    _require(gaqa_villages == 198, f"{gaqa_villages} gaqa/villages, expected 198")
    right = [row for row in villages if row["code"].startswith("152922")]
    right_gaqa = sum(row["kind"] == "gaqa" for row in right)
    right_communities = sum(row["kind"] == "community" for row in right)
    _require(right_gaqa == 40, f"阿拉善右旗 has {right_gaqa} gaqa, expected 40")
    _require(
        right_communities == 9,
        f"阿拉善右旗 has {right_communities} communities, expected 9",
    )
    # The seed articles name 赛汉陶来嘎查 as the league committee's assistance point.
    _require(
        by_code["152923200201"]["name"] == "赛汉陶来嘎查",
        "152923200201 is not 赛汉陶来嘎查",
    )


def render(rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=HEADER, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file differs")
    args = parser.parse_args()
    text = render(build_rows())
    if args.check:
        current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
        if current != text:
            print(f"{args.output} is out of date", file=sys.stderr)
            return 1
        return 0
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8", newline="")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
