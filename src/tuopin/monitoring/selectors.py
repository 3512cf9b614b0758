"""Reads of the monitoring workflow, scoped to the user's grants (fail closed)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.models import Grant
from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import restrict
from tuopin.areas.models import Area
from tuopin.monitoring.choices import CASE_OPENERS, STEP_ROLES, CaseState, CaseStep, ClueStatus
from tuopin.monitoring.models import Case, Clue, SelfApplication
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import policy_in_force
from tuopin.registry.models import Membership

# The shipped policy values (policy/data/default.json), used only when no published pack in
# force sets the key, so a fresh database without policy still runs the workflow.
POLICY_FALLBACK = {
    PolicyKey.IDENTIFICATION_DAYS_LIMIT: 15,
    PolicyKey.PUBLICITY_MIN_DAYS: 5,
    PolicyKey.ELIMINATION_MIN_MONTHS: 6,
    PolicyKey.ELIMINATION_MIN_MEASURES: 1,
}


def policy_number(key: str, *, area: Area, on: datetime.date) -> int:
    """A whole-number policy value in force for ``area`` on ``on``."""
    found = policy_in_force(at=on, area=area).amount(key)
    return int(found) if found is not None else POLICY_FALLBACK[PolicyKey(key)]


def holds_role(user: Any, roles: frozenset[str], area: Area) -> bool:
    """Whether ``user`` holds one of ``roles`` through a grant covering ``area``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return Grant.objects.filter(
        user=user, role__in=roles, area__lft__lte=area.lft, area__rgt__gte=area.lft
    ).exists()


def clue_list(*, user: Any, status: str = "") -> QuerySet[Clue]:
    """Clues in the user's areas."""
    qs = restrict(Clue.objects.all(), user, Capability.VIEW_RECORDS).select_related(
        "area", "household"
    )
    return qs.filter(status=status) if status else qs


def clue_get(*, user: Any, pk: int) -> Clue:
    return clue_list(user=user).get(pk=pk)


@dataclass(frozen=True)
class CaseFilters:
    area_code: str = ""
    state: str = ""
    kind: str = ""
    overdue_on: datetime.date | None = None


def case_list(*, user: Any, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Cases in the user's areas, the most urgent first."""
    f = filters or CaseFilters()
    qs = restrict(Case.objects.all(), user, Capability.VIEW_RECORDS).select_related(
        "area", "household"
    )
    if f.area_code:
        area = Area.objects.filter(code=f.area_code).first()
        qs = qs.filter(area.subtree_q("area__")) if area else qs.none()
    if f.state:
        qs = qs.filter(state=f.state)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.overdue_on:
        qs = qs.filter(state=CaseState.OPEN, deadline__lt=f.overdue_on)
    return qs.order_by("deadline", "id")


def case_get(*, user: Any, pk: int) -> Case:
    return case_list(user=user).get(pk=pk)


def urgency(case: Case, today: datetime.date) -> str:
    """``overdue``, ``soon`` (within the setting's days) or ``""`` for an open case."""
    if case.state != CaseState.OPEN:
        return ""
    return _due_urgency(case.deadline, today)


def _due_urgency(due: datetime.date, today: datetime.date) -> str:
    if due < today:
        return "overdue"
    if (due - today).days <= settings.CASE_SOON_DUE_DAYS:
        return "soon"
    return ""


def _role_q(user: Any, roles: frozenset[str], area_field: str = "area") -> Q | None:
    """Rows whose area lies under a grant of ``user`` with one of ``roles``."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    spans = Grant.objects.filter(user=user, role__in=roles).values_list("area__lft", "area__rgt")
    q = Q()
    found = False
    for lft, rgt in spans:
        q |= Q(**{f"{area_field}__lft__gte": lft, f"{area_field}__lft__lte": rgt})
        found = True
    return q if found else None


@dataclass
class WorkItem:
    kind: str  # "clue" or "case"
    obj: Any
    due: datetime.date | None
    urgency: str
    what: Any


def my_work(*, user: Any, today: datetime.date) -> list[WorkItem]:
    """Everything waiting for ``user``: open clues of gaqas where they open cases, and open
    cases whose current step is their role's, within their grants. Overdue first, then by
    due date."""
    items: list[WorkItem] = []
    q = _role_q(user, CASE_OPENERS)
    if q is not None:
        limits: dict[tuple[int, datetime.date], int] = {}
        for clue in (
            Clue.objects.filter(q, status=ClueStatus.OPEN)
            .select_related("area", "household")
            .order_by("created_at")
        ):
            raised = timezone.localdate(clue.created_at)
            key = (clue.area_id, raised)
            if key not in limits:
                limits[key] = policy_number(
                    PolicyKey.IDENTIFICATION_DAYS_LIMIT, area=clue.area, on=raised
                )
            due = raised + datetime.timedelta(days=limits[key])
            items.append(
                WorkItem(
                    "clue",
                    clue,
                    due,
                    _due_urgency(due, today),
                    _("Handle the clue: open a case or dismiss it"),
                )
            )
    step_q = Q()
    any_step = False
    for step, roles in STEP_ROLES.items():
        q = _role_q(user, roles)
        if q is not None:
            step_q |= Q(step=step) & q
            any_step = True
    if any_step:
        for case in (
            Case.objects.filter(step_q, state=CaseState.OPEN)
            .select_related("area", "household")
            .order_by("deadline")
        ):
            items.append(
                WorkItem("case", case, case.deadline, urgency(case, today), case.get_step_display())
            )
    rank = {"overdue": 0, "soon": 1, "": 2}
    items.sort(key=lambda i: (rank[i.urgency], i.due or today, i.kind))
    return items


@dataclass(frozen=True)
class PublicityRow:
    case: Case
    head_name: str
    size: int
    kind: Any
    type_label: Any
    reason: Any
    start: datetime.date
    end: datetime.date


def publicity_list(*, user: Any, area: Area, on: datetime.date) -> list[PublicityRow]:
    """The publicity list (公示名单) of a gaqa the user may see (see ``publicity_rows``)."""
    return publicity_rows(case_list(user=user), area=area, on=on)


def publicity_rows(cases: QuerySet[Case], *, area: Area, on: datetime.date) -> list[PublicityRow]:
    """The publicity list of a gaqa from ``cases``: those whose publicity is set and not
    over before ``on``. Only what may be public: the head's name, the household's size,
    the type, the reason and the dates; never ID number, phone, bank account or health."""
    chosen = (
        cases.filter(area=area, publicity_start__isnull=False, publicity_end__gte=on)
        .exclude(state=CaseState.REJECTED)
        .select_related("household")
        .order_by("publicity_start", "id")
    )
    rows: list[PublicityRow] = []
    for case in chosen:
        members = list(
            Membership.objects.filter(household=case.household, valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
            .select_related("person")
        )
        head = next((m.person.name for m in members if m.relation == "head"), "")
        assert case.publicity_start is not None and case.publicity_end is not None
        rows.append(
            PublicityRow(
                case=case,
                head_name=head,
                size=len(members),
                kind=case.get_kind_display(),
                type_label=case.get_monitor_type_display() if case.monitor_type else "",
                reason=case.get_risk_type_display() if case.risk_type else "",
                start=case.publicity_start,
                end=case.publicity_end,
            )
        )
    return rows


def application_stage(application: SelfApplication) -> Any:
    """Where a self-application stands, in words the applicant can read."""
    clue = application.clue
    if clue is None or clue.status == ClueStatus.OPEN:
        return _("Received; your gaqa's cadres will contact you to verify it.")
    if clue.status == ClueStatus.DISMISSED:
        return _("Closed without identification; ask your gaqa's cadre for the reason.")
    case = clue.cases.order_by("-opened_at").first()
    if case is None:
        return _("Received; your gaqa's cadres will contact you to verify it.")
    if case.state == CaseState.REJECTED:
        return _("Not identified as a monitored household; ask your gaqa's cadre why.")
    if case.state == CaseState.APPROVED or case.step in (CaseStep.ANNOUNCEMENT, CaseStep.DONE):
        return _("Identified as a monitored household; assistance will follow.")
    return _("Under identification, at the step: %(step)s.") % {"step": case.get_step_display()}


def application_for_clue(*, user: Any, clue: Clue) -> SelfApplication | None:
    """The self-application behind a clue, for staff with personal-data access there."""
    if not restrict(Clue.objects.filter(pk=clue.pk), user, Capability.VIEW_PERSONAL_DATA).exists():
        return None
    return clue.applications.first()
