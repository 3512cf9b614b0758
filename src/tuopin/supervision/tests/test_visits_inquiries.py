"""Visits with their person-times for any period, and special inquiries with their
questions, answers and follow-up commitments."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from conftest import ALXA, EJINA, RIGHT_BANNER
from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.supervision import selectors, services
from tuopin.supervision.choices import VisitKind

D = datetime.date


@pytest.fixture
def visits(supervisor, area, deputy):
    rows = [
        (VisitKind.RESEARCH, D(2018, 5, 3), ALXA, 40),
        (VisitKind.INSPECTION, D(2018, 9, 1), RIGHT_BANNER, 25),
        (VisitKind.RESEARCH, D(2019, 6, 12), EJINA, 18),
        (VisitKind.INSPECTION, D(2020, 7, 8), RIGHT_BANNER, 31),
    ]
    return [
        services.visit_record(
            actor=supervisor,
            kind=kind,
            held_on=day,
            area=area(code),
            topic=f"调研{n}",
            organiser="人大阿拉善盟工委",
            participants=people,
            deputies=[deputy],
        )
        for n, (kind, day, code, people) in enumerate(rows)
    ]


def test_report_counts_visits_and_person_times_for_a_period(visits, supervisor):
    everything = selectors.visit_report(user=supervisor)
    assert (everything.visits, everything.person_times) == (4, 114)
    period = selectors.visit_report(user=supervisor, start=D(2018, 6, 1), end=D(2019, 12, 31))
    assert (period.visits, period.person_times) == (2, 43)
    assert [(r["held_on__year"], r["n"], r["people"]) for r in period.by_year] == [
        (2018, 1, 25),
        (2019, 1, 18),
    ]


def test_report_is_scoped_to_the_users_areas(visits, banner_officer, outsider):
    report = selectors.visit_report(user=banner_officer)
    assert (report.visits, report.person_times) == (2, 56)
    assert selectors.visit_report(user=outsider).visits == 0


def test_visit_page_shows_the_period_totals(visits, client_for, supervisor):
    page = (
        client_for(supervisor)
        .get(reverse("supervision:visits") + "?start=2018-06-01&end=2019-12-31")
        .content.decode()
    )
    assert 'id="visit-count">2<' in page
    assert 'id="person-times">43<' in page


def test_participants_cannot_be_fewer_than_the_deputies_named(
    supervisor, area, deputy, other_deputy
):
    with pytest.raises(DomainError) as exc:
        services.visit_record(
            actor=supervisor,
            kind=VisitKind.RESEARCH,
            held_on=D(2019, 1, 1),
            area=area(ALXA),
            topic="t",
            organiser="o",
            participants=1,
            deputies=[deputy, other_deputy],
        )
    assert exc.value.field == "participants"


@pytest.mark.parametrize("persona", ["banner_officer", "league_officer", "analyst", "deputy_user"])
def test_only_the_committee_records_visits(request, persona, area):
    with pytest.raises(PermissionDenied):
        services.visit_record(
            actor=request.getfixturevalue(persona),
            kind=VisitKind.RESEARCH,
            held_on=D(2019, 1, 1),
            area=area(RIGHT_BANNER),
            topic="t",
            organiser="o",
            participants=3,
        )


@pytest.fixture
def inquiry(supervisor, area, deputy, other_deputy, offices):
    session = services.inquiry_create(
        actor=supervisor,
        area=area(ALXA),
        held_on=D(2018, 9, 20),
        meeting="人大阿拉善盟工委第二次会议",
        subject="脱贫攻坚工作专题询问",
    )
    question = services.question_add(
        actor=supervisor,
        session=session,
        asker=deputy,
        topic="因病致贫返贫",
        office=offices["right_health"],
        official="旗卫健委主任",
        answer="将扩大大病保障。",
    )
    services.question_add(
        actor=supervisor,
        session=session,
        asker=other_deputy,
        topic="因学致贫",
        office=offices["ejina_edu"],
        official="旗教育局局长",
    )
    services.commitment_add(
        actor=supervisor, question=question, text="年底前完成慢病签约", due_on=D(2018, 12, 31)
    )
    return session


def test_inquiry_counts_askers_and_questions(inquiry, supervisor):
    session = selectors.inquiry_get(user=supervisor, pk=inquiry.pk)
    assert (session.asker_count, session.question_count) == (2, 2)
    assert [q.number for q in session.questions.all()] == [1, 2]


def test_commitment_is_overdue_until_the_answering_office_marks_it_kept(
    inquiry, supervisor, banner_officer, ejina_officer
):
    overdue = list(selectors.commitments_overdue(user=supervisor, today=D(2019, 1, 1)))
    assert len(overdue) == 1
    assert not selectors.commitments_overdue(user=supervisor, today=D(2018, 12, 31)).exists()
    with pytest.raises(PermissionDenied):
        services.commitment_done(actor=ejina_officer, commitment=overdue[0])
    services.commitment_done(actor=banner_officer, commitment=overdue[0], done_on=D(2019, 1, 5))
    assert not selectors.commitments_overdue(user=supervisor, today=D(2019, 1, 6)).exists()


def test_commitment_due_date_cannot_precede_the_inquiry(inquiry, supervisor):
    question = inquiry.questions.first()
    with pytest.raises(DomainError) as exc:
        services.commitment_add(actor=supervisor, question=question, text="x", due_on=D(2018, 9, 1))
    assert exc.value.field == "due_on"


def test_inquiry_page_lists_questions_and_is_hidden_from_outsiders(
    inquiry, client_for, supervisor, outsider
):
    url = reverse("supervision:inquiry", args=[inquiry.pk])
    page = client_for(supervisor).get(url).content.decode()
    assert "因病致贫返贫" in page
    assert "2 人询问，2 个问题" in page
    assert client_for(outsider).get(url).status_code == 404
