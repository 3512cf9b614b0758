"""A seeded, deterministic generator of realistic Alxa households, at any scale.

Streams household-file records (``ParsedHousehold``) one household at a time, so memory
stays constant up to millions of households. The same seed gives the same households.
Everything it makes is synthetic.
"""

from __future__ import annotations

import csv
import datetime
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tuopin.areas.services import REFERENCE_TREE
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.importers.household_file import ParsedHousehold
from tuopin.registry.services import MemberInput

HAN_SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
HAN_GIVEN = list(
    "建国华明军平志文玉英秀兰芳海涛强伟静丽红梅霞亮辉斌春燕勇杰娟桂凤林峰新宏云龙宝福顺"
)
MONGOLIAN_MALE = [
    "巴特尔",
    "巴图",
    "阿拉坦",
    "孟恩",
    "阿尔斯楞",
    "布日固德",
    "苏和",
    "必勒格",
    "莫日根",
    "巴雅尔",
    "吉日格拉",
    "白音",
    "布和",
    "额尔敦",
    "乃仁台",
    "毕力格图",
    "道尔吉",
    "扎布",
    "尼玛",
    "桑布",
    "达尔扎",
    "宝音扎布",
    "敖特根巴特尔",
    "巴图吉日格勒",
    "特木尔",
]
MONGOLIAN_FEMALE = [
    "娜仁",
    "萨仁",
    "敖登",
    "其其格",
    "其木格",
    "塔娜",
    "哈斯",
    "高娃",
    "乌云",
    "斯琴",
    "格日乐",
    "图雅",
    "阿拉坦其其格",
    "乌云其其格",
    "萨仁高娃",
    "巴依尔其木格",
    "宝花",
]
MONGOLIAN_SURNAMES = ["包", "鲍", "奇", "白", "韩"]
PREFIXES = ["152921", "152922", "152923"]
CAUSES = [
    "illness",
    "disability",
    "schooling",
    "disaster",
    "water",
    "skills",
    "labour",
    "capital",
    "transport",
]
CAUSE_WEIGHTS = [28, 14, 10, 6, 8, 9, 12, 9, 4]


@dataclass(frozen=True)
class Village:
    code: str
    banner_prefix: str
    pastoral: bool  # a sumu's gaqa: herding, more Mongolian families


def _money(value: float) -> Decimal:
    return Decimal(max(0, round(value))).quantize(Decimal("0.01"))


class Generator:
    """Households for the given villages; ``households(n)`` streams them in code order."""

    def __init__(
        self, villages: Sequence[Village], *, seed: int = 2014, income_year: int = 2025
    ) -> None:
        if not villages:
            raise ValueError("no villages to place households in")
        self.villages = list(villages)
        self.seed = seed
        self.income_year = income_year
        self._serials: dict[tuple[str, datetime.date, int], int] = defaultdict(int)

    def _id_number(self, prefix: str, birth: datetime.date, male: bool) -> str:
        # The three-digit sequence is odd for men, even for women. Each seed starts its
        # sequence at its own offset, so data sets of different seeds can share a database;
        # a day whose 500 numbers of one sex are used up spills to the next day.
        offset = (self.seed * 97) % 500
        while True:
            key = (prefix, birth, male)
            count = self._serials[key]
            if count < 500:
                self._serials[key] = count + 1
                serial = 2 * ((count + offset) % 500) + (1 if male else 0)
                first17 = f"{prefix}{birth:%Y%m%d}{serial:03d}"
                return first17 + check_digit(first17)
            birth += datetime.timedelta(days=1)

    def _birth(self, rng: random.Random, age: int) -> datetime.date:
        year = self.income_year - age
        return datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))

    def _name(self, rng: random.Random, mongolian: bool, male: bool, surname: str) -> str:
        if mongolian:
            pool = MONGOLIAN_MALE if male else MONGOLIAN_FEMALE
            name = rng.choice(pool)
            return (surname + name) if surname and rng.random() < 0.5 else name
        return surname + "".join(rng.choice(HAN_GIVEN) for _ in range(rng.choice((1, 2))))

    def _member(  # type: ignore[no-untyped-def]
        self, rng, prefix, relation, age, male, *, mongolian, surname
    ) -> MemberInput:
        birth = self._birth(rng, age)
        id_number = self._id_number(prefix, birth, male)
        if 6 <= age <= 15:
            schooling = (
                "dropped_out" if rng.random() < 0.003 else ("primary" if age < 12 else "junior")
            )
            education = "primary" if age < 12 else "junior"
        elif age < 6:
            schooling, education = ("preschool" if age >= 3 else "not_in_school"), "preschool_age"
        else:
            schooling = "senior" if age <= 18 and rng.random() < 0.7 else "not_in_school"
            education = rng.choices(
                ["illiterate", "primary", "junior", "senior", "vocational", "college"],
                [8 if age > 55 else 2, 30, 35, 15, 6, 6],
            )[0]
        health = rng.choices(["healthy", "chronic", "serious", "disabled"], [78, 14, 3, 5])[0]
        if age < 16 or age > 70:
            labour = "none"
        elif health in {"serious", "disabled"} and rng.random() < 0.6:
            labour = "lost"
        else:
            labour = rng.choices(["ordinary", "skilled"], [80, 20])[0]
        return MemberInput(
            name=self._name(rng, mongolian, male, surname),
            id_number=id_number,
            relation=relation,
            sex="male" if male else "female",
            # The ID's own date: a full day of numbers moves a birth to the next day.
            birth_date=datetime.date(
                int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
            ),
            ethnicity="蒙古族" if mongolian else ("回族" if surname == "马" else "汉族"),
            education=education,
            schooling=schooling,
            health=health,
            labour=labour,
            medical_insured=rng.random() > 0.004,
            pension_insured=age >= 16 and rng.random() > 0.05,
        )

    def household(self, index: int) -> ParsedHousehold:
        """Household number ``index``. Call in order: ID numbers are numbered as they are made,
        so ``households(n)`` is deterministic for a seed."""
        rng = random.Random(f"{self.seed}:{index}")
        village = self.villages[rng.randrange(len(self.villages))]
        mongolian = rng.random() < (0.55 if village.pastoral else 0.15)
        surname = (
            rng.choice(MONGOLIAN_SURNAMES)
            if mongolian and rng.random() < 0.3
            else ""
            if mongolian
            else rng.choice(HAN_SURNAMES)
        )
        head_age = rng.randint(28, 78)
        head_male = rng.random() < 0.82
        members = [
            self._member(
                rng,
                village.banner_prefix,
                "head",
                head_age,
                head_male,
                mongolian=mongolian,
                surname=surname,
            )
        ]
        if head_age < 75 and rng.random() < 0.8:
            members.append(
                self._member(
                    rng,
                    village.banner_prefix,
                    "spouse",
                    max(20, head_age + rng.randint(-5, 3)),
                    not head_male,
                    mongolian=mongolian,
                    surname="" if mongolian else rng.choice(HAN_SURNAMES),
                )
            )
        for _child in range(rng.choices([0, 1, 2, 3], [20, 40, 32, 8])[0]):
            age = max(0, min(head_age - 20, rng.randint(0, 30)))
            male = rng.random() < 0.52
            members.append(
                self._member(
                    rng,
                    village.banner_prefix,
                    "son" if male else "daughter",
                    age,
                    male,
                    mongolian=mongolian,
                    surname=surname,
                )
            )
        if head_age < 50 and rng.random() < 0.15:
            members.append(
                self._member(
                    rng,
                    village.banner_prefix,
                    "mother",
                    head_age + rng.randint(22, 30),
                    False,
                    mongolian=mongolian,
                    surname="" if mongolian else rng.choice(HAN_SURNAMES),
                )
            )
        household_type = rng.choices(["tuopin", "ordinary"], [35, 65])[0]
        workers = sum(1 for m in members if m.labour in {"ordinary", "skilled"})
        herding = village.pastoral and rng.random() < 0.7
        business = rng.lognormvariate(9.6 if herding else 8.9, 0.6) * (1 + 0.3 * workers)
        wage = sum(
            rng.lognormvariate(9.7, 0.5)
            for m in members
            if m.labour in {"ordinary", "skilled"} and rng.random() < 0.45
        )
        transfer = rng.lognormvariate(8.2, 0.5) * (
            1.6 if herding else 1.0
        )  # grassland eco-compensation
        property_income = rng.lognormvariate(6.5, 1.0) if rng.random() < 0.2 else 0
        costs = business * rng.uniform(0.3, 0.45)
        if household_type == "tuopin":
            business *= 0.7
            wage *= 0.7
        grade = rng.choices("ABCD", [62, 35, 2.5, 0.5])[0]
        water_ok = lambda: rng.random() > 0.01  # noqa: E731
        return ParsedHousehold(
            code=f"{village.code}{self.seed % 10000:04d}{index:07d}",
            area_code=village.code,
            household_type=household_type,
            tuopin_year=rng.choice(range(2014, 2021)) if household_type == "tuopin" else None,
            attribute=rng.choices(["general", "dibao", "tekun"], [75, 20, 5])[0]
            if household_type == "tuopin"
            else "",
            main_cause=rng.choices(CAUSES, CAUSE_WEIGHTS)[0] if household_type == "tuopin" else "",
            income_year=self.income_year,
            wage_income=_money(wage),
            business_income=_money(business),
            property_income=_money(property_income),
            transfer_income=_money(transfer),
            business_costs=_money(costs),
            compliant_expenses=_money(rng.lognormvariate(8.5, 0.8))
            if rng.random() < 0.1
            else Decimal("0.00"),
            food_clothing=rng.random() > 0.002,
            housing_grade=grade,
            water_quantity=water_ok(),
            water_quality=water_ok(),
            water_access=water_ok(),
            water_reliability=water_ok(),
            monitor_type="",
            monitor_since=None,
            measures=0,
            members=members,
        )

    def households(self, count: int, *, start: int = 0) -> Iterator[ParsedHousehold]:
        for index in range(start, start + count):
            yield self.household(index)


def reference_villages() -> list[Village]:
    """The gaqa and villages of the shipped Alxa tree (communities hold no rural households)."""
    with REFERENCE_TREE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kinds = {row["code"]: row["kind"] for row in rows}
    return [
        Village(
            code=row["code"],
            banner_prefix=row["code"][:6] if row["code"][:6] in PREFIXES else "152921",
            pastoral=kinds.get(row["parent_code"]) == "sumu",
        )
        for row in rows
        if row["level"] == "village" and row["kind"] in {"gaqa", "village"}
    ]
