"""Writes of identification and risk-elimination cases, step by step.

Each step is taken only by the role it belongs to, through a grant covering the case's gaqa,
and leaves a case event and an audit row in the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.monitoring.choices import (
    CASE_OPENERS,
    STEP_ROLES,
    CaseKind,
    CaseState,
    CaseStep,
    ClueStatus,
    DeliberationResult,
    RiskType,
)
from tuopin.monitoring.models import Case, CaseEvent, Clue, Objection
from tuopin.monitoring.preconditions import elimination_refusals
from tuopin.monitoring.selectors import holds_role, policy_number
from tuopin.monitoring.services.clues import _locked_clue, _open_identification, _refuse
from tuopin.policy.choices import PolicyKey
from tuopin.registry import services as registry_services
from tuopin.registry.choices import HouseholdType, MonitorType
from tuopin.registry.models import Household, MonitoringPeriod

CONSENT_TYPES = {
    ".pdf": b"%PDF",
    ".jpg": b"\xff\xd8\xff",
    ".jpeg": b"\xff\xd8\xff",
    ".png": b"\x89PNG\r\n\x1a\n",
}


# ---------------------------------------------------------------------------------------------
# Cases


def _event(case: Case, actor: Any, action: str, note: str = "", step: str | None = None) -> None:
    CaseEvent.objects.create(
        case=case,
        step=step or case.step,
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        note=str(note)[:300],
    )


def _log_case(actor: Any, action: str, case: Case, diff: dict[str, Any]) -> None:
    log_action(
        actor=actor,
        action=f"monitoring.{case.kind}.{action}",
        obj=case,
        area_code=case.area.code,
        diff=diff,
    )


def _begin_step(actor: Any, case: Case, step: str, expected_version: int | None = None) -> Case:
    """Lock the case, and refuse unless it is open at ``step`` and ``actor`` holds the
    step's role over the case's gaqa."""
    locked = Case.objects.select_for_update().select_related("area", "household").get(pk=case.pk)
    if not holds_role(actor, STEP_ROLES.get(step, frozenset()), locked.area):
        raise _refuse()
    if locked.state != CaseState.OPEN or locked.step != step:
        raise DomainError(
            "monitoring.case.wrong_step",
            _("The case is not waiting for this step (it is at: %(step)s)."),
            params={"step": locked.get_step_display()},
        )
    if expected_version is not None and expected_version != locked.version:
        raise DomainError(
            "concurrent_edit",
            _("Someone else changed this case while you were working; reload it."),
        )
    locked.version += 1
    return locked


def _advance(case: Case, to: str, fields: list[str]) -> None:
    case.step = to
    case.save(update_fields=[*fields, "step", "version"])


def _require_text(value: str, field: str, message: Any) -> str:
    if not value or not value.strip():
        raise DomainError(f"monitoring.case.{field}", message, field=field)
    return value.strip()


@transaction.atomic
def case_open_identification(*, actor: Any, clue: Clue) -> Case:
    """Open an identification case from an open clue of a registered household.

    The deadline is the policy's time limit (days) counted from the day the clue came in.
    """
    clue = _locked_clue(clue)
    if not holds_role(actor, CASE_OPENERS, clue.area):
        raise _refuse()
    if clue.status != ClueStatus.OPEN:
        raise DomainError("monitoring.clue.not_open", _("This clue is no longer open."))
    if clue.household is None:
        raise DomainError(
            "monitoring.clue.unmatched",
            _("Match the clue to a registered household before opening a case."),
        )
    household = clue.household
    if MonitoringPeriod.objects.filter(household=household, valid_to__isnull=True).exists():
        raise DomainError(
            "monitoring.case.already_monitored", _("The household is already monitored.")
        )
    if _open_identification(household) is not None:
        raise DomainError(
            "monitoring.case.already_open", _("The household already has an open case.")
        )
    raised_on = timezone.localdate(clue.created_at)
    days = policy_number(PolicyKey.IDENTIFICATION_DAYS_LIMIT, area=clue.area, on=raised_on)
    case = Case.objects.create(
        kind=CaseKind.IDENTIFICATION,
        household=household,
        area=household.area,
        clue=clue,
        risk_type=clue.risk_type,
        deadline=raised_on + datetime.timedelta(days=days),
        opened_by=actor,
    )
    clue.status = ClueStatus.CASE_OPENED
    clue.closed_at = timezone.now()
    clue.save(update_fields=["status", "closed_at"])
    _event(case, actor, "opened")
    log_action(
        actor=actor,
        action="monitoring.clue.case_opened",
        obj=clue,
        area_code=clue.area.code,
        diff={"status": [ClueStatus.OPEN, ClueStatus.CASE_OPENED], "case": [None, case.pk]},
    )
    _log_case(
        actor,
        "opened",
        case,
        {"household": [None, household.code], "deadline": [None, case.deadline]},
    )
    return case


def store_consent(upload: UploadedFile) -> tuple[str, str]:
    """Check an uploaded signed consent (PDF, JPEG or PNG, within the size limit, and the
    contents must match the extension) and store it under DATA_DIR; returns (path, name)."""
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in CONSENT_TYPES:
        raise DomainError(
            "monitoring.consent.type",
            _("Upload the signed consent as a PDF, JPEG or PNG file."),
            field="consent",
        )
    if upload.size is None or upload.size == 0:
        raise DomainError("monitoring.consent.empty", _("The file is empty."), field="consent")
    if upload.size > settings.CASE_UPLOAD_MAX_BYTES:
        raise DomainError(
            "monitoring.consent.size",
            _("The file is larger than %(mb)s MB."),
            field="consent",
            params={"mb": settings.CASE_UPLOAD_MAX_BYTES // (1024 * 1024)},
        )
    head = upload.read(8)
    upload.seek(0)
    if not head.startswith(CONSENT_TYPES[suffix]):
        raise DomainError(
            "monitoring.consent.contents",
            _("The file's contents are not a %(kind)s."),
            field="consent",
            params={"kind": suffix.lstrip(".").upper()},
        )
    folder = Path(settings.DATA_DIR) / "cases" / timezone.now().strftime("%Y%m")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{uuid.uuid4().hex}{suffix}"
    with target.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return str(target.relative_to(Path(settings.DATA_DIR))), name[:200]


@transaction.atomic
def case_verify(
    *,
    actor: Any,
    case: Case,
    verified_on: datetime.date,
    note: str,
    consent: UploadedFile | None,
    expected_version: int | None = None,
) -> Case:
    """入户核实: the home visit, with the signed consent and authorisation (identification
    needs it; an elimination case may attach one)."""
    case = _begin_step(actor, case, CaseStep.VERIFICATION, expected_version)
    note = _require_text(note, "note", _("Write down what the visit found."))
    if verified_on > timezone.localdate():
        raise DomainError(
            "monitoring.case.future", _("The date lies in the future."), field="verified_on"
        )
    if consent is None and case.kind == CaseKind.IDENTIFICATION:
        raise DomainError(
            "monitoring.consent.missing",
            _("Upload the household's signed consent and authorisation."),
            field="consent",
        )
    if consent is not None:
        case.consent_file, case.consent_name = store_consent(consent)
    case.verified_on = verified_on
    case.verification_note = note
    _advance(
        case,
        CaseStep.DELIBERATION,
        ["verified_on", "verification_note", "consent_file", "consent_name"],
    )
    _event(case, actor, "verified", step=CaseStep.VERIFICATION)
    _log_case(
        actor,
        "verified",
        case,
        {"verified_on": [None, verified_on], "consent": [None, case.consent_name]},
    )
    return case


@transaction.atomic
def case_deliberate(
    *,
    actor: Any,
    case: Case,
    held_on: datetime.date,
    participants: str,
    result: str,
    minutes: str,
    monitor_type: str = "",
    expected_version: int | None = None,
) -> Case:
    """民主评议: date, participants, result and minutes. A meeting that does not agree ends
    the case as rejected."""
    case = _begin_step(actor, case, CaseStep.DELIBERATION, expected_version)
    participants = _require_text(participants, "participants", _("List who took part."))
    minutes = _require_text(minutes, "minutes", _("Record the minutes of the meeting."))
    if result not in DeliberationResult.values:
        raise DomainError("monitoring.case.result", _("Choose the result."), field="result")
    if case.verified_on and held_on < case.verified_on:
        raise DomainError(
            "monitoring.case.before_verification",
            _("The meeting cannot come before the home verification."),
            field="held_on",
        )
    if case.kind == CaseKind.IDENTIFICATION and result == DeliberationResult.AGREED:
        _check_monitor_type(case.household, monitor_type)
        case.monitor_type = monitor_type
    case.deliberated_on = held_on
    case.participants = participants
    case.deliberation_result = result
    case.minutes = minutes
    fields = ["deliberated_on", "participants", "deliberation_result", "minutes", "monitor_type"]
    if result == DeliberationResult.NOT_AGREED:
        case.version -= 1  # _reject counts the change
        case.save(update_fields=fields)
        return _reject(actor, case, str(_("The democratic deliberation did not agree.")))
    _advance(case, CaseStep.PUBLICITY, fields)
    _event(case, actor, "deliberated", step=CaseStep.DELIBERATION)
    _log_case(
        actor,
        "deliberated",
        case,
        {
            "held_on": [None, held_on],
            "result": [None, result],
            "monitor_type": [None, monitor_type],
        },
    )
    return case


def _check_monitor_type(household: Household, monitor_type: str) -> None:
    if monitor_type not in MonitorType.values:
        raise DomainError(
            "monitoring.case.monitor_type", _("Choose the monitoring type."), field="monitor_type"
        )
    # 脱贫不稳定户 are tuopin households, 边缘易致贫户 ordinary ones; sudden hardship is either.
    wrong = (
        monitor_type == MonitorType.UNSTABLE_TUOPIN
        and household.household_type != HouseholdType.TUOPIN
    ) or (
        monitor_type == MonitorType.MARGINAL and household.household_type != HouseholdType.ORDINARY
    )
    if wrong:
        raise DomainError(
            "monitoring.case.monitor_type_mismatch",
            _("This monitoring type does not fit the household's type (%(type)s)."),
            field="monitor_type",
            params={"type": household.get_household_type_display()},
        )


@transaction.atomic
def case_publicity_set(
    *,
    actor: Any,
    case: Case,
    start: datetime.date,
    end: datetime.date,
    expected_version: int | None = None,
) -> Case:
    """村内公示: the period the list hangs in the village, at least the policy's days."""
    case = _begin_step(actor, case, CaseStep.PUBLICITY, expected_version)
    min_days = policy_number(PolicyKey.PUBLICITY_MIN_DAYS, area=case.area, on=start)
    if (end - start).days < min_days:
        raise DomainError(
            "monitoring.publicity.too_short",
            _("Publicity must last at least %(days)s days: end on %(date)s or later."),
            field="end",
            params={"days": min_days, "date": (start + datetime.timedelta(days=min_days))},
        )
    if case.deliberated_on and start < case.deliberated_on:
        raise DomainError(
            "monitoring.publicity.before_deliberation",
            _("Publicity cannot start before the deliberation."),
            field="start",
        )
    before = [case.publicity_start, case.publicity_end]
    case.publicity_start, case.publicity_end = start, end
    case.save(update_fields=["publicity_start", "publicity_end", "version"])
    _event(case, actor, "publicity_set", note=f"{start} – {end}")
    _log_case(
        actor,
        "publicity_set",
        case,
        {"publicity_start": [before[0], start], "publicity_end": [before[1], end]},
    )
    return case


@transaction.atomic
def objection_add(*, actor: Any, case: Case, received_on: datetime.date, content: str) -> Objection:
    """Record an objection received during publicity."""
    case = _begin_step(actor, case, CaseStep.PUBLICITY)
    content = _require_text(content, "content", _("Write down the objection."))
    if case.publicity_start is None or received_on < case.publicity_start:
        raise DomainError(
            "monitoring.objection.outside",
            _("An objection is received during publicity, after it started."),
            field="received_on",
        )
    objection = Objection.objects.create(
        case=case, received_on=received_on, content=content, recorded_by=actor
    )
    case.save(update_fields=["version"])
    _event(case, actor, "objection_received")
    _log_case(actor, "objection_received", case, {"received_on": [None, received_on]})
    return objection


@transaction.atomic
def objection_answer(
    *, actor: Any, objection: Objection, answer: str, answered_on: datetime.date
) -> Objection:
    """Record the answer to an objection."""
    case = _begin_step(actor, objection.case, CaseStep.PUBLICITY)
    objection = Objection.objects.select_for_update().get(pk=objection.pk)
    answer = _require_text(answer, "answer", _("Write down the answer."))
    if answered_on < objection.received_on:
        raise DomainError(
            "monitoring.objection.answer_before",
            _("The answer cannot come before the objection."),
            field="answered_on",
        )
    objection.answer, objection.answered_on = answer, answered_on
    objection.save(update_fields=["answer", "answered_on"])
    case.save(update_fields=["version"])
    _event(case, actor, "objection_answered")
    _log_case(actor, "objection_answered", case, {"objection": [None, objection.pk]})
    return objection


@transaction.atomic
def case_publicity_complete(
    *, actor: Any, case: Case, on: datetime.date, expected_version: int | None = None
) -> Case:
    """Close publicity once its period is over and every objection has an answer."""
    case = _begin_step(actor, case, CaseStep.PUBLICITY, expected_version)
    if case.publicity_start is None or case.publicity_end is None:
        raise DomainError("monitoring.publicity.unset", _("Set the publicity period first."))
    if on < case.publicity_end:
        raise DomainError(
            "monitoring.publicity.running",
            _("Publicity runs until %(date)s; it cannot be closed before then."),
            params={"date": case.publicity_end.isoformat()},
        )
    if case.objections.filter(answered_on__isnull=True).exists():
        raise DomainError(
            "monitoring.publicity.unanswered",
            _("Answer every objection before closing publicity."),
        )
    _advance(case, CaseStep.TOWN_REVIEW, [])
    _event(case, actor, "publicity_completed", step=CaseStep.PUBLICITY)
    _log_case(actor, "publicity_completed", case, {"on": [None, on]})
    return case


@transaction.atomic
def case_town_review(
    *,
    actor: Any,
    case: Case,
    opinion: str,
    on: datetime.date,
    expected_version: int | None = None,
) -> Case:
    """乡镇初审: the town reviewer passes the case to the banner with an opinion."""
    case = _begin_step(actor, case, CaseStep.TOWN_REVIEW, expected_version)
    case.town_opinion = _require_text(opinion, "opinion", _("Write the review opinion."))
    case.town_reviewed_on = on
    _advance(case, CaseStep.BANNER_APPROVAL, ["town_opinion", "town_reviewed_on"])
    _event(case, actor, "town_reviewed", step=CaseStep.TOWN_REVIEW)
    _log_case(actor, "town_reviewed", case, {"on": [None, on]})
    return case


@transaction.atomic
def case_banner_approve(
    *,
    actor: Any,
    case: Case,
    opinion: str,
    on: datetime.date,
    monitor_type: str = "",
    expected_version: int | None = None,
) -> Case:
    """县级审定: approval. Identification sets the household's monitoring flag from ``on``
    with its type; elimination records the end of the risk on ``on``."""
    case = _begin_step(actor, case, CaseStep.BANNER_APPROVAL, expected_version)
    case.banner_opinion = _require_text(opinion, "opinion", _("Write the approval opinion."))
    case.decided_on = on
    if case.kind == CaseKind.IDENTIFICATION:
        monitor_type = monitor_type or case.monitor_type
        _check_monitor_type(case.household, monitor_type)
        case.monitor_type = monitor_type
        registry_services.monitoring_start(
            actor=actor,
            household=case.household,
            monitor_type=monitor_type,
            on=on,
            reason=str(RiskType(case.risk_type).label) if case.risk_type else "",
        )
    else:
        refusals = elimination_refusals(case.household, on=on)
        if refusals:
            raise ValidationFailed(refusals)
        registry_services.monitoring_end(
            actor=actor,
            household=case.household,
            on=on,
            reason=str(_("Risk eliminated (case %(id)s)") % {"id": case.pk}),
        )
    _advance(case, CaseStep.ANNOUNCEMENT, ["banner_opinion", "decided_on", "monitor_type"])
    _event(case, actor, "approved", step=CaseStep.BANNER_APPROVAL)
    _log_case(
        actor,
        "approved",
        case,
        {"decided_on": [None, on], "monitor_type": [None, case.monitor_type]},
    )
    return case


@transaction.atomic
def case_announce(
    *, actor: Any, case: Case, on: datetime.date, expected_version: int | None = None
) -> Case:
    """公告: the result is announced; the case is done."""
    case = _begin_step(actor, case, CaseStep.ANNOUNCEMENT, expected_version)
    if case.decided_on and on < case.decided_on:
        raise DomainError(
            "monitoring.case.announce_before",
            _("The announcement cannot come before the decision."),
            field="on",
        )
    case.announced_on = on
    case.state = CaseState.APPROVED
    case.closed_at = timezone.now()
    _advance(case, CaseStep.DONE, ["announced_on", "state", "closed_at"])
    _event(case, actor, "announced", step=CaseStep.ANNOUNCEMENT)
    _log_case(actor, "announced", case, {"announced_on": [None, on]})
    return case


def _reject(actor: Any, case: Case, reason: str) -> Case:
    step = case.step
    case.version += 1
    case.state = CaseState.REJECTED
    case.rejected_at_step = step
    case.rejection_reason = reason[:300]
    case.closed_at = timezone.now()
    case.save(
        update_fields=["state", "rejected_at_step", "rejection_reason", "closed_at", "version"]
    )
    _event(case, actor, "rejected", note=reason, step=step)
    _log_case(
        actor,
        "rejected",
        case,
        {
            "state": [CaseState.OPEN, CaseState.REJECTED],
            "step": [None, step],
            "reason": [None, reason],
        },
    )
    return case


@transaction.atomic
def case_reject(
    *, actor: Any, case: Case, reason: str, expected_version: int | None = None
) -> Case:
    """End the case as rejected at its current step (by whoever that step belongs to)."""
    current = Case.objects.get(pk=case.pk)
    locked = _begin_step(actor, current, current.step, expected_version)
    locked.version -= 1  # _reject counts the change
    reason = _require_text(reason, "reason", _("Say why the case is rejected."))
    return _reject(actor, locked, reason)


@transaction.atomic
def case_open_elimination(*, actor: Any, household: Household, on: datetime.date) -> Case:
    """Open a risk-elimination case, refused with every unmet precondition as a reason."""
    household = Household.objects.select_for_update().select_related("area").get(pk=household.pk)
    if not holds_role(actor, CASE_OPENERS, household.area):
        raise _refuse()
    if Case.objects.filter(household=household, state=CaseState.OPEN).exists():
        raise DomainError(
            "monitoring.case.already_open", _("The household already has an open case.")
        )
    refusals = elimination_refusals(household, on=on)
    if refusals:
        raise ValidationFailed(
            refusals, _("Risk elimination cannot start: a precondition is not met.")
        )
    days = policy_number(PolicyKey.IDENTIFICATION_DAYS_LIMIT, area=household.area, on=on)
    period = MonitoringPeriod.objects.get(household=household, valid_to__isnull=True)
    case = Case.objects.create(
        kind=CaseKind.ELIMINATION,
        household=household,
        area=household.area,
        monitor_type=period.monitor_type,
        deadline=on + datetime.timedelta(days=days),
        opened_by=actor,
    )
    _event(case, actor, "opened")
    _log_case(actor, "opened", case, {"household": [None, household.code], "on": [None, on]})
    return case
