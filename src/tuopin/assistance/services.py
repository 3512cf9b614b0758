"""Writes of assistance measures: permission, validation, the change and its audit row."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import require
from tuopin.assistance.choices import MeasureCategory, RiskType
from tuopin.assistance.models import Measure
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.registry.models import Household


def _require_edit(actor: Any, household: Household) -> None:
    if actor is not None:
        require(actor, Capability.EDIT_RECORDS, household.area)


@transaction.atomic
def measure_add(
    *,
    actor: Any,
    household: Household,
    category: str,
    description: str,
    start_date: datetime.date,
    risk_type: str = "",
    end_date: datetime.date | None = None,
    amount: Decimal | None = None,
    responsible: Any = None,
    responsible_unit: str = "",
) -> Measure:
    """Record a measure for ``household`` (needs record editing over its gaqa)."""
    _require_edit(actor, household)
    errors: list[DomainError] = []
    if category not in MeasureCategory.values:
        errors.append(
            DomainError("assistance.measure.category", _("Unknown category."), field="category")
        )
    if risk_type and risk_type not in RiskType.values:
        errors.append(
            DomainError("assistance.measure.risk_type", _("Unknown risk type."), field="risk_type")
        )
    if not description.strip():
        errors.append(
            DomainError(
                "assistance.measure.description",
                _("Say what the measure is."),
                field="description",
            )
        )
    if end_date is not None and end_date < start_date:
        errors.append(
            DomainError(
                "assistance.measure.end_before_start",
                _("The end date lies before the start date."),
                field="end_date",
            )
        )
    if amount is not None and amount < 0:
        errors.append(
            DomainError(
                "assistance.measure.amount", _("An amount cannot be negative."), field="amount"
            )
        )
    if errors:
        raise ValidationFailed(errors)
    measure = Measure.objects.create(
        household=household,
        area=household.area,
        category=category,
        risk_type=risk_type,
        description=description.strip(),
        start_date=start_date,
        end_date=end_date,
        amount=amount,
        responsible=responsible,
        responsible_unit=responsible_unit,
    )
    log_action(
        actor=actor,
        action="assistance.measure.added",
        obj=measure,
        area_code=household.area.code,
        diff={
            "household": [None, household.code],
            "category": [None, category],
            "risk_type": [None, risk_type],
            "start_date": [None, start_date],
            "end_date": [None, end_date],
        },
    )
    return measure


@transaction.atomic
def measure_end(*, actor: Any, measure: Measure, end_date: datetime.date) -> Measure:
    """Close a measure on ``end_date`` (the last day it is in place)."""
    measure = (
        Measure.objects.select_for_update().select_related("household__area").get(pk=measure.pk)
    )
    _require_edit(actor, measure.household)
    if end_date < measure.start_date:
        raise DomainError(
            "assistance.measure.end_before_start",
            _("The end date lies before the start date."),
            field="end_date",
        )
    before = measure.end_date
    measure.end_date = end_date
    measure.save(update_fields=["end_date"])
    log_action(
        actor=actor,
        action="assistance.measure.ended",
        obj=measure,
        area_code=measure.area.code,
        diff={"end_date": [before, end_date]},
    )
    return measure
