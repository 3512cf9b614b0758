"""Reads of the statistics: indicators for an area as of a date, within the user's grants.

Figures come from the registry snapshot of the date (made when missing) and are computed for
every area at once, then kept in memory for that snapshot. A user sees an area's figures only
with the aggregates capability over it; roles without personal-data access there see counts
of fewer than ``SUPPRESS_BELOW`` hidden (a small count can point at a person).
"""

from __future__ import annotations

import datetime
import threading
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, require, top_granted_areas
from tuopin.analytics.definitions import BY_KEY, INDICATORS, VOCABULARY
from tuopin.analytics.engine.indicators import (
    IndicatorTable,
    compute_indicators,
    latest_income_year,
)
from tuopin.analytics.engine.tuopin_measure import registry_measure
from tuopin.analytics.snapshot import Snapshot, open_snapshot, refresh_snapshot
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import policy_in_force

SUPPRESS_BELOW = 5

_lock = threading.Lock()
_cache: dict[tuple[str, str, int | None, int | None], IndicatorTable] = {}


@dataclass
class AreaFigures:
    area: Area
    as_of: datetime.date
    values: dict[str, Any]
    income_year: int | None
    growth_from: int | None
    snapshot: Snapshot
    suppressed: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "area": self.area.code,
            "area_name": self.area.name,
            "as_of": self.as_of.isoformat(),
            **self.values,
            "income_year": self.income_year,
            "growth_from": self.growth_from,
            "snapshot_created_at": self.snapshot.created_at.isoformat(),
            "suppressed": self.suppressed,
            "notes": self.notes,
        }


def snapshot_for(as_of: datetime.date, *, refresh: bool = False) -> Snapshot:
    """The snapshot of ``as_of``, made now when there is none (or when asked)."""
    snapshot = None if refresh else open_snapshot(as_of)
    return snapshot or refresh_snapshot(as_of=as_of)


def indicator_table(
    snapshot: Snapshot, *, income_year: int | None = None, growth_from: int | None = None
) -> IndicatorTable:
    """Every indicator for every area from ``snapshot`` (computed once per snapshot)."""
    key = (str(snapshot.path), snapshot.created_at.isoformat(), income_year, growth_from)
    with _lock:
        cached = _cache.get(key)
    if cached is not None:
        return cached
    con = snapshot.connect()
    try:
        table = compute_indicators(
            con,
            as_of=snapshot.as_of,
            income_year=income_year,
            growth_from=growth_from,
            vocabulary=VOCABULARY,
        )
    finally:
        con.close()
    with _lock:
        # Keep the few latest tables; a snapshot replaced on disk changes its key.
        if len(_cache) > 16:
            _cache.clear()
        _cache[key] = table
    return table


def area_figures(
    *,
    user: Any,
    area_code: str,
    as_of: datetime.date,
    income_year: int | None = None,
    growth_from: int | None = None,
    refresh: bool = False,
) -> AreaFigures:
    """Indicators of one area as of a date. ``user=None`` is the console operator (all)."""
    area = Area.objects.filter(code=area_code).first()
    if area is None and user is not None:
        # A user learns nothing about areas outside their grants, not even whether they exist.
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )
    if area is None:
        raise DomainError(
            "analytics.area.unknown",
            _("No area has the code %(code)s."),
            field="area",
            params={"code": area_code},
        )
    if user is not None:
        require(user, Capability.VIEW_AGGREGATES, area)
    snapshot = snapshot_for(as_of, refresh=refresh)
    table = indicator_table(snapshot, income_year=income_year, growth_from=growth_from)
    values = dict(table.for_area(area.code) or {})
    figures = AreaFigures(
        area=area,
        as_of=as_of,
        values=values,
        income_year=table.income_year,
        growth_from=table.growth_from,
        snapshot=snapshot,
    )
    if values.get("rural_population") is None:
        figures.notes.append(
            gettext(
                "Poverty incidence is not given: %(area)s has no rural registered population "
                "for %(year)s."
            )
            % {"area": area.name, "year": as_of.year}
        )
    if table.income_year is None:
        figures.notes.append(gettext("No income has been recorded up to this date."))
    if user is not None and not covers(user, Capability.VIEW_PERSONAL_DATA, area):
        figures.suppressed = suppress_small_counts(values)
    return figures


def child_figures(*, user: Any, figures: AreaFigures) -> list[tuple[Area, dict[str, Any]]]:
    """The indicators of each active child of ``figures.area`` the user may see, from the
    same snapshot and with the same suppression rule."""
    table = indicator_table(
        figures.snapshot, income_year=figures.income_year, growth_from=figures.growth_from
    )
    children = Area.objects.filter(parent=figures.area, is_active=True).order_by("code")
    out = []
    for child in children:
        if user is not None and not covers(user, Capability.VIEW_AGGREGATES, child):
            continue
        values = dict(table.for_area(child.code) or {})
        if user is not None and not covers(user, Capability.VIEW_PERSONAL_DATA, child):
            suppress_small_counts(values)
        out.append((child, values))
    return out


def top_areas(*, user: Any) -> list[Area]:
    """Where the user's statistics start: the top areas they hold the aggregates over."""
    return top_granted_areas(user, Capability.VIEW_AGGREGATES)


def breadcrumbs(*, user: Any, area: Area) -> list[Area]:
    """Ancestors of ``area`` whose statistics the user may see, from the top down."""
    return [
        a
        for a in Area.objects.filter(lft__lt=area.lft, rgt__gt=area.rgt).order_by("lft")
        if covers(user, Capability.VIEW_AGGREGATES, a)
    ]


def suppress_small_counts(values: dict[str, Any]) -> list[str]:
    """Hide counts of 1 to ``SUPPRESS_BELOW - 1`` in place; returns the keys hidden."""
    hidden = []
    for indicator in INDICATORS:
        value = values.get(indicator.key)
        if indicator.suppressible and isinstance(value, int) and 0 < value < SUPPRESS_BELOW:
            values[indicator.key] = None
            hidden.append(indicator.key)
    # Figures a hidden count could be worked back from are hidden with it.
    if "poor_persons" in hidden and values.get("incidence_percent") is not None:
        values["incidence_percent"] = None
        hidden.append("incidence_percent")
    if "income_households" in hidden:
        for key in [k for k in values if k.startswith("income_")]:
            if values[key] is not None:
                values[key] = None
                hidden.append(key)
    return hidden


def indicator_label(key: str) -> str:
    indicator = BY_KEY.get(key)
    return str(indicator.label) if indicator else key


def registry_mpi(
    *,
    user: Any,
    area_code: str,
    as_of: datetime.date,
    income_year: int | None = None,
    line: float | None = None,
    refresh: bool = False,
) -> dict[str, Any]:
    """The default Tuopin AF measure for an area as of a date, by its child areas. The
    income line defaults to the monitoring threshold in force for the income year (else the
    poverty line)."""
    area = Area.objects.filter(code=area_code).first()
    if area is None or (user is not None and not covers(user, Capability.VIEW_AGGREGATES, area)):
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )
    snapshot = snapshot_for(as_of, refresh=refresh)
    con = snapshot.connect()
    try:
        year = income_year or latest_income_year(con, as_of)
        if year is None:
            raise DomainError(
                "analytics.mpi.no_income", _("No income has been recorded up to this date.")
            )
        source = "given"
        if line is None:
            policy = policy_in_force(at=as_of, area=area)
            for key in (PolicyKey.MONITORING_THRESHOLD, PolicyKey.POVERTY_LINE):
                amount = policy.amount(key, year)
                if amount is not None:
                    line, source = float(amount), key.value
                    break
        if line is None:
            raise DomainError(
                "analytics.mpi.no_line",
                _("No poverty line or monitoring threshold is in force for %(year)s."),
                params={"year": year},
            )
        measure = registry_measure(
            con,
            as_of=as_of,
            income_year=year,
            line=line,
            area_lft=area.lft,
            area_rgt=area.rgt,
            group_depth=area.depth + 1,
        )
    finally:
        con.close()
    data = measure.as_dict()
    data.update({"area": area.code, "as_of": as_of.isoformat(), "line_source": source})
    return data
