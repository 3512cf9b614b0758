"""The measures of one household: the list, and adding or ending one (record editors)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, has_capability
from tuopin.assistance import selectors, services
from tuopin.assistance.forms import MeasureEndForm, MeasureForm
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.registry.models import Household
from tuopin.registry.selectors import household_get


def _report(form: Form, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    for each in errors:
        form.add_error(each.field if each.field in form.fields else None, str(each))


@login_required
def household_measures(request: HttpRequest, code: str) -> HttpResponse:
    request.nav_section = "registry"  # type: ignore[attr-defined]
    if not has_capability(request.user, Capability.VIEW_RECORDS):
        raise Http404(_("Not found."))
    try:
        household = household_get(user=request.user, code=code)
    except Household.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc
    can_edit = covers(request.user, Capability.EDIT_RECORDS, household.area)
    add_form = MeasureForm()
    end_form = MeasureEndForm()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_edit:
        raise Http404(_("Not found."))
    try:
        if action == "add":
            add_form = MeasureForm(request.POST)
            if add_form.is_valid():
                services.measure_add(
                    actor=request.user, household=household, **add_form.cleaned_data
                )
                messages.success(request, _("The measure is recorded."))
                return redirect("assistance:household", code=household.code)
        elif action == "end":
            end_form = MeasureEndForm(request.POST)
            if end_form.is_valid():
                measure = household.measures.filter(pk=end_form.cleaned_data["measure"]).first()
                if measure is None:
                    raise Http404(_("Not found."))
                services.measure_end(
                    actor=request.user, measure=measure, end_date=end_form.cleaned_data["end_date"]
                )
                messages.success(request, _("The measure is ended."))
                return redirect("assistance:household", code=household.code)
    except DomainError as exc:
        _report(add_form if action == "add" else end_form, exc)
    today = timezone.localdate()
    measures = list(selectors.measure_list(user=request.user, household_id=household.pk))
    return render(
        request,
        "assistance/household_measures.html",
        {
            "household": household,
            "measures": measures,
            "in_place": {
                m.pk
                for m in measures
                if m.start_date <= today and (m.end_date is None or m.end_date >= today)
            },
            "can_edit": can_edit,
            "form": add_form,
            "end_form": end_form,
            "today": today,
        },
    )
