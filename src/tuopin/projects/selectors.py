"""Reads of projects, funds, assets, collective economies and industry chains.

Each takes the user and keeps to the areas where they hold the capability asked for:
the figures and ledgers need ``VIEW_AGGREGATES`` (every role with a grant), the names of
beneficiary households ``VIEW_RECORDS``. No grant, nothing.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max, Q, QuerySet, Sum

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, restrict
from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area
from tuopin.projects.choices import AssetAlert, AssetKind, AssetState, FundSource
from tuopin.projects.models import (
    Asset,
    ChainIncome,
    CollectiveIncome,
    Disbursement,
    Enterprise,
    FundAllocation,
    Membership,
    Project,
    Purchase,
)
from tuopin.registry.models import Household
from tuopin.registry.models import Membership as HouseholdMembership

ZERO = Decimal(0)
CAP = Capability.VIEW_AGGREGATES


def _subtree(prefix: str, root: Area) -> Q:
    return Q(**{f"{prefix}lft__gte": root.lft, f"{prefix}lft__lte": root.rgt})


# Projects ------------------------------------------------------------------------------


def project_list(
    *,
    user: Any,
    root: Area | None = None,
    state: str = "",
    year: int | None = None,
    project_type: str = "",
) -> QuerySet[Project]:
    """Projects proposed within the user's areas (and under ``root`` when given)."""
    qs = restrict(Project.objects.all(), user, CAP).select_related("area")
    if root is not None:
        qs = qs.filter(_subtree("area__", root))
    if state:
        qs = qs.filter(state=state)
    if year:
        qs = qs.filter(year=year)
    if project_type:
        qs = qs.filter(project_type=project_type)
    return qs.annotate(allocated=Sum("allocations__amount")).order_by("-year", "code")


def project_get(*, user: Any, code: str) -> Project:
    """One project within the user's areas; ``Project.DoesNotExist`` otherwise."""
    return restrict(Project.objects.select_related("area"), user, CAP).get(code=code)


def project_beneficiaries(*, user: Any, project: Project) -> QuerySet[Household]:
    """The project's households the user may see as records."""
    return restrict(project.beneficiaries.all(), user, Capability.VIEW_RECORDS).order_by("code")


@dataclass
class AllocationRow:
    allocation: FundAllocation
    disbursed: Decimal
    balance: Decimal


def project_funds(*, project: Project) -> list[AllocationRow]:
    """The project's allocations with what was paid and what is left of each (for a
    project already read through ``project_get``)."""
    rows = []
    for allocation in project.allocations.annotate(paid=Sum("disbursements__amount")).order_by(
        "allocated_on", "id"
    ):
        paid = allocation.paid or ZERO
        rows.append(AllocationRow(allocation, paid, allocation.amount - paid))
    return rows


def project_disbursements(*, project: Project) -> QuerySet[Disbursement]:
    return Disbursement.objects.filter(allocation__project=project).select_related("allocation")


# Funds ---------------------------------------------------------------------------------


@dataclass
class FundRow:
    source: str
    label: str
    year: int
    allocated: Decimal = ZERO
    disbursed: Decimal = ZERO
    projects: int = 0

    @property
    def balance(self) -> Decimal:
        return self.allocated - self.disbursed


def fund_report(*, user: Any, root: Area, year: int | None = None) -> list[FundRow]:
    """Money allocated, paid and left, by source and year, for projects proposed under
    ``root`` within the user's areas; sources in their fixed order, then years."""
    allocations = restrict(
        FundAllocation.objects.filter(_subtree("project__area__", root)),
        user,
        CAP,
        area_field="project__area",
    )
    disbursements = restrict(
        Disbursement.objects.filter(_subtree("allocation__project__area__", root)),
        user,
        CAP,
        area_field="allocation__project__area",
    )
    if year is not None:
        allocations = allocations.filter(year=year)
        disbursements = disbursements.filter(allocation__year=year)
    labels = dict(FundSource.choices)
    rows: dict[tuple[str, int], FundRow] = {}
    for row in allocations.values("source", "year").annotate(s=Sum("amount")):
        key = (row["source"], row["year"])
        rows[key] = FundRow(row["source"], str(labels[row["source"]]), row["year"], row["s"])
    counts: dict[tuple[str, int], set[int]] = defaultdict(set)
    for source, year_, project_id in allocations.values_list("source", "year", "project_id"):
        counts[(source, year_)].add(project_id)
    for key, ids in counts.items():
        rows[key].projects = len(ids)
    for row in disbursements.values("allocation__source", "allocation__year").annotate(
        s=Sum("amount")
    ):
        key = (row["allocation__source"], row["allocation__year"])
        rows[key].disbursed = row["s"]
    order = {value: index for index, value in enumerate(FundSource.values)}
    return sorted(rows.values(), key=lambda r: (order[r.source], r.year))


def fund_years(*, user: Any) -> list[int]:
    qs = restrict(FundAllocation.objects.all(), user, CAP, area_field="project__area")
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


# Assets --------------------------------------------------------------------------------


def asset_ledger(*, user: Any, root: Area, include_disposed: bool = True) -> QuerySet[Asset]:
    """The ledger of assets located under ``root`` within the user's areas, each with
    the date of its latest income and the total income recorded."""
    qs = restrict(Asset.objects.filter(_subtree("area__", root)), user, CAP)
    if not include_disposed:
        qs = qs.exclude(state=AssetState.DISPOSED)
    return (
        qs.select_related("area", "project")
        .annotate(last_income=Max("incomes__received_on"), income_total=Sum("incomes__amount"))
        .order_by("area__lft", "code")
    )


@dataclass
class AssetWithAlerts:
    asset: Asset
    alerts: list[str] = field(default_factory=list)

    @property
    def labels(self) -> list[str]:
        names = dict(AssetAlert.choices)
        return [str(names[a]) for a in self.alerts]


def asset_alerts(*, user: Any, root: Area, as_of: datetime.date) -> list[AssetWithAlerts]:
    """Assets in use under ``root`` that need attention on ``as_of``: no owner confirmed,
    no one responsible for upkeep, or (operating assets only, the kind that earns) no
    income recorded in the year up to ``as_of``. Assets registered within that year are not
    yet expected to have earned; disposed assets raise nothing."""
    year_ago = as_of - datetime.timedelta(days=365)
    found = []
    for asset in asset_ledger(user=user, root=root, include_disposed=False).filter(
        registered_on__lte=as_of
    ):
        alerts = []
        if not asset.owner or asset.confirmed_on is None:
            alerts.append(AssetAlert.NO_OWNER)
        if not asset.maintainer:
            alerts.append(AssetAlert.NO_MAINTAINER)
        if (
            asset.kind == AssetKind.OPERATING
            and asset.registered_on <= year_ago
            and (asset.last_income is None or asset.last_income <= year_ago)
        ):
            alerts.append(AssetAlert.NO_INCOME)
        if alerts:
            found.append(AssetWithAlerts(asset, alerts))
    return found


# Gaqa collective economy ---------------------------------------------------------------

# The bands of the seeds' reports, highest first: 100万以上, 50万以上, 5万以上 (yuan).
BANDS = (Decimal(1_000_000), Decimal(500_000), Decimal(50_000))


@dataclass
class BandCounts:
    area: Area
    gaqa: int = 0
    # Exclusive: each gaqa counted in its highest band only (the way the 2019 阿右旗 report
    # lists 4 / 11 / 19); ``below`` holds those under 50,000 with some income.
    exclusive: list[int] = field(default_factory=lambda: [0, 0, 0])
    below: int = 0
    none: int = 0

    @property
    def cumulative(self) -> list[int]:
        """Gaqa at or above each band (≥ 1,000,000; ≥ 500,000; ≥ 50,000)."""
        a, b, c = self.exclusive
        return [a, a + b, a + b + c]


@dataclass
class CollectiveEconomy:
    year: int
    rows: list[BandCounts]
    total: BandCounts
    totals_by_gaqa: dict[int, Decimal]
    without_income: list[Area]


def collective_economy(*, user: Any, root: Area, year: int) -> CollectiveEconomy:
    """Each gaqa's (or village's; communities have no collective economy of this kind)
    collective income in ``year`` summed over its sources, counted by band
    for every child of ``root`` and for ``root`` itself; gaqa without any income (no record
    or a total of zero) are listed. Only gaqa within the user's areas count."""
    gaqa = list(
        restrict(
            Area.objects.filter(
                _subtree("", root),
                level=Level.VILLAGE,
                kind__in=[Kind.GAQA, Kind.VILLAGE],
                is_active=True,
            ),
            user,
            CAP,
            area_field=None,
        ).order_by("lft")
    )
    sums = dict(
        restrict(
            CollectiveIncome.objects.filter(year=year, area__in=[g.pk for g in gaqa]), user, CAP
        )
        .values("area_id")
        .annotate(s=Sum("amount"))
        .values_list("area_id", "s")
    )
    children = list(
        Area.objects.filter(parent=root).order_by("lft") if root.level != Level.VILLAGE else []
    )
    rows = {child.pk: BandCounts(child) for child in children}
    total = BandCounts(root)
    without = []
    for g in gaqa:
        owner = next((c for c in children if c.lft <= g.lft <= c.rgt), None)
        targets = [total] + ([rows[owner.pk]] if owner is not None else [])
        amount = sums.get(g.pk) or ZERO
        for target in targets:
            target.gaqa += 1
            if amount <= 0:
                target.none += 1
            else:
                for index, floor in enumerate(BANDS):
                    if amount >= floor:
                        target.exclusive[index] += 1
                        break
                else:
                    target.below += 1
        if amount <= 0:
            without.append(g)
    return CollectiveEconomy(
        year=year,
        rows=[r for r in rows.values() if r.gaqa],
        total=total,
        totals_by_gaqa={g.pk: sums.get(g.pk) or ZERO for g in gaqa},
        without_income=without,
    )


def collective_years(*, user: Any) -> list[int]:
    qs = restrict(CollectiveIncome.objects.all(), user, CAP)
    return sorted(set(qs.values_list("year", flat=True)), reverse=True)


# Industries and cooperatives -----------------------------------------------------------


def enterprise_list(*, user: Any, root: Area) -> QuerySet[Enterprise]:
    return (
        restrict(Enterprise.objects.filter(_subtree("area__", root)), user, CAP)
        .select_related("area", "partner")
        .order_by("industry", "kind", "name")
    )


@dataclass
class IndustryRow:
    industry: str
    label: str
    area: Area
    households: int
    people: int


def industry_beneficiaries(
    *, user: Any, root: Area, as_of: datetime.date, year: int | None = None
) -> list[IndustryRow]:
    """Per industry and per child of ``root``: households that are members of one of the
    industry's enterprises on ``as_of`` or earned from it (in ``year`` when given), and the
    people living in them on ``as_of``. Households are placed by where they live and counted
    once per industry."""
    from tuopin.projects.choices import Industry  # noqa: PLC0415

    members = restrict(
        Membership.objects.filter(joined_on__lte=as_of).filter(
            Q(left_on__isnull=True) | Q(left_on__gte=as_of)
        ),
        user,
        CAP,
        area_field="household__area",
    ).filter(_subtree("household__area__", root))
    earners = restrict(ChainIncome.objects.all(), user, CAP, area_field="household__area").filter(
        _subtree("household__area__", root)
    )
    if year is not None:
        earners = earners.filter(year=year)
    by_industry: dict[str, set[int]] = defaultdict(set)
    for industry, household_id in members.values_list("enterprise__industry", "household_id"):
        by_industry[industry].add(household_id)
    for industry, household_id in earners.values_list("enterprise__industry", "household_id"):
        by_industry[industry].add(household_id)
    all_ids = set().union(*by_industry.values()) if by_industry else set()
    households = {h.pk: h for h in Household.objects.filter(pk__in=all_ids).select_related("area")}
    people: dict[int, int] = defaultdict(int)
    for household_id in (
        HouseholdMembership.objects.filter(household_id__in=all_ids, valid_from__lte=as_of)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=as_of))
        .values_list("household_id", flat=True)
    ):
        people[household_id] += 1
    children = (
        list(Area.objects.filter(parent=root).order_by("lft"))
        if root.level != Level.VILLAGE
        else [root]
    )
    labels = dict(Industry.choices)
    rows = []
    for industry in Industry.values:
        ids = by_industry.get(industry)
        if not ids:
            continue
        for child in children:
            inside = [i for i in ids if child.lft <= households[i].area.lft <= child.rgt]
            if inside:
                rows.append(
                    IndustryRow(
                        industry,
                        str(labels[industry]),
                        child,
                        len(inside),
                        sum(people[i] for i in inside),
                    )
                )
    return rows


@dataclass
class PurchaseDay:
    date: datetime.date
    product: str
    quantity_kg: Decimal
    amount: Decimal


def purchases_by_day(
    *, user: Any, enterprise: Enterprise, since: datetime.date | None = None
) -> list[PurchaseDay]:
    """What ``enterprise`` bought each day (since ``since`` when given), per product, the
    latest day first."""
    qs = restrict(
        Purchase.objects.filter(enterprise=enterprise),
        user,
        CAP,
        area_field="enterprise__area",
    )
    if since is not None:
        qs = qs.filter(date__gte=since)
    return [
        PurchaseDay(r["date"], r["product"], r["q"], r["a"])
        for r in qs.values("date", "product")
        .annotate(q=Sum("quantity_kg"), a=Sum("amount"))
        .order_by("-date", "product")
    ]


def chain_income_by_household(*, user: Any, root: Area, year: int) -> list[dict[str, Any]]:
    """Each household's income from the chains in ``year``, per enterprise; household codes
    only where the user may see records."""
    qs = restrict(
        ChainIncome.objects.filter(year=year), user, CAP, area_field="household__area"
    ).filter(_subtree("household__area__", root))
    rows = []
    for income in qs.select_related("household__area", "enterprise").order_by(
        "enterprise__name", "-amount"
    ):
        visible = covers(user, Capability.VIEW_RECORDS, income.household.area)
        rows.append(
            {
                "enterprise": income.enterprise,
                "household": income.household.code if visible else None,
                "area": income.household.area,
                "amount": income.amount,
                "kind": income.kind,
            }
        )
    return rows
