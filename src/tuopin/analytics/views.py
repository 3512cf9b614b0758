"""Statistics pages: an area's indicators as of a date, its children, charts and Excel."""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tuopin.analytics import selectors
from tuopin.analytics.definitions import GROUPS, INDICATORS
from tuopin.analytics.engine.indicators import DECILES, GUARANTEES
from tuopin.areas.models import Area
from tuopin.core.errors import PermissionDenied
from tuopin.registry.choices import RegistryStatus

Table = dict[str, Any]


def _as_of(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("as_of", ""))
    except ValueError:
        return timezone.localdate()


def _figures(request: HttpRequest, code: str) -> Any:
    try:
        return selectors.area_figures(user=request.user, area_code=code, as_of=_as_of(request))
    except PermissionDenied as exc:
        # Outside the user's grants is the same as not there.
        raise Http404(_("No such area.")) from exc


def _label(key: str) -> str:
    return selectors.indicator_label(key)


def chart_tables(figures: Any, children: list[tuple[Area, dict[str, Any]]]) -> dict[str, Table]:
    """Each chart's data as a table (title, columns, rows); the page draws the chart from it
    and shows it, and the Excel download writes it."""
    v = figures.values
    child_keys = [
        "households",
        "persons",
        "poor_persons",
        "incidence_percent",
        "monitored_households",
        "monitored_persons",
    ]
    tables: dict[str, Table] = {
        "children": {
            "title": _("By area"),
            "columns": [_("Area"), _("Code"), *[_label(k) for k in child_keys]],
            "rows": [[c.name, c.code, *[vals.get(k) for k in child_keys]] for c, vals in children],
            "chart": "bar",
            "series": [
                2 + child_keys.index("poor_persons"),
                2 + child_keys.index("monitored_persons"),
            ],
        },
        "status": {
            "title": _("People by registry status"),
            "columns": [_("Status"), _("Households"), _("People")],
            "rows": [
                [
                    str(s.label),
                    v.get(f"households_status_{s.value}"),
                    v.get(f"persons_status_{s.value}"),
                ]
                for s in RegistryStatus
            ],
            "chart": "pie",
            "series": [2],
        },
        "guarantees": {
            "title": _("Households failing each guarantee"),
            "columns": [_("Guarantee"), _("Households")],
            "rows": [
                [_label(f"households_failing_{g}"), v.get(f"households_failing_{g}")]
                for g in GUARANTEES
            ],
            "chart": "hbar",
            "series": [1],
        },
        "income": {
            "title": _("Net income per capita by decile (yuan)"),
            "columns": [_("Decile"), _("Yuan")],
            "rows": [
                [
                    _label(f"income_per_capita_p{round(q * 100)}"),
                    v.get(f"income_per_capita_p{round(q * 100)}"),
                ]
                for q in DECILES
            ],
            "chart": "bar",
            "series": [1],
        },
    }
    return tables


def _chart_payload(tables: dict[str, Table]) -> dict[str, Any]:
    """What the chart script needs: categories, named series and the kind of chart."""
    payload = {}
    for name, table in tables.items():
        payload[name] = {
            "kind": table["chart"],
            "categories": [str(row[0]) for row in table["rows"]],
            "series": [
                {
                    "name": str(table["columns"][i]),
                    "data": [row[i] for row in table["rows"]],
                }
                for i in table["series"]
            ],
        }
    return payload


@login_required
def index(request: HttpRequest) -> HttpResponse:
    tops = selectors.top_areas(user=request.user)
    if not tops:
        raise Http404(_("No such area."))
    return redirect("analytics:area", code=tops[0].code)


@login_required
def area(request: HttpRequest, code: str) -> HttpResponse:
    request.nav_section = "analytics"  # type: ignore[attr-defined]
    figures = _figures(request, code)
    children = selectors.child_figures(user=request.user, figures=figures)
    tables = chart_tables(figures, children)
    groups = [
        {
            "title": title,
            "rows": [
                {"key": i.key, "label": i.label, "value": figures.values.get(i.key), "unit": i.unit}
                for i in INDICATORS
                if i.group == group
            ],
        }
        for group, title in GROUPS.items()
    ]
    context = {
        "figures": figures,
        "area": figures.area,
        "as_of": figures.as_of,
        "breadcrumbs": selectors.breadcrumbs(user=request.user, area=figures.area),
        "tables": tables,
        "charts": _chart_payload(tables),
        "groups": groups,
        "v": figures.values,
        "labels": {i.key: i.label for i in INDICATORS},
    }
    return render(request, "analytics/area.html", context)


@login_required
def export(request: HttpRequest, code: str) -> HttpResponse:
    """One of the page's tables (``?table=``), or every indicator, as an Excel workbook."""
    figures = _figures(request, code)
    name = request.GET.get("table", "indicators")
    book = Workbook()
    sheet = book.active
    heading = f"{figures.area.name} {figures.area.code} · {_('as of')} {figures.as_of.isoformat()}"
    if name == "indicators":
        sheet.title = _("Indicators")[:31]
        sheet.append([heading])
        sheet.append([_("Indicator"), _("Value"), _("Key")])
        for indicator in INDICATORS:
            sheet.append([str(indicator.label), figures.values.get(indicator.key), indicator.key])
        for note in figures.notes:
            sheet.append([note])
    else:
        children = selectors.child_figures(user=request.user, figures=figures)
        tables = chart_tables(figures, children)
        if name not in tables:
            raise Http404(_("No such table."))
        table = tables[name]
        sheet.title = str(table["title"])[:31]
        sheet.append([heading])
        sheet.append([str(c) for c in table["columns"]])
        for row in table["rows"]:
            sheet.append([str(x) if hasattr(x, "__html__") else x for x in row])
    if figures.suppressed:
        sheet.append([_("Counts below 5 are hidden.")])
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"stats-{figures.area.code}-{figures.as_of.isoformat()}-{name}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
