"""The preconditions of risk elimination, each with the reason it is met or not."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from tuopin.assistance.selectors import measures_in_place
from tuopin.core.errors import DomainError
from tuopin.monitoring.selectors import policy_number
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import policy_in_force
from tuopin.registry.choices import LABOUR_CAPABLE
from tuopin.registry.models import Household, HouseholdIncome, Membership, MonitoringPeriod


@dataclass(frozen=True)
class Precondition:
    code: str
    ok: bool
    message: str


def _months_later(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def elimination_preconditions(household: Household, *, on: datetime.date) -> list[Precondition]:
    """Each precondition of risk elimination on ``on``, met or not, with its reason."""
    results: list[Precondition] = []
    period = MonitoringPeriod.objects.filter(household=household, valid_to__isnull=True).first()
    months = policy_number(PolicyKey.ELIMINATION_MIN_MONTHS, area=household.area, on=on)
    if period is None:
        results.append(
            Precondition("not_monitored", False, str(_("The household is not monitored.")))
        )
    else:
        since = _months_later(period.valid_from, months)
        results.append(
            Precondition(
                "months",
                since <= on,
                str(
                    _(
                        "Monitored since %(since)s; at least %(months)s months are needed "
                        "(from %(date)s)."
                    )
                    % {"since": period.valid_from, "months": months, "date": since}
                ),
            )
        )
    needed = policy_number(PolicyKey.ELIMINATION_MIN_MEASURES, area=household.area, on=on)
    count = measures_in_place(household_ids=[household.pk], as_of=on).get(household.pk, 0)
    results.append(
        Precondition(
            "measures",
            count >= needed,
            str(
                _("%(count)s assistance measures in place; at least %(needed)s are needed.")
                % {"count": count, "needed": needed}
            ),
        )
    )
    members = Membership.objects.filter(
        household=household, valid_from__lte=on, valid_to__isnull=True
    ).select_related("person")
    capable = any(m.person.labour in LABOUR_CAPABLE for m in members)
    results.append(
        Precondition(
            "labour",
            capable,
            str(
                _("At least one member has labour capacity.")
                if capable
                else _(
                    "No member has labour capacity: such a household stays monitored "
                    "with social security."
                )
            ),
        )
    )
    income = HouseholdIncome.objects.filter(household=household).order_by("-year").first()
    view = policy_in_force(at=on, area=household.area)
    if income is None:
        results.append(Precondition("income", False, str(_("No income is recorded."))))
    else:
        threshold = view.amount(PolicyKey.MONITORING_THRESHOLD, income.year)
        if threshold is None:
            results.append(
                Precondition(
                    "income",
                    False,
                    str(
                        _("No monitoring threshold is in force for %(year)s.")
                        % {"year": income.year}
                    ),
                )
            )
        else:
            after = (income.computed_net_income - income.compliant_expenses) / income.size
            ok = income.per_capita > threshold and after > threshold
            results.append(
                Precondition(
                    "income",
                    ok,
                    str(
                        _(
                            "Income per person in %(year)s: %(income)s yuan (%(after)s after "
                            "compliant expenses); the threshold is %(threshold)s."
                        )
                        % {
                            "year": income.year,
                            "income": income.per_capita,
                            "after": after.quantize(income.per_capita),
                            "threshold": threshold,
                        }
                    ),
                )
            )
    return results


def elimination_refusals(household: Household, *, on: datetime.date) -> list[DomainError]:
    return [
        DomainError(f"monitoring.elimination.{p.code}", p.message)
        for p in elimination_preconditions(household, on=on)
        if not p.ok
    ]
