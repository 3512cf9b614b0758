"""Clues from the sweep (系统筛查预警): one per new monitoring candidate, never twice.

Registered with the rules when the app loads (``apps.MonitoringConfig.ready``): the rules
sit below monitoring and cannot call it, so they hand their candidates to whoever listens.
"""

from __future__ import annotations

from typing import Any

from tuopin.assistance.choices import RiskType
from tuopin.monitoring.choices import ClueChannel
from tuopin.monitoring.services import clue_raise
from tuopin.registry.models import Household

# The risk a failed guarantee points to; a candidate by income alone is "other".
GUARANTEE_RISK = {
    "housing_safety": RiskType.HOUSING_SAFETY,
    "drinking_water": RiskType.DRINKING_WATER,
    "compulsory_education": RiskType.SCHOOLING,
    "basic_medical": RiskType.ILLNESS,
}


def _yuan(cents: int | None) -> str | None:
    return None if cents is None else f"{cents / 100:.2f}"


def risk_of(candidate: Any) -> str:
    for code in candidate.guarantees_failed:
        if code in GUARANTEE_RISK:
            return GUARANTEE_RISK[code]
    return RiskType.OTHER


def open_sweep_clues(run: Any, candidates: list[Any]) -> int:
    """Raise a system-screening clue for each candidate; returns how many were new."""
    households = Household.objects.in_bulk([c.household_id for c in candidates])
    opened = 0
    for candidate in candidates:
        household = households.get(candidate.household_id)
        if household is None:
            continue
        _clue, created = clue_raise(
            actor=None,
            household=household,
            channel=ClueChannel.SYSTEM_SCREENING,
            risk_type=risk_of(candidate),
            facts={
                "description": candidate.reasons,
                "sweep": run.pk,
                "year": candidate.year,
                "monitor_type": candidate.monitor_type,
                "per_capita": _yuan(candidate.per_capita),
                "per_capita_after_expenses": _yuan(candidate.per_capita_after_expenses),
                "threshold": _yuan(candidate.threshold),
                "guarantees_failed": candidate.guarantees_failed,
                "reason_codes": candidate.reason_codes,
            },
            source_key=f"sweep:{candidate.year}:{candidate.household_id}:{candidate.monitor_type}",
        )
        opened += int(created)
    return opened
