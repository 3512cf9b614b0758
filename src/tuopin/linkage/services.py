"""Comparing a department file with the registry, and deciding the review queue."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import intervals, require
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.tabular import FileRefused
from tuopin.linkage import signals as rules
from tuopin.linkage.choices import DepartmentKind, MatchStatus, ReviewState
from tuopin.linkage.files import read_department_file
from tuopin.linkage.matching import Query, match
from tuopin.linkage.models import Comparison, DepartmentRecord, MatchReview
from tuopin.monitoring.choices import ClueChannel
from tuopin.monitoring.services import clue_raise
from tuopin.policy.selectors import PolicyView, policy_in_force
from tuopin.registry.choices import LABOUR_CAPABLE
from tuopin.registry.idnumbers import mask
from tuopin.registry.models import Household, Membership, MonitoringPeriod, Person

Progress = Callable[..., None]


def _record_key(kind: str, row: Any) -> str:
    content = json.dumps(
        [kind, row.name, row.id_number, str(row.birth_date or ""), row.event],
        ensure_ascii=False,
        sort_keys=True,
    )
    return hashlib.sha256(content.encode("utf-8")).hexdigest()


def _may_compare(actor: Any) -> None:
    if actor is not None and not intervals(actor, Capability.EDIT_RECORDS):
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )


class _Signals:
    """Evaluates the signal rules for matched records and raises the clues."""

    def __init__(self, comparison: Comparison) -> None:
        self.comparison = comparison
        self.views: dict[int, PolicyView] = {}
        self.raised = 0
        self.hits = 0

    def _view(self, area: Area) -> PolicyView:
        if area.pk not in self.views:
            at = min(datetime.date(self.comparison.year, 12, 31), timezone.localdate())
            self.views[area.pk] = policy_in_force(at=at, area=area)
        return self.views[area.pk]

    def _self_paid(self, person_id: int) -> Decimal:
        total = Decimal(0)
        for event in self.comparison.records.filter(
            person_id=person_id, status__in=[MatchStatus.EXACT, MatchStatus.PROBABILISTIC]
        ).values_list("event", flat=True):
            end = str(event.get("period_end", ""))
            if end[:4] == str(self.comparison.year):
                total += Decimal(str(event.get("self_paid", "0")))
        return total

    def run(self, record: DepartmentRecord) -> None:
        household = Household.objects.select_related("area").get(pk=record.household_id)
        person = Person.objects.get(pk=record.person_id)
        active = Membership.objects.filter(household=household, valid_to__isnull=True)
        others = active.exclude(person=person).filter(person__labour__in=LABOUR_CAPABLE).count()
        kind = self.comparison.kind
        ctx = rules.Context(
            kind=kind,
            year=self.comparison.year,
            event=record.event,
            birth_date=person.birth_date,
            household_type=household.household_type,
            monitored=MonitoringPeriod.objects.filter(
                household=household, valid_to__isnull=True
            ).exists(),
            labour=person.labour,
            other_earners=others,
            policy=self._view(household.area),
            self_paid_in_year=self._self_paid(person.pk) if kind == DepartmentKind.MEDICAL else 0,
        )
        hits = rules.evaluate(ctx)
        record.signals = [hit.signal for hit in hits]
        record.save(update_fields=["signals"])
        for hit in hits:
            self.hits += 1
            # One warning per person and year for medical cost (it sums the year), one per
            # record content otherwise: the same file compared twice raises nothing new.
            if kind == DepartmentKind.MEDICAL:
                source_key = f"linkage:medical:{self.comparison.year}:{person.pk}"
            else:
                source_key = f"linkage:{kind}:{record.record_key}"
            facts = {
                "signal": hit.signal,
                "department": kind,
                "year": self.comparison.year,
                "file": self.comparison.filename,
                "row": record.row,
                "member": person.name,
                "id_number": mask(person.id_number),
                "match": record.status,
                "match_probability": record.probability,
                "event": record.event,
                **hit.facts,
            }
            _clue, created = clue_raise(
                actor=None,
                household=household,
                channel=ClueChannel.DEPARTMENT_WARNING,
                risk_type=hit.risk_type,
                facts=facts,
                source_key=source_key[:100],
            )
            self.raised += int(created)


@transaction.atomic
def compare_file(
    *,
    actor: Any,
    kind: str,
    source: str | Path | IO[bytes],
    year: int,
    filename: str | None = None,
    job: Any = None,
    progress: Progress | None = None,
) -> Comparison:
    """Read a department file, match its records, queue the doubtful ones and raise warnings.

    A file with any error is refused whole (``FileRefused``), like the household file.
    """
    _may_compare(actor)
    if kind not in DepartmentKind.values:
        raise DomainError("linkage.kind", _("Unknown department kind."), field="kind")
    parsed = read_department_file(source, kind=kind, filename=filename)
    if parsed.errors:
        raise FileRefused(parsed.errors)
    name = Path(filename or str(getattr(source, "name", source) or "")).name[:200]
    comparison = Comparison.objects.create(
        kind=kind,
        year=year,
        filename=name,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        job=job,
    )
    total = len(parsed.rows)
    if progress:
        progress(0, total, "matching", force=True)
    queries = [
        Query(i, r.name, r.id_number, r.id_valid, r.sex, r.birth_date, r.area_code)
        for i, r in enumerate(parsed.rows)
    ]
    matches = match(queries)
    records: list[DepartmentRecord] = []
    for row, found in zip(parsed.rows, matches, strict=True):
        member = found.member
        accepted = found.status in {MatchStatus.EXACT, MatchStatus.PROBABILISTIC}
        records.append(
            DepartmentRecord(
                comparison=comparison,
                row=row.row,
                record_key=_record_key(kind, row),
                name=row.name,
                id_number=row.id_number,
                id_valid=row.id_valid,
                sex=row.sex,
                birth_date=row.birth_date,
                area_code=row.area_code,
                event=row.event,
                status=found.status,
                probability=found.probability,
                match_weight=found.match_weight,
                person_id=member.person_id if member and accepted else None,
                household_id=member.household_id if member and accepted else None,
                area_id=member.area_id if member and accepted else None,
            )
        )
    DepartmentRecord.objects.bulk_create(records, batch_size=2000)
    stored = list(comparison.records.order_by("row", "id"))
    reviews = [
        MatchReview(
            record=record,
            candidate_id=found.member.person_id,
            household_id=found.member.household_id,
            area_id=found.member.area_id,
            probability=found.probability or 0.0,
            match_weight=found.match_weight or 0.0,
        )
        for record, found in zip(stored, matches, strict=True)
        if found.status == MatchStatus.REVIEW and found.member is not None
    ]
    MatchReview.objects.bulk_create(reviews, batch_size=2000)
    signals = _Signals(comparison)
    for done, record in enumerate(stored, start=1):
        if record.status in {MatchStatus.EXACT, MatchStatus.PROBABILISTIC}:
            signals.run(record)
        if progress:
            progress(done, total, "signals")
    counts = defaultdict(int)
    for record in stored:
        counts[record.status] += 1
    comparison.summary = {
        "records": total,
        "matched_exact": counts[MatchStatus.EXACT],
        "matched_probabilistic": counts[MatchStatus.PROBABILISTIC],
        "needs_review": counts[MatchStatus.REVIEW],
        "unmatched": counts[MatchStatus.UNMATCHED],
        "signals": signals.hits,
        "warnings_raised": signals.raised,
    }
    comparison.save(update_fields=["summary"])
    log_action(
        actor=actor,
        action="linkage.comparison.run",
        obj=comparison,
        diff={"kind": kind, "year": year, "file": name, **comparison.summary},
    )
    if progress:
        progress(total, total, "done", force=True)
    return comparison


def _pending(actor: Any, review_id: int) -> MatchReview:
    review = (
        MatchReview.objects.select_for_update(of=("self",))
        .select_related("area", "record", "record__comparison")
        .filter(pk=review_id)
        .first()
    )
    if review is None:
        raise PermissionDenied(
            "permission_denied", _("You do not have permission to do this here.")
        )
    require(actor, Capability.EDIT_RECORDS, review.area)
    if review.state != ReviewState.PENDING:
        raise DomainError("linkage.review.decided", _("This match has already been decided."))
    return review


@transaction.atomic
def review_accept(*, actor: Any, review_id: int, note: str = "") -> MatchReview:
    """Accept a doubtful match: the record belongs to the candidate, and its signals count."""
    review = _pending(actor, review_id)
    review.state = ReviewState.ACCEPTED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.note = note[:200]
    review.save()
    record = review.record
    record.status = MatchStatus.PROBABILISTIC
    record.person_id = review.candidate_id
    record.household_id = review.household_id
    record.area_id = review.area_id
    record.save(update_fields=["status", "person", "household", "area"])
    signals = _Signals(record.comparison)
    signals.run(record)
    _bump(record.comparison, needs_review=-1, matched_probabilistic=1, warnings=signals.raised)
    log_action(
        actor=actor,
        action="linkage.review.accepted",
        obj=review,
        area_code=review.area.code,
        diff={"record": record.pk, "person": review.candidate_id, "note": review.note},
    )
    return review


@transaction.atomic
def review_reject(*, actor: Any, review_id: int, note: str = "") -> MatchReview:
    """Reject a doubtful match: the record stays unmatched."""
    review = _pending(actor, review_id)
    review.state = ReviewState.REJECTED
    review.decided_by = actor
    review.decided_at = timezone.now()
    review.note = note[:200]
    review.save()
    record = review.record
    record.status = MatchStatus.UNMATCHED
    record.save(update_fields=["status"])
    _bump(record.comparison, needs_review=-1, unmatched=1, warnings=0)
    log_action(
        actor=actor,
        action="linkage.review.rejected",
        obj=review,
        area_code=review.area.code,
        diff={"record": record.pk, "person": review.candidate_id, "note": review.note},
    )
    return review


def _bump(comparison: Comparison, *, warnings: int, **changes: int) -> None:
    comparison = Comparison.objects.select_for_update().get(pk=comparison.pk)
    summary = dict(comparison.summary)
    for key, delta in changes.items():
        summary[key] = summary.get(key, 0) + delta
    summary["warnings_raised"] = summary.get("warnings_raised", 0) + warnings
    comparison.summary = summary
    comparison.save(update_fields=["summary"])
