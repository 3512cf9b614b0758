from __future__ import annotations

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from tuopin.areas import selectors, services
from tuopin.areas.models import Area

router = Router(tags=["areas"])


class AreaOut(Schema):
    code: str
    parent_code: str | None
    level: str
    kind: str
    name: str
    name_zh_hant: str
    name_latn: str
    provenance: str
    is_active: bool

    @staticmethod
    def resolve_parent_code(obj: Area) -> str | None:
        return obj.parent.code if obj.parent_id else None


class AreaFilters(Schema):
    level: str | None = None
    parent: str | None = None
    q: str | None = None
    include_inactive: bool = False


class FigureOut(Schema):
    year: int
    rural_population: int
    note: str
    is_synthetic: bool
    version: int


class FigureIn(Schema):
    rural_population: int
    note: str = ""
    version: int | None = None


def _area(request: HttpRequest, code: str) -> Area:
    try:
        return selectors.area_get(user=request.user, code=code)
    except Area.DoesNotExist as exc:
        raise Http404(_("No such area.")) from exc


@router.get("", response=list[AreaOut], summary="Areas in the caller's scope")
def area_list(request: HttpRequest, filters: Query[AreaFilters]) -> list[Area]:
    return list(
        selectors.area_list(
            user=request.user,
            level=filters.level,
            parent_code=filters.parent,
            search=filters.q,
            include_inactive=filters.include_inactive,
        ).select_related("parent")
    )


@router.get("/{code}", response=AreaOut, summary="One area")
def area_get(request: HttpRequest, code: str) -> Area:
    return _area(request, code)


@router.get("/{code}/figures", response=list[FigureOut], summary="Yearly figures of an area")
def figure_list(request: HttpRequest, code: str) -> list:
    return selectors.figure_years(user=request.user, area=_area(request, code))


@router.put(
    "/{code}/figures/{year}", response=FigureOut, summary="Set an area's figures for a year"
)
def figure_set(request: HttpRequest, code: str, year: int, payload: FigureIn):  # type: ignore[no-untyped-def]
    return services.area_figure_set(
        actor=request.user,
        area=_area(request, code),
        year=year,
        rural_population=payload.rural_population,
        note=payload.note,
        expected_version=payload.version,
    )
