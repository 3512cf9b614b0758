"""Writes to the supervision records. Each checks permission, validates, writes and audits
in one transaction.

``actor=None`` is the operator at the server console (the demo loader), who may do anything.
Dates default to today; tests freeze time.
"""

from __future__ import annotations

import datetime
import math
import random
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers, require
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.supervision import deadlines
from tuopin.supervision.choices import (
    Accountability,
    ClueCategory,
    ClueSource,
    ClueStatus,
    CriterionKind,
    Disposal,
    Finding,
    ItemStatus,
    OpinionStatus,
    ReplyMode,
    ResultClass,
    Satisfaction,
    SuggestionEventKind,
    SuggestionStatus,
    VisitKind,
)
from tuopin.supervision.metrics import METRICS
from tuopin.supervision.models import (
    Assessee,
    Clue,
    Commitment,
    CriteriaSet,
    Criterion,
    Deputy,
    Evidence,
    InquiryQuestion,
    InquirySession,
    IssueItem,
    ItemProgress,
    Office,
    Opinion,
    OpinionVote,
    ReviewSample,
    Score,
    Suggestion,
    SuggestionAssist,
    SuggestionEvent,
    Visit,
)


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def _denied() -> PermissionDenied:
    return PermissionDenied("permission_denied", _("You do not have permission to do this here."))


def _require(actor: Any, capability: Capability, area: Area) -> None:
    if actor is not None:
        require(actor, capability, area)


def _allowed(actor: Any, capability: Capability, area: Area) -> bool:
    return actor is None or covers(actor, capability, area)


def _required_text(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("supervision.required", _("This field is required."), field=field)
    return value


def _choice(value: str, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise DomainError(
            "supervision.bad_choice",
            _("“%(value)s” is not one of the allowed values."),
            field=field,
            params={"value": value},
        )
    return value


def _not_future(day: datetime.date, field: str) -> datetime.date:
    if day > timezone.localdate():
        raise DomainError(
            "supervision.future_date", _("The date cannot be in the future."), field=field
        )
    return day


def _audit(actor: Any, action: str, obj: Any, area: Area, **diff: Any) -> None:
    log_action(actor=actor, action=action, obj=obj, area_code=area.code, diff=diff)


# ---------------------------------------------------------------------------------------------
# Offices and deputies


@transaction.atomic
def office_create(*, actor: Any, name: str, area: Area, synthetic: bool = False) -> Office:
    _require(actor, Capability.MANAGE_SUPERVISION, area)
    office = Office.objects.create(
        name=_required_text(name, "name"), area=area, synthetic=synthetic
    )
    _audit(actor, "supervision.office.created", office, area, name=[None, office.name])
    return office


@transaction.atomic
def deputy_create(
    *,
    actor: Any,
    name: str,
    level: str,
    area: Area,
    user: Any = None,
    synthetic: bool = False,
) -> Deputy:
    _require(actor, Capability.MANAGE_SUPERVISION, area)
    deputy = Deputy.objects.create(
        name=_required_text(name, "name"),
        level=level,
        area=area,
        user=user,
        synthetic=synthetic,
    )
    _audit(actor, "supervision.deputy.created", deputy, area, name=[None, deputy.name])
    return deputy


# ---------------------------------------------------------------------------------------------
# Deputies' suggestions


def _is_the_deputy(actor: Any, deputy: Deputy) -> bool:
    return actor is not None and deputy.user_id is not None and deputy.user_id == actor.pk


def _event(
    suggestion: Suggestion,
    kind: str,
    on: datetime.date,
    actor: Any,
    *,
    office: Office | None = None,
    satisfaction: str = "",
    note: str = "",
) -> None:
    SuggestionEvent.objects.create(
        suggestion=suggestion,
        kind=kind,
        on=on,
        actor=actor if actor is not None and actor.is_authenticated else None,
        office=office,
        satisfaction=satisfaction,
        note=note,
    )


def _next_number(submitted_on: datetime.date) -> str:
    prefix = f"{submitted_on.year}-"
    taken = Suggestion.objects.filter(number__startswith=prefix).count()
    number = taken + 1
    while Suggestion.objects.filter(number=f"{prefix}{number:03d}").exists():
        number += 1
    return f"{prefix}{number:03d}"


def may_submit_for(actor: Any, deputy: Deputy) -> bool:
    """A deputy submits their own suggestions; the committee records any deputy's."""
    if actor is None:
        return True
    if _is_the_deputy(actor, deputy):
        return covers(actor, Capability.SUBMIT_SUGGESTION, deputy.area)
    return covers(actor, Capability.MANAGE_SUPERVISION, deputy.area)


@transaction.atomic
def suggestion_submit(
    *,
    actor: Any,
    deputy: Deputy,
    title: str,
    content: str,
    submitted_on: datetime.date | None = None,
    synthetic: bool = False,
) -> Suggestion:
    if not may_submit_for(actor, deputy):
        raise _denied()
    on = _not_future(_today(submitted_on), "submitted_on")
    suggestion = Suggestion.objects.create(
        number=_next_number(on),
        title=_required_text(title, "title"),
        content=_required_text(content, "content"),
        deputy=deputy,
        area=deputy.area,
        submitted_on=on,
        synthetic=synthetic,
    )
    _event(suggestion, SuggestionEventKind.SUBMITTED, on, actor)
    _audit(
        actor,
        "supervision.suggestion.submitted",
        suggestion,
        suggestion.area,
        title=[None, suggestion.title],
    )
    return suggestion


def _wrong_status(suggestion: Suggestion) -> DomainError:
    return DomainError(
        "supervision.suggestion.wrong_status",
        _("This cannot be done while the suggestion is “%(status)s”."),
        params={"status": suggestion.get_status_display()},
    )


@transaction.atomic
def suggestion_assign(
    *,
    actor: Any,
    suggestion: Suggestion,
    lead_office: Office,
    assisting_offices: Sequence[Office] = (),
    assigned_on: datetime.date | None = None,
) -> Suggestion:
    """Assign (交办) to a lead office and assisting offices; the time limits start."""
    _require(actor, Capability.MANAGE_SUPERVISION, suggestion.area)
    suggestion = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
    if suggestion.status != SuggestionStatus.SUBMITTED:
        raise _wrong_status(suggestion)
    if any(o.pk == lead_office.pk for o in assisting_offices):
        raise DomainError(
            "supervision.suggestion.lead_assists",
            _("The lead office cannot also be an assisting office."),
            field="assisting_offices",
        )
    if not lead_office.is_active or any(not o.is_active for o in assisting_offices):
        raise DomainError(
            "supervision.suggestion.office_inactive",
            _("An office no longer in use cannot be assigned."),
            field="lead_office",
        )
    on = _not_future(_today(assigned_on), "assigned_on")
    if on < suggestion.submitted_on:
        raise DomainError(
            "supervision.suggestion.assigned_before_submitted",
            _("A suggestion cannot be assigned before it was submitted."),
            field="assigned_on",
        )
    suggestion.status = SuggestionStatus.ASSIGNED
    suggestion.lead_office = lead_office
    suggestion.assigned_on = on
    suggestion.round_started_on = on
    suggestion.rounds = 1
    suggestion.assist_due = deadlines.add_months(on, deadlines.ASSIST_MONTHS)
    suggestion.reply_due = deadlines.add_months(on, deadlines.REPLY_MONTHS)
    suggestion.save()
    for office in dict.fromkeys(assisting_offices):
        SuggestionAssist.objects.create(suggestion=suggestion, office=office)
    names = "、".join([o.name for o in assisting_offices])
    _event(suggestion, SuggestionEventKind.ASSIGNED, on, actor, office=lead_office, note=names)
    _audit(
        actor,
        "supervision.suggestion.assigned",
        suggestion,
        suggestion.area,
        lead_office=[None, lead_office.pk],
        assisting_offices=[None, [o.pk for o in assisting_offices]],
        reply_due=[None, suggestion.reply_due],
    )
    return suggestion


def _handling(suggestion: Suggestion) -> None:
    if suggestion.status not in {SuggestionStatus.ASSIGNED, SuggestionStatus.REWORK}:
        raise _wrong_status(suggestion)


@transaction.atomic
def suggestion_assist_answer(
    *,
    actor: Any,
    suggestion: Suggestion,
    office: Office,
    answer: str,
    answered_on: datetime.date | None = None,
) -> SuggestionAssist:
    """An assisting office gives the lead office its opinion."""
    _require(actor, Capability.HANDLE_SUPERVISION, office.area)
    _handling(suggestion)
    assist = SuggestionAssist.objects.filter(suggestion=suggestion, office=office).first()
    if assist is None:
        raise DomainError(
            "supervision.suggestion.not_assisting",
            _("This office is not assisting with this suggestion."),
        )
    if assist.answered_on is not None:
        raise DomainError(
            "supervision.suggestion.already_answered",
            _("This office has already answered."),
        )
    assist.answer = _required_text(answer, "answer")
    assist.answered_on = _not_future(_today(answered_on), "answered_on")
    assist.save()
    _event(
        suggestion,
        SuggestionEventKind.ASSIST_ANSWERED,
        assist.answered_on,
        actor,
        office=office,
        note=assist.answer,
    )
    _audit(
        actor,
        "supervision.suggestion.assist_answered",
        suggestion,
        suggestion.area,
        office=[None, office.pk],
    )
    return assist


@transaction.atomic
def suggestion_extend(
    *,
    actor: Any,
    suggestion: Suggestion,
    months: int,
    reason: str,
    extended_on: datetime.date | None = None,
) -> Suggestion:
    """Extend the lead office's time limit, with the reason; a round lasts six months at most."""
    _handling(suggestion)
    lead = suggestion.lead_office
    assert lead is not None
    _require(actor, Capability.HANDLE_SUPERVISION, lead.area)
    reason = _required_text(reason, "reason")
    if months < 1:
        raise DomainError(
            "supervision.suggestion.bad_extension",
            _("An extension is at least one month."),
            field="months",
        )
    assert suggestion.reply_due is not None and suggestion.round_started_on is not None
    new_due = deadlines.add_months(suggestion.reply_due, months)
    limit = deadlines.add_months(suggestion.round_started_on, deadlines.MAX_ROUND_MONTHS)
    if new_due > limit:
        raise DomainError(
            "supervision.suggestion.extension_too_long",
            _("The reply cannot be put off beyond %(limit)s (six months from %(start)s)."),
            field="months",
            params={"limit": limit.isoformat(), "start": suggestion.round_started_on.isoformat()},
        )
    old_due = suggestion.reply_due
    suggestion.reply_due = new_due
    suggestion.save(update_fields=["reply_due"])
    _event(
        suggestion,
        SuggestionEventKind.EXTENDED,
        _not_future(_today(extended_on), "extended_on"),
        actor,
        office=lead,
        note=reason,
    )
    _audit(
        actor,
        "supervision.suggestion.extended",
        suggestion,
        suggestion.area,
        reply_due=[old_due, new_due],
        reason=[None, reason],
    )
    return suggestion


@transaction.atomic
def suggestion_reply(
    *,
    actor: Any,
    suggestion: Suggestion,
    reply_mode: str,
    result_class: str,
    reply: str,
    replied_on: datetime.date | None = None,
) -> Suggestion:
    """The lead office replies to the deputy; every assisting office must have answered."""
    _handling(suggestion)
    lead = suggestion.lead_office
    assert lead is not None
    _require(actor, Capability.HANDLE_SUPERVISION, lead.area)
    waiting = [
        a.office.name for a in suggestion.assists.select_related("office") if a.answered_on is None
    ]
    if waiting:
        raise DomainError(
            "supervision.suggestion.assists_pending",
            _("The assisting offices have not all answered yet: %(offices)s."),
            params={"offices": "、".join(waiting)},
        )
    suggestion.reply_mode = _choice(reply_mode, ReplyMode, "reply_mode")
    suggestion.result_class = _choice(result_class, ResultClass, "result_class")
    suggestion.reply = _required_text(reply, "reply")
    suggestion.replied_on = _not_future(_today(replied_on), "replied_on")
    suggestion.status = SuggestionStatus.REPLIED
    suggestion.save()
    _event(
        suggestion,
        SuggestionEventKind.REPLIED,
        suggestion.replied_on,
        actor,
        office=lead,
        note=suggestion.reply,
    )
    _audit(
        actor,
        "supervision.suggestion.replied",
        suggestion,
        suggestion.area,
        result_class=[None, suggestion.result_class],
        reply_mode=[None, suggestion.reply_mode],
    )
    return suggestion


def may_vote_on(actor: Any, suggestion: Suggestion) -> bool:
    """The deputy answers for their own satisfaction; the committee records returned forms."""
    if actor is None or _is_the_deputy(actor, suggestion.deputy):
        return True
    return covers(actor, Capability.MANAGE_SUPERVISION, suggestion.area)


@transaction.atomic
def suggestion_vote(
    *,
    actor: Any,
    suggestion: Suggestion,
    satisfaction: str,
    note: str = "",
    voted_on: datetime.date | None = None,
) -> Suggestion:
    """Record the deputy's satisfaction. Unsatisfied sends the suggestion back to the lead
    office for a new round with a new three-month limit; otherwise it is closed."""
    if not may_vote_on(actor, suggestion):
        raise _denied()
    if suggestion.status != SuggestionStatus.REPLIED:
        raise _wrong_status(suggestion)
    satisfaction = _choice(satisfaction, Satisfaction, "satisfaction")
    on = _not_future(_today(voted_on), "voted_on")
    old_status = suggestion.status
    suggestion.satisfaction = satisfaction
    _event(
        suggestion,
        SuggestionEventKind.VOTED,
        on,
        actor,
        satisfaction=satisfaction,
        note=note.strip(),
    )
    if satisfaction == Satisfaction.UNSATISFIED:
        suggestion.status = SuggestionStatus.REWORK
        suggestion.rounds += 1
        suggestion.round_started_on = on
        suggestion.reply_due = deadlines.add_months(on, deadlines.REPLY_MONTHS)
        _event(suggestion, SuggestionEventKind.REWORK, on, actor, office=suggestion.lead_office)
    else:
        suggestion.status = SuggestionStatus.CLOSED
        suggestion.closed_on = on
        _event(suggestion, SuggestionEventKind.CLOSED, on, actor)
    suggestion.save()
    _audit(
        actor,
        "supervision.suggestion.voted",
        suggestion,
        suggestion.area,
        satisfaction=[None, satisfaction],
        status=[old_status, suggestion.status],
    )
    return suggestion


def suggestion_actions(user: Any, suggestion: Suggestion) -> dict[str, Any]:
    """What ``user`` may do to ``suggestion`` now (the buttons; services check again)."""
    status = suggestion.status
    handling = status in {SuggestionStatus.ASSIGNED, SuggestionStatus.REWORK}
    lead = suggestion.lead_office
    lead_ok = lead is not None and covers(user, Capability.HANDLE_SUPERVISION, lead.area)
    assists = [
        a
        for a in suggestion.assists.all()
        if handling
        and a.answered_on is None
        and covers(user, Capability.HANDLE_SUPERVISION, a.office.area)
    ]
    return {
        "assign": status == SuggestionStatus.SUBMITTED
        and covers(user, Capability.MANAGE_SUPERVISION, suggestion.area),
        "assist": assists,
        "extend": handling and lead_ok,
        "reply": handling and lead_ok,
        "vote": status == SuggestionStatus.REPLIED and may_vote_on(user, suggestion),
    }


# ---------------------------------------------------------------------------------------------
# Review opinions and issue lists

EVIDENCE_MAX_BYTES = 10 * 1024 * 1024
# Extension → (content type, the bytes a real file of that type starts with).
EVIDENCE_TYPES: dict[str, tuple[str, tuple[bytes, ...]]] = {
    ".pdf": ("application/pdf", (b"%PDF-",)),
    ".jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    ".png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        (b"PK\x03\x04",),
    ),
    ".xlsx": (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        (b"PK\x03\x04",),
    ),
}


def evidence_folder() -> Path:
    folder = Path(settings.DATA_DIR) / "supervision" / "evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@dataclass
class ItemInput:
    text: str
    area: Area
    due_on: datetime.date
    office: Office | None = None


@transaction.atomic
def opinion_create(
    *,
    actor: Any,
    area: Area,
    title: str,
    report_title: str,
    heard_on: datetime.date,
    body: str = "",
    items: Iterable[ItemInput] = (),
    synthetic: bool = False,
) -> Opinion:
    """Record a review opinion and its issue list."""
    _require(actor, Capability.MANAGE_SUPERVISION, area)
    opinion = Opinion.objects.create(
        area=area,
        title=_required_text(title, "title"),
        report_title=_required_text(report_title, "report_title"),
        heard_on=_not_future(heard_on, "heard_on"),
        body=body.strip(),
        synthetic=synthetic,
    )
    _audit(actor, "supervision.opinion.created", opinion, area, title=[None, opinion.title])
    for item in items:
        item_add(actor=actor, opinion=opinion, item=item)
    return opinion


@transaction.atomic
def item_add(*, actor: Any, opinion: Opinion, item: ItemInput) -> IssueItem:
    _require(actor, Capability.MANAGE_SUPERVISION, opinion.area)
    if not (opinion.area.lft <= item.area.lft <= opinion.area.rgt):
        raise DomainError(
            "supervision.item.area_outside",
            _("The responsible area must lie within the opinion's area."),
            field="area",
        )
    if item.due_on < opinion.heard_on:
        raise DomainError(
            "supervision.item.due_before_heard",
            _("The due date cannot be before the report was heard."),
            field="due_on",
        )
    number = (opinion.items.aggregate(n=Max("number"))["n"] or 0) + 1
    row = IssueItem.objects.create(
        opinion=opinion,
        number=number,
        text=_required_text(item.text, "text"),
        office=item.office,
        area=item.area,
        due_on=item.due_on,
    )
    _audit(actor, "supervision.item.added", row, opinion.area, text=[None, row.text])
    return row


def may_handle_item(actor: Any, item: IssueItem) -> bool:
    """The office or area an item is assigned to reports on it."""
    if actor is None:
        return True
    where = item.office.area if item.office_id else item.area  # type: ignore[union-attr]
    return covers(actor, Capability.HANDLE_SUPERVISION, where)


def _open_item(item: IssueItem) -> None:
    if item.status == ItemStatus.CLOSED:
        raise DomainError("supervision.item.closed", _("This item has been closed."))


@transaction.atomic
def item_report_progress(
    *, actor: Any, item: IssueItem, text: str, reported_on: datetime.date | None = None
) -> ItemProgress:
    if not may_handle_item(actor, item):
        raise _denied()
    _open_item(item)
    progress = ItemProgress.objects.create(
        item=item,
        text=_required_text(text, "text"),
        reported_on=_not_future(_today(reported_on), "reported_on"),
        actor=actor if actor is not None else None,
    )
    old = item.status
    item.status = ItemStatus.IN_PROGRESS
    item.save(update_fields=["status"])
    _audit(actor, "supervision.item.progress", item, item.opinion.area, status=[old, item.status])
    return progress


@transaction.atomic
def evidence_upload(*, actor: Any, item: IssueItem, name: str, data: bytes) -> Evidence:
    """Store a file proving the item fixed: a PDF, image, Word or Excel file up to 10 MB,
    whose content matches its type."""
    if not may_handle_item(actor, item):
        raise _denied()
    _open_item(item)
    suffix = Path(name or "").suffix.lower()
    kind = EVIDENCE_TYPES.get(suffix)
    if kind is None:
        raise DomainError(
            "supervision.evidence.bad_type",
            _("Only PDF, JPEG, PNG, Word (.docx) or Excel (.xlsx) files are accepted."),
            field="file",
        )
    if not data:
        raise DomainError("supervision.evidence.empty", _("The file is empty."), field="file")
    if len(data) > EVIDENCE_MAX_BYTES:
        raise DomainError(
            "supervision.evidence.too_large",
            _("The file is larger than %(limit)s MB."),
            field="file",
            params={"limit": EVIDENCE_MAX_BYTES // (1024 * 1024)},
        )
    content_type, magics = kind
    if not any(data.startswith(m) for m in magics):
        raise DomainError(
            "supervision.evidence.content_mismatch",
            _("The file's content does not match its type %(suffix)s."),
            field="file",
            params={"suffix": suffix},
        )
    stored_as = f"{uuid.uuid4().hex}{suffix}"
    clean_name = "".join(c for c in Path(name).name if c.isprintable())[:200] or "evidence"
    evidence = Evidence.objects.create(
        item=item,
        stored_as=stored_as,
        original_name=clean_name,
        content_type=content_type,
        size=len(data),
        uploaded_by=actor,
    )
    # Written after the row: a failed write rolls the row back with it.
    (evidence_folder() / stored_as).write_bytes(data)
    _audit(actor, "supervision.item.evidence", item, item.opinion.area, evidence=[None, clean_name])
    return evidence


def evidence_path(evidence: Evidence) -> Path:
    return evidence_folder() / evidence.stored_as


@transaction.atomic
def item_close(
    *, actor: Any, item: IssueItem, note: str, closed_on: datetime.date | None = None
) -> IssueItem:
    """Close (销号) an item: the committee alone, and only with evidence on file."""
    _require(actor, Capability.MANAGE_SUPERVISION, item.opinion.area)
    _open_item(item)
    if not item.evidence.exists():
        raise DomainError(
            "supervision.item.no_evidence",
            _("An item is closed only on evidence: upload the proof first."),
        )
    old = item.status
    item.status = ItemStatus.CLOSED
    item.closed_on = _not_future(_today(closed_on), "closed_on")
    item.closed_by = actor
    item.closure_note = _required_text(note, "note")
    item.save()
    _audit(actor, "supervision.item.closed", item, item.opinion.area, status=[old, item.status])
    return item


def may_report_rectification(actor: Any, opinion: Opinion) -> bool:
    return _allowed(actor, Capability.HANDLE_SUPERVISION, opinion.area)


@transaction.atomic
def opinion_report_rectification(
    *, actor: Any, opinion: Opinion, report: str, reported_on: datetime.date | None = None
) -> Opinion:
    """The government reports how the opinion was rectified."""
    if not may_report_rectification(actor, opinion):
        raise _denied()
    if opinion.status not in {OpinionStatus.OPEN, OpinionStatus.REWORK}:
        raise DomainError(
            "supervision.opinion.wrong_status",
            _("The rectification report cannot be made now."),
        )
    old = opinion.status
    opinion.rectification_report = _required_text(report, "report")
    opinion.reported_on = _not_future(_today(reported_on), "reported_on")
    opinion.status = OpinionStatus.REPORTED
    opinion.save()
    _audit(
        actor, "supervision.opinion.reported", opinion, opinion.area, status=[old, opinion.status]
    )
    return opinion


@transaction.atomic
def opinion_vote(
    *,
    actor: Any,
    opinion: Opinion,
    satisfaction: str,
    note: str = "",
    voted_on: datetime.date | None = None,
) -> Opinion:
    """The committee's satisfaction vote on the rectification report. Unsatisfied sends it
    back: the rectification is redone and reported again."""
    _require(actor, Capability.MANAGE_SUPERVISION, opinion.area)
    if opinion.status != OpinionStatus.REPORTED:
        raise DomainError(
            "supervision.opinion.not_reported",
            _("The vote follows the rectification report."),
        )
    satisfaction = _choice(satisfaction, Satisfaction, "satisfaction")
    on = _not_future(_today(voted_on), "voted_on")
    OpinionVote.objects.create(
        opinion=opinion,
        round=opinion.rounds,
        satisfaction=satisfaction,
        voted_on=on,
        note=note.strip(),
    )
    old = opinion.status
    opinion.satisfaction = satisfaction
    opinion.voted_on = on
    if satisfaction == Satisfaction.UNSATISFIED:
        opinion.status = OpinionStatus.REWORK
        opinion.rounds += 1
    else:
        opinion.status = OpinionStatus.CLOSED
    opinion.save()
    _audit(
        actor,
        "supervision.opinion.voted",
        opinion,
        opinion.area,
        satisfaction=[None, satisfaction],
        status=[old, opinion.status],
    )
    return opinion


# ---------------------------------------------------------------------------------------------
# Visits and special inquiries


@transaction.atomic
def visit_record(
    *,
    actor: Any,
    kind: str,
    held_on: datetime.date,
    area: Area,
    topic: str,
    organiser: str,
    participants: int,
    deputies: Sequence[Deputy] = (),
    findings: str = "",
    synthetic: bool = False,
) -> Visit:
    _require(actor, Capability.MANAGE_SUPERVISION, area)
    if participants < max(1, len(deputies)):
        raise DomainError(
            "supervision.visit.too_few",
            _("The participant count cannot be smaller than the deputies named."),
            field="participants",
        )
    visit = Visit.objects.create(
        kind=_choice(kind, VisitKind, "kind"),
        held_on=_not_future(held_on, "held_on"),
        area=area,
        topic=_required_text(topic, "topic"),
        organiser=_required_text(organiser, "organiser"),
        participants=participants,
        findings=findings.strip(),
        synthetic=synthetic,
    )
    visit.deputies.set(deputies)
    _audit(
        actor,
        "supervision.visit.recorded",
        visit,
        area,
        topic=[None, visit.topic],
        participants=[None, participants],
    )
    return visit


@transaction.atomic
def inquiry_create(
    *,
    actor: Any,
    area: Area,
    held_on: datetime.date,
    meeting: str,
    subject: str,
    synthetic: bool = False,
) -> InquirySession:
    _require(actor, Capability.MANAGE_SUPERVISION, area)
    session = InquirySession.objects.create(
        area=area,
        held_on=_not_future(held_on, "held_on"),
        meeting=_required_text(meeting, "meeting"),
        subject=_required_text(subject, "subject"),
        synthetic=synthetic,
    )
    _audit(actor, "supervision.inquiry.created", session, area, subject=[None, session.subject])
    return session


@transaction.atomic
def question_add(
    *,
    actor: Any,
    session: InquirySession,
    asker: Deputy,
    topic: str,
    office: Office,
    official: str,
    answer: str = "",
) -> InquiryQuestion:
    _require(actor, Capability.MANAGE_SUPERVISION, session.area)
    number = (session.questions.aggregate(n=Max("number"))["n"] or 0) + 1
    question = InquiryQuestion.objects.create(
        session=session,
        number=number,
        asker=asker,
        topic=_required_text(topic, "topic"),
        office=office,
        official=_required_text(official, "official"),
        answer=answer.strip(),
    )
    _audit(
        actor,
        "supervision.inquiry.question",
        session,
        session.area,
        question=[None, question.topic],
    )
    return question


@transaction.atomic
def commitment_add(
    *, actor: Any, question: InquiryQuestion, text: str, due_on: datetime.date
) -> Commitment:
    _require(actor, Capability.MANAGE_SUPERVISION, question.session.area)
    if due_on < question.session.held_on:
        raise DomainError(
            "supervision.commitment.due_before_session",
            _("The due date cannot be before the inquiry."),
            field="due_on",
        )
    commitment = Commitment.objects.create(
        question=question, text=_required_text(text, "text"), due_on=due_on
    )
    _audit(
        actor,
        "supervision.inquiry.commitment",
        question.session,
        question.session.area,
        commitment=[None, commitment.text],
        due_on=[None, due_on],
    )
    return commitment


@transaction.atomic
def commitment_done(
    *, actor: Any, commitment: Commitment, done_on: datetime.date | None = None
) -> Commitment:
    """The answering office reports a commitment kept."""
    office = commitment.question.office
    if not (
        _allowed(actor, Capability.HANDLE_SUPERVISION, office.area)
        or _allowed(actor, Capability.MANAGE_SUPERVISION, commitment.question.session.area)
    ):
        raise _denied()
    if commitment.done_on is not None:
        raise DomainError("supervision.commitment.done", _("This commitment is already kept."))
    commitment.done_on = _not_future(_today(done_on), "done_on")
    commitment.save(update_fields=["done_on"])
    session = commitment.question.session
    _audit(
        actor,
        "supervision.inquiry.commitment_done",
        session,
        session.area,
        done_on=[None, commitment.done_on],
    )
    return commitment


# ---------------------------------------------------------------------------------------------
# Problem clues

_CLUE_NEXT = {
    ClueStatus.COLLECTED: ClueStatus.CLASSIFIED,
    ClueStatus.CLASSIFIED: ClueStatus.DISPOSED,
    ClueStatus.DISPOSED: ClueStatus.VERIFIED,
    ClueStatus.VERIFIED: ClueStatus.ACCOUNTED,
    ClueStatus.ACCOUNTED: ClueStatus.APPLIED,
}


def _next_clue_number(on: datetime.date) -> str:
    prefix = f"XS{on.year}-"
    number = Clue.objects.filter(number__startswith=prefix).count() + 1
    while Clue.objects.filter(number=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"


@transaction.atomic
def clue_collect(
    *,
    actor: Any,
    area: Area,
    source: str,
    summary: str,
    received_on: datetime.date | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    subject_name: str = "",
    subject_post: str = "",
    synthetic: bool = False,
) -> Clue:
    _require(actor, Capability.MANAGE_CLUES, area)
    on = _not_future(_today(received_on), "received_on")
    clue = Clue.objects.create(
        number=_next_clue_number(on),
        area=area,
        source=_choice(source, ClueSource, "source"),
        received_on=on,
        summary=_required_text(summary, "summary"),
        reporter_name=reporter_name.strip(),
        reporter_contact=reporter_contact.strip(),
        subject_name=subject_name.strip(),
        subject_post=subject_post.strip(),
        synthetic=synthetic,
    )
    # The audit row never holds the reporter or the person concerned.
    _audit(actor, "supervision.clue.collected", clue, area, source=[None, clue.source])
    return clue


def _advance(actor: Any, clue: Clue, expected: str, changes: dict[str, Any]) -> Clue:
    _require(actor, Capability.MANAGE_CLUES, clue.area)
    clue = Clue.objects.select_for_update().get(pk=clue.pk)
    if clue.status != expected:
        raise DomainError(
            "supervision.clue.wrong_status",
            _("This step cannot be taken while the clue is “%(status)s”."),
            params={"status": clue.get_status_display()},
        )
    old = clue.status
    for name, value in changes.items():
        setattr(clue, name, value)
    clue.status = _CLUE_NEXT[ClueStatus(expected)]
    clue.save()
    diff = {name: [None, value] for name, value in changes.items()}
    _audit(
        actor, f"supervision.clue.{clue.status}", clue, clue.area, status=[old, clue.status], **diff
    )
    return clue


@transaction.atomic
def clue_classify(*, actor: Any, clue: Clue, category: str) -> Clue:
    return _advance(
        actor, clue, ClueStatus.COLLECTED, {"category": _choice(category, ClueCategory, "category")}
    )


@transaction.atomic
def clue_dispose(*, actor: Any, clue: Clue, disposal: str) -> Clue:
    return _advance(
        actor, clue, ClueStatus.CLASSIFIED, {"disposal": _choice(disposal, Disposal, "disposal")}
    )


@transaction.atomic
def clue_verify(
    *, actor: Any, clue: Clue, finding: str, verified_on: datetime.date | None = None
) -> Clue:
    return _advance(
        actor,
        clue,
        ClueStatus.DISPOSED,
        {
            "finding": _choice(finding, Finding, "finding"),
            "verified_on": _not_future(_today(verified_on), "verified_on"),
        },
    )


@transaction.atomic
def clue_hold_accountable(*, actor: Any, clue: Clue, accountability: str) -> Clue:
    accountability = _choice(accountability, Accountability, "accountability")
    if clue.finding == Finding.UNSUBSTANTIATED and accountability != Accountability.NONE:
        raise DomainError(
            "supervision.clue.no_accountability_unfounded",
            _("No one is held accountable on an unsubstantiated clue."),
            field="accountability",
        )
    return _advance(actor, clue, ClueStatus.VERIFIED, {"accountability": accountability})


@transaction.atomic
def clue_apply_results(*, actor: Any, clue: Clue, results: str) -> Clue:
    return _advance(
        actor, clue, ClueStatus.ACCOUNTED, {"results_applied": _required_text(results, "results")}
    )


# At least this share of each kind of verified clue is drawn for re-review.
REVIEW_SHARE = {Finding.SUBSTANTIATED: Decimal("0.2"), Finding.UNSUBSTANTIATED: Decimal("0.5")}


def review_draw(pool: Sequence[int], share: Decimal, seed: int) -> list[int]:
    """``ceil(share × len(pool))`` ids drawn from ``pool`` by a generator seeded with ``seed``:
    the same pool and seed always give the same clues."""
    ordered = sorted(pool)
    count = math.ceil(share * len(ordered))
    return sorted(random.Random(seed).sample(ordered, count))  # noqa: S311 (not for secrecy)


@transaction.atomic
def review_sample_draw(*, actor: Any, area: Area, seed: int) -> ReviewSample:
    """Draw for re-review at least 20 % of the substantiated and 50 % of the unsubstantiated
    verified clues of ``area`` that no earlier draw considered. The seed and both pools
    are recorded, so the draw can be repeated and checked."""
    _require(actor, Capability.MANAGE_CLUES, area)
    # Each verified clue enters one draw's pool only, whether it was drawn or not.
    considered = {
        pk
        for pools in ReviewSample.objects.values_list("substantiated_pool", "unsubstantiated_pool")
        for pool in pools
        for pk in pool
    }
    verified = Clue.objects.filter(
        area__lft__gte=area.lft, area__lft__lte=area.rgt, verified_on__isnull=False
    ).exclude(pk__in=considered)
    pools = {
        finding: list(verified.filter(finding=finding).values_list("pk", flat=True))
        for finding in REVIEW_SHARE
    }
    if not any(pools.values()):
        raise DomainError(
            "supervision.clue.nothing_to_sample",
            _("There are no verified clues here that an earlier draw has not considered."),
        )
    drawn = [
        pk
        for offset, (finding, pool) in enumerate(pools.items())
        for pk in review_draw(pool, REVIEW_SHARE[finding], seed + offset)
    ]
    sample = ReviewSample.objects.create(
        area=area,
        drawn_by=actor,
        seed=seed,
        substantiated_pool=sorted(pools[Finding.SUBSTANTIATED]),
        unsubstantiated_pool=sorted(pools[Finding.UNSUBSTANTIATED]),
    )
    sample.clues.set(drawn)
    _audit(
        actor, "supervision.clue.sample_drawn", sample, area, seed=[None, seed], clues=[None, drawn]
    )
    return sample


# ---------------------------------------------------------------------------------------------
# Assessment


@dataclass
class CriterionInput:
    name: str
    weight: Decimal
    kind: str = CriterionKind.MANUAL
    metric: str = ""


@transaction.atomic
def criteria_set_create(
    *,
    actor: Any,
    name: str,
    year: int,
    assessed_kind: str,
    area: Area,
    criteria: Sequence[CriterionInput],
    synthetic: bool = False,
) -> CriteriaSet:
    _require(actor, Capability.ASSESS, area)
    if not criteria:
        raise DomainError(
            "supervision.assessment.no_criteria", _("A criteria set needs at least one criterion.")
        )
    criteria_set = CriteriaSet.objects.create(
        name=_required_text(name, "name"),
        year=year,
        assessed_kind=assessed_kind,
        area=area,
        synthetic=synthetic,
    )
    for row, criterion in enumerate(criteria, start=1):
        if criterion.weight <= 0:
            raise DomainError(
                "supervision.assessment.bad_weight",
                _("Criterion %(row)s: the weight must be above zero."),
                field="weight",
                params={"row": row},
            )
        if criterion.kind == CriterionKind.COMPUTED and criterion.metric not in METRICS:
            raise DomainError(
                "supervision.assessment.unknown_metric",
                _("Criterion %(row)s: “%(metric)s” is not a known metric."),
                field="metric",
                params={"row": row, "metric": criterion.metric},
            )
        Criterion.objects.create(
            criteria_set=criteria_set,
            name=_required_text(criterion.name, "name"),
            weight=criterion.weight,
            kind=_choice(criterion.kind, CriterionKind, "kind"),
            metric=criterion.metric if criterion.kind == CriterionKind.COMPUTED else "",
        )
    _audit(
        actor,
        "supervision.assessment.set_created",
        criteria_set,
        area,
        name=[None, criteria_set.name],
    )
    return criteria_set


@transaction.atomic
def assessee_add(*, actor: Any, criteria_set: CriteriaSet, name: str, area: Area) -> Assessee:
    _require(actor, Capability.ASSESS, criteria_set.area)
    if not (criteria_set.area.lft <= area.lft <= criteria_set.area.rgt):
        raise DomainError(
            "supervision.assessment.area_outside",
            _("Who is assessed must lie within the assessing area."),
            field="area",
        )
    assessee = Assessee.objects.create(
        criteria_set=criteria_set, name=_required_text(name, "name"), area=area
    )
    _audit(
        actor,
        "supervision.assessment.assessee_added",
        criteria_set,
        criteria_set.area,
        assessee=[None, assessee.name],
    )
    return assessee


@transaction.atomic
def score_set(
    *, actor: Any, assessee: Assessee, criterion: Criterion, value: Decimal, note: str = ""
) -> Score:
    """Score a hand-scored criterion, 0 to 100."""
    _require(actor, Capability.ASSESS, assessee.criteria_set.area)
    if criterion.criteria_set_id != assessee.criteria_set_id:
        raise DomainError(
            "supervision.assessment.other_set", _("This criterion belongs to another set.")
        )
    if criterion.kind != CriterionKind.MANUAL:
        raise DomainError(
            "supervision.assessment.computed",
            _("A computed criterion is not scored by hand."),
        )
    if not Decimal(0) <= value <= Decimal(100):
        raise DomainError(
            "supervision.assessment.out_of_range",
            _("A score lies between 0 and 100."),
            field="value",
        )
    score, _created = Score.objects.update_or_create(
        assessee=assessee,
        criterion=criterion,
        defaults={"value": value, "note": note.strip(), "scored_by": actor},
    )
    _audit(
        actor,
        "supervision.assessment.scored",
        assessee.criteria_set,
        assessee.criteria_set.area,
        assessee=[None, assessee.name],
        criterion=[None, criterion.name],
        value=[None, value],
    )
    return score


@transaction.atomic
def scores_compute(*, actor: Any, criteria_set: CriteriaSet) -> int:
    """Compute every computed criterion for every assessee; returns the scores written.
    A metric with no computation yet (its app has not registered it) leaves no score."""
    _require(actor, Capability.ASSESS, criteria_set.area)
    written = 0
    for criterion in criteria_set.criteria.filter(kind=CriterionKind.COMPUTED):
        metric = METRICS.get(criterion.metric)
        if metric is None or metric.compute is None:
            continue
        for assessee in criteria_set.assessees.select_related("area"):
            value = metric.compute(assessee.area, criteria_set.year)
            if value is None:
                Score.objects.filter(assessee=assessee, criterion=criterion).delete()
                continue
            Score.objects.update_or_create(
                assessee=assessee,
                criterion=criterion,
                defaults={"value": value, "note": str(metric.label), "scored_by": None},
            )
            written += 1
    _audit(
        actor,
        "supervision.assessment.computed",
        criteria_set,
        criteria_set.area,
        scores=[None, written],
    )
    return written
