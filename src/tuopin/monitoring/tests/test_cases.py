"""Identification cases: every step by its own role and level, deadlines, rejection."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.monitoring import services
from tuopin.monitoring.choices import CaseState, CaseStep, ClueStatus
from tuopin.registry.models import MonitoringPeriod

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def consent(name="承诺授权书.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def clue(household):
    clue, _ = services.clue_raise(
        actor=None,
        household=household,
        channel="system_screening",
        risk_type="illness",
        facts={},
        source_key="sweep:1",
    )
    return clue


@pytest.fixture
def road(gaqa_cadre, town_reviewer, banner_officer):
    """Who takes the steps: the gaqa's cadre, the town's reviewer, the banner's approver."""
    return gaqa_cadre, town_reviewer, banner_officer


@pytest.fixture
def case(clue, gaqa_cadre, data_dir):
    return services.case_open_identification(actor=gaqa_cadre, clue=clue)


def verify(case, actor):
    return services.case_verify(
        actor=actor,
        case=case,
        verified_on=timezone.localdate(),
        note="入户核实，医疗支出大",
        consent=consent(),
    )


def deliberate(case, actor, result="agreed"):
    return services.case_deliberate(
        actor=actor,
        case=case,
        held_on=timezone.localdate(),
        participants="村两委、党员代表",
        result=result,
        minutes="一致同意纳入",
        monitor_type="unstable_tuopin",
    )


def publicise(case, actor, start=None, days=5):
    start = start or timezone.localdate()
    services.case_publicity_set(
        actor=actor, case=case, start=start, end=start + datetime.timedelta(days=days)
    )
    return services.case_publicity_complete(
        actor=actor, case=case, on=start + datetime.timedelta(days=days)
    )


def to_step(case, step, cadre, reviewer, officer):
    today = timezone.localdate()
    if step == CaseStep.VERIFICATION:
        return case
    case = verify(case, cadre)
    if step == CaseStep.DELIBERATION:
        return case
    case = deliberate(case, cadre)
    if step == CaseStep.PUBLICITY:
        return case
    case = publicise(case, cadre)
    if step == CaseStep.TOWN_REVIEW:
        return case
    case = services.case_town_review(actor=reviewer, case=case, opinion="同意", on=today)
    if step == CaseStep.BANNER_APPROVAL:
        return case
    case = services.case_banner_approve(actor=officer, case=case, opinion="同意认定", on=today)
    assert step == CaseStep.ANNOUNCEMENT
    return case


def test_a_case_walks_every_step_with_a_persona_of_each_level(
    case, gaqa_cadre, town_reviewer, banner_officer, household
):
    today = timezone.localdate()
    case = to_step(case, CaseStep.ANNOUNCEMENT, gaqa_cadre, town_reviewer, banner_officer)

    period = MonitoringPeriod.objects.get(household=household, valid_to__isnull=True)
    assert period.monitor_type == "unstable_tuopin"
    assert period.valid_from == today
    case = services.case_announce(actor=banner_officer, case=case, on=today)
    assert case.state == CaseState.APPROVED
    assert case.step == CaseStep.DONE
    actions = list(
        AuditEntry.objects.filter(object_type="monitoring.case")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "monitoring.identification.opened",
        "monitoring.identification.verified",
        "monitoring.identification.deliberated",
        "monitoring.identification.publicity_set",
        "monitoring.identification.publicity_completed",
        "monitoring.identification.town_reviewed",
        "monitoring.identification.approved",
        "monitoring.identification.announced",
    ]
    assert list(case.events.values_list("action", flat=True))[-1] == "announced"
    assert AuditEntry.objects.filter(action="registry.monitoring.started").exists()


def test_opening_a_case_closes_the_clue_and_sets_the_deadline(clue, gaqa_cadre, policy):
    raised = timezone.localdate(clue.created_at)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)

    clue.refresh_from_db()
    assert clue.status == ClueStatus.CASE_OPENED
    assert case.deadline == raised + datetime.timedelta(days=15)


def test_the_deadline_counts_from_the_day_the_clue_came_in(clue, gaqa_cadre, policy):
    clue.created_at = timezone.now() - datetime.timedelta(days=20)
    clue.save()
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    assert case.deadline < timezone.localdate()


STEP_PERSONAS = {
    CaseStep.VERIFICATION: "gaqa_cadre",
    CaseStep.DELIBERATION: "gaqa_cadre",
    CaseStep.PUBLICITY: "gaqa_cadre",
    CaseStep.TOWN_REVIEW: "town_reviewer",
    CaseStep.BANNER_APPROVAL: "banner_officer",
    CaseStep.ANNOUNCEMENT: "banner_officer",
}
WRONG = [
    "gaqa_cadre",
    "town_reviewer",
    "banner_officer",
    "yabulai_cadre",
    "ejina_officer",
    "league_officer",
    "admin",
    "analyst",
    "supervisor",
    "outsider",
]


def take_step(case, step, actor):
    today = timezone.localdate()
    if step == CaseStep.VERIFICATION:
        return verify(case, actor)
    if step == CaseStep.DELIBERATION:
        return deliberate(case, actor)
    if step == CaseStep.PUBLICITY:
        return services.case_publicity_set(
            actor=actor, case=case, start=today, end=today + datetime.timedelta(days=5)
        )
    if step == CaseStep.TOWN_REVIEW:
        return services.case_town_review(actor=actor, case=case, opinion="同意", on=today)
    if step == CaseStep.BANNER_APPROVAL:
        return services.case_banner_approve(actor=actor, case=case, opinion="同意", on=today)
    return services.case_announce(actor=actor, case=case, on=today)


@pytest.mark.parametrize("step", list(STEP_PERSONAS))
@pytest.mark.parametrize("persona", WRONG)
def test_no_step_can_be_taken_by_the_wrong_role_or_outside_the_area(
    case, step, persona, request, road
):
    case = to_step(case, step, *road)
    actor = request.getfixturevalue(persona)
    version = case.version
    if persona == STEP_PERSONAS[step]:
        take_step(case, step, actor)
        return
    with pytest.raises(PermissionDenied):
        take_step(case, step, actor)
    with pytest.raises(PermissionDenied):
        services.case_reject(actor=actor, case=case, reason="不符合")
    case.refresh_from_db()
    assert case.version == version
    assert case.state == CaseState.OPEN


def test_a_step_cannot_be_skipped(case, gaqa_cadre, town_reviewer):
    with pytest.raises(DomainError) as refused:
        deliberate(case, gaqa_cadre)
    assert refused.value.code == "monitoring.case.wrong_step"
    with pytest.raises(DomainError) as early:
        services.case_town_review(
            actor=town_reviewer, case=case, opinion="同意", on=timezone.localdate()
        )
    assert early.value.code == "monitoring.case.wrong_step"


@pytest.mark.parametrize("step", list(STEP_PERSONAS))
def test_a_case_can_be_rejected_at_any_step_with_a_reason(case, step, request, road):
    case = to_step(case, step, *road)
    actor = request.getfixturevalue(STEP_PERSONAS[step])
    with pytest.raises(DomainError):
        services.case_reject(actor=actor, case=case, reason=" ")
    case = services.case_reject(actor=actor, case=case, reason="收入超过监测范围")

    assert case.state == CaseState.REJECTED
    assert case.rejected_at_step == step
    entry = AuditEntry.objects.get(action="monitoring.identification.rejected")
    assert entry.diff["reason"] == [None, "收入超过监测范围"]
    with pytest.raises(DomainError):
        take_step(case, step, actor)


def test_a_deliberation_that_does_not_agree_rejects_the_case(case, gaqa_cadre):
    case = verify(case, gaqa_cadre)
    case = deliberate(case, gaqa_cadre, result="not_agreed")
    assert case.state == CaseState.REJECTED
    assert case.rejected_at_step == CaseStep.DELIBERATION


def test_publicity_must_last_the_policy_days(case, gaqa_cadre, policy):
    case = deliberate(verify(case, gaqa_cadre), gaqa_cadre)
    start = timezone.localdate()
    with pytest.raises(DomainError) as short:
        services.case_publicity_set(
            actor=gaqa_cadre, case=case, start=start, end=start + datetime.timedelta(days=4)
        )
    assert short.value.code == "monitoring.publicity.too_short"
    services.case_publicity_set(
        actor=gaqa_cadre, case=case, start=start, end=start + datetime.timedelta(days=5)
    )
    with pytest.raises(DomainError) as running:
        services.case_publicity_complete(
            actor=gaqa_cadre, case=case, on=start + datetime.timedelta(days=4)
        )
    assert running.value.code == "monitoring.publicity.running"


def test_objections_must_be_answered_before_publicity_closes(case, gaqa_cadre):
    case = deliberate(verify(case, gaqa_cadre), gaqa_cadre)
    start = timezone.localdate()
    end = start + datetime.timedelta(days=5)
    services.case_publicity_set(actor=gaqa_cadre, case=case, start=start, end=end)
    objection = services.objection_add(
        actor=gaqa_cadre, case=case, received_on=start, content="该户有车辆"
    )
    with pytest.raises(DomainError) as unanswered:
        services.case_publicity_complete(actor=gaqa_cadre, case=case, on=end)
    assert unanswered.value.code == "monitoring.publicity.unanswered"
    services.objection_answer(
        actor=gaqa_cadre,
        objection=objection,
        answer="车辆为农用三轮车，经核实不影响",
        answered_on=end,
    )
    case = services.case_publicity_complete(actor=gaqa_cadre, case=case, on=end)
    assert case.step == CaseStep.TOWN_REVIEW


def test_the_monitoring_type_must_fit_the_household(case, gaqa_cadre):
    case = verify(case, gaqa_cadre)
    with pytest.raises(DomainError) as refused:
        services.case_deliberate(
            actor=gaqa_cadre,
            case=case,
            held_on=timezone.localdate(),
            participants="村两委",
            result="agreed",
            minutes="同意",
            monitor_type="marginal",
        )
    assert refused.value.code == "monitoring.case.monitor_type_mismatch"


def test_identification_needs_the_signed_consent(case, gaqa_cadre):
    with pytest.raises(DomainError) as missing:
        services.case_verify(
            actor=gaqa_cadre, case=case, verified_on=timezone.localdate(), note="x", consent=None
        )
    assert missing.value.field == "consent"


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("consent.exe", b"MZ", "monitoring.consent.type"),
        ("consent.pdf", b"<html>not a pdf</html>", "monitoring.consent.contents"),
        ("consent.png", b"", "monitoring.consent.empty"),
    ],
)
def test_a_consent_upload_is_checked_for_type_and_contents(case, gaqa_cadre, name, content, code):
    with pytest.raises(DomainError) as refused:
        services.case_verify(
            actor=gaqa_cadre,
            case=case,
            verified_on=timezone.localdate(),
            note="x",
            consent=consent(name, content),
        )
    assert refused.value.code == code
    case.refresh_from_db()
    assert case.step == CaseStep.VERIFICATION


def test_a_consent_upload_over_the_size_limit_is_refused(case, gaqa_cadre, settings):
    settings.CASE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError) as refused:
        services.case_verify(
            actor=gaqa_cadre,
            case=case,
            verified_on=timezone.localdate(),
            note="x",
            consent=consent(content=PDF + b"0" * 200),
        )
    assert refused.value.code == "monitoring.consent.size"


def test_the_consent_is_stored_under_the_data_directory(case, gaqa_cadre, data_dir):
    case = verify(case, gaqa_cadre)
    stored = data_dir / case.consent_file
    assert stored.read_bytes() == PDF
    assert case.consent_name == "承诺授权书.pdf"
