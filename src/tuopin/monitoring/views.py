"""Monitoring pages for staff: my work, clues, cases and their steps, publicity lists.

Anything outside the user's areas is a 404. A step's form is shown only to whoever may
take the step; the services check again on every POST.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, has_capability
from tuopin.areas.models import Area
from tuopin.core.audit import log_personal_view
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.core.htmx import client_ip
from tuopin.monitoring import selectors, services
from tuopin.monitoring.choices import (
    CASE_OPENERS,
    EVENT_LABELS,
    STEP_BUTTONS,
    STEP_ROLES,
    CaseKind,
    CaseState,
    CaseStep,
    ClueStatus,
    RiskType,
)
from tuopin.monitoring.forms import (
    AnnounceForm,
    AnswerForm,
    ApprovalForm,
    ClueReportForm,
    CompletePublicityForm,
    DeliberationForm,
    DismissForm,
    EliminationForm,
    MatchForm,
    ObjectionForm,
    OpinionForm,
    PublicityForm,
    RejectForm,
    VerifyForm,
)
from tuopin.monitoring.models import Case, Clue
from tuopin.monitoring.publicity import publicity_workbook
from tuopin.registry.idnumbers import mask, mask_phone
from tuopin.registry.models import Household
from tuopin.registry.selectors import household_get


def _section(request: HttpRequest) -> None:
    request.nav_section = "monitoring"  # type: ignore[attr-defined]
    if not has_capability(request.user, Capability.VIEW_RECORDS):
        raise Http404(_("Not found."))


def _report(form: Form, error: DomainError) -> None:
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    if isinstance(error, ValidationFailed) and error.message and len(errors) > 1:
        form.add_error(None, str(error.message))
    for each in errors:
        form.add_error(each.field if each.field in form.fields else None, str(each))


def _clue_or_404(request: HttpRequest, pk: int) -> Clue:
    _section(request)
    try:
        return selectors.clue_get(user=request.user, pk=pk)
    except Clue.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def _case_or_404(request: HttpRequest, pk: int) -> Case:
    _section(request)
    try:
        return selectors.case_get(user=request.user, pk=pk)
    except Case.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def _household_or_404(request: HttpRequest, code: str) -> Household:
    _section(request)
    try:
        return household_get(user=request.user, code=code)
    except Household.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


# ---------------------------------------------------------------------------------------------
# My work


@login_required
def work(request: HttpRequest) -> HttpResponse:
    _section(request)
    today = timezone.localdate()
    items = selectors.my_work(user=request.user, today=today)
    return render(
        request,
        "monitoring/work.html",
        {
            "items": items,
            "today": today,
            "overdue": sum(1 for i in items if i.urgency == "overdue"),
            "soon": sum(1 for i in items if i.urgency == "soon"),
        },
    )


# ---------------------------------------------------------------------------------------------
# Clues


@login_required
def clue_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    status = request.GET.get("status", ClueStatus.OPEN)
    if status not in ClueStatus.values:
        status = ""
    clues = selectors.clue_list(user=request.user, status=status).order_by("-created_at")[:200]
    return render(
        request,
        "monitoring/clue_list.html",
        {"clues": clues, "status": status, "statuses": ClueStatus.choices},
    )


@login_required
def clue_report(request: HttpRequest, code: str) -> HttpResponse:
    """A cadre reports a clue from a household's page (基层干部排查)."""
    household = _household_or_404(request, code)
    form = ClueReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            clue, created = services.clue_raise(
                actor=request.user,
                household=household,
                channel=form.cleaned_data["channel"],
                risk_type=form.cleaned_data["risk_type"],
                facts={"description": form.cleaned_data["description"]},
                source_key="",
            )
        except DomainError as exc:
            _report(form, exc)
        else:
            if created:
                messages.success(request, _("The clue is recorded."))
            else:
                messages.warning(
                    request,
                    _("This household already has an open clue or case; here it is."),
                )
            return redirect("monitoring:clue", pk=clue.pk)
    return render(request, "monitoring/clue_report.html", {"household": household, "form": form})


def _application_view(request: HttpRequest, clue: Clue) -> dict[str, str] | None:
    application = selectors.application_for_clue(user=request.user, clue=clue)
    if application is None:
        found = clue.applications.first()
        if found is None:
            return None
        return {
            "name": found.name,
            "id_number": mask(found.id_number),
            "phone": mask_phone(found.phone),
            "code": found.tracking_code,
            "description": found.description,
            "masked": "1",
        }
    log_personal_view(
        actor=request.user,
        subject=application,
        fields=["id_number", "phone"],
        area_code=clue.area.code,
        purpose="clue",
        ip=client_ip(request),
    )
    return {
        "name": application.name,
        "id_number": application.id_number,
        "phone": application.phone,
        "code": application.tracking_code,
        "description": application.description,
        "masked": "",
    }


@login_required
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = _clue_or_404(request, pk)
    can_handle = clue.status == ClueStatus.OPEN and services.holds_role(
        request.user, CASE_OPENERS, clue.area
    )
    forms: dict[str, Form] = {"dismiss": DismissForm(), "match": MatchForm()}
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_handle:
        raise Http404(_("Not found."))
    try:
        if action == "open":
            case = services.case_open_identification(actor=request.user, clue=clue)
            messages.success(request, _("The identification case is open."))
            return redirect("monitoring:case", pk=case.pk)
        if action == "dismiss":
            forms["dismiss"] = DismissForm(request.POST)
            if forms["dismiss"].is_valid():
                services.clue_dismiss(
                    actor=request.user, clue=clue, reason=forms["dismiss"].cleaned_data["reason"]
                )
                messages.success(request, _("The clue is dismissed."))
                return redirect("monitoring:clue", pk=clue.pk)
        if action == "match":
            forms["match"] = MatchForm(request.POST)
            if forms["match"].is_valid():
                try:
                    household = household_get(
                        user=request.user, code=forms["match"].cleaned_data["household_code"]
                    )
                except Household.DoesNotExist:
                    forms["match"].add_error("household_code", _("No such household."))
                else:
                    services.clue_match(actor=request.user, clue=clue, household=household)
                    messages.success(request, _("The clue is matched to the household."))
                    return redirect("monitoring:clue", pk=clue.pk)
    except DomainError as exc:
        target = forms.get(action)
        if target is None:
            messages.error(request, str(exc))
        else:
            _report(target, exc)
    return render(
        request,
        "monitoring/clue_detail.html",
        {
            "clue": clue,
            "can_handle": can_handle,
            "forms": forms,
            "application": _application_view(request, clue),
            "difficulties": [
                RiskType(d).label
                for d in clue.facts.get("difficulties", [])
                if d in RiskType.values
            ],
            "cases": clue.cases.all(),
        },
    )


# ---------------------------------------------------------------------------------------------
# Cases


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    today = timezone.localdate()
    state = request.GET.get("state", CaseState.OPEN)
    state = state if state in CaseState.values else ""
    overdue = request.GET.get("overdue") == "1"
    filters = selectors.CaseFilters(state=state, overdue_on=today if overdue else None)
    cases = list(selectors.case_list(user=request.user, filters=filters)[:300])
    rows = [{"case": c, "urgency": selectors.urgency(c, today)} for c in cases]
    return render(
        request,
        "monitoring/case_list.html",
        {"rows": rows, "state": state, "states": CaseState.choices, "overdue": overdue},
    )


STEP_FORMS: dict[str, type[Form]] = {
    CaseStep.VERIFICATION: VerifyForm,
    CaseStep.DELIBERATION: DeliberationForm,
    CaseStep.PUBLICITY: PublicityForm,
    CaseStep.TOWN_REVIEW: OpinionForm,
    CaseStep.BANNER_APPROVAL: ApprovalForm,
    CaseStep.ANNOUNCEMENT: AnnounceForm,
}


def _take_step(request: HttpRequest, case: Case, data: dict[str, Any]) -> Case:
    user = request.user
    version = data.pop("version", None)
    if case.step == CaseStep.VERIFICATION:
        return services.case_verify(
            actor=user,
            case=case,
            verified_on=data["verified_on"],
            note=data["note"],
            consent=data.get("consent"),
            expected_version=version,
        )
    if case.step == CaseStep.DELIBERATION:
        return services.case_deliberate(actor=user, case=case, expected_version=version, **data)
    if case.step == CaseStep.PUBLICITY:
        return services.case_publicity_set(actor=user, case=case, expected_version=version, **data)
    if case.step == CaseStep.TOWN_REVIEW:
        return services.case_town_review(actor=user, case=case, expected_version=version, **data)
    if case.step == CaseStep.BANNER_APPROVAL:
        return services.case_banner_approve(actor=user, case=case, expected_version=version, **data)
    return services.case_announce(actor=user, case=case, expected_version=version, **data)


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case_or_404(request, pk)
    today = timezone.localdate()
    can_act = case.state == CaseState.OPEN and services.holds_role(
        request.user, STEP_ROLES.get(case.step, frozenset()), case.area
    )
    initial = {"version": case.version}
    step_form_class = STEP_FORMS.get(case.step)
    forms: dict[str, Form] = {}
    if can_act and step_form_class is not None:
        forms["step"] = step_form_class(initial=initial)
        forms["reject"] = RejectForm()
        if case.step == CaseStep.PUBLICITY:
            forms["objection"] = ObjectionForm()
            forms["complete"] = CompletePublicityForm(initial=initial)
            if case.publicity_start:
                forms["step"] = PublicityForm(
                    initial={
                        **initial,
                        "start": case.publicity_start,
                        "end": case.publicity_end,
                    }
                )
        if case.step == CaseStep.DELIBERATION and case.kind == CaseKind.ELIMINATION:
            forms["step"].fields.pop("monitor_type")
        if case.step == CaseStep.BANNER_APPROVAL:
            if case.kind == CaseKind.ELIMINATION:
                forms["step"].fields.pop("monitor_type")
            else:
                forms["step"].initial["monitor_type"] = case.monitor_type
    action = request.POST.get("action", "") if request.method == "POST" else ""
    if action and not can_act:
        raise Http404(_("Not found."))
    if action:
        done = _handle_case_post(request, case, action, forms)
        if done is not None:
            return done
    preconditions = (
        services.elimination_preconditions(case.household, on=today)
        if case.kind == CaseKind.ELIMINATION and case.state == CaseState.OPEN
        else []
    )
    return render(
        request,
        "monitoring/case_detail.html",
        {
            "case": case,
            "today": today,
            "urgency": selectors.urgency(case, today),
            "can_act": can_act,
            "forms": forms,
            "answer_form": AnswerForm(),
            "objections": list(case.objections.all()),
            "events": [
                {"event": e, "label": EVENT_LABELS.get(e.action, e.action)}
                for e in case.events.select_related("actor")
            ],
            "step_button": STEP_BUTTONS.get(case.step, ""),
            "steps": _road(case),
            "preconditions": preconditions,
            "can_see_consent": bool(case.consent_file)
            and covers(request.user, Capability.VIEW_PERSONAL_DATA, case.area),
        },
    )


def _handle_case_post(
    request: HttpRequest, case: Case, action: str, forms: dict[str, Form]
) -> HttpResponse | None:
    """Run one POSTed action; a redirect when it worked, else ``None`` with the errors on
    the form (re-rendered by the caller)."""
    back = redirect("monitoring:case", pk=case.pk)
    if action == "answer":
        form: Form = AnswerForm(request.POST)
        forms["answer"] = form
    elif action in forms:
        form_class = type(forms[action])
        form = (
            form_class(request.POST, request.FILES)
            if action == "step"
            else form_class(request.POST)
        )
        if action == "step":
            for name in list(form.fields):
                if name not in forms[action].fields:
                    form.fields.pop(name)
        forms[action] = form
    else:
        raise Http404(_("Not found."))
    if not form.is_valid():
        return None
    data = dict(form.cleaned_data)
    try:
        if action == "step":
            _take_step(request, case, data)
            messages.success(request, _("Step recorded."))
        elif action == "reject":
            services.case_reject(actor=request.user, case=case, reason=data["reason"])
            messages.success(request, _("The case is rejected."))
        elif action == "objection":
            services.objection_add(actor=request.user, case=case, **data)
            messages.success(request, _("The objection is recorded."))
        elif action == "answer":
            objection = case.objections.filter(pk=data["objection"]).first()
            if objection is None:
                raise Http404(_("Not found."))
            services.objection_answer(
                actor=request.user,
                objection=objection,
                answer=data["answer"],
                answered_on=data["answered_on"],
            )
            messages.success(request, _("The answer is recorded."))
        elif action == "complete":
            services.case_publicity_complete(
                actor=request.user, case=case, on=data["on"], expected_version=data["version"]
            )
            messages.success(request, _("Publicity is closed."))
    except DomainError as exc:
        _report(form, exc)
        return None
    return back


def _road(case: Case) -> list[dict[str, Any]]:
    """The steps of the road with where the case is on it."""
    order = [s for s in CaseStep if s != CaseStep.DONE]
    current = order.index(CaseStep(case.step)) if case.step in order else len(order)
    road = []
    for i, step in enumerate(order):
        if case.state == CaseState.REJECTED and step == case.rejected_at_step:
            state = "rejected"
        elif i < current or case.step == CaseStep.DONE:
            state = "done"
        elif i == current and case.state == CaseState.OPEN:
            state = "current"
        else:
            state = "todo"
        road.append({"step": step, "label": step.label, "state": state})
    return road


@login_required
def case_consent(request: HttpRequest, pk: int) -> FileResponse:
    """The signed consent, for staff with personal-data access over the case's gaqa."""
    case = _case_or_404(request, pk)
    if not case.consent_file or not covers(request.user, Capability.VIEW_PERSONAL_DATA, case.area):
        raise Http404(_("Not found."))
    root = Path(settings.DATA_DIR).resolve()
    path = (root / case.consent_file).resolve()
    if not path.is_relative_to(root) or not path.exists():
        raise Http404(_("Not found."))
    log_personal_view(
        actor=request.user,
        subject=case,
        fields=["consent_file"],
        area_code=case.area.code,
        purpose="consent",
        ip=client_ip(request),
    )
    return FileResponse(path.open("rb"), as_attachment=True, filename=case.consent_name)


@login_required
def elimination_start(request: HttpRequest, code: str) -> HttpResponse:
    """The preconditions of risk elimination for a household, and opening the case."""
    household = _household_or_404(request, code)
    form = EliminationForm(request.POST or None)
    on = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        on = form.cleaned_data["on"]
        try:
            case = services.case_open_elimination(actor=request.user, household=household, on=on)
        except DomainError as exc:
            _report(form, exc)
        else:
            messages.success(request, _("The risk-elimination case is open."))
            return redirect("monitoring:case", pk=case.pk)
    return render(
        request,
        "monitoring/elimination_start.html",
        {
            "household": household,
            "form": form,
            "preconditions": services.elimination_preconditions(household, on=on),
            "can_open": services.holds_role(request.user, CASE_OPENERS, household.area),
        },
    )


# ---------------------------------------------------------------------------------------------
# Publicity lists


def _gaqa_or_404(request: HttpRequest, code: str) -> Area:
    _section(request)
    area = Area.objects.filter(code=code).first()
    if area is None or not covers(request.user, Capability.VIEW_RECORDS, area):
        raise Http404(_("Not found."))
    return area


def _publicity_date(request: HttpRequest) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("on", ""))
    except ValueError:
        return timezone.localdate()


@login_required
def publicity(request: HttpRequest, code: str) -> HttpResponse:
    area = _gaqa_or_404(request, code)
    on = _publicity_date(request)
    rows = selectors.publicity_list(user=request.user, area=area, on=on)
    return render(
        request,
        "monitoring/publicity.html",
        {"area": area, "on": on, "rows": rows},
    )


@login_required
def publicity_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    area = _gaqa_or_404(request, code)
    on = _publicity_date(request)
    rows = selectors.publicity_list(user=request.user, area=area, on=on)
    content = publicity_workbook(area, rows, on=on)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"publicity-{area.code}-{on.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
