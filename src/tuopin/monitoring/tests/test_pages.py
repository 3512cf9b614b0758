"""The monitoring pages: reporting a clue, opening and walking a case, my work."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tuopin.monitoring import services
from tuopin.monitoring.choices import CaseStep, ClueStatus
from tuopin.monitoring.models import Case, Clue
from tuopin.monitoring.selectors import my_work

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def raise_for(household, key="sweep:1", days_ago=0):
    clue, _ = services.clue_raise(
        actor=None,
        household=household,
        channel="system_screening",
        risk_type="illness",
        facts={},
        source_key=key,
    )
    if days_ago:
        Clue.objects.filter(pk=clue.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        clue.refresh_from_db()
    return clue


def test_the_household_page_links_to_reporting_a_clue(client_for, gaqa_cadre, household):
    page = client_for(gaqa_cadre).get(f"/registry/{household.code}/")
    assert f'href="/monitoring/households/{household.code}/clue/"' in page.content.decode()


def test_a_cadre_reports_a_clue_from_the_household_page(client_for, gaqa_cadre, household):
    client = client_for(gaqa_cadre)
    response = client.post(
        f"/monitoring/households/{household.code}/clue/",
        {"channel": "cadre_screening", "risk_type": "disaster", "description": "羊圈被雪压塌"},
    )
    clue = Clue.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/monitoring/clues/{clue.pk}/"
    assert clue.channel == "cadre_screening"
    assert clue.facts == {"description": "羊圈被雪压塌"}
    assert clue.raised_by == gaqa_cadre


@pytest.mark.parametrize("persona", ["yabulai_cadre", "outsider", "analyst"])
def test_users_outside_the_area_get_404_for_clue_pages(client_for, persona, request, household):
    clue = raise_for(household)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/monitoring/households/{household.code}/clue/").status_code == 404
    assert client.get(f"/monitoring/clues/{clue.pk}/").status_code == 404
    assert client.post(f"/monitoring/clues/{clue.pk}/", {"action": "open"}).status_code == 404
    assert not Case.objects.exists()


def test_the_cadre_opens_a_case_from_the_clue_page(client_for, gaqa_cadre, household):
    clue = raise_for(household)
    client = client_for(gaqa_cadre)
    assert 'id="open-case"' in client.get(f"/monitoring/clues/{clue.pk}/").content.decode()
    response = client.post(f"/monitoring/clues/{clue.pk}/", {"action": "open"})
    case = Case.objects.get()
    assert response["Location"] == f"/monitoring/cases/{case.pk}/"
    clue.refresh_from_db()
    assert clue.status == ClueStatus.CASE_OPENED


def test_a_town_reviewer_sees_the_clue_but_cannot_handle_it(client_for, town_reviewer, household):
    clue = raise_for(household)
    client = client_for(town_reviewer)
    page = client.get(f"/monitoring/clues/{clue.pk}/").content.decode()
    assert 'id="open-case"' not in page
    assert client.post(f"/monitoring/clues/{clue.pk}/", {"action": "open"}).status_code == 404
    assert (
        client.post(
            f"/monitoring/clues/{clue.pk}/", {"action": "dismiss", "reason": "x"}
        ).status_code
        == 404
    )


def test_a_dismissal_without_reason_is_shown_on_the_form(client_for, gaqa_cadre, household):
    clue = raise_for(household)
    response = client_for(gaqa_cadre).post(
        f"/monitoring/clues/{clue.pk}/", {"action": "dismiss", "reason": ""}
    )
    assert response.status_code == 200
    assert 'id="dismiss-form"' in response.content.decode()
    clue.refresh_from_db()
    assert clue.status == ClueStatus.OPEN


def test_the_step_form_is_shown_only_to_the_role_of_the_step(
    client_for, gaqa_cadre, town_reviewer, household
):
    clue = raise_for(household)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    cadre_page = client_for(gaqa_cadre).get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="step-form"' in cadre_page
    reviewer = client_for(town_reviewer)
    reviewer_page = reviewer.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert 'id="step-form"' not in reviewer_page
    refused = reviewer.post(f"/monitoring/cases/{case.pk}/", {"action": "reject", "reason": "x"})
    assert refused.status_code == 404


def test_the_cadre_verifies_with_an_upload_through_the_page(client_for, gaqa_cadre, household):
    clue = raise_for(household)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    client = client_for(gaqa_cadre)
    today = timezone.localdate().isoformat()
    response = client.post(
        f"/monitoring/cases/{case.pk}/",
        {
            "action": "step",
            "verified_on": today,
            "note": "核实属实",
            "version": case.version,
            "consent": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.step == CaseStep.DELIBERATION
    download = client.get(f"/monitoring/cases/{case.pk}/consent/")
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_step_shows_the_reason_on_the_form(client_for, gaqa_cadre, household):
    clue = raise_for(household)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    response = client_for(gaqa_cadre).post(
        f"/monitoring/cases/{case.pk}/",
        {"action": "step", "verified_on": timezone.localdate().isoformat(), "note": "核实"},
    )
    assert response.status_code == 200
    assert "承诺授权" in response.content.decode() or "consent" in response.content.decode()
    case.refresh_from_db()
    assert case.step == CaseStep.VERIFICATION


def test_the_consent_is_not_served_without_personal_data_access(
    client_for, gaqa_cadre, household, make_user
):
    clue = raise_for(household)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    services.case_verify(
        actor=gaqa_cadre,
        case=case,
        verified_on=timezone.localdate(),
        note="x",
        consent=SimpleUploadedFile("c.pdf", PDF),
    )
    supervisor = make_user("renda_youqi", ("supervisor", "152922000000"))
    assert client_for(supervisor).get(f"/monitoring/cases/{case.pk}/consent/").status_code == 404


def test_my_work_lists_what_waits_for_each_persona_overdue_first(
    client_for, request, household, nurigai_household
):
    gaqa_cadre, town_reviewer, yabulai_cadre = (
        request.getfixturevalue(name) for name in ("gaqa_cadre", "town_reviewer", "yabulai_cadre")
    )
    late = raise_for(household, days_ago=20)
    fresh = raise_for(nurigai_household, key="sweep:2")

    cadre_page = client_for(gaqa_cadre).get("/monitoring/").content.decode()
    assert f"/monitoring/clues/{late.pk}/" in cadre_page
    assert f"/monitoring/clues/{fresh.pk}/" not in cadre_page  # another town's gaqa
    assert 'id="overdue-count"' in cadre_page

    yabulai_page = client_for(yabulai_cadre).get("/monitoring/").content.decode()
    assert f"/monitoring/clues/{fresh.pk}/" in yabulai_page
    assert f"/monitoring/clues/{late.pk}/" not in yabulai_page

    case = services.case_open_identification(actor=gaqa_cadre, clue=late)
    reviewer_page = client_for(town_reviewer).get("/monitoring/").content.decode()
    assert f"/monitoring/cases/{case.pk}/" not in reviewer_page  # not at the town's step yet
    assert 'id="work-empty"' in reviewer_page


def test_my_work_puts_overdue_cases_before_the_rest(household, nurigai_household, make_user):
    cadre = make_user("cadre_youqi", ("gaqa_cadre", "152922000000"))
    first = services.case_open_identification(actor=cadre, clue=raise_for(nurigai_household))
    late = services.case_open_identification(
        actor=cadre, clue=raise_for(household, key="sweep:9", days_ago=16)
    )
    items = my_work(user=cadre, today=timezone.localdate())
    assert [i.obj for i in items] == [late, first]
    assert items[0].urgency == "overdue"
    assert items[1].urgency == ""


def test_the_monitoring_entry_is_in_the_navigation(client_for, gaqa_cadre, analyst):
    assert 'href="/monitoring/"' in client_for(gaqa_cadre).get("/").content.decode()
    assert client_for(analyst).get("/monitoring/").status_code == 404


def test_cases_due_within_the_soon_days_are_flagged(household, gaqa_cadre, settings, policy):
    settings.CASE_SOON_DUE_DAYS = 3
    clue = raise_for(household, days_ago=13)  # 15-day limit: due in two days
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)
    today = timezone.localdate()
    assert case.deadline == today + datetime.timedelta(days=2)
    [item] = my_work(user=gaqa_cadre, today=today)
    assert item.urgency == "soon"
    [later] = my_work(user=gaqa_cadre, today=today + datetime.timedelta(days=3))
    assert later.urgency == "overdue"
    [early] = my_work(user=gaqa_cadre, today=today - datetime.timedelta(days=2))
    assert early.urgency == ""
