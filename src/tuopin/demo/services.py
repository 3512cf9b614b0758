"""The synthetic Alxa demonstration data set: loaded by ``tuopin demo``, idempotent."""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from tuopin.accounts.choices import Role
from tuopin.accounts.models import Grant, User
from tuopin.accounts.services import grant_add
from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.areas.services import TreeChangeReport, load_reference_tree
from tuopin.core.audit import log_action
from tuopin.demo.generator import Generator, reference_villages
from tuopin.demo.models import DemoDataset
from tuopin.policy.services import load_default_policy
from tuopin.registry.bulk import import_households
from tuopin.registry.choices import HouseholdType, RegistryStatus
from tuopin.registry.importers.household_file import ParsedFile
from tuopin.registry.models import HouseholdStatus

DEMO_PASSWORD = "tuopin-demo"
FIGURE_YEARS = range(2014, 2026)
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
]


@dataclass
class DemoReport:
    tree: TreeChangeReport
    figures_created: int
    users_created: list[str]
    households_created: int = 0


def _village_population(area: Area, year: int) -> int:
    """A deterministic, plausible rural registered population for a gaqa or village."""
    rng = random.Random(f"{area.code}:population")
    base = rng.randint(160, 620)
    # Rural registered population in pastoral Alxa shrinks slowly as herders move to towns.
    drift = rng.uniform(-0.025, -0.005)
    return round(base * (1 + drift) ** (year - 2014))


@transaction.atomic
def load_demo_figures() -> int:
    """Rural registered population per gaqa/village and year, marked synthetic."""
    villages = list(
        Area.objects.filter(level=Level.VILLAGE, is_active=True).exclude(kind=Kind.COMMUNITY)
    )
    existing = set(AreaYearFigure.objects.filter(area__in=villages).values_list("area_id", "year"))
    new = [
        AreaYearFigure(
            area=area,
            year=year,
            rural_population=_village_population(area, year),
            is_synthetic=True,
            note=SYNTHETIC_NOTE,
        )
        for area in villages
        for year in FIGURE_YEARS
        if (area.id, year) not in existing
    ]
    AreaYearFigure.objects.bulk_create(new, batch_size=2000)
    if new:
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
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(username=spec.username, display_name=spec.display_name)
            user.set_password(DEMO_PASSWORD)
            user.save()
            created.append(spec.username)
            log_action(actor=None, action="accounts.user.created", obj=user, diff={"demo": True})
        area = Area.objects.get(code=spec.area_code)
        if not Grant.objects.filter(user=user, role=spec.role, area=area).exists():
            grant_add(actor=None, user=user, role=spec.role, area=area)
    return created


DEMO_HOUSEHOLDS = 4000
DEMO_SEED = 2014
DEMO_REGISTERED_ON = datetime.date(2014, 10, 31)


@transaction.atomic
def load_demo_households(count: int = DEMO_HOUSEHOLDS, *, seed: int = DEMO_SEED) -> int:
    """Synthetic households for the Alxa gaqa and villages, imported once through the same
    service as a household file; returns how many were created."""
    if DemoDataset.objects.filter(name="alxa").exists():
        return 0
    generator = Generator(reference_villages(), seed=seed)
    parsed = ParsedFile(
        households=list(generator.households(count)),
        errors=[],
        warnings=[],
        unknown_columns=[],
        header_row=1,
        rows_read=0,
    )
    report = import_households(actor=None, parsed=parsed, effective=DEMO_REGISTERED_ON)
    _tuopin_history()
    DemoDataset.objects.create(name="alxa", seed=seed, households=report.households_created)
    log_action(
        actor=None,
        action="demo.households.loaded",
        diff={"households": report.households_created, "seed": seed, "synthetic": True},
    )
    return report.households_created


def _tuopin_history() -> None:
    """Tuopin households were poor when registered (2014) and exited at the end of their
    tuopin year: rewrite the single status the import opened into that history."""
    opened = list(
        HouseholdStatus.objects.filter(
            household__household_type=HouseholdType.TUOPIN,
            household__tuopin_year__isnull=False,
            valid_to__isnull=True,
        ).select_related("household")
    )
    exits = []
    for status in opened:
        exited_on = datetime.date(status.household.tuopin_year, 12, 31)
        status.status = RegistryStatus.POOR
        status.valid_to = exited_on
        exits.append(
            HouseholdStatus(
                household=status.household,
                status=RegistryStatus.EXITED_WITH_POLICY,
                valid_from=exited_on,
                reason="脱贫（演示数据）",
            )
        )
    HouseholdStatus.objects.bulk_update(opened, ["status", "valid_to"], batch_size=2000)
    HouseholdStatus.objects.bulk_create(exits, batch_size=2000)


def load_demo() -> DemoReport:
    tree = load_reference_tree()
    load_default_policy()
    return DemoReport(
        tree=tree,
        figures_created=load_demo_figures(),
        users_created=load_demo_users(),
        households_created=load_demo_households(),
    )
