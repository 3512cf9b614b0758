"""The one registry of indicators: key, group, unit and the words a cadre reads.

The engine (``analytics.engine.indicators``) computes them; this module says what each is.
Keys for each registry status and monitoring type follow the registry's vocabularies.

Groups not yet filled: the monitoring pipeline (clues by channel, cases by step, identified,
eliminated, overdue) and assistance coverage (households with a measure, by category; paired
households) join ``GROUPS`` and ``INDICATORS`` when the monitoring and assistance apps add
their tables to the snapshot; the engine rolls such per-area counts up with
``engine.indicators.rollup_counts``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise, lazy
from django.utils.translation import gettext_lazy as _

from tuopin.analytics.engine.indicators import (
    DECILES,
    GUARANTEES,
    HOUSING_GRADES,
    Vocabulary,
    indicator_keys,
)
from tuopin.registry.choices import POOR_STATUSES, MonitorType, RegistryStatus

COUNT = "count"
PERCENT = "percent"
YUAN = "yuan"

VOCABULARY = Vocabulary(
    statuses=tuple(RegistryStatus.values),
    poor_statuses=tuple(s.value for s in RegistryStatus if s in POOR_STATUSES),
    tuopin_statuses=(
        RegistryStatus.EXITED_WITH_POLICY.value,
        RegistryStatus.EXITED_WITHOUT_POLICY.value,
    ),
    monitor_types=tuple(MonitorType.values),
)

GROUPS: dict[str, Promise] = {
    "population": _("Households and people"),
    "monitoring": _("Monitored households"),
    "status": _("By registry status"),
    "income": _("Net income per capita"),
    "guarantees": _("Guarantees: food and clothing, schooling, medical care, housing, water"),
    "housing": _("Housing and relocation"),
}


def _fill(template: Promise, **params: object) -> Promise:
    """A translated template with its placeholders filled in, translated when rendered."""
    return lazy(lambda: str(template) % {k: str(v) for k, v in params.items()}, str)()


@dataclass(frozen=True)
class Indicator:
    key: str
    group: str
    label: Promise
    unit: str = COUNT
    # Counts of people (or of households small enough to identify people) that are hidden
    # below the suppression threshold for roles without personal-data access.
    suppressible: bool = True


def _build() -> list[Indicator]:
    items = [
        Indicator("households", "population", _("Households")),
        Indicator("persons", "population", _("People")),
        Indicator("tuopin_households", "population", _("Tuopin households")),
        Indicator("tuopin_persons", "population", _("Tuopin people")),
        Indicator("poor_households", "population", _("Poor households")),
        Indicator("poor_persons", "population", _("Poor people")),
        Indicator(
            "rural_population",
            "population",
            _("Rural registered population"),
            suppressible=False,
        ),
        Indicator(
            "incidence_percent",
            "population",
            _("Poverty incidence (%)"),
            PERCENT,
            suppressible=False,
        ),
        Indicator("monitored_households", "monitoring", _("Monitored households")),
        Indicator("monitored_persons", "monitoring", _("Monitored people")),
    ]
    for t in MonitorType:
        items += [
            Indicator(
                f"monitored_households_{t.value}",
                "monitoring",
                _fill(_("Households: %(type)s"), type=t.label),
            ),
            Indicator(
                f"monitored_persons_{t.value}",
                "monitoring",
                _fill(_("People: %(type)s"), type=t.label),
            ),
        ]
    for s in RegistryStatus:
        items += [
            Indicator(
                f"households_status_{s.value}",
                "status",
                _fill(_("Households: %(status)s"), status=s.label),
            ),
            Indicator(
                f"persons_status_{s.value}",
                "status",
                _fill(_("People: %(status)s"), status=s.label),
            ),
        ]
    items += [
        Indicator("income_households", "income", _("Households with income recorded")),
        Indicator("income_per_capita_mean", "income", _("Mean (yuan)"), YUAN, suppressible=False),
        Indicator(
            "income_per_capita_median", "income", _("Median (yuan)"), YUAN, suppressible=False
        ),
    ]
    items += [
        Indicator(
            f"income_per_capita_p{round(q * 100)}",
            "income",
            _fill(_("Decile %(n)s (yuan)"), n=round(q * 10)),
            YUAN,
            suppressible=False,
        )
        for q in DECILES
    ]
    items += [
        Indicator(
            "income_per_capita_mean_base",
            "income",
            _("Mean in the base year (yuan)"),
            YUAN,
            suppressible=False,
        ),
        Indicator(
            "income_growth_percent",
            "income",
            _("Growth per year, geometric mean (%)"),
            PERCENT,
            suppressible=False,
        ),
    ]
    guarantee_labels = {
        "food_clothing": _("Households: food and clothing not assured"),
        "compulsory_education": _("Households: a child out of compulsory education"),
        "basic_medical": _("Households: a member without basic medical insurance"),
        "housing_safety": _("Households: housing unsafe (grade C or D)"),
        "drinking_water": _("Households: drinking water not safe"),
    }
    items += [
        Indicator(f"households_failing_{g}", "guarantees", guarantee_labels[g]) for g in GUARANTEES
    ]
    items += [
        Indicator(
            "households_failing_any_guarantee",
            "guarantees",
            _("Households failing any guarantee"),
        ),
        Indicator(
            "households_without_conditions",
            "guarantees",
            _("Households with no living conditions recorded"),
        ),
    ]
    items += [
        Indicator(
            f"households_housing_{g}",
            "housing",
            _fill(_("Households in grade %(grade)s housing"), grade=g),
        )
        for g in HOUSING_GRADES
    ]
    items += [
        Indicator("relocated_households", "housing", _("Relocated households")),
        Indicator("relocated_persons", "housing", _("Relocated people")),
    ]
    return items


INDICATORS: list[Indicator] = _build()
BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}

assert [i.key for i in INDICATORS] == indicator_keys(VOCABULARY), "definitions and engine differ"
