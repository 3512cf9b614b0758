"""Signal rules: what in a matched department record is a risk for the member's household.

Each rule reads the record's event and, where a number decides, the policy value in force for
the household's gaqa; it returns the signals with the facts that triggered them and the policy
value used. The age bounds are those of the guarantees (compulsory schooling 6–15, working age
16–59), not local policy.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tuopin.assistance.choices import RiskType
from tuopin.linkage.choices import DepartmentKind, Signal
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import PolicyView
from tuopin.registry.choices import LABOUR_CAPABLE, HouseholdType

COMPULSORY_AGES = (6, 15)
WORKING_AGES = (16, 59)
SUPPORTED_TYPES = frozenset({HouseholdType.TUOPIN, HouseholdType.POOR})


@dataclass(frozen=True)
class Context:
    """What a rule needs to know about the matched member and the household."""

    kind: str
    year: int
    event: dict[str, Any]
    birth_date: datetime.date | None
    household_type: str
    monitored: bool
    labour: str
    other_earners: int  # active members besides this one with labour capacity
    policy: PolicyView
    self_paid_in_year: Decimal = Decimal(0)


@dataclass(frozen=True)
class Hit:
    signal: str
    risk_type: str
    facts: dict[str, Any] = field(default_factory=dict)


def _age(birth: datetime.date | None, on: datetime.date) -> int | None:
    if birth is None:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _date(value: Any) -> datetime.date:
    return datetime.date.fromisoformat(str(value))


def _policy_fact(view: PolicyView, key: str, year: int | None = None) -> dict[str, Any] | None:
    found = view.value(key, year)
    if found is None:
        return None
    return {
        "key": key,
        "year": found.from_year,
        "value": format(found.value.normalize(), "f"),
        "source": found.source,
        "pack": found.pack_name,
    }


def medical(ctx: Context) -> list[Hit]:
    supported = ctx.household_type in SUPPORTED_TYPES or ctx.monitored
    share_key = (
        PolicyKey.MEDICAL_WARNING_SHARE_TUOPIN_PERCENT
        if supported
        else PolicyKey.MEDICAL_WARNING_SHARE_OTHER_PERCENT
    )
    share = ctx.policy.amount(share_key)
    income = ctx.policy.amount(PolicyKey.RURAL_DISPOSABLE_INCOME, ctx.year - 1)
    if share is None or income is None:
        return []
    limit = (income * share / 100).quantize(Decimal("0.01"))
    if ctx.self_paid_in_year <= limit:
        return []
    return [
        Hit(
            Signal.MEDICAL_COST,
            RiskType.ILLNESS,
            {
                "self_paid_in_year": str(ctx.self_paid_in_year),
                "limit": str(limit),
                "policy": [
                    _policy_fact(ctx.policy, share_key),
                    _policy_fact(ctx.policy, PolicyKey.RURAL_DISPOSABLE_INCOME, ctx.year - 1),
                ],
            },
        )
    ]


def disability(ctx: Context) -> list[Hit]:
    if ctx.event.get("change") in {"new", "changed"} and int(ctx.event.get("grade", 9)) <= 2:
        return [Hit(Signal.SEVERE_DISABILITY, RiskType.DISABILITY, {"grade": ctx.event["grade"]})]
    return []


def public_security(ctx: Context) -> list[Hit]:
    if ctx.event.get("event") != "death":
        return []
    age = _age(ctx.birth_date, _date(ctx.event["event_date"]))
    if age is None or not WORKING_AGES[0] <= age <= WORKING_AGES[1]:
        return []
    return [
        Hit(
            Signal.WORKING_AGE_DEATH,
            RiskType.ACCIDENT,
            {"age": age, "working_ages": list(WORKING_AGES)},
        )
    ]


def education(ctx: Context) -> list[Hit]:
    if ctx.event.get("status") != "dropout":
        return []
    age = _age(ctx.birth_date, _date(ctx.event["event_date"]))
    compulsory_stage = ctx.event.get("stage") in {"primary", "junior"}
    in_age = age is not None and COMPULSORY_AGES[0] <= age <= COMPULSORY_AGES[1]
    if not (in_age or (age is None and compulsory_stage)):
        return []
    return [
        Hit(
            Signal.DROPOUT,
            RiskType.SCHOOLING,
            {"age": age, "stage": ctx.event.get("stage"), "compulsory_ages": list(COMPULSORY_AGES)},
        )
    ]


def housing(ctx: Context) -> list[Hit]:
    if ctx.event.get("grade") in {"C", "D"}:
        return [Hit(Signal.UNSAFE_HOUSING, RiskType.HOUSING_SAFETY, {"grade": ctx.event["grade"]})]
    return []


def emergency(ctx: Context) -> list[Hit]:
    threshold = ctx.policy.amount(PolicyKey.DISASTER_LOSS_WARNING)
    loss = Decimal(str(ctx.event.get("loss", "0")))
    if threshold is None or loss <= threshold:
        return []
    return [
        Hit(
            Signal.DISASTER_LOSS,
            RiskType.DISASTER,
            {
                "loss": str(loss),
                "disaster_type": ctx.event.get("disaster_type", ""),
                "policy": [_policy_fact(ctx.policy, PolicyKey.DISASTER_LOSS_WARNING)],
            },
        )
    ]


def human_resources(ctx: Context) -> list[Hit]:
    if ctx.event.get("event") != "unemployed":
        return []
    if ctx.labour not in LABOUR_CAPABLE or ctx.other_earners:
        return []
    return [Hit(Signal.ONLY_EARNER_UNEMPLOYED, RiskType.UNSTABLE_EMPLOYMENT, {})]


RULES = {
    DepartmentKind.MEDICAL: medical,
    DepartmentKind.DISABILITY: disability,
    DepartmentKind.PUBLIC_SECURITY: public_security,
    DepartmentKind.EDUCATION: education,
    DepartmentKind.HOUSING: housing,
    DepartmentKind.EMERGENCY: emergency,
    DepartmentKind.HUMAN_RESOURCES: human_resources,
}


def evaluate(ctx: Context) -> list[Hit]:
    rule = RULES.get(ctx.kind)
    return rule(ctx) if rule else []
