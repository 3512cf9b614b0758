"""Reads of the supervision records, scoped to the user's grants (fail closed).

A user reads a record when they hold ``VIEW_SUPERVISION`` over its area; a deputy also
reads their own suggestions. Clues need ``VIEW_CLUES``, and their confidential fields
``VIEW_REPORTER`` (see ``clue_view``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, restrict, scope_q
from tuopin.supervision.choices import ItemStatus, SuggestionStatus
from tuopin.supervision.models import (
    Assessee,
    Clue,
    Commitment,
    CriteriaSet,
    InquirySession,
    IssueItem,
    Office,
    Opinion,
    ReviewSample,
    Score,
    Suggestion,
    SuggestionAssist,
    Visit,
)

HANDLING = [SuggestionStatus.ASSIGNED, SuggestionStatus.REWORK]


def offices(*, user: Any) -> QuerySet[Office]:
    return restrict(Office.objects.select_related("area"), user, Capability.VIEW_SUPERVISION)


def _any_of(*parts: Q | None) -> Q | None:
    present = [p for p in parts if p is not None]
    if not present:
        return None
    where = present[0]
    for part in present[1:]:
        where |= part
    return where


def suggestion_list(
    *, user: Any, status: str = "", overdue: bool = False, today: datetime.date | None = None
) -> QuerySet[Suggestion]:
    """Suggestions of the user's areas, their own (a deputy), and those assigned to an
    office the user handles for (lead or assisting)."""
    own = Q(deputy__user=user) if getattr(user, "is_authenticated", False) else None
    handled = scope_q(user, Capability.HANDLE_SUPERVISION, area_field="lead_office__area")
    assisting = scope_q(user, Capability.HANDLE_SUPERVISION, area_field="area")
    if assisting is not None:
        offices_handled = Office.objects.filter(assisting)
        assisting = Q(assists__office__in=offices_handled)
    where = _any_of(scope_q(user, Capability.VIEW_SUPERVISION), own, handled, assisting)
    if where is None:
        return Suggestion.objects.none()
    ids = Suggestion.objects.filter(where).values("pk")
    rows = Suggestion.objects.filter(pk__in=ids).select_related("deputy", "lead_office", "area")
    if status:
        rows = rows.filter(status=status)
    if overdue:
        rows = rows.filter(status__in=HANDLING, reply_due__lt=today or datetime.date.today())
    return rows


def suggestion_get(*, user: Any, pk: int) -> Suggestion:
    return suggestion_list(user=user).get(pk=pk)


def assists_overdue(*, user: Any, today: datetime.date) -> QuerySet[SuggestionAssist]:
    """Assisting offices that have not answered the lead office within the month."""
    return SuggestionAssist.objects.filter(
        suggestion__in=suggestion_list(user=user),
        suggestion__status__in=HANDLING,
        suggestion__assist_due__lt=today,
        answered_on__isnull=True,
    ).select_related("suggestion", "office")


def opinion_list(*, user: Any) -> QuerySet[Opinion]:
    """Opinions of the user's areas, and those with an item the user handles."""
    where = _any_of(
        scope_q(user, Capability.VIEW_SUPERVISION),
        scope_q(user, Capability.HANDLE_SUPERVISION, area_field="items__office__area"),
        scope_q(user, Capability.HANDLE_SUPERVISION, area_field="items__area"),
    )
    if where is None:
        return Opinion.objects.none()
    ids = Opinion.objects.filter(where).values("pk")
    return Opinion.objects.filter(pk__in=ids).select_related("area")


def opinion_get(*, user: Any, pk: int) -> Opinion:
    return opinion_list(user=user).get(pk=pk)


def item_get(*, user: Any, pk: int) -> IssueItem:
    return IssueItem.objects.select_related("opinion__area", "office__area", "area").get(
        pk=pk, opinion__in=opinion_list(user=user)
    )


def items_overdue(*, user: Any, today: datetime.date) -> QuerySet[IssueItem]:
    return (
        IssueItem.objects.filter(opinion__in=opinion_list(user=user), due_on__lt=today)
        .exclude(status=ItemStatus.CLOSED)
        .select_related("opinion", "office", "area")
    )


def visit_list(
    *, user: Any, start: datetime.date | None = None, end: datetime.date | None = None
) -> QuerySet[Visit]:
    rows = restrict(Visit.objects.select_related("area"), user, Capability.VIEW_SUPERVISION)
    if start:
        rows = rows.filter(held_on__gte=start)
    if end:
        rows = rows.filter(held_on__lte=end)
    return rows


@dataclass
class VisitReport:
    visits: int
    person_times: int
    by_kind: list[dict[str, Any]]
    by_year: list[dict[str, Any]]


def visit_report(
    *, user: Any, start: datetime.date | None = None, end: datetime.date | None = None
) -> VisitReport:
    """How many visits and how many person-times in a period, within the user's areas."""
    rows = visit_list(user=user, start=start, end=end)
    totals = rows.aggregate(n=Count("id"), people=Sum("participants"))
    by_kind = list(
        rows.order_by()
        .values("kind")
        .annotate(n=Count("id"), people=Sum("participants"))
        .order_by("kind")
    )
    by_year = list(
        rows.order_by()
        .values("held_on__year")
        .annotate(n=Count("id"), people=Sum("participants"))
        .order_by("held_on__year")
    )
    return VisitReport(totals["n"] or 0, totals["people"] or 0, by_kind, by_year)


def inquiry_list(*, user: Any) -> QuerySet[InquirySession]:
    return restrict(
        InquirySession.objects.select_related("area").annotate(
            question_count=Count("questions", distinct=True),
            asker_count=Count("questions__asker", distinct=True),
        ),
        user,
        Capability.VIEW_SUPERVISION,
    )


def inquiry_get(*, user: Any, pk: int) -> InquirySession:
    return inquiry_list(user=user).get(pk=pk)


def commitments_overdue(*, user: Any, today: datetime.date) -> QuerySet[Commitment]:
    return Commitment.objects.filter(
        question__session__in=inquiry_list(user=user), due_on__lt=today, done_on__isnull=True
    ).select_related("question__session", "question__office")


# ---------------------------------------------------------------------------------------------
# Clues

MASK = "＊＊＊"


@dataclass
class ClueView:
    """A clue as ``user`` may see it: the confidential fields blank unless they may."""

    clue: Clue
    confidential_visible: bool
    reporter_name: str
    reporter_contact: str
    subject_name: str
    subject_post: str


def clue_list(*, user: Any) -> QuerySet[Clue]:
    return restrict(Clue.objects.select_related("area"), user, Capability.VIEW_CLUES)


def clue_get(*, user: Any, pk: int) -> Clue:
    return clue_list(user=user).get(pk=pk)


def clue_view(*, user: Any, clue: Clue) -> ClueView:
    visible = covers(user, Capability.VIEW_REPORTER, clue.area)

    def shown(value: str) -> str:
        if visible:
            return value
        return MASK if value else ""

    return ClueView(
        clue=clue,
        confidential_visible=visible,
        reporter_name=shown(clue.reporter_name),
        reporter_contact=shown(clue.reporter_contact),
        subject_name=shown(clue.subject_name),
        subject_post=shown(clue.subject_post),
    )


def review_samples(*, user: Any) -> QuerySet[ReviewSample]:
    return restrict(ReviewSample.objects.select_related("area"), user, Capability.VIEW_CLUES)


# ---------------------------------------------------------------------------------------------
# Assessment


def criteria_sets(*, user: Any) -> QuerySet[CriteriaSet]:
    q = scope_q(user, Capability.VIEW_SUPERVISION)
    q2 = scope_q(user, Capability.ASSESS)
    parts = [p for p in (q, q2) if p is not None]
    if not parts:
        return CriteriaSet.objects.none()
    where = parts[0] if len(parts) == 1 else parts[0] | parts[1]
    return CriteriaSet.objects.filter(where).select_related("area")


@dataclass
class ResultRow:
    assessee: Assessee
    scores: list[Decimal | None]
    total: Decimal
    complete: bool
    rank: int = 0


def assessment_results(criteria_set: CriteriaSet) -> list[ResultRow]:
    """Weighted totals, ranked: total = Σ weight × score / Σ weight, a missing score
    counting as 0 (and the row marked incomplete). Equal totals share a rank."""
    criteria = list(criteria_set.criteria.all())
    weight_sum = sum((c.weight for c in criteria), Decimal(0))
    scores = {
        (s.assessee_id, s.criterion_id): s.value
        for s in Score.objects.filter(criterion__criteria_set=criteria_set)
    }
    rows = []
    for assessee in criteria_set.assessees.select_related("area"):
        values = [scores.get((assessee.pk, c.pk)) for c in criteria]
        total = sum(
            (c.weight * v for c, v in zip(criteria, values, strict=True) if v is not None),
            Decimal(0),
        )
        total = (total / weight_sum if weight_sum else Decimal(0)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        rows.append(ResultRow(assessee, values, total, all(v is not None for v in values)))
    rows.sort(key=lambda r: (-r.total, r.assessee.name))
    for index, row in enumerate(rows):
        same = index and rows[index - 1].total == row.total
        row.rank = rows[index - 1].rank if same else index + 1
    return rows


@dataclass
class Overview:
    suggestions: int
    suggestions_overdue: int
    opinions: int
    items_open: int
    items_overdue: int
    visits: int
    person_times: int
    inquiries: int


def overview(*, user: Any, today: datetime.date) -> Overview:
    report = visit_report(user=user)
    items = IssueItem.objects.filter(opinion__in=opinion_list(user=user))
    return Overview(
        suggestions=suggestion_list(user=user).count(),
        suggestions_overdue=suggestion_list(user=user, overdue=True, today=today).count(),
        opinions=opinion_list(user=user).count(),
        items_open=items.exclude(status=ItemStatus.CLOSED).count(),
        items_overdue=items_overdue(user=user, today=today).count(),
        visits=report.visits,
        person_times=report.person_times,
        inquiries=inquiry_list(user=user).count(),
    )
