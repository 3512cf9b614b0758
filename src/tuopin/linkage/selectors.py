"""Reading comparisons, records and the review queue, scoped to the user."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import scope_q
from tuopin.linkage.choices import ReviewState
from tuopin.linkage.models import Comparison, DepartmentRecord, MatchReview


def record_list(*, user: Any) -> QuerySet[DepartmentRecord]:
    """Records matched in the user's areas, and the unmatched (or doubtful) records of files
    the user uploaded; nothing for anyone else."""
    if not getattr(user, "is_authenticated", False):
        return DepartmentRecord.objects.none()
    q = Q(area__isnull=True, comparison__uploaded_by=user)
    scope = scope_q(user, Capability.VIEW_RECORDS)
    if scope is not None:
        q |= Q(area__isnull=False) & scope
    return DepartmentRecord.objects.filter(q).select_related("comparison", "area")


def review_list(*, user: Any, state: str = ReviewState.PENDING) -> QuerySet[MatchReview]:
    """Doubtful matches whose candidate lives where the user may edit records."""
    scope = scope_q(user, Capability.EDIT_RECORDS)
    if scope is None:
        return MatchReview.objects.none()
    return (
        MatchReview.objects.filter(scope, state=state)
        .select_related("record", "record__comparison", "candidate", "household", "area")
        .order_by("-probability", "id")
    )


def comparison_list(*, user: Any) -> QuerySet[Comparison]:
    """Comparisons the user uploaded or that matched records in the user's areas."""
    if not getattr(user, "is_authenticated", False):
        return Comparison.objects.none()
    q = Q(uploaded_by=user)
    scope = scope_q(user, Capability.VIEW_RECORDS, area_field="records__area")
    if scope is not None:
        q |= scope
    return Comparison.objects.filter(q).distinct().order_by("-created_at", "-id")
