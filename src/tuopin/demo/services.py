"""The synthetic Alxa demonstration data set: loaded by ``tuopin demo``, idempotent.

``alxa_lives`` draws the calibrated households with their history (``generator.alxa_plan``);
``load_demo_households`` imports their 2014 registration through the household-file import
and writes the rest of their history in bulk; ``load_demo_figures`` sets the villages' rural
population so that incidence comes out as published. Apps that add monitoring cases,
assistance measures, pairings, work teams or collective economies extend the data set by
reading the same lives (their monitoring spells, relocation, water fixes, specialty
industries) and adding their own ``load_demo_*`` step to ``load_demo``.
"""

from __future__ import annotations

import datetime
import functools
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction

from tuopin.accounts.choices import Role
from tuopin.accounts.models import Grant, User
from tuopin.accounts.services import grant_add
from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.areas.services import TreeChangeReport, load_reference_tree
from tuopin.core.audit import log_action, log_many
from tuopin.core.bulkdb import chunks, insert_rows
from tuopin.demo.generator import (
    ALXA_ORDINARY_HOUSEHOLDS,
    FIRST_YEAR,
    LAST_YEAR,
    LEAGUE_TUOPIN,
    REGISTERED_ON,
    YOUQI,
    YOUQI_INCIDENCE_2014,
    Generator,
    HouseholdLife,
    alxa_plan,
    reference_villages,
)
from tuopin.demo.models import DemoDataset, Livelihood
from tuopin.policy.services import load_default_policy
from tuopin.projects.demo import load_projects_demo
from tuopin.registry.bulk import import_households
from tuopin.registry.choices import POOR_STATUSES
from tuopin.registry.importers.household_file import ParsedFile
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)
from tuopin.registry.services import PERSON_FIELDS
from tuopin.supervision.demo import load_supervision_demo

DEMO_PASSWORD = "tuopin-demo"
FIGURE_YEARS = range(FIRST_YEAR, LAST_YEAR + 1)
SYNTHETIC_NOTE = "synthetic demonstration figure"


@dataclass(frozen=True)
class DemoUser:
    username: str
    display_name: str
    role: str
    area_code: str


# One account per role, placed where the seeds' stories happen.
DEMO_USERS = [
    DemoUser("admin", "系统管理员", Role.SYSTEM_ADMIN, "150000000000"),
    DemoUser("league", "阿拉善盟乡村振兴局", Role.LEAGUE_OFFICER, "152900000000"),
    DemoUser("youqi", "阿拉善右旗农牧局（审定）", Role.BANNER_APPROVER, "152922000000"),
    DemoUser("ejina", "额济纳旗农牧局（审定）", Role.BANNER_APPROVER, "152923000000"),
    DemoUser("badanjilin", "巴丹吉林镇（审核）", Role.TOWN_REVIEWER, "152922103000"),
    DemoUser("ekenhuduge", "额肯呼都格嘎查信息员", Role.GAQA_CADRE, "152922103201"),
    DemoUser("bangfu", "帮扶责任人", Role.RESPONSIBLE_CADRE, "152922103201"),
    DemoUser("renda", "人大阿拉善盟工委", Role.SUPERVISOR, "152900000000"),
    DemoUser("analyst", "统计分析员", Role.ANALYST, "152900000000"),
    DemoUser("deputy", "人大代表", Role.DEPUTY, "152900000000"),
    DemoUser("jijian", "纪检监察干部", Role.DISCIPLINE, "152900000000"),
]


@dataclass
class DemoReport:
    tree: TreeChangeReport
    figures_created: int
    users_created: list[str]
    households_created: int = 0
    projects: dict[str, int] | None = None


DEMO_SEED = 2014
DEMO_HOUSEHOLDS = LEAGUE_TUOPIN[0] + ALXA_ORDINARY_HOUSEHOLDS
END_2014 = datetime.date(2014, 12, 31)
# Rural registered people per gaqa/village in 2014 beyond its poor, by banner (low, high).
NON_POOR_2014 = {"152921": (260, 620), "152923": (150, 380), "152971": (120, 300)}


def alxa_lives(seed: int = DEMO_SEED) -> tuple[HouseholdLife, ...]:
    """The calibrated Alxa households with their history (pure computation, cached)."""
    return _alxa_lives(seed)


@functools.lru_cache(maxsize=2)
def _alxa_lives(seed: int) -> tuple[HouseholdLife, ...]:
    villages = reference_villages()
    return tuple(Generator(villages, seed=seed).lives(alxa_plan(villages, seed=seed)))


def _largest_remainder(total: int, weights: dict[str, float]) -> dict[str, int]:
    scale = total / sum(weights.values())
    shares = {key: weight * scale for key, weight in weights.items()}
    out = {key: int(share) for key, share in shares.items()}
    for key in sorted(shares, key=lambda k: out[k] - shares[k])[: total - sum(out.values())]:
        out[key] += 1
    return out


def demo_population(seed: int = DEMO_SEED) -> dict[tuple[str, int], int]:
    """Rural registered population per gaqa/village and year, consistent with the synthetic
    households: every village has at least its own poor, and 阿拉善右旗's villages add up to
    the population that makes its 2014 poverty incidence the published 10.81%."""
    rng = random.Random(f"{seed}:population")
    poor: Counter[str] = Counter()
    for life in alxa_lives(seed):
        if life.status_on(END_2014) in POOR_STATUSES:
            poor[life.village.code] += len(life.members_on(END_2014))
    villages = reference_villages()
    youqi = [v.code for v in villages if v.banner == YOUQI]
    youqi_poor = sum(poor[code] for code in youqi)
    total = round(youqi_poor * 100 / YOUQI_INCIDENCE_2014)
    while round(Decimal(youqi_poor * 100) / total, 2) != YOUQI_INCIDENCE_2014:
        total += 1 if Decimal(youqi_poor * 100) / total > YOUQI_INCIDENCE_2014 else -1
    extra = _largest_remainder(total - youqi_poor, {code: rng.uniform(0.5, 1.5) for code in youqi})
    base = {code: poor[code] + extra[code] for code in youqi}
    for village in villages:
        if village.code not in base:
            low, high = NON_POOR_2014.get(village.banner, (150, 400))
            base[village.code] = poor[village.code] + rng.randint(low, high)
    figures = {}
    for code, population in base.items():
        # Rural registered population in pastoral Alxa shrinks slowly as herders move to towns.
        drift = rng.uniform(-0.02, -0.005)
        for year in FIGURE_YEARS:
            figures[code, year] = round(population * (1 + drift) ** (year - FIRST_YEAR))
    return figures


@transaction.atomic
def load_demo_figures() -> int:
    """Rural registered population per gaqa/village and year, marked synthetic."""
    villages = list(
        Area.objects.filter(level=Level.VILLAGE, is_active=True).exclude(kind=Kind.COMMUNITY)
    )
    existing = set(AreaYearFigure.objects.filter(area__in=villages).values_list("area_id", "year"))
    missing = [(a, y) for a in villages for y in FIGURE_YEARS if (a.id, y) not in existing]
    if not missing:
        return 0
    population = demo_population()
    new = [
        AreaYearFigure(
            area=area,
            year=year,
            rural_population=population.get((area.code, year), 0),
            is_synthetic=True,
            note=SYNTHETIC_NOTE,
        )
        for area, year in missing
    ]
    AreaYearFigure.objects.bulk_create(new, batch_size=2000)
    log_action(
        actor=None,
        action="demo.figures.loaded",
        diff={"figures": len(new), "years": [FIGURE_YEARS.start, FIGURE_YEARS.stop - 1]},
    )
    return len(new)


@transaction.atomic
def load_demo_users() -> list[str]:
    """One account per role; existing accounts keep their passwords."""
    created = []
    hashed = None  # one hash for the shared demo password: hashing is slow on purpose
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, display_name=spec.display_name)
            hashed = hashed or make_password(DEMO_PASSWORD)
            user.password = hashed
            user.save()
            created.append(spec.username)
            log_action(actor=None, action="accounts.user.created", obj=user, diff={"demo": True})
        area = Area.objects.get(code=spec.area_code)
        if not Grant.objects.filter(user=user, role=spec.role, area=area).exists():
            grant_add(actor=None, user=user, role=spec.role, area=area)
    return created


@transaction.atomic
def load_demo_households(*, seed: int = DEMO_SEED) -> int:
    """The synthetic Alxa households, once: the 2014 registration goes in through the same
    import as a household file, then each household's history to 2025 is written in bulk.
    Returns how many households were created."""
    if DemoDataset.objects.filter(name="alxa").exists():
        return 0
    lives = alxa_lives(seed)
    parsed = ParsedFile(
        households=[life.snapshot(FIRST_YEAR, kind_year=LAST_YEAR) for life in lives],
        errors=[],
        warnings=[],
        unknown_columns=[],
        header_row=1,
        rows_read=0,
    )
    report = import_households(actor=None, parsed=parsed, effective=REGISTERED_ON)
    _write_history(lives)
    DemoDataset.objects.create(name="alxa", seed=seed, households=report.households_created)
    log_action(
        actor=None,
        action="demo.households.loaded",
        diff={"households": report.households_created, "seed": seed, "synthetic": True},
    )
    return report.households_created


def _write_history(lives: tuple[HouseholdLife, ...]) -> None:
    """Everything after the 2014 registration: members leaving and joining, the status
    history, incomes and conditions of 2015–2025, monitoring spells and livelihoods."""
    ids: dict[str, int] = {}
    for batch in chunks([life.code for life in lives], 2000):
        ids.update(Household.objects.filter(code__in=batch).values_list("code", "id"))
    registered: dict[tuple[int, str], int] = {}
    for batch in chunks(list(ids.values()), 2000):
        for pk, household_id, number in Membership.objects.filter(
            household_id__in=batch
        ).values_list("id", "household_id", "person__id_number"):
            registered[household_id, number] = pk
        HouseholdStatus.objects.filter(household_id__in=batch).delete()
    leaving, joining = [], []
    for life in lives:
        hid = ids[life.code]
        for m in life.members:
            pk = registered.get((hid, m.member.id_number))
            if pk is None:
                joining.append((hid, m))
            elif m.left:
                leaving.append(Membership(pk=pk, valid_to=m.left, leave_reason=m.leave_reason))
    Membership.objects.bulk_update(leaving, ["valid_to", "leave_reason"], batch_size=2000)
    person_ids = insert_rows(
        Person,
        [
            {
                "id_type": m.member.id_type,
                "id_number": m.member.id_number,
                "version": 1,
                **{name: getattr(m.member, name) for name in PERSON_FIELDS},
            }
            for _hid, m in joining
        ],
    )
    insert_rows(
        Membership,
        [
            {
                "household_id": hid,
                "person_id": person_id,
                "relation": m.member.relation,
                "valid_from": m.joined,
                "valid_to": m.left,
                "join_reason": m.join_reason,
                "leave_reason": m.leave_reason,
                "note": "",
            }
            for (hid, m), person_id in zip(joining, person_ids, strict=True)
        ],
    )
    insert_rows(
        HouseholdStatus,
        [
            {
                "household_id": ids[life.code],
                "status": status,
                "valid_from": start,
                "valid_to": end,
                "reason": reason,
                "recorded_by_id": None,
            }
            for life in lives
            for status, start, end, reason in life.statuses
        ],
    )
    years = range(FIRST_YEAR + 1, LAST_YEAR + 1)
    insert_rows(
        HouseholdIncome,
        [
            {
                "household_id": ids[life.code],
                "year": year,
                "size": life.size(year),
                "version": 1,
                **life.income_yuan(year),
            }
            for life in lives
            for year in years
        ],
    )
    insert_rows(
        HouseholdConditions,
        [
            {"household_id": ids[life.code], "year": year, "version": 1, **life.conditions(year)}
            for life in lives
            for year in years
        ],
    )
    insert_rows(
        MonitoringPeriod,
        [
            {
                "household_id": ids[life.code],
                "monitor_type": kind,
                "valid_from": start,
                "valid_to": end,
                "reason": reason,
            }
            for life in lives
            for kind, start, end, reason in life.monitoring
        ],
    )
    insert_rows(
        Livelihood,
        [
            {
                "household_id": ids[life.code],
                "activity": a.kind,
                "since_year": a.since,
                "specialty_industry": a.specialty,
            }
            for life in lives
            for a in life.activities
        ],
    )
    log_many(
        actor=None,
        action="demo.household.history",
        object_type="registry.household",
        items=[
            (
                ids[life.code],
                life.code,
                life.village.code,
                {
                    "synthetic": True,
                    "tuopin_year": life.tuopin_year,
                    "members_joined": sum(1 for m in life.members if m.joined > REGISTERED_ON),
                    "members_left": sum(1 for m in life.members if m.left),
                },
            )
            for life in lives
        ],
    )


def load_demo() -> DemoReport:
    tree = load_reference_tree()
    load_default_policy()
    try:
        report = DemoReport(
            tree=tree,
            figures_created=load_demo_figures(),
            users_created=load_demo_users(),
            households_created=load_demo_households(),
        )
        # Projects, funds, assets and the camel chain draw on the households just loaded.
        report.projects = load_projects_demo(seed=DEMO_SEED)
        # Three years of People's Congress supervision of the poverty work.
        load_supervision_demo(seed=DEMO_SEED)
        return report
    finally:
        _alxa_lives.cache_clear()  # the households drawn are not needed once written
