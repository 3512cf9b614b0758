"""Deputies' suggestions: submission, assignment, the one- and three-month limits,
extensions, replies, satisfaction and rework — on frozen dates."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.supervision import selectors, services
from tuopin.supervision.choices import (
    ReplyMode,
    ResultClass,
    Satisfaction,
    SuggestionEventKind,
    SuggestionStatus,
)
from tuopin.supervision.deadlines import add_months

D = datetime.date


def travel(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def assigned(deputy, deputy_user, supervisor, offices):
    """Submitted by the deputy on 2024-01-10, assigned on 2024-01-31 to the right banner's
    bureau with its health commission assisting."""
    with travel("2024-01-10"):
        suggestion = services.suggestion_submit(
            actor=deputy_user, deputy=deputy, title="牧区饮水工程维护", content="建议设立维护资金。"
        )
    with travel("2024-01-31"):
        return services.suggestion_assign(
            actor=supervisor,
            suggestion=suggestion,
            lead_office=offices["right_bureau"],
            assisting_offices=[offices["right_health"]],
        )


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 1, 31), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 11, 15), 3) == D(2025, 2, 15)
    assert add_months(D(2024, 8, 31), 6) == D(2025, 2, 28)


def test_assignment_sets_one_month_for_assisting_and_three_for_the_reply(assigned):
    assert assigned.status == SuggestionStatus.ASSIGNED
    assert assigned.number == "2024-001"
    assert assigned.assist_due == D(2024, 2, 29)
    assert assigned.reply_due == D(2024, 4, 30)
    assert AuditEntry.objects.filter(action="supervision.suggestion.assigned").count() == 1


def test_assisting_office_is_overdue_the_day_after_its_month(assigned, supervisor):
    with travel("2024-02-29"):
        assert not selectors.assists_overdue(user=supervisor, today=D(2024, 2, 29)).exists()
    overdue = selectors.assists_overdue(user=supervisor, today=D(2024, 3, 1))
    assert [a.office.name for a in overdue] == ["阿拉善右旗卫生健康委员会"]


def test_reply_is_overdue_after_three_months_and_listed(assigned, supervisor):
    on_time = selectors.suggestion_list(user=supervisor, overdue=True, today=D(2024, 4, 30))
    late = selectors.suggestion_list(user=supervisor, overdue=True, today=D(2024, 5, 1))
    assert list(on_time) == []
    assert list(late) == [assigned]


def test_lead_cannot_reply_before_the_assisting_office_answers(assigned, banner_officer):
    with travel("2024-02-20"), pytest.raises(DomainError) as exc:
        services.suggestion_reply(
            actor=banner_officer,
            suggestion=assigned,
            reply_mode=ReplyMode.WRITTEN,
            result_class=ResultClass.A,
            reply="已解决。",
        )
    assert exc.value.code == "supervision.suggestion.assists_pending"
    assert "卫生健康委员会" in str(exc.value)


def test_extension_moves_the_limit_with_its_reason_up_to_six_months(assigned, banner_officer):
    with travel("2024-04-20"):
        services.suggestion_extend(
            actor=banner_officer, suggestion=assigned, months=2, reason="需旗财政安排资金"
        )
    assigned.refresh_from_db()
    assert assigned.reply_due == D(2024, 6, 30)
    event = assigned.events.get(kind=SuggestionEventKind.EXTENDED)
    assert event.note == "需旗财政安排资金"
    assert event.on == D(2024, 4, 20)
    with travel("2024-06-01"), pytest.raises(DomainError) as exc:
        services.suggestion_extend(
            actor=banner_officer, suggestion=assigned, months=2, reason="再延"
        )
    assert exc.value.code == "supervision.suggestion.extension_too_long"
    assert "2024-07-31" in str(exc.value)


def test_extension_needs_a_reason(assigned, banner_officer):
    with pytest.raises(DomainError) as exc:
        services.suggestion_extend(actor=banner_officer, suggestion=assigned, months=1, reason=" ")
    assert exc.value.field == "reason"


def _answer_and_reply(suggestion, officer, offices, *, on="2024-03-20"):
    with travel("2024-02-15"):
        services.suggestion_assist_answer(
            actor=officer,
            suggestion=suggestion,
            office=offices["right_health"],
            answer="卫健委意见：纳入村医巡诊。",
        )
    with travel(on):
        return services.suggestion_reply(
            actor=officer,
            suggestion=suggestion,
            reply_mode=ReplyMode.FACE_TO_FACE,
            result_class=ResultClass.B,
            reply="已列入2024年维护计划。",
        )


def test_unsatisfied_vote_sends_it_back_with_a_new_three_month_limit(
    assigned, banner_officer, offices, deputy_user, supervisor
):
    _answer_and_reply(assigned, banner_officer, offices)
    with travel("2024-04-05"):
        services.suggestion_vote(
            actor=deputy_user,
            suggestion=assigned,
            satisfaction=Satisfaction.UNSATISFIED,
            note="资金未落实",
        )
    assigned.refresh_from_db()
    assert assigned.status == SuggestionStatus.REWORK
    assert assigned.rounds == 2
    assert assigned.reply_due == D(2024, 7, 5)
    assert not selectors.suggestion_list(user=supervisor, overdue=True, today=D(2024, 7, 5))
    assert selectors.suggestion_list(user=supervisor, overdue=True, today=D(2024, 7, 6))
    with travel("2024-06-10"):
        services.suggestion_reply(
            actor=banner_officer,
            suggestion=assigned,
            reply_mode=ReplyMode.FACE_TO_FACE,
            result_class=ResultClass.A,
            reply="维护资金已拨付。",
        )
    with travel("2024-06-20"):
        services.suggestion_vote(
            actor=deputy_user, suggestion=assigned, satisfaction=Satisfaction.SATISFIED
        )
    assigned.refresh_from_db()
    assert assigned.status == SuggestionStatus.CLOSED
    assert assigned.closed_on == D(2024, 6, 20)
    kinds = list(assigned.events.values_list("kind", flat=True))
    assert kinds == [
        "submitted",
        "assigned",
        "assist_answered",
        "replied",
        "voted",
        "rework",
        "replied",
        "voted",
        "closed",
    ]


def test_basically_satisfied_closes_the_suggestion(assigned, banner_officer, offices, supervisor):
    _answer_and_reply(assigned, banner_officer, offices)
    # The committee records the deputy's returned form.
    with travel("2024-04-01"):
        services.suggestion_vote(
            actor=supervisor, suggestion=assigned, satisfaction=Satisfaction.BASICALLY
        )
    assigned.refresh_from_db()
    assert assigned.status == SuggestionStatus.CLOSED


# --- permissions ------------------------------------------------------------------------


def test_a_deputy_cannot_submit_in_another_deputys_name(deputy_user, other_deputy):
    with pytest.raises(PermissionDenied):
        services.suggestion_submit(actor=deputy_user, deputy=other_deputy, title="t", content="c")


def test_the_committee_records_a_suggestion_for_any_deputy(supervisor, other_deputy):
    suggestion = services.suggestion_submit(
        actor=supervisor, deputy=other_deputy, title="控辍保学", content="建议……"
    )
    assert suggestion.area == other_deputy.area


@pytest.mark.parametrize(
    "persona",
    ["banner_officer", "league_officer", "analyst", "gaqa_cadre", "outsider", "deputy_user"],
)
def test_only_the_committee_assigns(request, persona, deputy, supervisor, offices):
    suggestion = services.suggestion_submit(actor=supervisor, deputy=deputy, title="t", content="c")
    with pytest.raises(PermissionDenied):
        services.suggestion_assign(
            actor=request.getfixturevalue(persona),
            suggestion=suggestion,
            lead_office=offices["right_bureau"],
        )


@pytest.mark.parametrize("persona", ["ejina_officer", "supervisor", "analyst", "outsider"])
def test_only_the_lead_offices_people_reply_or_extend(request, persona, assigned):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.suggestion_extend(actor=actor, suggestion=assigned, months=1, reason="r")
    with pytest.raises((PermissionDenied, DomainError)) as exc:
        services.suggestion_reply(
            actor=actor,
            suggestion=assigned,
            reply_mode=ReplyMode.WRITTEN,
            result_class=ResultClass.A,
            reply="x",
        )
    assert isinstance(exc.value, PermissionDenied)


def test_an_office_outside_the_assignment_cannot_answer_as_assisting(
    assigned, ejina_officer, banner_officer, offices
):
    with pytest.raises(PermissionDenied):
        services.suggestion_assist_answer(
            actor=ejina_officer, suggestion=assigned, office=offices["right_health"], answer="a"
        )
    with pytest.raises(DomainError) as exc:
        services.suggestion_assist_answer(
            actor=banner_officer, suggestion=assigned, office=offices["right_bureau"], answer="a"
        )
    assert exc.value.code == "supervision.suggestion.not_assisting"


@pytest.mark.parametrize("persona", ["banner_officer", "other_deputy_user", "analyst", "outsider"])
def test_only_the_deputy_or_the_committee_votes(  # noqa: PLR0917 (pytest fixtures)
    request, persona, assigned, banner_officer, offices, make_user
):
    _answer_and_reply(assigned, banner_officer, offices)
    actor = (
        make_user("deputy_other", ("deputy", "152900000000"))
        if persona == "other_deputy_user"
        else request.getfixturevalue(persona)
    )
    with pytest.raises(PermissionDenied):
        services.suggestion_vote(
            actor=actor, suggestion=assigned, satisfaction=Satisfaction.SATISFIED
        )


def test_deputy_sees_only_their_own_suggestions_and_outsider_none(  # noqa: PLR0917 (pytest fixtures)
    assigned, deputy_user, other_deputy, supervisor, outsider, ejina_officer
):
    other = services.suggestion_submit(
        actor=supervisor, deputy=other_deputy, title="t", content="c"
    )
    assert list(selectors.suggestion_list(user=deputy_user)) == [assigned]
    assert set(selectors.suggestion_list(user=supervisor)) == {assigned, other}
    assert list(selectors.suggestion_list(user=ejina_officer)) == [other]
    assert list(selectors.suggestion_list(user=outsider)) == []


def test_a_suggestion_cannot_be_dated_in_the_future(deputy_user, deputy):
    with travel("2024-01-10"), pytest.raises(DomainError) as exc:
        services.suggestion_submit(
            actor=deputy_user,
            deputy=deputy,
            title="t",
            content="c",
            submitted_on=D(2024, 1, 11),
        )
    assert exc.value.field == "submitted_on"
