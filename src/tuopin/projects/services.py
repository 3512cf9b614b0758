"""Writes of projects, funds, assets, collective incomes and industry chains: permission,
validation, the change and its audit row, in one transaction each."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from tuopin.areas.choices import Level, level_rank
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.projects.choices import (
    PUBLICITY_ORDER,
    AssetKind,
    AssetState,
    CollectiveIncomeSource,
    EnterpriseKind,
    FundSource,
    Industry,
    ProjectState,
    ProjectType,
)
from tuopin.projects.models import (
    Asset,
    AssetIncome,
    ChainIncome,
    CollectiveIncome,
    Disbursement,
    Enterprise,
    FundAllocation,
    Membership,
    Project,
    Publicity,
    Purchase,
)
from tuopin.projects.permissions import require_level
from tuopin.registry.models import Household

ZERO = Decimal(0)


def _within(child: Area, parent: Area) -> bool:
    return parent.lft <= child.lft <= parent.rgt


def _ancestor_at(area: Area, level: str) -> Area:
    """``area``'s ancestor at ``level`` (``area`` itself when it is at or above it)."""
    if level_rank(area.level) <= level_rank(level):
        return area
    found = Area.objects.filter(lft__lte=area.lft, rgt__gte=area.rgt, level=level).first()
    return found or area


def _lock(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("area").get(pk=project.pk)


def _wrong_state(project: Project) -> DomainError:
    return DomainError(
        "projects.project.wrong_state",
        _("This step is not open to a project that is %(state)s."),
        params={"state": project.get_state_display()},
    )


# Projects ------------------------------------------------------------------------------


@transaction.atomic
def project_propose(
    *,
    actor: Any,
    code: str,
    name: str,
    project_type: str,
    area: Area,
    year: int,
    budget: Decimal,
    areas: Iterable[Area] = (),
    beneficiaries: Iterable[Household] = (),
    industry: str = "",
    proposer_unit: str = "",
    description: str = "",
) -> Project:
    """A gaqa or unit proposes a project (record editing over ``area``); it starts
    ``proposed`` and enters the pipeline only after its publicity at every level."""
    require_level(actor, area, Level.VILLAGE)
    places = list(areas) or [area]
    households = list(beneficiaries)
    errors: list[DomainError] = []
    if not code.strip():
        errors.append(DomainError("projects.project.code", _("Give a code."), field="code"))
    elif Project.objects.filter(code=code.strip()).exists():
        errors.append(
            DomainError(
                "projects.project.code_taken", _("This code is already in use."), field="code"
            )
        )
    if not name.strip():
        errors.append(DomainError("projects.project.name", _("Give a name."), field="name"))
    if project_type not in ProjectType.values:
        errors.append(
            DomainError("projects.project.type", _("Unknown project type."), field="project_type")
        )
    if industry and industry not in Industry.values:
        errors.append(
            DomainError("projects.project.industry", _("Unknown industry."), field="industry")
        )
    if budget is None or budget <= 0:
        errors.append(
            DomainError(
                "projects.project.budget", _("The budget must be above zero."), field="budget"
            )
        )
    for place in places:
        if not _within(place, area):
            errors.append(
                DomainError(
                    "projects.project.area_outside",
                    _("%(area)s lies outside the proposing area."),
                    field="areas",
                    params={"area": place.display_name},
                )
            )
    for household in households:
        if not any(_within(household.area, place) for place in places):
            errors.append(
                DomainError(
                    "projects.project.household_outside",
                    _("Household %(code)s lives outside the project's areas."),
                    field="beneficiaries",
                    params={"code": household.code},
                )
            )
    if errors:
        raise ValidationFailed(errors)
    project = Project.objects.create(
        code=code.strip(),
        name=name.strip(),
        project_type=project_type,
        industry=industry,
        area=area,
        year=year,
        budget=budget,
        proposer_unit=proposer_unit,
        description=description,
        created_by=actor,
    )
    project.areas.set(places)
    project.beneficiaries.set(households)
    log_action(
        actor=actor,
        action="projects.project.proposed",
        obj=project,
        area_code=area.code,
        diff={
            "code": [None, project.code],
            "type": [None, project_type],
            "budget": [None, budget],
            "areas": [None, [p.code for p in places]],
            "beneficiaries": [None, [h.code for h in households]],
        },
    )
    return project


@transaction.atomic
def project_publicise(
    *,
    actor: Any,
    project: Project,
    level: str,
    start_date: datetime.date,
    end_date: datetime.date,
    objections: str = "",
) -> Publicity:
    """Record the project's publicity at ``level`` (gaqa, then town, then banner), by an
    office of that level or above. Each level starts only once the one below has ended; the
    banner's publicity makes the project ``publicised``."""
    project = _lock(project)
    if level not in PUBLICITY_ORDER:
        raise DomainError("projects.publicity.level", _("Unknown level."), field="level")
    require_level(actor, project.area, level)
    if project.state != ProjectState.PROPOSED:
        raise _wrong_state(project)
    if end_date < start_date:
        raise DomainError(
            "projects.publicity.end_before_start",
            _("The end date lies before the start date."),
            field="end_date",
        )
    done = {p.level: p for p in project.publicities.all()}
    if level in done:
        raise DomainError(
            "projects.publicity.repeated",
            _("The project was already publicised at this level."),
            field="level",
        )
    index = PUBLICITY_ORDER.index(level)
    if index > 0:
        previous = done.get(PUBLICITY_ORDER[index - 1])
        if previous is None:
            raise DomainError(
                "projects.publicity.out_of_order",
                _("Publicity runs level by level: the %(level)s publicity comes first."),
                field="level",
                params={"level": PUBLICITY_ORDER[index - 1].label},
            )
        if start_date <= previous.end_date:
            raise DomainError(
                "projects.publicity.overlaps",
                _("This publicity may start only after the one below ends on %(date)s."),
                field="start_date",
                params={"date": previous.end_date.isoformat()},
            )
    publicity = Publicity.objects.create(
        project=project,
        level=level,
        area=_ancestor_at(project.area, level),
        start_date=start_date,
        end_date=end_date,
        objections=objections,
        recorded_by=actor,
    )
    before = project.state
    if level == PUBLICITY_ORDER[-1]:
        project.state = ProjectState.PUBLICISED
        project.save(update_fields=["state"])
    log_action(
        actor=actor,
        action="projects.project.publicised",
        obj=project,
        area_code=project.area.code,
        diff={
            "level": [None, level],
            "period": [None, [start_date, end_date]],
            "state": [before, project.state],
        },
    )
    return publicity


def _advance(
    *,
    actor: Any,
    project: Project,
    level: str,
    expected: str,
    target: str,
    action: str,
    fields: dict[str, Any] | None = None,
) -> Project:
    require_level(actor, project.area, level)
    if project.state != expected:
        raise _wrong_state(project)
    before = project.state
    project.state = target
    for name, value in (fields or {}).items():
        setattr(project, name, value)
    project.save(update_fields=["state", *(fields or {})])
    log_action(
        actor=actor,
        action=action,
        obj=project,
        area_code=project.area.code,
        diff={"state": [before, target]} | {k: [None, v] for k, v in (fields or {}).items()},
    )
    return project


@transaction.atomic
def project_enter_pipeline(*, actor: Any, project: Project, on: datetime.date) -> Project:
    """The banner takes a publicised project into the pipeline once its publicity ended."""
    project = _lock(project)
    banner = project.publicities.filter(level=PUBLICITY_ORDER[-1]).first()
    if banner is not None and on <= banner.end_date:
        raise DomainError(
            "projects.project.publicity_running",
            _("The banner's publicity runs until %(date)s."),
            field="on",
            params={"date": banner.end_date.isoformat()},
        )
    return _advance(
        actor=actor,
        project=project,
        level=Level.BANNER,
        expected=ProjectState.PUBLICISED,
        target=ProjectState.IN_PIPELINE,
        action="projects.project.entered_pipeline",
    )


@transaction.atomic
def project_approve(*, actor: Any, project: Project, on: datetime.date) -> Project:
    """The banner approves a project in the pipeline."""
    return _advance(
        actor=actor,
        project=_lock(project),
        level=Level.BANNER,
        expected=ProjectState.IN_PIPELINE,
        target=ProjectState.APPROVED,
        action="projects.project.approved",
        fields={"approved_on": on},
    )


@transaction.atomic
def project_mark_funded(*, actor: Any, project: Project) -> Project:
    """The banner marks an approved project funded once its allocations cover the budget."""
    project = _lock(project)
    allocated = project.allocations.aggregate(s=Sum("amount"))["s"] or ZERO
    if project.state == ProjectState.APPROVED and allocated < project.budget:
        raise DomainError(
            "projects.project.underfunded",
            _("Allocations of %(allocated)s yuan do not cover the budget of %(budget)s yuan."),
            params={"allocated": allocated, "budget": project.budget},
        )
    return _advance(
        actor=actor,
        project=project,
        level=Level.BANNER,
        expected=ProjectState.APPROVED,
        target=ProjectState.FUNDED,
        action="projects.project.funded",
    )


@transaction.atomic
def project_mark_implemented(*, actor: Any, project: Project, on: datetime.date) -> Project:
    """The town reports a funded project carried out."""
    return _advance(
        actor=actor,
        project=_lock(project),
        level=Level.SUMU_TOWN,
        expected=ProjectState.FUNDED,
        target=ProjectState.IMPLEMENTED,
        action="projects.project.implemented",
        fields={"implemented_on": on},
    )


@transaction.atomic
def project_accept(*, actor: Any, project: Project, on: datetime.date) -> Project:
    """The banner accepts (验收) an implemented project."""
    return _advance(
        actor=actor,
        project=_lock(project),
        level=Level.BANNER,
        expected=ProjectState.IMPLEMENTED,
        target=ProjectState.ACCEPTED,
        action="projects.project.accepted",
        fields={"accepted_on": on},
    )


@transaction.atomic
def project_announce(*, actor: Any, project: Project, on: datetime.date, place: str) -> Project:
    """The gaqa announces the accepted project where it was carried out (竣工公告)."""
    if not place.strip():
        raise DomainError(
            "projects.project.place", _("Say where the announcement is posted."), field="place"
        )
    return _advance(
        actor=actor,
        project=_lock(project),
        level=Level.VILLAGE,
        expected=ProjectState.ACCEPTED,
        target=ProjectState.ANNOUNCED,
        action="projects.project.announced",
        fields={"announced_on": on, "announcement_place": place.strip()},
    )


# Funds ---------------------------------------------------------------------------------

_FUNDABLE = {
    ProjectState.APPROVED,
    ProjectState.FUNDED,
    ProjectState.IMPLEMENTED,
    ProjectState.ACCEPTED,
    ProjectState.ANNOUNCED,
}


@transaction.atomic
def fund_allocate(
    *,
    actor: Any,
    project: Project,
    source: str,
    year: int,
    amount: Decimal,
    allocated_on: datetime.date,
    source_unit: str = "",
    document: str = "",
) -> FundAllocation:
    """Allocate money from ``source`` to an approved project (banner offices)."""
    project = _lock(project)
    require_level(actor, project.area, Level.BANNER)
    errors: list[DomainError] = []
    if project.state not in _FUNDABLE:
        errors.append(_wrong_state(project))
    if source not in FundSource.values:
        errors.append(
            DomainError("projects.fund.source", _("Unknown fund source."), field="source")
        )
    if source == FundSource.UNIT_SAVINGS and not source_unit.strip():
        errors.append(
            DomainError(
                "projects.fund.source_unit",
                _("Name the unit whose savings these are."),
                field="source_unit",
            )
        )
    if amount is None or amount <= 0:
        errors.append(
            DomainError("projects.fund.amount", _("The amount must be above zero."), field="amount")
        )
    if errors:
        raise ValidationFailed(errors)
    allocation = FundAllocation.objects.create(
        project=project,
        source=source,
        source_unit=source_unit.strip(),
        year=year,
        amount=amount,
        allocated_on=allocated_on,
        document=document,
    )
    log_action(
        actor=actor,
        action="projects.fund.allocated",
        obj=allocation,
        area_code=project.area.code,
        diff={
            "project": [None, project.code],
            "source": [None, source],
            "year": [None, year],
            "amount": [None, amount],
        },
    )
    return allocation


def allocation_balance(allocation: FundAllocation) -> Decimal:
    paid = allocation.disbursements.aggregate(s=Sum("amount"))["s"] or ZERO
    return allocation.amount - paid


@transaction.atomic
def fund_disburse(
    *,
    actor: Any,
    allocation: FundAllocation,
    amount: Decimal,
    paid_on: datetime.date,
    payee: str,
    purpose: str = "",
) -> Disbursement:
    """Pay ``amount`` out of ``allocation`` (banner offices); refused beyond its balance."""
    allocation = (
        FundAllocation.objects.select_for_update()
        .select_related("project__area")
        .get(pk=allocation.pk)
    )
    require_level(actor, allocation.project.area, Level.BANNER)
    errors: list[DomainError] = []
    if amount is None or amount <= 0:
        errors.append(
            DomainError("projects.fund.amount", _("The amount must be above zero."), field="amount")
        )
    else:
        balance = allocation_balance(allocation)
        if amount > balance:
            errors.append(
                DomainError(
                    "projects.fund.over_balance",
                    _("%(amount)s yuan is more than the %(balance)s yuan left of this allocation."),
                    field="amount",
                    params={"amount": amount, "balance": balance},
                )
            )
    if paid_on < allocation.allocated_on:
        errors.append(
            DomainError(
                "projects.fund.paid_before_allocated",
                _("Money cannot be paid before it is allocated."),
                field="paid_on",
            )
        )
    if not payee.strip():
        errors.append(DomainError("projects.fund.payee", _("Name the payee."), field="payee"))
    if errors:
        raise ValidationFailed(errors)
    disbursement = Disbursement.objects.create(
        allocation=allocation, amount=amount, paid_on=paid_on, payee=payee.strip(), purpose=purpose
    )
    log_action(
        actor=actor,
        action="projects.fund.disbursed",
        obj=disbursement,
        area_code=allocation.project.area.code,
        diff={
            "project": [None, allocation.project.code],
            "allocation": [None, allocation.pk],
            "amount": [None, amount],
            "payee": [None, disbursement.payee],
        },
    )
    return disbursement


# Assets --------------------------------------------------------------------------------


def _lock_asset(asset: Asset) -> Asset:
    return Asset.objects.select_for_update().select_related("area").get(pk=asset.pk)


def _asset_log(actor: Any, asset: Asset, action: str, diff: dict[str, Any]) -> None:
    log_action(actor=actor, action=action, obj=asset, area_code=asset.area.code, diff=diff)


def _not_disposed(asset: Asset) -> None:
    if asset.state == AssetState.DISPOSED:
        raise DomainError("projects.asset.disposed", _("The asset has been disposed of."))


@transaction.atomic
def asset_register(
    *,
    actor: Any,
    code: str,
    name: str,
    kind: str,
    area: Area,
    value: Decimal,
    registered_on: datetime.date,
    project: Project | None = None,
) -> Asset:
    """Enter an asset in the ledger (清产核资, 建账), by a town office or above."""
    require_level(actor, area, Level.SUMU_TOWN)
    errors: list[DomainError] = []
    if not code.strip() or Asset.objects.filter(code=code.strip()).exists():
        errors.append(
            DomainError("projects.asset.code", _("Give a code not yet in use."), field="code")
        )
    if not name.strip():
        errors.append(DomainError("projects.asset.name", _("Give a name."), field="name"))
    if kind not in AssetKind.values:
        errors.append(DomainError("projects.asset.kind", _("Unknown asset kind."), field="kind"))
    if value is None or value < 0:
        errors.append(
            DomainError("projects.asset.value", _("A value cannot be negative."), field="value")
        )
    if project is not None and not any(_within(area, p) for p in project.areas.all()):
        errors.append(
            DomainError(
                "projects.asset.outside_project",
                _("The asset lies outside the project's areas."),
                field="area",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    asset = Asset.objects.create(
        code=code.strip(),
        name=name.strip(),
        kind=kind,
        area=area,
        value=value,
        registered_on=registered_on,
        project=project,
    )
    _asset_log(
        actor,
        asset,
        "projects.asset.registered",
        {"code": [None, asset.code], "kind": [None, kind], "value": [None, value]},
    )
    return asset


@transaction.atomic
def asset_confirm_ownership(
    *,
    actor: Any,
    asset: Asset,
    owner: str,
    on: datetime.date,
    owner_household: Household | None = None,
) -> Asset:
    """Confirm who owns the asset (确权), by a banner office: the gaqa collective for most,
    the household for 到户类 assets."""
    asset = _lock_asset(asset)
    require_level(actor, asset.area, Level.BANNER)
    _not_disposed(asset)
    if not owner.strip():
        raise DomainError("projects.asset.owner", _("Name the owner."), field="owner")
    if asset.kind == AssetKind.HOUSEHOLD and owner_household is None:
        raise DomainError(
            "projects.asset.owner_household",
            _("A household asset belongs to a household: choose it."),
            field="owner_household",
        )
    before = {"owner": asset.owner, "state": asset.state}
    asset.owner = owner.strip()
    asset.owner_household = owner_household
    asset.confirmed_on = on
    if asset.state == AssetState.REGISTERED:
        asset.state = AssetState.CONFIRMED
    asset.save()
    _asset_log(
        actor,
        asset,
        "projects.asset.ownership_confirmed",
        {"owner": [before["owner"], asset.owner], "state": [before["state"], asset.state]},
    )
    return asset


@transaction.atomic
def asset_hand_over(*, actor: Any, asset: Asset, to: str, on: datetime.date) -> Asset:
    """Hand a confirmed asset over to whoever runs it (移交), by a banner office."""
    asset = _lock_asset(asset)
    require_level(actor, asset.area, Level.BANNER)
    _not_disposed(asset)
    if asset.state != AssetState.CONFIRMED:
        raise DomainError(
            "projects.asset.not_confirmed",
            _("Ownership must be confirmed before the asset is handed over."),
        )
    if not to.strip():
        raise DomainError("projects.asset.handed_to", _("Say who receives it."), field="to")
    asset.handed_over_to = to.strip()
    asset.handed_over_on = on
    asset.state = AssetState.HANDED_OVER
    asset.save()
    _asset_log(
        actor,
        asset,
        "projects.asset.handed_over",
        {"handed_over_to": [None, asset.handed_over_to], "state": ["confirmed", asset.state]},
    )
    return asset


@transaction.atomic
def asset_assign_maintainer(
    *, actor: Any, asset: Asset, maintainer: str, since: datetime.date
) -> Asset:
    """Name who keeps the asset up (管护责任人), by a town office or above."""
    asset = _lock_asset(asset)
    require_level(actor, asset.area, Level.SUMU_TOWN)
    _not_disposed(asset)
    if not maintainer.strip():
        raise DomainError(
            "projects.asset.maintainer", _("Name who is responsible."), field="maintainer"
        )
    before = asset.maintainer
    asset.maintainer = maintainer.strip()
    asset.maintainer_since = since
    asset.save()
    _asset_log(
        actor,
        asset,
        "projects.asset.maintainer_assigned",
        {"maintainer": [before, asset.maintainer]},
    )
    return asset


@transaction.atomic
def asset_record_income(
    *,
    actor: Any,
    asset: Asset,
    received_on: datetime.date,
    amount: Decimal,
    to_gaqa: Decimal = ZERO,
    to_households: Decimal = ZERO,
    households: Iterable[Household] = (),
    note: str = "",
) -> AssetIncome:
    """Record an asset's income and its distribution (收益分配), by the gaqa or above."""
    asset = _lock_asset(asset)
    require_level(actor, asset.area, Level.VILLAGE)
    _not_disposed(asset)
    receivers = list(households)
    errors: list[DomainError] = []
    if amount is None or amount < 0:
        errors.append(
            DomainError(
                "projects.income.amount", _("An amount cannot be negative."), field="amount"
            )
        )
    elif to_gaqa < 0 or to_households < 0 or to_gaqa + to_households > amount:
        errors.append(
            DomainError(
                "projects.income.shares",
                _("The shares to the gaqa and to households exceed the income."),
                field="to_households",
            )
        )
    if to_households > 0 and not receivers:
        errors.append(
            DomainError(
                "projects.income.no_households",
                _("Choose the households that receive a share."),
                field="households",
            )
        )
    banner = _ancestor_at(asset.area, Level.BANNER)
    for household in receivers:
        if not _within(household.area, banner):
            errors.append(
                DomainError(
                    "projects.income.household_outside",
                    _("Household %(code)s lives outside the asset's banner."),
                    field="households",
                    params={"code": household.code},
                )
            )
    if errors:
        raise ValidationFailed(errors)
    income = AssetIncome.objects.create(
        asset=asset,
        received_on=received_on,
        amount=amount,
        to_gaqa=to_gaqa,
        to_households=to_households,
        note=note,
    )
    income.households.set(receivers)
    _asset_log(
        actor,
        asset,
        "projects.asset.income_recorded",
        {
            "received_on": [None, received_on],
            "amount": [None, amount],
            "to_gaqa": [None, to_gaqa],
            "to_households": [None, to_households],
            "households": [None, [h.code for h in receivers]],
        },
    )
    return income


@transaction.atomic
def asset_dispose(*, actor: Any, asset: Asset, on: datetime.date, reason: str) -> Asset:
    """Dispose of an asset (处置: sold, scrapped, transferred), by a banner office."""
    asset = _lock_asset(asset)
    require_level(actor, asset.area, Level.BANNER)
    _not_disposed(asset)
    if not reason.strip():
        raise DomainError("projects.asset.reason", _("Give the reason."), field="reason")
    before = asset.state
    asset.state = AssetState.DISPOSED
    asset.disposed_on = on
    asset.disposal_reason = reason.strip()
    asset.save()
    _asset_log(
        actor,
        asset,
        "projects.asset.disposed",
        {"state": [before, asset.state], "reason": [None, asset.disposal_reason]},
    )
    return asset


# Gaqa collective economy ---------------------------------------------------------------


@transaction.atomic
def collective_income_record(
    *, actor: Any, area: Area, year: int, source: str, amount: Decimal, note: str = ""
) -> CollectiveIncome:
    """Record (or correct) a gaqa's collective income from one source in a year."""
    require_level(actor, area, Level.VILLAGE)
    errors: list[DomainError] = []
    if area.level != Level.VILLAGE:
        errors.append(
            DomainError(
                "projects.collective.not_gaqa",
                _("Collective income is kept per gaqa or village."),
                field="area",
            )
        )
    if source not in CollectiveIncomeSource.values:
        errors.append(
            DomainError("projects.collective.source", _("Unknown source."), field="source")
        )
    if amount is None or amount < 0:
        errors.append(
            DomainError(
                "projects.collective.amount", _("An amount cannot be negative."), field="amount"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    row = (
        CollectiveIncome.objects.select_for_update()
        .filter(area=area, year=year, source=source)
        .first()
    )
    before = row.amount if row else None
    if row is None:
        row = CollectiveIncome.objects.create(
            area=area, year=year, source=source, amount=amount, note=note
        )
    else:
        row.amount = amount
        row.note = note
        row.save(update_fields=["amount", "note"])
    log_action(
        actor=actor,
        action="projects.collective.recorded",
        obj=row,
        area_code=area.code,
        diff={"year": [None, year], "source": [None, source], "amount": [before, amount]},
    )
    return row


# Industries and cooperatives -----------------------------------------------------------


@transaction.atomic
def enterprise_register(
    *,
    actor: Any,
    name: str,
    kind: str,
    industry: str,
    area: Area,
    partner: Enterprise | None = None,
    founded_on: datetime.date | None = None,
) -> Enterprise:
    """Enter a company, research base, production base or cooperative (town or above)."""
    require_level(actor, area, Level.SUMU_TOWN)
    errors: list[DomainError] = []
    if not name.strip():
        errors.append(DomainError("projects.enterprise.name", _("Give a name."), field="name"))
    if kind not in EnterpriseKind.values:
        errors.append(DomainError("projects.enterprise.kind", _("Unknown kind."), field="kind"))
    if industry not in Industry.values:
        errors.append(
            DomainError("projects.enterprise.industry", _("Unknown industry."), field="industry")
        )
    if errors:
        raise ValidationFailed(errors)
    enterprise = Enterprise.objects.create(
        name=name.strip(),
        kind=kind,
        industry=industry,
        area=area,
        partner=partner,
        founded_on=founded_on,
    )
    log_action(
        actor=actor,
        action="projects.enterprise.registered",
        obj=enterprise,
        area_code=area.code,
        diff={"name": [None, enterprise.name], "kind": [None, kind], "industry": [None, industry]},
    )
    return enterprise


def _enterprise_banner(enterprise: Enterprise) -> Area:
    return _ancestor_at(enterprise.area, Level.BANNER)


@transaction.atomic
def cooperative_add_member(
    *, actor: Any, enterprise: Enterprise, household: Household, joined_on: datetime.date
) -> Membership:
    """A household joins a cooperative (record editing over the household's gaqa)."""
    require_level(actor, household.area, Level.VILLAGE)
    if not _within(household.area, _enterprise_banner(enterprise)):
        raise DomainError(
            "projects.enterprise.household_outside",
            _("Household %(code)s lives outside the cooperative's banner."),
            field="household",
            params={"code": household.code},
        )
    if Membership.objects.filter(enterprise=enterprise, household=household).exists():
        raise DomainError(
            "projects.enterprise.already_member",
            _("Household %(code)s is already a member."),
            field="household",
            params={"code": household.code},
        )
    membership = Membership.objects.create(
        enterprise=enterprise, household=household, joined_on=joined_on
    )
    log_action(
        actor=actor,
        action="projects.enterprise.member_added",
        obj=enterprise,
        area_code=household.area.code,
        diff={"household": [None, household.code], "joined_on": [None, joined_on]},
    )
    return membership


@transaction.atomic
def purchase_record(
    *,
    actor: Any,
    enterprise: Enterprise,
    date: datetime.date,
    product: str,
    quantity_kg: Decimal,
    amount: Decimal,
    seller: Enterprise | None = None,
) -> Purchase:
    """Record what an enterprise bought on a day (town or above over the enterprise)."""
    require_level(actor, enterprise.area, Level.SUMU_TOWN)
    errors: list[DomainError] = []
    if not product.strip():
        errors.append(
            DomainError("projects.purchase.product", _("Name the product."), field="product")
        )
    if quantity_kg is None or quantity_kg <= 0:
        errors.append(
            DomainError(
                "projects.purchase.quantity",
                _("The quantity must be above zero."),
                field="quantity_kg",
            )
        )
    if amount is None or amount < 0:
        errors.append(
            DomainError(
                "projects.purchase.amount", _("An amount cannot be negative."), field="amount"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    purchase = Purchase.objects.create(
        enterprise=enterprise,
        date=date,
        product=product.strip(),
        quantity_kg=quantity_kg,
        amount=amount,
        seller=seller,
    )
    log_action(
        actor=actor,
        action="projects.purchase.recorded",
        obj=purchase,
        area_code=enterprise.area.code,
        diff={"date": [None, date], "product": [None, product], "quantity_kg": [None, quantity_kg]},
    )
    return purchase


@transaction.atomic
def chain_income_record(
    *,
    actor: Any,
    enterprise: Enterprise,
    household: Household,
    year: int,
    amount: Decimal,
    kind: str = "",
) -> ChainIncome:
    """Record a household's income from the chain through ``enterprise`` in ``year``."""
    require_level(actor, household.area, Level.VILLAGE)
    if amount is None or amount < 0:
        raise DomainError(
            "projects.chain_income.amount", _("An amount cannot be negative."), field="amount"
        )
    if not _within(household.area, _enterprise_banner(enterprise)):
        raise DomainError(
            "projects.enterprise.household_outside",
            _("Household %(code)s lives outside the cooperative's banner."),
            field="household",
            params={"code": household.code},
        )
    income = ChainIncome.objects.create(
        enterprise=enterprise, household=household, year=year, amount=amount, kind=kind
    )
    log_action(
        actor=actor,
        action="projects.chain_income.recorded",
        obj=income,
        area_code=household.area.code,
        diff={"household": [None, household.code], "year": [None, year], "amount": [None, amount]},
    )
    return income
