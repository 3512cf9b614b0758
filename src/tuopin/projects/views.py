"""Pages: the project list and a project's page with its next step, the fund report (and
its workbook), the asset ledger with its alerts, gaqa collective economies, industries."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability, top_granted_areas
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.areas.selectors import area_get
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.core.htmx import is_htmx
from tuopin.projects import selectors, services
from tuopin.projects.choices import (
    PUBLICITY_ORDER,
    ProjectState,
    ProjectType,
)
from tuopin.projects.exports import fund_report_workbook
from tuopin.projects.forms import StepForm
from tuopin.projects.models import Project
from tuopin.projects.permissions import holds_level

CAP = Capability.VIEW_AGGREGATES


def _enter(request: HttpRequest) -> None:
    request.nav_section = "projects"  # type: ignore[attr-defined]
    if not has_capability(request.user, CAP):
        raise Http404(_("Not found."))


def _root(request: HttpRequest) -> tuple[Area, list[Area]]:
    """The area the page is about: ``?area=`` within the user's grants, else their top."""
    tops = top_granted_areas(request.user, CAP)
    if not tops:
        raise Http404(_("Not found."))
    code = request.GET.get("area", "")
    if code:
        try:
            return area_get(user=request.user, code=code, capability=CAP), tops
        except Area.DoesNotExist as exc:
            raise Http404(_("Not found.")) from exc
    return tops[0], tops


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


@login_required
def project_list(request: HttpRequest) -> HttpResponse:
    _enter(request)
    root, tops = _root(request)
    state = request.GET.get("state", "")
    project_type = request.GET.get("type", "")
    year = _int(request.GET.get("year"))
    projects = selectors.project_list(
        user=request.user,
        root=root,
        state=state if state in ProjectState.values else "",
        year=year,
        project_type=project_type if project_type in ProjectType.values else "",
    )
    context = {
        "root": root,
        "tops": tops,
        "projects": projects[:500],
        "states": ProjectState.choices,
        "types": ProjectType.choices,
        "state": state,
        "project_type": project_type,
        "year": year or "",
    }
    template = "projects/_project_rows.html" if is_htmx(request) else "projects/list.html"
    return render(request, template, context)


# What the next step is for a project in each state: (step, level of office it needs).
_NEXT = {
    ProjectState.PUBLICISED: ("pipeline", Level.BANNER),
    ProjectState.IN_PIPELINE: ("approve", Level.BANNER),
    ProjectState.APPROVED: ("fund", Level.BANNER),
    ProjectState.FUNDED: ("implement", Level.SUMU_TOWN),
    ProjectState.IMPLEMENTED: ("accept", Level.BANNER),
    ProjectState.ACCEPTED: ("announce", Level.VILLAGE),
}


def _next_step(project: Project) -> tuple[str, str, str] | None:
    """(step, level it needs, publicity level or '') for the project's next step."""
    if project.state == ProjectState.PROPOSED:
        done = set(project.publicities.values_list("level", flat=True))
        level = next(lv for lv in PUBLICITY_ORDER if lv not in done)
        return ("publicise", level, level)
    if project.state in _NEXT:
        step, level = _NEXT[project.state]
        return (step, level, "")
    return None


def _do_step(request: HttpRequest, project: Project, step: str, level: str, form: StepForm) -> None:
    data = form.cleaned_data
    on = data.get("on") or timezone.localdate()
    actor = request.user
    if step == "publicise":
        if not data.get("start_date") or not data.get("end_date"):
            raise DomainError(
                "projects.publicity.dates", _("Give the start and end dates."), field="start_date"
            )
        services.project_publicise(
            actor=actor,
            project=project,
            level=level,
            start_date=data["start_date"],
            end_date=data["end_date"],
        )
    elif step == "pipeline":
        services.project_enter_pipeline(actor=actor, project=project, on=on)
    elif step == "approve":
        services.project_approve(actor=actor, project=project, on=on)
    elif step == "fund":
        services.project_mark_funded(actor=actor, project=project)
    elif step == "implement":
        services.project_mark_implemented(actor=actor, project=project, on=on)
    elif step == "accept":
        services.project_accept(actor=actor, project=project, on=on)
    elif step == "announce":
        services.project_announce(actor=actor, project=project, on=on, place=data["place"])


@login_required
def project_detail(request: HttpRequest, code: str) -> HttpResponse:
    _enter(request)
    try:
        project = selectors.project_get(user=request.user, code=code)
    except Project.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc
    step = _next_step(project)
    can_act = step is not None and holds_level(request.user, project.area, step[1])
    form = StepForm()
    if request.method == "POST":
        if not can_act or step is None:
            raise Http404(_("Not found."))
        form = StepForm(request.POST)
        if form.is_valid():
            try:
                _do_step(request, project, step[0], step[2], form)
            except DomainError as exc:
                errors = exc.errors if isinstance(exc, ValidationFailed) else [exc]
                for each in errors:
                    form.add_error(each.field if each.field in form.fields else None, str(each))
            else:
                messages.success(request, _("The project moved on."))
                return redirect("projects:detail", code=project.code)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "areas": project.areas.order_by("lft"),
            "publicities": project.publicities.select_related("area"),
            "funds": selectors.project_funds(project=project),
            "disbursements": selectors.project_disbursements(project=project),
            "assets": project.assets.order_by("code"),
            "beneficiaries": selectors.project_beneficiaries(user=request.user, project=project),
            "beneficiary_count": project.beneficiaries.count(),
            "step": step[0] if step else "",
            "step_level": step[2] if step else "",
            "can_act": can_act,
            "form": form,
            "states": ProjectState.choices,
        },
    )


@login_required
def fund_report(request: HttpRequest) -> HttpResponse:
    _enter(request)
    root, tops = _root(request)
    year = _int(request.GET.get("year"))
    rows = selectors.fund_report(user=request.user, root=root, year=year)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(
            fund_report_workbook(root, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="funds-{root.code}.xlsx"'
        return response
    return render(
        request,
        "projects/funds.html",
        {
            "root": root,
            "tops": tops,
            "rows": rows,
            "year": year or "",
            "years": selectors.fund_years(user=request.user),
            "totals": {
                "allocated": sum(r.allocated for r in rows),
                "disbursed": sum(r.disbursed for r in rows),
                "balance": sum(r.balance for r in rows),
            },
        },
    )


@login_required
def asset_ledger(request: HttpRequest) -> HttpResponse:
    _enter(request)
    root, tops = _root(request)
    today = timezone.localdate()
    return render(
        request,
        "projects/assets.html",
        {
            "root": root,
            "tops": tops,
            "assets": selectors.asset_ledger(user=request.user, root=root)[:1000],
            "alerts": selectors.asset_alerts(user=request.user, root=root, as_of=today),
            "today": today,
        },
    )


@login_required
def collective_economy(request: HttpRequest) -> HttpResponse:
    _enter(request)
    root, tops = _root(request)
    years = selectors.collective_years(user=request.user)
    year = _int(request.GET.get("year")) or (years[0] if years else timezone.localdate().year)
    result = selectors.collective_economy(user=request.user, root=root, year=year)
    return render(
        request,
        "projects/economy.html",
        {"root": root, "tops": tops, "year": year, "years": years, "result": result},
    )


@login_required
def industries(request: HttpRequest) -> HttpResponse:
    _enter(request)
    root, tops = _root(request)
    today = timezone.localdate()
    year = _int(request.GET.get("year")) or today.year - 1
    enterprises = list(selectors.enterprise_list(user=request.user, root=root))
    purchases: dict[int, Any] = {
        e.pk: selectors.purchases_by_day(user=request.user, enterprise=e)[:7]
        for e in enterprises
        if e.kind == "company"
    }
    return render(
        request,
        "projects/industries.html",
        {
            "root": root,
            "tops": tops,
            "year": year,
            "enterprises": enterprises,
            "purchases": purchases,
            "beneficiaries": selectors.industry_beneficiaries(
                user=request.user, root=root, as_of=today
            ),
            "incomes": selectors.chain_income_by_household(user=request.user, root=root, year=year)[
                :200
            ],
        },
    )
