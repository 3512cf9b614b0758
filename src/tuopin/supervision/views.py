"""Supervision pages: an overview, suggestions, review opinions and their issue lists,
visits, special inquiries, problem clues and assessment.

A record outside the user's areas is a 404. Each detail page offers only the actions the
user may take now; the action endpoints call the services, which check again, and a
refusal comes back as a message on the detail page.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, has_capability, restrict
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.supervision import forms, selectors, services
from tuopin.supervision.choices import ClueStatus, CriterionKind, SuggestionStatus
from tuopin.supervision.metrics import METRICS
from tuopin.supervision.models import (
    Clue,
    Commitment,
    CriteriaSet,
    Deputy,
    Evidence,
    InquirySession,
    IssueItem,
    Office,
    Opinion,
    Suggestion,
)

_PICKABLE_LEVELS = [Level.LEAGUE, Level.BANNER, Level.SUMU_TOWN]


def _section(request: HttpRequest, capability: Capability = Capability.VIEW_SUPERVISION) -> None:
    if not (
        has_capability(request.user, capability)
        or (capability == Capability.VIEW_SUPERVISION and _is_deputy(request))
    ):
        raise Http404(_("No such page."))
    request.nav_section = "supervision"  # type: ignore[attr-defined]


def _is_deputy(request: HttpRequest) -> bool:
    return Deputy.objects.filter(user_id=request.user.pk).exists()


def _areas(request: HttpRequest, capability: Capability) -> QuerySet[Area]:
    return restrict(
        Area.objects.filter(level__in=_PICKABLE_LEVELS, is_active=True).order_by("lft"),
        request.user,
        capability,
        area_field=None,
    )


def _today() -> datetime.date:
    return timezone.localdate()


def _act(request: HttpRequest, url: str, action: Callable[[], Any], done: str) -> HttpResponse:
    """Run a service; say what happened or why not, and go back to ``url``."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(url)


def _submit(
    request: HttpRequest, url: str, form: Any, run: Callable[[dict[str, Any]], Any], done: str
) -> HttpResponse:
    """A valid form's data to a service (through ``_act``); an invalid form's errors back."""
    if not form.is_valid():
        return _form_errors(request, form, url)
    return _act(request, url, lambda: run(form.cleaned_data), done)


def _form_errors(request: HttpRequest, form: Any, url: str) -> HttpResponse:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return redirect(url)


@login_required
def index(request: HttpRequest) -> HttpResponse:
    _section(request)
    today = _today()
    context = {
        "overview": selectors.overview(user=request.user, today=today),
        "can_clues": has_capability(request.user, Capability.VIEW_CLUES),
        "can_assess": has_capability(request.user, Capability.ASSESS)
        or has_capability(request.user, Capability.VIEW_SUPERVISION),
    }
    return render(request, "supervision/index.html", context)


# ---------------------------------------------------------------------------------------------
# Suggestions


@login_required
def suggestion_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    status = request.GET.get("status", "")
    if status not in SuggestionStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    today = _today()
    rows = selectors.suggestion_list(user=request.user, status=status, overdue=overdue, today=today)
    context = {
        "suggestions": rows[:500],
        "count": rows.count(),
        "statuses": SuggestionStatus.choices,
        "status": status,
        "overdue": overdue,
        "today": today,
        "assists_overdue": selectors.assists_overdue(user=request.user, today=today)
        if overdue
        else None,
        "can_submit": _submittable_deputies(request).exists(),
    }
    return render(request, "supervision/suggestion_list.html", context)


def _submittable_deputies(request: HttpRequest) -> QuerySet[Deputy]:
    managed = restrict(Deputy.objects.all(), request.user, Capability.MANAGE_SUPERVISION)
    own = Deputy.objects.filter(user_id=request.user.pk)
    own_ok = [d.pk for d in own if services.may_submit_for(request.user, d)]
    return (managed | Deputy.objects.filter(pk__in=own_ok)).distinct().order_by("name")


@login_required
def suggestion_new(request: HttpRequest) -> HttpResponse:
    _section(request)
    deputies = _submittable_deputies(request)
    if not deputies.exists():
        raise Forbidden(_("You do not have permission to do this here."))
    form = forms.SuggestionForm(request.POST or None, deputies=deputies)
    if deputies.count() == 1:
        form.fields["deputy"].initial = deputies.first()
    if request.method == "POST" and form.is_valid():
        try:
            suggestion = services.suggestion_submit(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The suggestion was submitted."))
            return redirect("supervision:suggestion", suggestion.pk)
    return render(request, "supervision/suggestion_new.html", {"form": form})


def _suggestion(request: HttpRequest, pk: int) -> Suggestion:
    _section(request)
    try:
        return selectors.suggestion_get(user=request.user, pk=pk)
    except Suggestion.DoesNotExist as exc:
        raise Http404(_("No such suggestion.")) from exc


@login_required
def suggestion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    actions = services.suggestion_actions(request.user, suggestion)
    offices = selectors.offices(user=request.user).filter(is_active=True)
    context = {
        "s": suggestion,
        "events": suggestion.events.select_related("office", "actor"),
        "assists": suggestion.assists.select_related("office"),
        "actions": actions,
        "assign_form": forms.AssignForm(offices=offices) if actions["assign"] else None,
        "assist_forms": [
            (a, forms.AssistForm(initial={"office": a.office_id})) for a in actions["assist"]
        ],
        "extend_form": forms.ExtendForm() if actions["extend"] else None,
        "reply_form": forms.ReplyForm() if actions["reply"] else None,
        "vote_form": forms.VoteForm() if actions["vote"] else None,
        "today": _today(),
    }
    return render(request, "supervision/suggestion_detail.html", context)


@login_required
@require_POST
def suggestion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    suggestion = _suggestion(request, pk)
    url = reverse("supervision:suggestion", args=[pk])
    user = request.user
    if action == "assign":
        form: Any = forms.AssignForm(
            request.POST, offices=selectors.offices(user=user).filter(is_active=True)
        )
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.suggestion_assign(
                actor=user,
                suggestion=suggestion,
                lead_office=form.cleaned_data["lead_office"],
                assisting_offices=list(form.cleaned_data["assisting_offices"]),
            ),
            _("The suggestion was assigned."),
        )
    if action == "assist":
        form = forms.AssistForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        office = Office.objects.filter(pk=form.cleaned_data["office"]).first()
        if office is None:
            raise Http404
        return _act(
            request,
            url,
            lambda: services.suggestion_assist_answer(
                actor=user,
                suggestion=suggestion,
                office=office,
                answer=form.cleaned_data["answer"],
            ),
            _("The answer was sent to the lead office."),
        )
    # Steps whose form's fields are the service's own keywords.
    plain = {
        "extend": (forms.ExtendForm, services.suggestion_extend, _("The time limit was extended.")),
        "reply": (forms.ReplyForm, services.suggestion_reply, _("The reply was recorded.")),
        "vote": (forms.VoteForm, services.suggestion_vote, _("The satisfaction was recorded.")),
    }
    if action in plain:
        form_class, service, done = plain[action]
        return _submit(
            request,
            url,
            form_class(request.POST),
            lambda data: service(actor=user, suggestion=suggestion, **data),
            done,
        )
    raise Http404


# ---------------------------------------------------------------------------------------------
# Review opinions and issue lists


@login_required
def opinion_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    today = _today()
    context = {
        "opinions": selectors.opinion_list(user=request.user),
        "overdue_items": selectors.items_overdue(user=request.user, today=today),
        "can_create": _areas(request, Capability.MANAGE_SUPERVISION).exists(),
    }
    return render(request, "supervision/opinion_list.html", context)


@login_required
def opinion_new(request: HttpRequest) -> HttpResponse:
    _section(request)
    areas = _areas(request, Capability.MANAGE_SUPERVISION)
    if not areas.exists():
        raise Forbidden(_("You do not have permission to do this here."))
    form = forms.OpinionForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            opinion = services.opinion_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect("supervision:opinion", opinion.pk)
    return render(
        request,
        "supervision/form_page.html",
        {
            "form": form,
            "title": _("New review opinion"),
            "back": reverse("supervision:opinions"),
        },
    )


def _opinion(request: HttpRequest, pk: int) -> Opinion:
    _section(request)
    try:
        return selectors.opinion_get(user=request.user, pk=pk)
    except Opinion.DoesNotExist as exc:
        raise Http404(_("No such opinion.")) from exc


@login_required
def opinion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = _opinion(request, pk)
    user = request.user
    manage = covers(user, Capability.MANAGE_SUPERVISION, opinion.area)
    items = []
    for item in opinion.items.select_related("office__area", "area").prefetch_related(
        "progress", "evidence"
    ):
        handle = services.may_handle_item(user, item)
        items.append(
            {
                "item": item,
                "progress": item.progress.all(),
                "evidence": item.evidence.all(),
                "handle": handle and item.status != "closed",
                "close": manage and item.status != "closed",
            }
        )
    context = {
        "o": opinion,
        "items": items,
        "votes": opinion.votes.all(),
        "manage": manage,
        "item_form": forms.ItemForm(
            offices=selectors.offices(user=user).filter(is_active=True),
            areas=_areas(request, Capability.MANAGE_SUPERVISION),
        )
        if manage
        else None,
        "progress_form": forms.ProgressForm(),
        "evidence_form": forms.EvidenceForm(),
        "close_form": forms.CloseItemForm(),
        "report_form": forms.RectificationForm()
        if opinion.status in {"open", "rework"} and services.may_report_rectification(user, opinion)
        else None,
        "vote_form": forms.VoteForm() if manage and opinion.status == "reported" else None,
        "today": _today(),
    }
    return render(request, "supervision/opinion_detail.html", context)


@login_required
@require_POST
def opinion_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    opinion = _opinion(request, pk)
    url = reverse("supervision:opinion", args=[pk])
    user = request.user
    if action == "item":
        form: Any = forms.ItemForm(
            request.POST,
            offices=selectors.offices(user=user).filter(is_active=True),
            areas=_areas(request, Capability.MANAGE_SUPERVISION),
        )
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.item_add(
                actor=user, opinion=opinion, item=services.ItemInput(**form.cleaned_data)
            ),
            _("The issue was added to the list."),
        )
    if action == "report":
        form = forms.RectificationForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.opinion_report_rectification(
                actor=user, opinion=opinion, report=form.cleaned_data["report"]
            ),
            _("The rectification report was recorded."),
        )
    if action == "vote":
        form = forms.VoteForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.opinion_vote(actor=user, opinion=opinion, **form.cleaned_data),
            _("The satisfaction vote was recorded."),
        )
    raise Http404


def _item(request: HttpRequest, pk: int) -> IssueItem:
    _section(request)
    try:
        return selectors.item_get(user=request.user, pk=pk)
    except IssueItem.DoesNotExist as exc:
        raise Http404(_("No such item.")) from exc


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    item = _item(request, pk)
    url = reverse("supervision:opinion", args=[item.opinion_id]) + f"#item-{item.pk}"
    user = request.user
    if action == "progress":
        form: Any = forms.ProgressForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.item_report_progress(
                actor=user, item=item, text=form.cleaned_data["text"]
            ),
            _("The progress was reported."),
        )
    if action == "evidence":
        form = forms.EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            return _form_errors(request, form, url)
        upload = form.cleaned_data["file"]
        if upload.size > services.EVIDENCE_MAX_BYTES:
            messages.error(
                request,
                _("The file is larger than %(limit)s MB.")
                % {"limit": services.EVIDENCE_MAX_BYTES // (1024 * 1024)},
            )
            return redirect(url)
        return _act(
            request,
            url,
            lambda: services.evidence_upload(
                actor=user, item=item, name=upload.name, data=upload.read()
            ),
            _("The evidence was uploaded."),
        )
    if action == "close":
        form = forms.CloseItemForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        return _act(
            request,
            url,
            lambda: services.item_close(actor=user, item=item, note=form.cleaned_data["note"]),
            _("The item was closed."),
        )
    raise Http404


@login_required
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    _section(request)
    evidence = Evidence.objects.filter(
        pk=pk, item__opinion__in=selectors.opinion_list(user=request.user)
    ).first()
    if evidence is None:
        raise Http404(_("No such file."))
    path = services.evidence_path(evidence)
    if not path.exists():
        raise Http404(_("No such file."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


# ---------------------------------------------------------------------------------------------
# Visits and special inquiries


@login_required
def visit_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    period = forms.PeriodForm(request.GET or None)
    start = end = None
    if period.is_valid():
        start, end = period.cleaned_data.get("start"), period.cleaned_data.get("end")
    context = {
        "period": period,
        "report": selectors.visit_report(user=request.user, start=start, end=end),
        "visits": selectors.visit_list(user=request.user, start=start, end=end)[:300],
        "can_create": _areas(request, Capability.MANAGE_SUPERVISION).exists(),
    }
    return render(request, "supervision/visit_list.html", context)


@login_required
def visit_new(request: HttpRequest) -> HttpResponse:
    _section(request)
    areas = _areas(request, Capability.MANAGE_SUPERVISION)
    if not areas.exists():
        raise Forbidden(_("You do not have permission to do this here."))
    form = forms.VisitForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            services.visit_record(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("The visit was recorded."))
            return redirect("supervision:visits")
    return render(
        request,
        "supervision/form_page.html",
        {
            "form": form,
            "title": _("Record a visit"),
            "back": reverse("supervision:visits"),
        },
    )


@login_required
def inquiry_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    today = _today()
    context = {
        "sessions": selectors.inquiry_list(user=request.user),
        "overdue": selectors.commitments_overdue(user=request.user, today=today),
    }
    return render(request, "supervision/inquiry_list.html", context)


@login_required
def inquiry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _section(request)
    try:
        session = selectors.inquiry_get(user=request.user, pk=pk)
    except InquirySession.DoesNotExist as exc:
        raise Http404(_("No such inquiry.")) from exc
    questions = session.questions.select_related("asker", "office__area").prefetch_related(
        "commitments"
    )
    rows = [
        {
            "q": q,
            "can_mark": covers(request.user, Capability.HANDLE_SUPERVISION, q.office.area)
            or covers(request.user, Capability.MANAGE_SUPERVISION, session.area),
        }
        for q in questions
    ]
    return render(
        request,
        "supervision/inquiry_detail.html",
        {"session": session, "rows": rows, "today": _today()},
    )


@login_required
@require_POST
def commitment_done(request: HttpRequest, pk: int) -> HttpResponse:
    _section(request)
    commitment = (
        Commitment.objects.filter(
            pk=pk, question__session__in=selectors.inquiry_list(user=request.user)
        )
        .select_related("question__session", "question__office__area")
        .first()
    )
    if commitment is None:
        raise Http404
    url = reverse("supervision:inquiry", args=[commitment.question.session_id])
    return _act(
        request,
        url,
        lambda: services.commitment_done(actor=request.user, commitment=commitment),
        _("The commitment is marked as kept."),
    )


# ---------------------------------------------------------------------------------------------
# Problem clues


@login_required
def clue_list(request: HttpRequest) -> HttpResponse:
    _section(request, Capability.VIEW_CLUES)
    clues = selectors.clue_list(user=request.user)
    status = request.GET.get("status", "")
    if status in ClueStatus.values:
        clues = clues.filter(status=status)
    context = {
        "clues": [selectors.clue_view(user=request.user, clue=c) for c in clues[:500]],
        "statuses": ClueStatus.choices,
        "status": status,
        "can_manage": has_capability(request.user, Capability.MANAGE_CLUES),
        "sample_form": forms.SampleForm(
            areas=_areas(request, Capability.MANAGE_CLUES),
            initial={"seed": int(_today().strftime("%Y%m%d"))},
        ),
        "samples": selectors.review_samples(user=request.user).prefetch_related("clues")[:20],
    }
    return render(request, "supervision/clue_list.html", context)


@login_required
def clue_export(request: HttpRequest) -> HttpResponse:
    """The clues as CSV; the confidential columns are masked unless the user may see them."""
    _section(request, Capability.VIEW_CLUES)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="clues.csv"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Number"),
            _("Area"),
            _("Source"),
            _("Received on"),
            _("Status"),
            _("Category"),
            _("Finding"),
            _("Reporter"),
            _("Reporter's contact"),
            _("Person concerned"),
            _("Summary"),
        ]
    )
    for clue in selectors.clue_list(user=request.user):
        view = selectors.clue_view(user=request.user, clue=clue)
        writer.writerow(
            [
                clue.number,
                clue.area.display_name,
                clue.get_source_display(),
                clue.received_on.isoformat(),
                clue.get_status_display(),
                clue.get_category_display(),
                clue.get_finding_display(),
                view.reporter_name,
                view.reporter_contact,
                view.subject_name,
                clue.summary,
            ]
        )
    return response


@login_required
def clue_new(request: HttpRequest) -> HttpResponse:
    _section(request, Capability.MANAGE_CLUES)
    areas = _areas(request, Capability.MANAGE_CLUES)
    form = forms.ClueForm(request.POST or None, areas=areas)
    if request.method == "POST" and form.is_valid():
        try:
            clue = services.clue_collect(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            return redirect("supervision:clue", clue.pk)
    return render(
        request,
        "supervision/form_page.html",
        {
            "form": form,
            "title": _("Collect a clue"),
            "back": reverse("supervision:clues"),
        },
    )


def _clue(request: HttpRequest, pk: int) -> Clue:
    _section(request, Capability.VIEW_CLUES)
    try:
        return selectors.clue_get(user=request.user, pk=pk)
    except Clue.DoesNotExist as exc:
        raise Http404(_("No such clue.")) from exc


@login_required
def clue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    clue = _clue(request, pk)
    can_step = (
        covers(request.user, Capability.MANAGE_CLUES, clue.area)
        and clue.status in forms.ClueStepForm.FIELDS
    )
    context = {
        "view": selectors.clue_view(user=request.user, clue=clue),
        "c": clue,
        "step_form": forms.ClueStepForm(status=clue.status) if can_step else None,
        "samples": clue.review_samples.all(),
    }
    return render(request, "supervision/clue_detail.html", context)


_CLUE_STEPS: dict[str, tuple[Callable[..., Any], str]] = {
    "collected": (services.clue_classify, "category"),
    "classified": (services.clue_dispose, "disposal"),
    "disposed": (services.clue_verify, "finding"),
    "verified": (services.clue_hold_accountable, "accountability"),
    "accounted": (services.clue_apply_results, "results"),
}


@login_required
@require_POST
def clue_step(request: HttpRequest, pk: int) -> HttpResponse:
    clue = _clue(request, pk)
    url = reverse("supervision:clue", args=[pk])
    if clue.status not in _CLUE_STEPS:
        raise Http404
    form = forms.ClueStepForm(request.POST, status=clue.status)
    if not form.is_valid():
        return _form_errors(request, form, url)
    service, argument = _CLUE_STEPS[clue.status]
    return _act(
        request,
        url,
        lambda: service(actor=request.user, clue=clue, **{argument: form.cleaned_data["value"]}),
        _("The clue moved to its next step."),
    )


@login_required
@require_POST
def clue_sample(request: HttpRequest) -> HttpResponse:
    _section(request, Capability.MANAGE_CLUES)
    url = reverse("supervision:clues")
    form = forms.SampleForm(request.POST, areas=_areas(request, Capability.MANAGE_CLUES))
    if not form.is_valid():
        return _form_errors(request, form, url)
    return _act(
        request,
        url,
        lambda: services.review_sample_draw(actor=request.user, **form.cleaned_data),
        _("The re-review sample was drawn."),
    )


# ---------------------------------------------------------------------------------------------
# Assessment


@login_required
def assessment_list(request: HttpRequest) -> HttpResponse:
    if not (
        has_capability(request.user, Capability.ASSESS)
        or has_capability(request.user, Capability.VIEW_SUPERVISION)
    ):
        raise Http404
    request.nav_section = "supervision"  # type: ignore[attr-defined]
    return render(
        request,
        "supervision/assessment_list.html",
        {"sets": selectors.criteria_sets(user=request.user)},
    )


def _criteria_set(request: HttpRequest, pk: int) -> CriteriaSet:
    request.nav_section = "supervision"  # type: ignore[attr-defined]
    try:
        return selectors.criteria_sets(user=request.user).get(pk=pk)
    except CriteriaSet.DoesNotExist as exc:
        raise Http404(_("No such assessment.")) from exc


@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    criteria_set = _criteria_set(request, pk)
    criteria = list(criteria_set.criteria.all())
    can_score = covers(request.user, Capability.ASSESS, criteria_set.area)
    context = {
        "cs": criteria_set,
        "criteria": [
            {"c": c, "metric": METRICS.get(c.metric) if c.kind == CriterionKind.COMPUTED else None}
            for c in criteria
        ],
        "rows": selectors.assessment_results(criteria_set),
        "can_score": can_score,
        "print": request.GET.get("print") == "1",
    }
    return render(request, "supervision/assessment_detail.html", context)


@login_required
@require_POST
def assessment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    criteria_set = _criteria_set(request, pk)
    url = reverse("supervision:assessment", args=[pk])
    if action == "compute":
        return _act(
            request,
            url,
            lambda: services.scores_compute(actor=request.user, criteria_set=criteria_set),
            _("The computed criteria were scored."),
        )
    if action == "score":
        form = forms.ScoreForm(request.POST)
        if not form.is_valid():
            return _form_errors(request, form, url)
        assessee = criteria_set.assessees.filter(pk=form.cleaned_data["assessee"]).first()
        criterion = criteria_set.criteria.filter(pk=form.cleaned_data["criterion"]).first()
        if assessee is None or criterion is None:
            raise Http404
        value: Decimal = form.cleaned_data["value"]
        return _act(
            request,
            url,
            lambda: services.score_set(
                actor=request.user, assessee=assessee, criterion=criterion, value=value
            ),
            _("The score was recorded."),
        )
    raise Http404
