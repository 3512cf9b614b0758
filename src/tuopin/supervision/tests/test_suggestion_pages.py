"""The suggestion pages: the list and its overdue filter, the detail with its timeline and
the actions each role may take, and the actions posted from it."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from tuopin.supervision import services
from tuopin.supervision.choices import SuggestionStatus


def travel(day: str) -> time_machine.travel:
    return time_machine.travel(datetime.datetime.fromisoformat(f"{day}T10:00:00+08:00"), tick=False)


@pytest.fixture
def submitted(deputy, deputy_user):
    with travel("2024-01-10"):
        return services.suggestion_submit(
            actor=deputy_user, deputy=deputy, title="牧区饮水工程维护", content="建议设立维护资金。"
        )


def test_committee_assigns_from_the_detail_page(client_for, supervisor, submitted, offices):
    client = client_for(supervisor)
    page = client.get(reverse("supervision:suggestion", args=[submitted.pk]))
    assert page.status_code == 200
    assert 'id="assign-form"' in page.content.decode()
    response = client.post(
        reverse("supervision:suggestion_action", args=[submitted.pk, "assign"]),
        {
            "lead_office": offices["right_bureau"].pk,
            "assisting_offices": [offices["right_health"].pk],
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == SuggestionStatus.ASSIGNED
    assert submitted.lead_office == offices["right_bureau"]


@pytest.mark.parametrize("persona", ["banner_officer", "deputy_user", "analyst"])
def test_others_see_no_assign_form_and_their_post_changes_nothing(
    request, client_for, persona, submitted, offices
):
    user = request.getfixturevalue(persona)
    client = client_for(user)
    page = client.get(reverse("supervision:suggestion", args=[submitted.pk]))
    if page.status_code == 200:
        assert 'id="assign-form"' not in page.content.decode()
    response = client.post(
        reverse("supervision:suggestion_action", args=[submitted.pk, "assign"]),
        {"lead_office": offices["right_bureau"].pk},
    )
    assert response.status_code in {302, 404}
    submitted.refresh_from_db()
    assert submitted.status == SuggestionStatus.SUBMITTED


def test_outsider_and_other_banner_get_404(client_for, outsider, ejina_officer, submitted):
    for user in (outsider, ejina_officer):
        response = client_for(user).get(reverse("supervision:suggestion", args=[submitted.pk]))
        assert response.status_code == 404


def test_list_filters_overdue_replies(client_for, supervisor, submitted, offices):
    with travel("2024-01-31"):
        services.suggestion_assign(
            actor=supervisor, suggestion=submitted, lead_office=offices["right_bureau"]
        )
    with travel("2024-04-30"):
        client = client_for(supervisor)
        page = client.get(reverse("supervision:suggestions") + "?overdue=1").content.decode()
        assert submitted.number not in page
    with travel("2024-05-01"):
        client = client_for(supervisor)
        page = client.get(reverse("supervision:suggestions") + "?overdue=1").content.decode()
        assert submitted.number in page
        detail = client.get(reverse("supervision:suggestion", args=[submitted.pk]))
        assert "超期" in detail.content.decode() or "overdue" in detail.content.decode()


def test_lead_office_officer_sees_reply_and_extend_but_not_vote(
    client_for, banner_officer, supervisor, submitted, offices
):
    services.suggestion_assign(
        actor=supervisor, suggestion=submitted, lead_office=offices["right_bureau"]
    )
    page = (
        client_for(banner_officer)
        .get(reverse("supervision:suggestion", args=[submitted.pk]))
        .content.decode()
    )
    assert 'id="reply-form"' in page
    assert 'id="extend-form"' in page
    assert 'id="vote-form"' not in page


def test_a_refused_action_comes_back_as_a_message(
    client_for, banner_officer, supervisor, submitted, offices
):
    with travel("2024-01-31"):
        services.suggestion_assign(
            actor=supervisor, suggestion=submitted, lead_office=offices["right_bureau"]
        )
    url = reverse("supervision:suggestion_action", args=[submitted.pk, "extend"])
    with travel("2024-04-20"):
        client = client_for(banner_officer)
        client.post(url, {"months": 3, "reason": "需旗财政安排资金"})
        submitted.refresh_from_db()
        assert submitted.reply_due == datetime.date(2024, 7, 30)
        response = client.post(url, {"months": 1, "reason": "再延"}, follow=True)
    submitted.refresh_from_db()
    assert submitted.reply_due == datetime.date(2024, 7, 30)
    assert "2024-07-31" in response.content.decode()


def test_supervision_nav_shows_for_supervisor_not_for_analyst(client_for, supervisor, analyst):
    home = reverse("supervision:index")
    assert client_for(supervisor).get(home).status_code == 200
    assert client_for(analyst).get(home).status_code == 404
