"""Area pages: the home page, the drill-down browser, and the yearly figures."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers
from tuopin.areas import selectors, services
from tuopin.areas.forms import FigureForm, FiguresImportForm
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.core.errors import DomainError
from tuopin.core.htmx import is_htmx
from tuopin.core.tabular import FileRefused, read_csv


def _area_or_404(request: HttpRequest, code: str) -> Area:
    try:
        return selectors.area_get(user=request.user, code=code)
    except Area.DoesNotExist as exc:
        raise Http404(_("No such area.")) from exc


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    request.nav_section = "home"  # type: ignore[attr-defined]
    roots = selectors.area_roots(user=request.user)
    cards = []
    for root in selectors.with_descendant_counts(Area.objects.filter(pk__in=[r.pk for r in roots])):
        figures = selectors.population_figures(user=request.user, root=root)
        cards.append({"area": root, "figures": figures, "population": figures.of(root)})
    return render(request, "areas/home.html", {"cards": cards})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    roots = selectors.area_roots(user=request.user)
    if len(roots) == 1:
        return redirect("areas:detail", code=roots[0].code)
    return redirect("areas:home")


@login_required
def detail(request: HttpRequest, code: str) -> HttpResponse:
    request.nav_section = "areas"  # type: ignore[attr-defined]
    area = _area_or_404(request, code)
    show_inactive = request.GET.get("inactive") == "1"
    children = list(
        selectors.area_children(user=request.user, area=area, include_inactive=show_inactive)
    )
    figures = selectors.population_figures(user=request.user, root=area, year=_year(request))
    rows = [
        {
            "area": child,
            "population": figures.of(child),
            "partial": child.id in figures.partial,
        }
        for child in children
    ]
    context = {
        "area": area,
        "breadcrumbs": selectors.area_breadcrumbs(user=request.user, area=area),
        "rows": rows,
        "figures": figures,
        "population": figures.of(area),
        "own_figures": selectors.figure_years(user=request.user, area=area),
        "can_edit_figures": covers(request.user, Capability.EDIT_AREA_FIGURES, area),
        "show_inactive": show_inactive,
        "show_sumu_column": any(row["area"].n_sumu_town for row in rows),
        "counts": selectors.with_descendant_counts(Area.objects.filter(pk=area.pk)).get(),
    }
    if is_htmx(request):
        return render(request, "areas/_children.html", context)
    return render(request, "areas/detail.html", context)


@login_required
def figures(request: HttpRequest, code: str) -> HttpResponse:
    request.nav_section = "areas"  # type: ignore[attr-defined]
    area = _area_or_404(request, code)
    if not covers(request.user, Capability.EDIT_AREA_FIGURES, area):
        raise Http404(_("No such area."))
    initial = {}
    year = _year(request)
    if year is not None:
        existing = AreaYearFigure.objects.filter(area=area, year=year).first()
        if existing is not None:
            initial = {
                "year": existing.year,
                "rural_population": existing.rural_population,
                "note": existing.note,
                "version": existing.version,
            }
    form = FigureForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.area_figure_set(
                actor=request.user,
                area=area,
                year=data["year"],
                rural_population=data["rural_population"],
                note=data["note"],
                expected_version=data["version"],
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Figures saved."))
            return redirect("areas:figures", code=area.code)
    context = {
        "area": area,
        "form": form,
        "own_figures": selectors.figure_years(user=request.user, area=area),
        "breadcrumbs": selectors.area_breadcrumbs(user=request.user, area=area),
    }
    return render(request, "areas/figures.html", context)


@login_required
def figures_import(request: HttpRequest) -> HttpResponse:
    request.nav_section = "areas"  # type: ignore[attr-defined]
    form = FiguresImportForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            _header, rows = read_csv(form.cleaned_data["file"])
            changed = services.area_figures_import(actor=request.user, rows=rows)
        except FileRefused as exc:
            errors = exc.errors
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if changed:
                messages.success(
                    request,
                    ngettext("%(count)d figure imported.", "%(count)d figures imported.", changed)
                    % {"count": changed},
                )
            else:
                messages.info(
                    request, _("The file changes nothing: every figure was already recorded.")
                )
            return redirect("areas:figures_import")
    return render(request, "areas/figures_import.html", {"form": form, "errors": errors})
