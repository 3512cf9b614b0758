"""Reads of the area tree, always through the user's scope."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import restrict, scope_q, top_granted_areas
from tuopin.areas.choices import Kind, Level
from tuopin.areas.models import Area, AreaYearFigure


def area_queryset(*, user: Any, capability: Capability = Capability.VIEW_AREAS) -> QuerySet[Area]:
    """Every area the user may see with ``capability``; none when the user has no grant."""
    return restrict(Area.objects.all(), user, capability, area_field=None)


def area_get(*, user: Any, code: str, capability: Capability = Capability.VIEW_AREAS) -> Area:
    """One area by code, or ``Area.DoesNotExist`` when absent or outside the user's scope."""
    return area_queryset(user=user, capability=capability).get(code=code)


def area_list(
    *,
    user: Any,
    level: str | None = None,
    parent_code: str | None = None,
    search: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Area]:
    qs = area_queryset(user=user)
    if level:
        qs = qs.filter(level=level)
    if parent_code:
        qs = qs.filter(parent__code=parent_code)
    if search:
        qs = qs.filter(
            Q(name__contains=search)
            | Q(name_zh_hant__contains=search)
            | Q(name_latn__icontains=search)
            | Q(code__startswith=search)
        )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return qs.order_by("lft")


def area_roots(*, user: Any) -> list[Area]:
    """The top areas of the user's grants: where their home page and browsing start."""
    return top_granted_areas(user, Capability.VIEW_AREAS)


def area_breadcrumbs(*, user: Any, area: Area) -> list[Area]:
    """The ancestors of ``area`` the user may see, from the top down (not ``area`` itself)."""
    q = scope_q(user, Capability.VIEW_AREAS, area_field=None)
    if q is None:
        return []
    return list(Area.objects.filter(q).filter(lft__lt=area.lft, rgt__gt=area.rgt).order_by("lft"))


def _descendant_count(level: str) -> Subquery:
    return Subquery(
        Area.objects.filter(
            lft__gt=OuterRef("lft"), lft__lte=OuterRef("rgt"), level=level, is_active=True
        )
        .order_by()
        .values("level")
        .annotate(n=Count("id"))
        .values("n")[:1],
        output_field=IntegerField(),
    )


def with_descendant_counts(qs: QuerySet[Area]) -> QuerySet[Area]:
    """Annotate ``n_sumu_town`` and ``n_village``: active units below each area (one query)."""
    return qs.annotate(
        n_sumu_town=Coalesce(_descendant_count(Level.SUMU_TOWN), 0),
        n_village=Coalesce(_descendant_count(Level.VILLAGE), 0),
    )


def area_children(*, user: Any, area: Area, include_inactive: bool = False) -> QuerySet[Area]:
    qs = area_queryset(user=user).filter(parent=area)
    if not include_inactive:
        qs = qs.filter(is_active=True)
    return with_descendant_counts(qs).order_by("code")


@dataclass
class PopulationFigures:
    """Rural registered population per area for one year, rolled up the tree.

    An area's figure is its own when recorded; otherwise the sum of its children's.
    ``partial`` holds areas whose sum misses some child without any figure.
    """

    year: int | None
    by_area: dict[int, int] = field(default_factory=dict)
    recorded: set[int] = field(default_factory=set)
    partial: set[int] = field(default_factory=set)
    synthetic: bool = False

    def of(self, area: Area) -> int | None:
        return self.by_area.get(area.id)


def population_figures(*, user: Any, root: Area, year: int | None = None) -> PopulationFigures:
    """Population figures for ``root``'s subtree (two queries, rolled up in memory)."""
    scoped = area_queryset(user=user).filter(lft__gte=root.lft, lft__lte=root.rgt)
    figures = AreaYearFigure.objects.filter(area__in=scoped.values("id"))
    if year is None:
        year = figures.aggregate(y=Max("year"))["y"]
    result = PopulationFigures(year=year)
    if year is None:
        return result
    own = {
        f["area_id"]: f
        for f in figures.filter(year=year).values("area_id", "rural_population", "is_synthetic")
    }
    result.synthetic = any(f["is_synthetic"] for f in own.values())
    # Communities are urban units: without a figure they count as no rural population
    # rather than as a missing figure.
    tree = [
        (area_id, parent_id, depth)
        for area_id, parent_id, depth, kind in scoped.filter(is_active=True).values_list(
            "id", "parent_id", "depth", "kind"
        )
        if kind != Kind.COMMUNITY or area_id in own
    ]
    children: dict[int, list[int]] = defaultdict(list)
    for area_id, parent_id, _depth in tree:
        children[parent_id].append(area_id)
    # Deepest first, so every child is summed before its parent.
    for area_id, _parent_id, _depth in sorted(tree, key=lambda t: -t[2]):
        if area_id in own:
            result.by_area[area_id] = own[area_id]["rural_population"]
            result.recorded.add(area_id)
            continue
        kids = children.get(area_id, [])
        known = [result.by_area[k] for k in kids if k in result.by_area]
        if known:
            result.by_area[area_id] = sum(known)
            if len(known) < len(kids) or any(k in result.partial for k in kids):
                result.partial.add(area_id)
    return result


def figure_years(*, user: Any, area: Area) -> list[AreaYearFigure]:
    """The figures recorded on ``area`` itself, newest year first."""
    return list(
        AreaYearFigure.objects.filter(area__in=area_queryset(user=user).filter(id=area.id))
        .select_related("area")
        .order_by("-year")
    )
