"""Reads of assistance measures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import restrict
from tuopin.assistance.models import Measure


def in_place_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Measures started on or before ``as_of`` and not ended before it."""
    return Q(**{f"{prefix}start_date__lte": as_of}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": as_of})
    )


def measures_in_place(*, household_ids: Iterable[int], as_of: datetime.date) -> dict[int, int]:
    """How many measures each household has in place on ``as_of``; households with none are
    absent. Not scoped to a user: services call it for households they already checked."""
    ids = list(household_ids)
    if not ids:
        return {}
    rows = (
        Measure.objects.filter(in_place_q(as_of), household_id__in=ids)
        .values("household_id")
        .annotate(n=Count("id"))
    )
    return {row["household_id"]: row["n"] for row in rows}


def measure_list(*, user: Any, household_id: int | None = None) -> QuerySet[Measure]:
    """Measures in the user's areas (of one household, when given)."""
    qs = restrict(Measure.objects.all(), user, Capability.VIEW_RECORDS).select_related(
        "household", "responsible"
    )
    if household_id is not None:
        qs = qs.filter(household_id=household_id)
    return qs.order_by("-start_date", "-id")


def count_measures(household_ids: Iterable[int], as_of: datetime.date) -> dict[int, int]:
    """``measures_in_place`` for any number of households: the rules count measures for a
    whole sweep, more ids than a query may carry, so large sets read every household's
    count and keep the wanted ones."""
    ids = list(household_ids)
    if len(ids) <= 500:
        return measures_in_place(household_ids=ids, as_of=as_of)
    wanted = set(ids)
    rows = Measure.objects.filter(in_place_q(as_of)).values("household_id").annotate(n=Count("id"))
    return {
        row["household_id"]: row["n"] for row in rows.iterator() if row["household_id"] in wanted
    }
