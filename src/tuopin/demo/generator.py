"""A seeded, deterministic generator of realistic Alxa households and their history, at any scale.

Each household is drawn as a *life* (``HouseholdLife``): who belonged to it when (births, deaths,
marriages), its registry status from identification in 2014 to exit, its yearly incomes by
activity and its yearly living conditions from 2014 to 2025, relocation and monitoring spells
from 2020. ``Generator.households`` streams one snapshot per household (a household-file record,
``ParsedHousehold``) in constant memory, up to millions of households; ``alxa_plan`` fixes the
Alxa demonstration data set so that the registry's own statistics reproduce published figures.
The same seed gives the same households. Everything it makes is synthetic.
"""

from __future__ import annotations

import bisect
import csv
import datetime
import itertools
import random
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuopin.areas.services import REFERENCE_TREE
from tuopin.registry.choices import MembershipReason, MonitorType, RegistryStatus
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


DAY = datetime.timedelta(days=1)
REGISTERED_ON = datetime.date(2014, 10, 31)  # the 2014 建档立卡 drive ended in October
# Households are composed as of this day (the league's published count, 2020-11); history is
# drawn around it. Membership events fall in 2015–2019 and 2021–2025, never in 2020, so the
# households of the end of 2019 and of 2020-11-30 are the same people.
ANCHOR = datetime.date(2020, 11, 30)
FIRST_YEAR, LAST_YEAR = 2014, 2025
YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
# The national line (the default policy pack): a household exits with income above it.
POVERTY_LINE = {2014: 2800, 2015: 2855, 2016: 2952, 2017: 3335, 2018: 3535, 2019: 3747, 2020: 4000}
# 阿拉善右旗 reached zero incidence at the end of 2017 and both it and 阿拉善左旗 were lifted
# out (摘帽) in 2018; the other units kept exits up to 2020.
LAST_EXIT_YEAR = {"152921": 2018, "152922": 2017}


class Weighted:
    """A weighted draw that is quick to repeat millions of times (``random.choices`` builds
    lists on every call)."""

    def __init__(self, weights: dict[Any, float]) -> None:
        self.values = list(weights)
        self.cumulative = list(itertools.accumulate(weights.values()))
        self.total = self.cumulative[-1]

    def __call__(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect(self.cumulative, rng.random() * self.total)]


EXIT_WEIGHTS = {
    "152921": Weighted({2014: 12, 2015: 28, 2016: 30, 2017: 25, 2018: 5}),
    "152922": Weighted({2015: 30, 2016: 40, 2017: 30}),
}
DEFAULT_EXIT_WEIGHTS = Weighted(
    {2014: 10, 2015: 20, 2016: 20, 2017: 20, 2018: 15, 2019: 10, 2020: 5}
)
SIZE_WEIGHTS = Weighted({1: 12, 2: 30, 3: 27, 4: 18, 5: 8, 6: 4, 7: 1})


def _path(default: float, rates: dict[int, float] | None = None) -> dict[int, float]:
    """A component's level by year, 2014 = 1, from yearly growth rates."""
    level, out = 1.0, {FIRST_YEAR: 1.0}
    for year in range(FIRST_YEAR + 1, LAST_YEAR + 1):
        level *= 1 + (rates or {}).get(year, default)
        out[year] = level
    return out


# How each income source moved in Alxa, roughly: camel milk boomed from 2019, cashmere stayed
# flat, tourism collapsed in 2020 and 2022 and came back in 2023, grassland eco-compensation
# (草原生态补奖) stepped up with its second (2016) and third (2021) rounds.
GROWTH = {
    "camel": _path(0.08, {2019: 0.16, 2020: 0.12, 2021: 0.12}),
    "cashmere_goat": _path(0.03, {2016: -0.04, 2017: 0.0}),
    "farming": _path(0.05, {2016: 0.02}),
    "tourism": _path(0.1, {2020: -0.55, 2021: 0.35, 2022: -0.3, 2023: 0.95}),
    "desert_plants": _path(0.1),
    "wage": _path(0.08, {2020: 0.02}),
    "eco": _path(0.0, {2016: 0.3, 2021: 0.15}),
    "pension": _path(0.06),
    "property": _path(0.05, {2017: 0.5, 2018: 0.3}),
}
COST_SHARE = {
    "camel": 0.38,
    "cashmere_goat": 0.4,
    "farming": 0.45,
    "tourism": 0.3,
    "desert_plants": 0.3,
}
ACTIVITY_BASE = {  # lognormal mu, sigma of the 2014 gross income of the activity, yuan
    "camel": (9.3, 0.6),
    "cashmere_goat": (9.1, 0.5),
    "farming": (9.3, 0.5),
    "tourism": (9.0, 0.7),
    "desert_plants": (8.3, 0.6),
}
RISKS = {
    MonitorType.UNSTABLE_TUOPIN: ["因病", "因残", "因学", "务工就业不稳"],
    MonitorType.MARGINAL: ["因病", "产业项目失败", "务工就业不稳", "缺劳力"],
    MonitorType.SUDDEN_HARDSHIP: ["因灾", "因意外事故", "因病"],
}
SYNTHETIC = "（演示数据）"


@dataclass(frozen=True)
class Village:
    code: str
    banner_prefix: str
    pastoral: bool  # a sumu's gaqa: herding, more Mongolian families
    town: str = ""  # its sumu or town, for relocation sites

    @property
    def banner(self) -> str:
        return self.code[:6]


@dataclass
class Spec:
    """What a household must be; ``alxa_plan`` fixes these, streaming draws them."""

    village: Village
    household_type: str  # "tuopin" or "ordinary"
    size: int  # members on ANCHOR
    exit_year: int | None = None
    identified: int = FIRST_YEAR  # later: newly identified (动态调整新识别)
    water_fixed: int | None = None  # the year its water became safe; None: safe all along
    moved_in: datetime.date | None = None
    relocation_site: str = ""
    specialty: bool = False  # takes part in a specialty industry (特色产业) by 2019
    monitoring: list[tuple[str, datetime.date, datetime.date | None, str]] | None = None


@dataclass(slots=True)
class LifeMember:
    member: MemberInput
    joined: datetime.date
    join_reason: str = MembershipReason.REGISTERED
    left: datetime.date | None = None
    leave_reason: str = ""

    def active_on(self, day: datetime.date) -> bool:
        return self.joined <= day and (self.left is None or self.left > day)


@dataclass(slots=True)
class Activity:
    kind: str
    base: float  # gross income in 2014 terms
    since: int = FIRST_YEAR
    specialty: bool = False


@dataclass(slots=True)
class HouseholdLife:
    """One household from 2014 to 2025: members over time, statuses, incomes, conditions."""

    code: str
    village: Village
    household_type: str
    attribute: str
    main_cause: str
    members: list[LifeMember]
    statuses: list[tuple[str, datetime.date, datetime.date | None, str]]
    monitoring: list[tuple[str, datetime.date, datetime.date | None, str]]
    activities: list[Activity]
    exit_on: datetime.date | None = None
    wage_base: float = 0.0
    eco_base: float = 0.0
    pension_base: float = 0.0
    dibao_base: float = 0.0
    property_base: float = 0.0
    scale: float = 1.0  # brings a poor household's 2014 income to its level
    assist: float = 1.0  # how much earnings grew with assistance by the exit year
    top_up: float = 0.0  # yearly transfers added at exit for households that cannot work
    noise: float = 0.0
    expenses: dict[int, float] = field(default_factory=dict)
    dips: dict[int, float] = field(default_factory=dict)
    housing: tuple[str, int | None, str] = ("A", None, "A")  # before, renovated in, after
    water_gaps: tuple[bool, bool, bool, bool] = (False, False, False, False)
    water_fixed: int | None = None
    food_gap: bool = False
    moved_in: datetime.date | None = None
    relocation_site: str = ""

    @property
    def tuopin_year(self) -> int | None:
        return self.exit_on.year if self.exit_on else None

    def members_on(self, day: datetime.date) -> list[MemberInput]:
        return [
            m.member for m in self.members if m.joined <= day and (m.left is None or m.left > day)
        ]

    def status_on(self, day: datetime.date) -> str | None:
        for status, start, end, _reason in self.statuses:
            if start <= day and (end is None or end > day):
                return status
        return None

    def _assist(self, year: int) -> float:
        """How much assistance has multiplied the household's earnings by ``year``."""
        if self.exit_on is None:
            return 1.0
        end = self.exit_on.year
        if year < end:
            return 1.0 + (self.assist - 1.0) * (year - FIRST_YEAR) / (end - FIRST_YEAR)
        # 摘帽不摘政策: support goes on after the exit, strongest up to 2020.
        return self.assist * 1.09 ** (min(year, 2020) - end) * 1.04 ** max(0, year - max(end, 2020))

    def income(self, year: int) -> dict[str, Decimal]:
        """The year's income by component, in the household file's terms."""
        return {key: _money(value) for key, value in self.income_yuan(year).items()}

    def income_yuan(self, year: int) -> dict[str, int]:
        """The year's income by component in whole yuan (cheaper to write in bulk)."""
        # A household's own ups and downs, ±6%, the same each time the year is asked for.
        noise = 0.94 + ((self.noise + year * 0.6180339887) % 1.0) * 0.12
        factor = self.scale * noise * self._assist(year) * self.dips.get(year, 1.0)
        business = costs = 0.0
        for activity in self.activities:
            if year < activity.since:
                continue
            gross = activity.base * GROWTH[activity.kind][year] * factor
            business += gross
            costs += gross * COST_SHARE[activity.kind]
        wage = self.wage_base * GROWTH["wage"][year] * factor
        prop = self.property_base * GROWTH["property"][year] * self.scale * noise
        transfer = (
            self.eco_base * GROWTH["eco"][year]
            + self.pension_base * GROWTH["pension"][year]
            + self.dibao_base * GROWTH["pension"][year]
        ) * self.scale
        if self.exit_on and year >= self.exit_on.year:
            transfer += self.top_up * GROWTH["pension"][year]
        return {
            "wage_income": round(wage),
            "business_income": round(business),
            "property_income": round(prop),
            "transfer_income": round(transfer),
            "business_costs": round(costs),
            "compliant_expenses": round(self.expenses.get(year, 0)),
        }

    def size(self, year: int) -> int:
        """Members at the end of ``year`` (at registration for 2014)."""
        day = REGISTERED_ON if year == FIRST_YEAR else datetime.date(year, 12, 31)
        return sum(1 for m in self.members if m.joined <= day and (m.left is None or m.left > day))

    def net_per_capita(self, year: int) -> float:
        i = self.income_yuan(year)
        net = (
            i["wage_income"]
            + i["business_income"]
            + i["property_income"]
            + i["transfer_income"]
            - i["business_costs"]
        )
        return net / (self.size(year) or 1)

    def conditions(self, year: int) -> dict[str, object]:
        before, renovated, after = self.housing
        fixed = self.water_fixed is None or year >= self.water_fixed
        gaps = (False, False, False, False) if fixed else self.water_gaps
        moved = self.moved_in is not None and year >= self.moved_in.year
        return {
            "food_clothing": not (self.food_gap and self.exit_on and year < self.exit_on.year),
            "housing_grade": after if renovated and year >= renovated else before,
            "housing_appraised_on": datetime.date(renovated, 9, 20)
            if renovated and year >= renovated
            else None,
            "housing_appraised_by": "旗住房和城乡建设局" if renovated and year >= renovated else "",
            "water_quantity": not gaps[0],
            "water_quality": not gaps[1],
            "water_access": not gaps[2],
            "water_reliability": not gaps[3],
            "relocated": moved,
            "relocation_site": self.relocation_site if moved else "",
            "moved_in_on": self.moved_in if moved else None,
        }

    def snapshot(self, year: int, *, kind_year: int | None = None) -> ParsedHousehold:
        """The household as a household file shows it for ``year``: its members at the end of
        the year (``REGISTERED_ON`` for 2014), that year's income and conditions. The type is
        the one of ``kind_year`` (default: the same year)."""
        day = REGISTERED_ON if year == FIRST_YEAR else datetime.date(year, 12, 31)
        kind_day = datetime.date(kind_year or year, 12, 31)
        exited = self.exit_on is not None and self.exit_on <= kind_day
        if self.household_type == "ordinary":
            household_type, tuopin_year = "ordinary", None
        elif exited:
            household_type, tuopin_year = "tuopin", self.tuopin_year
        else:
            household_type, tuopin_year = "poor", None
        period = next(
            (p for p in self.monitoring if p[1] <= day and (p[2] is None or p[2] > day)), None
        )
        conditions = self.conditions(year)
        return ParsedHousehold(
            code=self.code,
            area_code=self.village.code,
            household_type=household_type,
            tuopin_year=tuopin_year,
            attribute=self.attribute,
            main_cause=self.main_cause,
            income_year=year,
            **self.income(year),
            food_clothing=bool(conditions["food_clothing"]),
            housing_grade=str(conditions["housing_grade"]),
            water_quantity=bool(conditions["water_quantity"]),
            water_quality=bool(conditions["water_quality"]),
            water_access=bool(conditions["water_access"]),
            water_reliability=bool(conditions["water_reliability"]),
            monitor_type=period[0] if period else "",
            monitor_since=period[1] if period else None,
            measures=0,
            members=self.members_on(day),
        )


CENTS = Decimal("0.01")


def _money(value: int) -> Decimal:
    return Decimal(value).quantize(CENTS)


def _day_in(rng: random.Random, first: int, last: int) -> datetime.date:
    start = datetime.date(first, 1, 1)
    return start + DAY * _below(rng, (datetime.date(last, 12, 31) - start).days + 1)


def _event_day(rng: random.Random, *, before_anchor: bool) -> datetime.date:
    return _day_in(rng, 2015, 2019) if before_anchor else _day_in(rng, 2021, 2025)


def _below(rng: random.Random, n: int) -> int:
    """A number in ``range(n)``: ``random.randrange`` is slow when called millions of times."""
    return int(rng.random() * n)


def _between(rng: random.Random, low: int, high: int) -> int:
    return low + int(rng.random() * (high - low + 1))


def _choice(rng: random.Random, seq: Sequence[Any]) -> Any:
    return seq[int(rng.random() * len(seq))]


EDUCATION_YOUNG_WEIGHTS = {
    "illiterate": 2,
    "primary": 30,
    "junior": 35,
    "senior": 15,
    "vocational": 6,
    "college": 6,
}
EDUCATION_YOUNG = Weighted(EDUCATION_YOUNG_WEIGHTS)
EDUCATION_OLD = Weighted({**EDUCATION_YOUNG_WEIGHTS, "illiterate": 8})
HEALTH = Weighted({"healthy": 78, "chronic": 14, "serious": 3, "disabled": 5})
LABOUR = Weighted({"ordinary": 80, "skilled": 20})
HOUSEHOLD_TYPE = Weighted({"tuopin": 35, "ordinary": 65})
ATTRIBUTE = Weighted({"general": 75, "dibao": 20, "tekun": 5})
CAUSE = Weighted(dict(zip(CAUSES, CAUSE_WEIGHTS, strict=True)))
GRADE_POOR = Weighted({"A": 25, "B": 47, "C": 23, "D": 5})
GRADE_ORDINARY = Weighted({"A": 62, "B": 35, "C": 2.5, "D": 0.5})
GRADE_EXITED = Weighted({"A": 40, "B": 60})


class Generator:
    """Households for the given villages; ``households(n)`` streams them in code order."""

    def __init__(
        self, villages: Sequence[Village], *, seed: int = 2014, income_year: int = LAST_YEAR
    ) -> None:
        if not villages:
            raise ValueError("no villages to place households in")
        self.villages = list(villages)
        self.seed = seed
        self.income_year = income_year
        self._serials: dict[tuple[str, datetime.date, bool], int] = defaultdict(int)

    def _id_number(
        self, prefix: str, birth: datetime.date, male: bool
    ) -> tuple[str, datetime.date]:
        """A new ID number for a person born on ``birth``, and the birth date it carries."""
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
                first17 = f"{prefix}{birth.year:04d}{birth.month:02d}{birth.day:02d}{serial:03d}"
                return first17 + check_digit(first17), birth
            birth += DAY

    def _name(self, rng: random.Random, mongolian: bool, male: bool, surname: str) -> str:
        if mongolian:
            pool = MONGOLIAN_MALE if male else MONGOLIAN_FEMALE
            name = _choice(rng, pool)
            return (surname + name) if surname and rng.random() < 0.5 else name
        return surname + "".join(_choice(rng, HAN_GIVEN) for _ in range(_choice(rng, (1, 2))))

    def _person(  # type: ignore[no-untyped-def]
        self, rng, prefix, relation, birth, male, *, mongolian, surname
    ) -> MemberInput:
        """A person born on ``birth``; schooling, education and labour as of the income year."""
        # The ID's own date: a full day of numbers moves a birth to the next day.
        id_number, birth = self._id_number(prefix, birth, male)
        age = max(0, self.income_year - birth.year)
        if 6 <= age <= 15:
            schooling = (
                "dropped_out" if rng.random() < 0.003 else ("primary" if age < 12 else "junior")
            )
            education = "primary" if age < 12 else "junior"
        elif age < 6:
            schooling, education = ("preschool" if age >= 3 else "not_in_school"), "preschool_age"
        else:
            schooling = "senior" if age <= 18 and rng.random() < 0.7 else "not_in_school"
            education = (EDUCATION_OLD if age > 55 else EDUCATION_YOUNG)(rng)
        health = HEALTH(rng)
        if age < 16 or age > 70:
            labour = "none"
        elif health in {"serious", "disabled"} and rng.random() < 0.6:
            labour = "lost"
        else:
            labour = LABOUR(rng)
        return MemberInput(
            name=self._name(rng, mongolian, male, surname),
            id_number=id_number,
            relation=relation,
            sex="male" if male else "female",
            birth_date=birth,
            ethnicity="蒙古族" if mongolian else ("回族" if surname == "马" else "汉族"),
            education=education,
            schooling=schooling,
            health=health,
            labour=labour,
            medical_insured=rng.random() > 0.004,
            pension_insured=age >= 16 and rng.random() > 0.05,
        )

    # -- a household's life -------------------------------------------------------------

    def random_spec(self, rng: random.Random) -> Spec:
        """What streaming draws for a household: no calibration, the same kinds of history."""
        village = self.villages[_below(rng, len(self.villages))]
        household_type = HOUSEHOLD_TYPE(rng)
        size = SIZE_WEIGHTS(rng)
        if household_type == "ordinary":
            return Spec(village, household_type, size)
        return tuopin_spec(rng, village, size)

    def life(self, index: int, spec: Spec | None = None) -> HouseholdLife:
        """Household number ``index``. Call in order: ID numbers are numbered as they are made,
        so the households of a seed are deterministic."""
        rng = random.Random(f"{self.seed}:{index}")
        spec = spec or self.random_spec(rng)
        village = spec.village
        tuopin = spec.household_type == "tuopin"
        mongolian = rng.random() < (0.55 if village.pastoral else 0.15)
        surname = (
            (_choice(rng, MONGOLIAN_SURNAMES) if rng.random() < 0.3 else "")
            if mongolian
            else _choice(rng, HAN_SURNAMES)
        )
        members = self._members(rng, village, spec.size, mongolian, surname)
        exit_on = identified_on = None
        statuses: list[tuple[str, datetime.date, datetime.date | None, str]]
        if tuopin and spec.exit_year:
            # Exits were decided after the year's income check, in November.
            exit_on = datetime.date(spec.exit_year, 11, 1) + DAY * _below(rng, 25)
            if spec.identified > FIRST_YEAR:
                identified_on = datetime.date(spec.identified, 5, 1) + DAY * _below(rng, 120)
                statuses = [
                    (RegistryStatus.ORDINARY, REGISTERED_ON, identified_on, ""),
                    (
                        RegistryStatus.NEWLY_IDENTIFIED,
                        identified_on,
                        exit_on,
                        "动态调整新识别" + SYNTHETIC,
                    ),
                ]
            else:
                statuses = [
                    (RegistryStatus.POOR, REGISTERED_ON, exit_on, "建档立卡识别" + SYNTHETIC)
                ]
            statuses.append((RegistryStatus.EXITED_WITH_POLICY, exit_on, None, "脱贫" + SYNTHETIC))
        else:
            statuses = [(RegistryStatus.ORDINARY, REGISTERED_ON, None, "")]
        life = HouseholdLife(
            code=f"{village.code}{self.seed % 10000:04d}{index:07d}",
            village=village,
            household_type="tuopin" if tuopin else "ordinary",
            attribute=ATTRIBUTE(rng) if tuopin else "",
            main_cause=CAUSE(rng) if tuopin else "",
            members=members,
            statuses=statuses,
            monitoring=[],
            activities=[],
            exit_on=exit_on,
            noise=rng.random(),
        )
        self._livelihood(rng, life, spec)
        self._living_conditions(rng, life, spec)
        life.monitoring = (
            spec.monitoring if spec.monitoring is not None else self._monitoring(rng, life)
        )
        for kind, start, _end, _reason in life.monitoring:
            if kind == MonitorType.MARGINAL:
                life.dips[start.year] = 0.6
            else:
                life.expenses[start.year] = rng.lognormvariate(10.0, 0.5)
        if tuopin:
            self._poverty_path(rng, life)
        else:
            # Alxa's herders earn well above the country's rural average (阿左旗 2019: 20,865
            # yuan disposable income per head); tuopin households start from their own level.
            life.scale = 1.8
        return life

    def _members(  # type: ignore[no-untyped-def]
        self, rng, village, size, mongolian, surname
    ) -> list[LifeMember]:
        """``size`` members on ANCHOR, and those who died or married out before it or will
        after it; births and marriages into the household on the days they happened."""
        prefix = village.banner_prefix
        head_age = _between(rng, 52, 86) if size == 1 else _between(rng, 30, 74)
        head_male = rng.random() < (0.7 if size == 1 else 0.85)
        # (relation, age on ANCHOR, male, own surname, marriage joins before ANCHOR)
        plan: list[tuple[str, int, bool, str, bool]] = [
            ("head", head_age, head_male, surname, False)
        ]
        other_surname = "" if mongolian else _choice(rng, HAN_SURNAMES)
        left = size - 1
        if left and head_age < 80 and rng.random() < 0.88:
            spouse_age = min(95, max(20, head_age + _between(rng, -6, 3)))
            plan.append(("spouse", spouse_age, not head_male, other_surname, head_age < 32))
            left -= 1
        if left and head_age < 52 and rng.random() < 0.25:
            male = rng.random() < 0.35
            parent_surname = surname if male else ("" if mongolian else _choice(rng, HAN_SURNAMES))
            relation = "father" if male else "mother"
            plan.append((relation, head_age + _between(rng, 22, 32), male, parent_surname, False))
            left -= 1
        while left:
            age = _between(rng, 1, max(1, min(head_age - 20, 34)))
            male = rng.random() < 0.52
            plan.append(("son" if male else "daughter", age, male, surname, False))
            left -= 1
            if left and male and age >= 24 and rng.random() < 0.6:
                plan.append(
                    ("daughter_in_law", age + _between(rng, -3, 1), False, other_surname, True)
                )
                left -= 1
                if left and age >= 25 and rng.random() < 0.7:
                    grand = _between(rng, 1, min(age - 23, 10))
                    male = rng.random() < 0.52
                    plan.append(
                        ("grandson" if male else "granddaughter", grand, male, surname, False)
                    )
                    left -= 1
        members = []
        for relation, age, male, own_surname, married_in in plan:
            birth = ANCHOR - DAY * (365 * age + _below(rng, 365))
            if birth.year == ANCHOR.year:
                birth -= DAY * 366
            if REGISTERED_ON < birth < datetime.date(2015, 1, 1):
                birth = datetime.date(2015, 1, 1) + DAY * _below(rng, 60)
            person = self._person(
                rng, prefix, relation, birth, male, mongolian=mongolian, surname=own_surname
            )
            joined, reason = REGISTERED_ON, MembershipReason.REGISTERED
            if person.birth_date and person.birth_date > REGISTERED_ON:
                joined, reason = person.birth_date, MembershipReason.BIRTH
            elif married_in and rng.random() < 0.5:
                joined, reason = _event_day(rng, before_anchor=True), MembershipReason.MARRIAGE_IN
            members.append(LifeMember(person, joined, reason))
        members += self._departed(
            rng, prefix, head_age, mongolian=mongolian, surname=surname, other_surname=other_surname
        )
        self._after_anchor(rng, prefix, plan, members, mongolian=mongolian, surname=surname)
        return members

    def _departed(  # type: ignore[no-untyped-def]
        self, rng, prefix, head_age, *, mongolian, surname, other_surname
    ) -> list[LifeMember]:
        """Members of 2014 gone before ANCHOR: an old parent died, a daughter married out."""
        members = []
        if head_age < 70 and rng.random() < 0.12:
            male = rng.random() < 0.45
            death = _event_day(rng, before_anchor=True)
            birth = datetime.date(death.year - _between(rng, 74, 92), 1, 1) + DAY * _below(rng, 365)
            person = self._person(
                rng,
                prefix,
                "father" if male else "mother",
                birth,
                male,
                mongolian=mongolian,
                surname=surname if male else other_surname,
            )
            members.append(
                LifeMember(person, REGISTERED_ON, left=death, leave_reason=MembershipReason.DEATH)
            )
        if 42 <= head_age <= 70 and rng.random() < 0.07:
            birth = datetime.date(2014 - _between(rng, 19, 26), 1, 1) + DAY * _below(rng, 365)
            person = self._person(
                rng, prefix, "daughter", birth, False, mongolian=mongolian, surname=surname
            )
            members.append(
                LifeMember(
                    person,
                    REGISTERED_ON,
                    left=_event_day(rng, before_anchor=True),
                    leave_reason=MembershipReason.MARRIAGE_OUT,
                )
            )
        return members

    def _after_anchor(  # type: ignore[no-untyped-def]
        self, rng, prefix, plan, members, *, mongolian, surname
    ) -> None:
        """After ANCHOR: deaths of the old, daughters marrying out, babies."""
        for life_member in members:
            relation, birth = life_member.member.relation, life_member.member.birth_date
            if life_member.left or relation == "head" or birth is None:
                continue
            age = ANCHOR.year - birth.year
            if age >= 72 and rng.random() < 0.25:
                life_member.left = _event_day(rng, before_anchor=False)
                life_member.leave_reason = MembershipReason.DEATH
            elif relation == "daughter" and 19 <= age <= 28 and rng.random() < 0.3:
                life_member.left = _event_day(rng, before_anchor=False)
                life_member.leave_reason = MembershipReason.MARRIAGE_OUT
        parents = [m for m in plan if m[0] in {"spouse", "daughter_in_law"} and 22 <= m[1] <= 38]
        if parents and rng.random() < 0.35:
            birth = _event_day(rng, before_anchor=False)
            male = rng.random() < 0.52
            relation = (
                ("son" if male else "daughter")
                if parents[0][0] == "spouse"
                else ("grandson" if male else "granddaughter")
            )
            person = self._person(
                rng, prefix, relation, birth, male, mongolian=mongolian, surname=surname
            )
            members.append(LifeMember(person, person.birth_date or birth, MembershipReason.BIRTH))

    def _livelihood(self, rng: random.Random, life: HouseholdLife, spec: Spec) -> None:
        """What the household lives on: its activities, wages and transfers (2014 terms)."""
        village, banner = life.village, life.village.banner
        anchor_members = life.members_on(ANCHOR)
        herding = village.pastoral and rng.random() < 0.75
        if herding:
            camel_share = 0.6 if banner == "152922" else 0.35
            kinds = ["camel"] if rng.random() < camel_share else ["cashmere_goat"]
            if rng.random() < 0.25:
                kinds = ["camel", "cashmere_goat"]
        elif not village.pastoral and rng.random() < 0.75:
            kinds = ["farming"]
        else:
            kinds = []
        if rng.random() < (0.08 if banner in {"152921", "152923"} else 0.04):
            kinds.append("tourism")
        if banner in {"152921", "152922"} and village.pastoral and rng.random() < 0.1:
            kinds.append("desert_plants")
        for kind in kinds:
            mu, sigma = ACTIVITY_BASE[kind]
            life.activities.append(Activity(kind, rng.lognormvariate(mu, sigma)))
        if spec.specialty:
            kind = "camel" if banner == "152922" and rng.random() < 0.7 else "desert_plants"
            since = _between(rng, 2016, 2019)
            existing = next((a for a in life.activities if a.kind == kind), None)
            if existing:
                existing.specialty = True
                existing.since = min(existing.since, since)
            else:
                mu, sigma = ACTIVITY_BASE[kind]
                life.activities.append(
                    Activity(kind, rng.lognormvariate(mu - 0.3, sigma), since, True)
                )
        workers = [m for m in anchor_members if m.labour in {"ordinary", "skilled"}]
        life.wage_base = sum(rng.lognormvariate(9.6, 0.5) for m in workers if rng.random() < 0.45)
        life.eco_base = (
            rng.lognormvariate(8.4, 0.4) if village.pastoral else rng.lognormvariate(6.3, 0.5)
        )
        olds = sum(
            1 for m in anchor_members if m.birth_date and ANCHOR.year - m.birth_date.year >= 60
        )
        life.pension_base = 1300.0 * olds
        if life.attribute in {"dibao", "tekun"}:
            life.dibao_base = 2200.0 * len(anchor_members)
        if rng.random() < 0.2:
            life.property_base = rng.lognormvariate(6.5, 1.0)

    def _living_conditions(self, rng: random.Random, life: HouseholdLife, spec: Spec) -> None:
        tuopin = spec.household_type == "tuopin"
        exit_year = spec.exit_year or LAST_YEAR
        if tuopin and exit_year > FIRST_YEAR:
            before = GRADE_POOR(rng)
            renovated = _between(rng, max(2015, spec.identified), exit_year)
            life.housing = (
                (before, renovated, _choice(rng, "AB"))
                if before in "CD"
                else (before, None, before)
            )
            life.food_gap = rng.random() < 0.04
        else:
            grade = (GRADE_EXITED if tuopin else GRADE_ORDINARY)(rng)
            life.housing = (grade, None, grade)
        if spec.water_fixed:
            gaps = [rng.random() < 0.5 for _ in range(4)]
            if not any(gaps):
                gaps[_below(rng, 4)] = True
            life.water_gaps = (gaps[0], gaps[1], gaps[2], gaps[3])
            life.water_fixed = spec.water_fixed
        elif not tuopin:
            life.water_gaps = (
                rng.random() < 0.01,
                rng.random() < 0.01,
                rng.random() < 0.01,
                rng.random() < 0.01,
            )
            life.water_fixed = LAST_YEAR + 1 if any(life.water_gaps) else None
        life.moved_in = spec.moved_in
        life.relocation_site = spec.relocation_site

    def _monitoring(
        self, rng: random.Random, life: HouseholdLife
    ) -> list[tuple[str, datetime.date, datetime.date | None, str]]:
        """A spell as a monitored household from 2020 on, for a few; some risks eliminated."""
        draw = rng.random()
        if life.household_type == "tuopin":
            kind = MonitorType.UNSTABLE_TUOPIN if draw < 0.06 else None
        elif draw < 0.035:
            kind = MonitorType.MARGINAL
        elif draw < 0.047:
            kind = MonitorType.SUDDEN_HARDSHIP
        else:
            kind = None
        if kind is None:
            return []
        start = datetime.date(2020, 4, 1) + DAY * _below(rng, 5 * 365)
        end: datetime.date | None = start + DAY * _between(rng, 190, 600)
        if end and end > datetime.date(LAST_YEAR, 12, 31):
            end = None
        return [(kind, start, end, _choice(rng, RISKS[kind]) + "风险" + SYNTHETIC)]

    def _poverty_path(self, rng: random.Random, life: HouseholdLife) -> None:
        """A poor household starts below the line and, with assistance, ends its exit year
        above it; afterwards its incomes grow with their sources."""
        first, exit_year = life.statuses[0][1].year, life.tuopin_year
        if exit_year is None:
            return
        start_level = rng.uniform(2950, 3600) if exit_year == first else rng.uniform(1500, 2700)
        life.scale = 1.0
        raw = max(1.0, life.net_per_capita(first))
        life.scale = start_level / raw
        target = POVERTY_LINE[exit_year] * rng.uniform(1.15, 1.7)
        income = life.income_yuan(exit_year)
        size = life.size(exit_year) or 1
        transfers = income["transfer_income"] + income["property_income"]
        earned = income["business_income"] + income["wage_income"] - income["business_costs"]
        needed = target * size - transfers
        if needed <= 0:
            return
        if earned > 0.25 * needed:
            life.assist = max(1.0, needed / earned)
        else:
            # Too little work to earn it: the exit rests on guaranteed transfers (兜底).
            life.top_up = (needed - earned) / GROWTH["pension"][exit_year]

    def household(self, index: int) -> ParsedHousehold:
        """Household number ``index`` as of the income year (call in order, see ``life``)."""
        return self.life(index).snapshot(self.income_year)

    def households(self, count: int, *, start: int = 0) -> Iterator[ParsedHousehold]:
        for index in range(start, start + count):
            yield self.household(index)

    def lives(self, specs: Sequence[Spec]) -> list[HouseholdLife]:
        return [self.life(index, spec) for index, spec in enumerate(specs)]


def tuopin_spec(
    rng: random.Random, village: Village, size: int, *, exit_year: int | None = None
) -> Spec:
    """A poor household of 2014 with an exit year its banner allows, possibly newly
    identified later, possibly with unsafe water fixed or relocated before its exit."""
    banner = village.banner
    exit_year = exit_year or (EXIT_WEIGHTS.get(banner, DEFAULT_EXIT_WEIGHTS)(rng))
    identified = FIRST_YEAR
    last = LAST_EXIT_YEAR.get(banner, 2020)
    if banner != "152922" and exit_year >= 2016 and rng.random() < 0.03:
        identified = _between(rng, 2015, min(exit_year - 1, last - 1))
    water_fixed = (
        _between(rng, max(2015, identified), exit_year)
        if exit_year > FIRST_YEAR and rng.random() < 0.3
        else None
    )
    moved_in, site = None, ""
    if exit_year >= 2016 and rng.random() < 0.03:
        moved_year = _between(rng, 2016, exit_year)
        moved_in = datetime.date(moved_year, 3, 1) + DAY * _below(rng, 200)
        site = relocation_site(village)
        water_fixed = min(water_fixed or moved_year, moved_year)
    return Spec(
        village,
        "tuopin",
        size,
        exit_year=exit_year,
        identified=identified,
        water_fixed=water_fixed,
        moved_in=moved_in,
        relocation_site=site,
    )


def relocation_site(village: Village) -> str:
    return f"{village.town or '旗所在地'}易地扶贫搬迁集中安置点"


# -- the calibrated Alxa data set ------------------------------------------------------

YOUQI, ZUOQI, EJINA = "152922", "152921", "152923"
SAIHANTAOLAI_GAQA = "152923200201"
MANDALA_SUMU = "152922211"
BADANJILIN_SITE = "巴丹吉林镇易地扶贫搬迁安置小区"
# Figures the seeds publish (see tests/test_calibration.py for where each comes from).
LEAGUE_TUOPIN = (3906, 9461)
SAIHANTAOLAI_TUOPIN = (26, 70)
SAIHANTAOLAI_STABILISED = 6  # "针对2020年初6户正常脱贫户 …… 全部实现了稳定增收、稳定脱贫"
YOUQI_INCIDENCE_2014 = Decimal("10.81")
# 阿拉善右旗's tuopin households in cells of (households, people on ANCHOR, relocated, safe
# water since 2016, specialty industry, relocated to 曼德拉苏木's site). The cells add up to the
# published 239/460 relocated (23/56 of them at 曼德拉苏木's site), 415/1010 given safe water and
# 190/394 in specialty industries.
YOUQI_CELLS = [
    (150, 290, True, True, True, False),
    (66, 114, True, True, False, False),
    (23, 56, True, True, False, True),
    (20, 52, False, True, True, False),
    (156, 498, False, True, False, False),
    (20, 52, False, False, True, False),
    (15, 36, False, False, False, False),
]
ZUOQI_TUOPIN_HOUSEHOLDS = 3100
ALXA_ORDINARY_HOUSEHOLDS = 2100


def sizes(rng: random.Random, count: int, people: int) -> list[int]:
    """``count`` household sizes from 1 to 7 that add up to ``people``."""
    if not count <= people <= 7 * count:
        raise ValueError(f"{people} people cannot fill {count} households of 1 to 7")
    mean = people / count
    out = [max(1, min(7, round(rng.gauss(mean, 0.9)))) for _ in range(count)]
    gap = people - sum(out)
    while gap:
        i = _below(rng, count)
        if gap > 0 and out[i] < 7:
            out[i] += 1
            gap -= 1
        elif gap < 0 and out[i] > 1:
            out[i] -= 1
            gap += 1
    return out


def alxa_plan(villages: Sequence[Village], *, seed: int) -> list[Spec]:
    """The Alxa demonstration households, fixed so that the registry's statistics give the
    published figures; in a deterministic order that mixes banners and types."""
    rng = random.Random(f"{seed}:alxa-plan")
    banner: dict[str, list[Village]] = defaultdict(list)
    for village in villages:
        banner[village.banner].append(village)
    youqi = banner[YOUQI]
    mandala = [v for v in youqi if v.code.startswith(MANDALA_SUMU)]
    elsewhere = [v for v in youqi if not v.code.startswith(MANDALA_SUMU)]
    specs: list[Spec] = []
    people_left = LEAGUE_TUOPIN[1]
    for count, people, relocated, water, specialty, at_mandala in YOUQI_CELLS:
        people_left -= people
        for size in sizes(rng, count, people):
            village = _choice(rng, mandala if at_mandala else elsewhere if relocated else youqi)
            if water:
                fixed = rng.choices([2016, 2017], [60, 40])[0]
                exit_year = fixed if fixed == 2017 else _choice(rng, [2016, 2017])
            else:
                fixed, exit_year = None, EXIT_WEIGHTS[YOUQI](rng)
            moved_in, site = None, ""
            if relocated:
                moved_in = datetime.date(fixed or exit_year, 3, 1) + DAY * _below(rng, 200)
                site = (
                    relocation_site(village)
                    if at_mandala or rng.random() < 0.4
                    else BADANJILIN_SITE
                )
            specs.append(
                Spec(
                    village,
                    "tuopin",
                    size,
                    exit_year=exit_year,
                    water_fixed=fixed,
                    moved_in=moved_in,
                    relocation_site=site,
                    specialty=specialty,
                    monitoring=[],
                )
            )
    # 赛汉陶来嘎查, paired with the league people's congress committee: 26 households, 70
    # people, all lifted out by 2019; six watched closely in 2020 and stable by the autumn.
    saihantaolai = next(v for v in villages if v.code == SAIHANTAOLAI_GAQA)
    count, people = SAIHANTAOLAI_TUOPIN
    people_left -= people
    for number, size in enumerate(sizes(rng, count, people)):
        spec = tuopin_spec(rng, saihantaolai, size, exit_year=_between(rng, 2015, 2019))
        spec.monitoring = []
        if number < SAIHANTAOLAI_STABILISED:
            start = datetime.date(2020, 3, 25) + DAY * _below(rng, 36)
            end = datetime.date(2020, 9, 15) + DAY * _below(rng, 46)
            spec.monitoring = [
                (MonitorType.UNSTABLE_TUOPIN, start, end, "收入不稳定风险" + SYNTHETIC)
            ]
        specs.append(spec)
    # The rest of the league's tuopin households: 阿拉善左旗 and the other gaqa of 额济纳旗.
    ejina = [v for v in banner[EJINA] if v.code != SAIHANTAOLAI_GAQA]
    households_left = LEAGUE_TUOPIN[0] - len(specs)
    zuoqi_people = round(people_left * ZUOQI_TUOPIN_HOUSEHOLDS / households_left)
    for villages_of, count, people in (
        (banner[ZUOQI], ZUOQI_TUOPIN_HOUSEHOLDS, zuoqi_people),
        (ejina, households_left - ZUOQI_TUOPIN_HOUSEHOLDS, people_left - zuoqi_people),
    ):
        for size in sizes(rng, count, people):
            spec = tuopin_spec(rng, _choice(rng, villages_of), size)
            spec.specialty = rng.random() < 0.12
            specs.append(spec)
    # Ordinary rural households everywhere (the monitoring era covers them too).
    for _ in range(ALXA_ORDINARY_HOUSEHOLDS):
        specs.append(Spec(_choice(rng, list(villages)), "ordinary", SIZE_WEIGHTS(rng)))
    rng.shuffle(specs)
    return specs


def reference_villages() -> list[Village]:
    """The gaqa and villages of the shipped Alxa tree (communities hold no rural households)."""
    with REFERENCE_TREE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kinds = {row["code"]: row["kind"] for row in rows}
    names = {row["code"]: row["name"] for row in rows}
    return [
        Village(
            code=row["code"],
            banner_prefix=row["code"][:6] if row["code"][:6] in PREFIXES else "152921",
            pastoral=kinds.get(row["parent_code"]) == "sumu",
            town=names.get(row["parent_code"], ""),
        )
        for row in rows
        if row["level"] == "village" and row["kind"] in {"gaqa", "village"}
    ]
