"""Registry pages: the household list, a household's page, and the forms that edit it.

Anything outside the user's areas is a 404, never a 403: a page must not say that a
household exists where the user cannot see it. Editing needs ``EDIT_RECORDS`` over the
household's area; without it the forms are not offered and a POST is a 404 too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, has_capability
from tuopin.core.audit import log_personal_view
from tuopin.core.errors import ConcurrentEdit, DomainError, ValidationFailed
from tuopin.core.htmx import client_ip, is_htmx
from tuopin.core.models import AuditEntry
from tuopin.registry import selectors, services
from tuopin.registry.choices import MembershipReason, MonitorType, RegistryStatus, Relation
from tuopin.registry.forms import (
    AsOfForm,
    ConditionsForm,
    HouseholdEditForm,
    HouseholdFilterForm,
    IncomeForm,
    MemberAddForm,
    MemberRemoveForm,
    PersonForm,
    StatusForm,
)
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)

PAGE_SIZE = 50
AUDIT_TRAIL_SIZE = 50

# Values of these fields never appear in the audit trail of a masked page.
SENSITIVE_DIFF_FIELDS = frozenset({*Household.SENSITIVE_FIELDS, *Person.SENSITIVE_FIELDS})


def _section(request: HttpRequest) -> None:
    request.nav_section = "registry"  # type: ignore[attr-defined]


def _require_section(request: HttpRequest) -> None:
    # Roles without record access (analysts, supervisors) learn nothing of the section.
    if not has_capability(request.user, Capability.VIEW_RECORDS):
        raise Http404(_("No such household."))


def _household_or_404(request: HttpRequest, code: str) -> Household:
    _require_section(request)
    try:
        return selectors.household_get(user=request.user, code=code)
    except Household.DoesNotExist as exc:
        raise Http404(_("No such household.")) from exc


def _editable_household_or_404(
    request: HttpRequest, code: str, *, personal: bool = False
) -> Household:
    """The household, when the user may edit it (and, with ``personal``, see its personal
    data, which the form shows unmasked)."""
    household = _household_or_404(request, code)
    needed = [Capability.EDIT_RECORDS, *([Capability.VIEW_PERSONAL_DATA] if personal else [])]
    if not all(covers(request.user, capability, household.area) for capability in needed):
        raise Http404(_("No such household."))
    return household


def _log_form_view(
    request: HttpRequest, household: Household, subject: Any, fields: list[str]
) -> None:
    """A form filled with stored personal data is a view of it, and is logged as one."""
    if request.method == "GET":
        log_personal_view(
            actor=request.user,
            subject=subject,
            fields=fields,
            area_code=household.area.code,
            purpose="edit form",
            ip=client_ip(request),
        )


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"


LABELLED_MODELS = (
    Household,
    Person,
    Membership,
    HouseholdStatus,
    MonitoringPeriod,
    HouseholdIncome,
    HouseholdConditions,
)


def _labels() -> dict[str, dict[str, Any]]:
    """Column headings from the models' own names: ``labels.person.id_number``."""
    return {
        model._meta.model_name or "": {
            field.name: capfirst(field.verbose_name)
            for field in model._meta.get_fields()
            if hasattr(field, "verbose_name")
        }
        for model in LABELLED_MODELS
    }


# Audit details that are not a model field of their own.
DIFF_LABELS = {
    "on": gettext_lazy("Date"),
    "registered_on": gettext_lazy("Registered on"),
    "members": gettext_lazy("Members"),
    "head": Relation.HEAD.label,
    "eliminated_on": MonitoringPeriod._meta.get_field("valid_to").verbose_name,
    "new_household": gettext_lazy("New household"),
    "people": gettext_lazy("Members"),
}


def _model_field(name: str) -> Any:
    for model in LABELLED_MODELS:
        try:
            return model._meta.get_field(name)
        except FieldDoesNotExist:
            continue
    return None


def _diff_label(name: str) -> Any:
    if name in DIFF_LABELS:
        return capfirst(DIFF_LABELS[name])
    field = _model_field(name)
    return capfirst(field.verbose_name) if field is not None else name


def _diff_value(action: str, name: str, value: Any) -> Any:
    """A stored audit value in words: yes/no, a choice's label, a list joined."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if not isinstance(value, str) or not value:
        return value
    if name == "reason" and action.startswith("registry.member."):
        choices: dict[str, Any] = dict(MembershipReason.choices)
    else:
        field = _model_field(name)
        choices = dict(field.choices or []) if field is not None else {}
    return choices.get(value, value)


# ---------------------------------------------------------------------------------------------
# The list


@login_required
def household_list(request: HttpRequest) -> HttpResponse:
    _require_section(request)
    _section(request)
    form = HouseholdFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else getattr(form, "cleaned_data", {})
    on = data.get("as_of") or datetime.date.today()
    filters = selectors.HouseholdFilters(
        area_code=data.get("area_code") or "",
        household_type=data.get("household_type") or "",
        status=data.get("status") or "",
        monitor_type=data.get("monitor_type") or "",
        failed_guarantee=data.get("failed_guarantee") or "",
        search=data.get("q") or "",
        as_of=data.get("as_of"),
    )
    households = selectors.with_list_columns(
        selectors.household_list(user=request.user, filters=filters), on
    )
    page = Paginator(households, PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = dict(RegistryStatus.choices)
    monitor_types = dict(MonitorType.choices)
    for household in page:
        household.status_label = statuses.get(household.status_then, "")  # type: ignore[attr-defined]
        household.monitor_label = monitor_types.get(household.monitor_type_then, "")  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "on": on,
        "as_of_given": bool(data.get("as_of")),
        "filtered": any(v for k, v in data.items() if k != "as_of"),
        "labels": _labels(),
    }
    template = "registry/_results.html" if is_htmx(request) else "registry/list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


# ---------------------------------------------------------------------------------------------
# A household's page


@dataclass(frozen=True)
class IncomeRow:
    record: HouseholdIncome
    wage: str
    business: str
    property: str
    transfer: str
    costs: str
    net: str
    per_capita: str
    compliant_expenses: str


def _income_rows(household: Household) -> list[IncomeRow]:
    return [
        IncomeRow(
            record=i,
            wage=_money(i.wage_income),
            business=_money(i.business_income),
            property=_money(i.property_income),
            transfer=_money(i.transfer_income),
            costs=_money(i.business_costs),
            net=_money(i.computed_net_income),
            per_capita=_money(i.per_capita),
            compliant_expenses=_money(i.compliant_expenses),
        )
        for i in selectors.incomes(household)
    ]


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    changes: list[tuple[str, Any, Any]]


def _audit_trail(household: Household, *, unmasked: bool) -> list[AuditRow]:
    """Changes to the household and to the people who were ever its members, newest first.

    Views of personal data are left out: every page view adds one, and they would bury
    the changes (the audit log keeps them).
    """
    entries = selectors.household_audit_entries(household, limit=AUDIT_TRAIL_SIZE)
    rows = []
    for entry in entries:
        changes = []
        for name, change in (entry.diff or {}).items():
            pair = isinstance(change, list) and len(change) == 2
            old, new = change if pair else (None, change)
            if name in SENSITIVE_DIFF_FIELDS and not unmasked:
                old, new = ("***" if old else old), ("***" if new else new)
            changes.append(
                (
                    _diff_label(name),
                    _diff_value(entry.action, name, old),
                    _diff_value(entry.action, name, new),
                )
            )
        rows.append(AuditRow(entry, changes))
    return rows


@login_required
def household_detail(request: HttpRequest, code: str) -> HttpResponse:
    household = _household_or_404(request, code)
    _section(request)
    today = datetime.date.today()
    as_of_form = AsOfForm(request.GET or None)
    as_of = as_of_form.cleaned_data.get("as_of") if as_of_form.is_valid() else None
    on = as_of or today
    members = list(selectors.members_as_of(household, on))
    personal = selectors.household_personal_view(
        user=request.user, household=household, members=members, ip=client_ip(request)
    )
    member_rows = [
        {
            "membership": m,
            "person": m.person,
            "id_number": personal.values[f"id_number:{m.person_id}"],
            "health": personal.values[f"health:{m.person_id}"],
        }
        for m in members
    ]
    context = {
        "household": household,
        "today": today,
        "as_of": as_of if as_of and as_of != today else None,
        "as_of_form": as_of_form,
        "on": on,
        "status_today": selectors.status_as_of(household, today),
        "monitoring_today": selectors.monitoring_as_of(household, today),
        "status_then": selectors.status_as_of(household, on) if on != today else None,
        "monitoring_then": selectors.monitoring_as_of(household, on) if on != today else None,
        "personal": personal,
        "member_rows": member_rows,
        "incomes": _income_rows(household),
        "conditions": list(selectors.conditions(household)),
        "timeline": selectors.household_timeline(household),
        "audit_trail": _audit_trail(household, unmasked=personal.unmasked),
        "can_edit": covers(request.user, Capability.EDIT_RECORDS, household.area),
        "labels": _labels(),
    }
    return render(request, "registry/detail.html", context)


# ---------------------------------------------------------------------------------------------
# Edits


def _report(form: Form, error: DomainError) -> bool:
    """Put a service's refusal on the form; ``True`` when the record was stale."""
    if isinstance(error, ConcurrentEdit):
        form.add_error(None, str(error))
        return True
    errors = error.errors if isinstance(error, ValidationFailed) else [error]
    for each in errors:
        form.add_error(each.field if each.field in form.fields else None, str(each))
    return False


def _edit_page(
    request: HttpRequest,
    household: Household,
    form: Form,
    *,
    title: str,
    stale: bool = False,
    subject: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    context = {
        "household": household,
        "form": form,
        "title": title,
        "subject": subject,
        "stale": stale,
        "reload_url": request.get_full_path(),
        **(extra or {}),
    }
    return render(request, "registry/edit.html", context)


def _saved(request: HttpRequest, household: Household, anchor: str = "") -> HttpResponse:
    messages.success(request, _("Saved."))
    url = reverse("registry:detail", args=[household.code])
    return redirect(f"{url}#{anchor}" if anchor else url)


@login_required
def household_edit(request: HttpRequest, code: str) -> HttpResponse:
    household = _editable_household_or_404(request, code, personal=True)
    _section(request)
    _log_form_view(request, household, household, list(Household.SENSITIVE_FIELDS))
    initial = {name: getattr(household, name) for name in HouseholdEditForm.model_field_names}
    form = HouseholdEditForm(
        request.POST or None, initial={**initial, "version": household.version}
    )
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.household_update(
                actor=request.user,
                household=household,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as exc:
            stale = _report(form, exc)
        else:
            return _saved(request, household)
    return _edit_page(request, household, form, title=_("Edit household"), stale=stale)


def _membership_or_404(household: Household, person_id: int, *, current: bool) -> Membership:
    memberships = household.memberships.filter(person_id=person_id)
    if current:
        memberships = memberships.filter(valid_to__isnull=True)
    membership = memberships.select_related("person").order_by("-valid_from", "-id").first()
    if membership is None:
        raise Http404(_("No such member."))
    return membership


@login_required
def person_edit(request: HttpRequest, code: str, person_id: int) -> HttpResponse:
    household = _editable_household_or_404(request, code, personal=True)
    _section(request)
    person = _membership_or_404(household, person_id, current=False).person
    _log_form_view(request, household, person, ["health"])
    initial = {name: getattr(person, name) for name in PersonForm.model_field_names}
    form = PersonForm(request.POST or None, initial={**initial, "version": person.version})
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(
                actor=request.user,
                household=household,
                person=person,
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as exc:
            stale = _report(form, exc)
        else:
            return _saved(request, household, "members")
    return _edit_page(
        request, household, form, title=_("Edit member"), subject=person.name, stale=stale
    )


def _year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and len(value) == 4 else None


def _yearly_edit(
    request: HttpRequest,
    code: str,
    *,
    form_class: type[IncomeForm] | type[ConditionsForm],
    existing: QuerySet[Any],
    service: Any,
    title: str,
    anchor: str,
) -> HttpResponse:
    household = _editable_household_or_404(request, code)
    _section(request)
    year = _year(request)
    record = existing.filter(household=household, year=year).first() if year else None
    if record is not None:
        initial = {name: getattr(record, name) for name in form_class.model_field_names}
        initial |= {"year": record.year, "version": record.version}
    else:
        # A year not recorded yet: version 0 says "new", so a record someone else creates
        # meanwhile is not overwritten.
        initial = {"version": 0, **({"year": year} if year else {})}
    form = form_class(request.POST or None, initial=initial)
    if record is not None:
        # The version belongs to this year's record: the year cannot be changed under it.
        form.fields["year"].disabled = True
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            service(
                actor=request.user,
                household=household,
                year=form.cleaned_data["year"],
                expected_version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as exc:
            stale = _report(form, exc)
        else:
            return _saved(request, household, anchor)
    return _edit_page(
        request,
        household,
        form,
        title=title,
        subject=str(record.year) if record else "",
        stale=stale,
        extra={
            "recorded_years": list(
                existing.filter(household=household)
                .order_by("-year")
                .values_list("year", flat=True)
            ),
            "reload_url": f"?year={form.cleaned_data['year']}" if stale else "",
        },
    )


@login_required
def income_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _yearly_edit(
        request,
        code,
        form_class=IncomeForm,
        existing=HouseholdIncome.objects.all(),
        service=services.income_set,
        title=_("Income of a year"),
        anchor="incomes",
    )


@login_required
def conditions_edit(request: HttpRequest, code: str) -> HttpResponse:
    return _yearly_edit(
        request,
        code,
        form_class=ConditionsForm,
        existing=HouseholdConditions.objects.all(),
        service=services.conditions_set,
        title=_("Living conditions of a year"),
        anchor="conditions",
    )


@login_required
def status_mark(request: HttpRequest, code: str) -> HttpResponse:
    household = _editable_household_or_404(request, code)
    _section(request)
    form = StatusForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.household_mark_status(
                actor=request.user,
                household=household,
                expected_version=data.pop("version"),
                **data,
            )
        except DomainError as exc:
            _report(form, exc)
        else:
            return _saved(request, household, "timeline")
    return _edit_page(
        request,
        household,
        form,
        title=_("Mark status"),
        extra={"current_status": selectors.status_as_of(household)},
    )


@login_required
def member_add(request: HttpRequest, code: str) -> HttpResponse:
    household = _editable_household_or_404(request, code)
    _section(request)
    form = MemberAddForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.member_add(
                actor=request.user,
                household=household,
                expected_version=data["version"],
                member=services.MemberInput(**form.member_values()),
                joined_on=data["joined_on"],
                reason=data["reason"],
                note=data["note"],
            )
        except DomainError as exc:
            _report(form, exc)
        else:
            return _saved(request, household, "members")
    return _edit_page(request, household, form, title=_("Add a member"))


@login_required
def member_remove(request: HttpRequest, code: str, person_id: int) -> HttpResponse:
    household = _editable_household_or_404(request, code)
    _section(request)
    person = _membership_or_404(household, person_id, current=True).person
    form = MemberRemoveForm(request.POST or None, initial={"version": household.version})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.member_remove(
                actor=request.user,
                household=household,
                person=person,
                expected_version=data.pop("version"),
                **data,
            )
        except DomainError as exc:
            _report(form, exc)
        else:
            return _saved(request, household, "members")
    return _edit_page(request, household, form, title=_("Remove a member"), subject=person.name)
