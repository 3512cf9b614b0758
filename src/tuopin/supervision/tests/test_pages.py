"""The creation pages of the committee and the discipline officers, who may open them, and
the query count of the suggestion list."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import ALXA, RIGHT_BANNER
from tuopin.core.errors import PermissionDenied
from tuopin.supervision import services
from tuopin.supervision.models import Clue, Opinion, Visit

D = datetime.date


def test_committee_records_a_visit_from_the_page(client_for, supervisor, area):
    client = client_for(supervisor)
    assert client.get(reverse("supervision:visit_new")).status_code == 200
    response = client.post(
        reverse("supervision:visit_new"),
        {
            "kind": "research",
            "held_on": "2019-05-06",
            "area": area(RIGHT_BANNER).pk,
            "topic": "牧民饮水",
            "organiser": "阿拉善右旗人大常委会",
            "participants": "23",
            "findings": "",
        },
    )
    assert response.status_code == 302
    assert Visit.objects.get().participants == 23


def test_a_visit_dated_in_the_future_is_refused_on_the_field(client_for, supervisor, area):
    response = client_for(supervisor).post(
        reverse("supervision:visit_new"),
        {
            "kind": "research",
            "held_on": "2999-01-01",
            "area": area(RIGHT_BANNER).pk,
            "topic": "t",
            "organiser": "o",
            "participants": "3",
        },
    )
    assert response.status_code == 200
    assert "日期不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


@pytest.mark.parametrize("persona", ["banner_officer", "deputy_user", "discipline"])
def test_others_cannot_open_the_committees_creation_pages(request, persona, client_for):
    client = client_for(request.getfixturevalue(persona))
    for name in ("visit_new", "opinion_new"):
        assert client.get(reverse(f"supervision:{name}")).status_code == 403


def test_committee_records_an_opinion_from_the_page(client_for, supervisor, area):
    response = client_for(supervisor).post(
        reverse("supervision:opinion_new"),
        {
            "area": area(ALXA).pk,
            "title": "审议意见",
            "report_title": "报告",
            "heard_on": "2019-09-20",
            "body": "",
        },
    )
    assert response.status_code == 302
    assert Opinion.objects.get().area.code == ALXA


def test_discipline_collects_a_clue_from_the_page_and_the_supervisor_cannot(
    client_for, discipline, supervisor, area
):
    data = {
        "area": area(RIGHT_BANNER).pk,
        "source": "petition",
        "received_on": "2020-01-02",
        "summary": "反映问题",
        "reporter_name": "某群众",
    }
    assert client_for(supervisor).get(reverse("supervision:clue_new")).status_code == 404
    response = client_for(discipline).post(reverse("supervision:clue_new"), data)
    assert response.status_code == 302
    assert Clue.objects.get().reporter_name == "某群众"


@pytest.mark.parametrize("persona", ["banner_officer", "analyst", "deputy_user", "outsider"])
def test_only_the_committee_holds_inquiries_and_records_opinions(  # noqa: PLR0917 (pytest fixtures)
    request, persona, area, deputy, offices, supervisor
):
    actor = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.inquiry_create(
            actor=actor, area=area(RIGHT_BANNER), held_on=D(2019, 1, 1), meeting="m", subject="s"
        )
    with pytest.raises(PermissionDenied):
        services.opinion_create(
            actor=actor,
            area=area(RIGHT_BANNER),
            title="t",
            report_title="r",
            heard_on=D(2019, 1, 1),
        )
    session = services.inquiry_create(
        actor=supervisor, area=area(RIGHT_BANNER), held_on=D(2019, 1, 1), meeting="m", subject="s"
    )
    with pytest.raises(PermissionDenied):
        services.question_add(
            actor=actor,
            session=session,
            asker=deputy,
            topic="t",
            office=offices["right_bureau"],
            official="o",
        )


def test_suggestion_list_query_count_does_not_grow_with_rows(client_for, supervisor, deputy):
    client = client_for(supervisor)
    url = reverse("supervision:suggestions")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    services.suggestion_submit(actor=supervisor, deputy=deputy, title="t", content="c")
    few = count()
    for n in range(10):
        services.suggestion_submit(actor=supervisor, deputy=deputy, title=f"t{n}", content="c")
    assert count() == few
