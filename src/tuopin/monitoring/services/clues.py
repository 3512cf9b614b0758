"""Writes of risk clues: raised idempotently from every channel, dismissed, matched."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import require
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.monitoring.choices import (
    CASE_OPENERS,
    CaseKind,
    CaseState,
    ClueChannel,
    ClueStatus,
    RiskType,
)
from tuopin.monitoring.models import Case, Clue
from tuopin.monitoring.selectors import holds_role
from tuopin.registry.models import Household


def _refuse() -> PermissionDenied:
    return PermissionDenied(
        "monitoring.case.not_your_step",
        _("This step belongs to another role or another area; you cannot take it."),
    )


# ---------------------------------------------------------------------------------------------
# Clues


def _open_identification(household: Household) -> Case | None:
    return Case.objects.filter(
        household=household, kind=CaseKind.IDENTIFICATION, state=CaseState.OPEN
    ).first()


def raise_in_area(
    *,
    actor: Any,
    household: Household | None,
    area: Area,
    channel: str,
    risk_type: str,
    facts: dict[str, Any],
    source_key: str,
) -> tuple[Clue, bool]:
    """``clue_raise`` for a known gaqa, without a permission check: for callers that did
    their own (the public self-application, which has no user)."""
    if channel not in ClueChannel.values:
        raise DomainError("monitoring.clue.channel", _("Unknown channel."), field="channel")
    if risk_type not in RiskType.values:
        raise DomainError("monitoring.clue.risk_type", _("Unknown risk type."), field="risk_type")
    if source_key:
        same = Clue.objects.filter(channel=channel, source_key=source_key).first()
        if same is not None:
            return same, False
    if household is not None:
        # One clue at a time per household: lock it so two channels cannot both create one.
        Household.objects.select_for_update().filter(pk=household.pk).first()
        existing = Clue.objects.filter(household=household, status=ClueStatus.OPEN).first()
        if existing is not None:
            return existing, False
        case = _open_identification(household)
        if case is not None and case.clue is not None:
            return case.clue, False
    try:
        with transaction.atomic():
            clue = Clue.objects.create(
                channel=channel,
                risk_type=risk_type,
                household=household,
                area=area,
                facts=facts,
                source_key=source_key[:120],
                raised_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        # A concurrent raise with the same source key won the race.
        return Clue.objects.get(channel=channel, source_key=source_key), False
    log_action(
        actor=actor,
        action="monitoring.clue.raised",
        obj=clue,
        area_code=area.code,
        diff={
            "channel": [None, channel],
            "risk_type": [None, risk_type],
            "household": [None, household.code if household else None],
            "source_key": [None, source_key],
        },
    )
    return clue, True


@transaction.atomic
def clue_raise(
    *,
    actor: Any,
    household: Household | None,
    channel: str,
    risk_type: str,
    facts: dict[str, Any],
    source_key: str,
) -> tuple[Clue, bool]:
    """Raise a risk clue for ``household``; idempotent.

    Creates nothing and returns ``(existing, False)`` when a clue with the same
    ``channel`` and ``source_key`` exists, or the household already has an open clue or an
    open identification case (the case's clue is returned). Otherwise creates the clue,
    audits ``monitoring.clue.raised`` and returns ``(clue, True)``.

    ``actor`` is ``None`` for the system (the sweep, a department feed): no permission is
    checked. A user needs record access over the household's gaqa. ``household`` may be
    ``None`` only when ``facts["area_code"]`` names the gaqa the clue belongs to.
    """
    if household is not None:
        household = Household.objects.select_related("area").get(pk=household.pk)
        area = household.area
    else:
        area = Area.objects.filter(code=str(facts.get("area_code", ""))).first()
        if area is None:
            raise DomainError(
                "monitoring.clue.no_area",
                _("A clue without a household must name its gaqa."),
                field="household",
            )
    if actor is not None:
        require(actor, Capability.VIEW_RECORDS, area)
    return raise_in_area(
        actor=actor,
        household=household,
        area=area,
        channel=channel,
        risk_type=risk_type,
        facts=facts,
        source_key=source_key,
    )


def _locked_clue(clue: Clue) -> Clue:
    return (
        Clue.objects.select_for_update(of=("self",))
        .select_related("area", "household")
        .get(pk=clue.pk)
    )


@transaction.atomic
def clue_dismiss(*, actor: Any, clue: Clue, reason: str) -> Clue:
    """Close an open clue without a case, saying why (a gaqa cadre of its gaqa)."""
    clue = _locked_clue(clue)
    if not holds_role(actor, CASE_OPENERS, clue.area):
        raise _refuse()
    if clue.status != ClueStatus.OPEN:
        raise DomainError("monitoring.clue.not_open", _("This clue is no longer open."))
    if not reason.strip():
        raise DomainError(
            "monitoring.clue.reason", _("Say why the clue is dismissed."), field="reason"
        )
    clue.status = ClueStatus.DISMISSED
    clue.dismiss_reason = reason.strip()[:300]
    clue.closed_at = timezone.now()
    clue.save(update_fields=["status", "dismiss_reason", "closed_at"])
    log_action(
        actor=actor,
        action="monitoring.clue.dismissed",
        obj=clue,
        area_code=clue.area.code,
        diff={"status": [ClueStatus.OPEN, ClueStatus.DISMISSED], "reason": [None, reason]},
    )
    return clue


@transaction.atomic
def clue_match(*, actor: Any, clue: Clue, household: Household) -> Clue:
    """Attach a self-application's clue to the registered household it is about."""
    clue = _locked_clue(clue)
    if not holds_role(actor, CASE_OPENERS, clue.area) or not household.area.contains(clue.area):
        raise _refuse()
    if clue.household_id is not None or clue.status != ClueStatus.OPEN:
        raise DomainError("monitoring.clue.matched", _("This clue already has a household."))
    if Clue.objects.filter(household=household, status=ClueStatus.OPEN).exists():
        raise DomainError(
            "monitoring.clue.household_has_clue",
            _("This household already has an open clue; dismiss one of them."),
        )
    clue.household = household
    clue.save(update_fields=["household"])
    log_action(
        actor=actor,
        action="monitoring.clue.matched",
        obj=clue,
        area_code=clue.area.code,
        diff={"household": [None, household.code]},
    )
    return clue
