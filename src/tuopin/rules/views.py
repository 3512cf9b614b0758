"""Sweep pages: the runs, starting one as a background job, and a run's outcome."""

from __future__ import annotations

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views.decorators.cache import never_cache

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, top_granted_areas
from tuopin.areas.models import Area
from tuopin.core.htmx import is_htmx
from tuopin.core.jobs import read_progress
from tuopin.core.models import Job, JobState
from tuopin.rules import selectors
from tuopin.rules.engine import format_arg
from tuopin.rules.exits import exit_report
from tuopin.rules.forms import ExitForm, SweepForm
from tuopin.rules.tasks import JOB_KIND, sweep_enqueue

OUTCOMES = [
    "households",
    "evaluated",
    "not_evaluated",
    "exit_eligible",
    "unstable_tuopin",
    "marginal",
    "sudden_hardship",
    "new_candidates",
    "monitored",
    "elimination_eligible",
    "fails_food_clothing",
    "fails_compulsory_education",
    "fails_basic_medical",
    "fails_housing_safety",
    "fails_drinking_water",
]


def _section(request: HttpRequest) -> None:
    request.nav_section = "sweeps"  # type: ignore[attr-defined]


@login_required
def sweep_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    areas = top_granted_areas(request.user, Capability.RUN_SWEEP)
    form = SweepForm(request.POST or None, areas=areas) if areas else None
    if request.method == "POST":
        if form is None:
            return HttpResponseForbidden()
        if form.is_valid():
            area = get_object_or_404(Area, code=form.cleaned_data["area"])
            if not covers(request.user, Capability.RUN_SWEEP, area):
                return HttpResponseForbidden()
            job = sweep_enqueue(actor=request.user, year=form.cleaned_data["year"], area=area)
            return redirect("rules:sweep_job", job_id=job.pk)
    runs = selectors.sweep_runs(user=request.user)[:50]
    return render(request, "rules/sweep_list.html", {"form": form, "runs": runs})


@never_cache
@login_required
def sweep_job(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    job = Job.objects.filter(pk=job_id, kind=JOB_KIND, created_by=request.user).first()
    if job is None:
        raise Http404
    _section(request)
    finished = job.state in {JobState.SUCCEEDED, JobState.FAILED}
    context = {
        "job": job,
        "finished": finished,
        "progress": None if finished else read_progress(job.id),
        "run_id": (job.result or {}).get("run"),
    }
    template = "rules/_sweep_job.html" if is_htmx(request) else "rules/sweep_job.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
def sweep_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.sweep_runs(user=request.user).filter(pk=pk).first()
    if run is None:
        raise Http404
    _section(request)
    rows = [(key, run.counts.get(key)) for key in OUTCOMES if key in run.counts]
    policy_rows = [
        {
            "packs": used["packs"],
            "line": format_arg("amount", used["poverty_line"]),
            "line_from": used["line_from_year"],
            "line_carried": used["line_from_year"] != run.year,
            "threshold": format_arg("amount", used["threshold"]),
            "threshold_from": used["threshold_from_year"],
            "threshold_carried": used["threshold"] is not None
            and used["threshold_from_year"] != run.year,
        }
        for used in run.policy
    ]
    context = {"run": run, "rows": rows, "policy_rows": policy_rows}
    return render(request, "rules/sweep_detail.html", context)


@login_required
def exit_check(request: HttpRequest) -> HttpResponse:
    """Village exit and banner exit for an area and year (出列 / 摘帽)."""
    request.nav_section = "sweeps"  # type: ignore[attr-defined]
    tops = top_granted_areas(request.user, Capability.VIEW_AGGREGATES)
    if not tops:
        raise Http404
    form = ExitForm(request.GET or None, areas=tops)
    report = None
    if form.is_valid():
        area = Area.objects.filter(code=form.cleaned_data["area"]).first()
        if area is None or not covers(request.user, Capability.VIEW_AGGREGATES, area):
            raise Http404
        report = exit_report(user=request.user, year=form.cleaned_data["year"], area=area)
    return render(request, "rules/exit_check.html", {"form": form, "report": report})
