"""The public self-application: no sign-in, abuse limits, and nothing disclosed."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from conftest import EKENHUDUGE
from tuopin.monitoring import selectors, services
from tuopin.monitoring.choices import CaseStep
from tuopin.monitoring.models import Clue, PublicAttempt, SelfApplication
from tuopin.monitoring.tests.conftest import HEAD_ID, an_id
from tuopin.registry.models import MonitoringPeriod

STRANGER_ID = an_id("152922", "19800101", "555")


def form(id_number=HEAD_ID, **extra):
    return {
        "name": "巴特尔",
        "id_number": id_number,
        "phone": "13912345678",
        "area": EKENHUDUGE,
        "difficulties": ["illness", "schooling"],
        "description": "老伴住院，自付三万",
        "consent": "on",
    } | extra


def code_of(response) -> str:
    found = re.search(r'id="tracking-code">([A-Z0-9]+)<', response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1)


def without_code(response) -> str:
    return re.sub(r'id="tracking-code">[A-Z0-9]+<', "", response.content.decode()).replace(
        response.cookies.get("csrftoken").value if response.cookies.get("csrftoken") else "", ""
    )


def test_the_application_page_needs_no_sign_in_and_shows_no_navigation(client, alxa):
    page = client.get("/monitoring/apply/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="apply-form"' in html
    assert "mainnav" not in html
    assert EKENHUDUGE in html


def test_an_applicant_in_the_registry_is_matched_to_the_household(client, household):
    response = client.post("/monitoring/apply/", form())
    code = code_of(response)
    application = SelfApplication.objects.get(tracking_code=code)
    assert application.clue.household == household
    assert application.clue.channel == "self_application"
    assert application.clue.risk_type == "illness"
    assert application.clue.facts["difficulties"] == ["illness", "schooling"]


def test_an_applicant_not_in_the_registry_gets_an_unmatched_clue_in_the_chosen_gaqa(
    client, household
):
    code = code_of(client.post("/monitoring/apply/", form(STRANGER_ID, name="陌生人")))
    clue = SelfApplication.objects.get(tracking_code=code).clue
    assert clue.household is None
    assert clue.area.code == EKENHUDUGE


def test_the_answer_is_the_same_whether_or_not_the_person_is_registered(client, household):
    known = client.post("/monitoring/apply/", form())
    unknown = client.post("/monitoring/apply/", form(STRANGER_ID))
    assert known.status_code == unknown.status_code == 200
    assert without_code(known) == without_code(unknown)
    assert "H-0001" not in known.content.decode()


def test_an_applicant_whose_household_already_has_a_clue_gets_the_same_answer(client, household):
    services.clue_raise(
        actor=None,
        household=household,
        channel="system_screening",
        risk_type="illness",
        facts={},
        source_key="sweep:1",
    )
    response = client.post("/monitoring/apply/", form())
    application = SelfApplication.objects.get(tracking_code=code_of(response))
    assert Clue.objects.count() == 1
    assert application.clue == Clue.objects.get()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"id_number": HEAD_ID[:-1] + ("0" if HEAD_ID[-1] != "0" else "1")}, "id_number"),
        ({"consent": ""}, "consent"),
        ({"difficulties": []}, "difficulties"),
        ({"area": "152922000000"}, "area"),
        ({"phone": "abc"}, "phone"),
    ],
)
def test_bad_applications_are_refused_field_by_field(client, household, changes, field):
    response = client.post("/monitoring/apply/", form(**changes))
    assert response.status_code == 200
    assert "tracking-code" not in response.content.decode()
    assert not SelfApplication.objects.exists()
    assert not Clue.objects.exists()
    assert f"field-{field} has-error" in response.content.decode()


def test_submissions_are_limited_per_address(client, alxa, settings):
    settings.SELF_APPLY_LIMIT_PER_ADDRESS = 2
    for n in range(2):
        code_of(client.post("/monitoring/apply/", form(an_id("152922", "19800101", f"6{n}1"))))
    third = client.post("/monitoring/apply/", form(an_id("152922", "19800101", "671")))
    assert third.status_code == 429
    assert SelfApplication.objects.count() == 2
    other = client.post(
        "/monitoring/apply/", form(an_id("152922", "19800101", "681")), REMOTE_ADDR="10.0.0.9"
    )
    code_of(other)


def test_submissions_are_limited_per_id_number_across_addresses(client, alxa, settings):
    settings.SELF_APPLY_LIMIT_PER_ID = 1
    code_of(client.post("/monitoring/apply/", form(STRANGER_ID), REMOTE_ADDR="10.0.0.1"))
    again = client.post("/monitoring/apply/", form(STRANGER_ID), REMOTE_ADDR="10.0.0.2")
    assert again.status_code == 429
    assert SelfApplication.objects.count() == 1


def test_the_limit_table_holds_no_address_or_id_number(client, alxa):
    code_of(client.post("/monitoring/apply/", form(STRANGER_ID), REMOTE_ADDR="10.1.2.3"))
    keys = list(PublicAttempt.objects.values_list("key", flat=True))
    assert len(keys) == 2
    assert all(STRANGER_ID not in k and "10.1.2.3" not in k for k in keys)


def test_limits_open_again_after_the_window_and_old_counts_are_dropped(client, alxa, settings):
    settings.SELF_APPLY_LOOKUP_LIMIT_PER_ADDRESS = 1
    lookup = {"tracking_code": "AAAA", "id_number": HEAD_ID}
    assert client.post("/monitoring/apply/status/", lookup).status_code == 200
    assert client.post("/monitoring/apply/status/", lookup).status_code == 429
    PublicAttempt.objects.update(at=timezone.now() - datetime.timedelta(hours=2))
    assert client.post("/monitoring/apply/status/", lookup).status_code == 200
    assert PublicAttempt.objects.count() == 1


def test_the_applicant_looks_up_the_stage_with_code_and_id_number(client, household):
    code = code_of(client.post("/monitoring/apply/", form()))
    found = client.post("/monitoring/apply/status/", {"tracking_code": code, "id_number": HEAD_ID})
    html = found.content.decode()
    assert 'id="stage"' in html
    assert code in html
    assert HEAD_ID not in html
    assert "13912345678" not in html


def test_a_wrong_id_number_and_an_unknown_code_give_the_same_answer(client, household):
    code = code_of(client.post("/monitoring/apply/", form()))
    wrong_id = client.post(
        "/monitoring/apply/status/", {"tracking_code": code, "id_number": STRANGER_ID}
    )
    unknown = client.post(
        "/monitoring/apply/status/", {"tracking_code": "ZZZZZZZZZZ", "id_number": STRANGER_ID}
    )
    assert 'id="stage"' not in wrong_id.content.decode()
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.content.decode())  # noqa: E731
    assert strip(wrong_id) == strip(unknown)


def test_lookups_are_limited_per_address(client, alxa, settings):
    settings.SELF_APPLY_LOOKUP_LIMIT_PER_ADDRESS = 3
    for _ in range(3):
        client.post("/monitoring/apply/status/", {"tracking_code": "AAAA", "id_number": HEAD_ID})
    blocked = client.post(
        "/monitoring/apply/status/", {"tracking_code": "AAAA", "id_number": HEAD_ID}
    )
    assert blocked.status_code == 429


def test_the_stage_follows_the_case(client, household, gaqa_cadre, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    code = code_of(client.post("/monitoring/apply/", form()))
    application = SelfApplication.objects.get(tracking_code=code)
    services.case_open_identification(actor=gaqa_cadre, clue=application.clue)
    page = client.post("/monitoring/apply/status/", {"tracking_code": code, "id_number": HEAD_ID})
    with translation.override("zh-hans"):
        step = str(CaseStep.VERIFICATION.label)
    assert step in page.content.decode()


def test_the_gaqa_cadre_sees_the_application_behind_a_clue_to_match_it(
    client_for, household, gaqa_cadre, make_user, client
):
    code = code_of(client.post("/monitoring/apply/", form(STRANGER_ID)))
    clue = SelfApplication.objects.get(tracking_code=code).clue
    cadre_page = client_for(gaqa_cadre).get(f"/monitoring/clues/{clue.pk}/").content.decode()
    assert STRANGER_ID in cadre_page
    assert 'id="match-form"' in cadre_page


def walk(application, road, *, reject_at=None):
    """Take a self-application's case through every step, each by its own persona."""
    cadre, reviewer, officer = road
    today = timezone.localdate()
    case = services.case_open_identification(actor=cadre, clue=application.clue)
    steps = [
        (
            cadre,
            lambda c: services.case_verify(
                actor=cadre,
                case=c,
                verified_on=today,
                note="属实",
                consent=SimpleUploadedFile("c.pdf", b"%PDF-1.4\n"),
            ),
        ),
        (
            cadre,
            lambda c: services.case_deliberate(
                actor=cadre,
                case=c,
                held_on=today,
                participants="村两委",
                result="agreed",
                minutes="同意",
                monitor_type="unstable_tuopin",
            ),
        ),
        (
            cadre,
            lambda c: (
                services.case_publicity_set(
                    actor=cadre, case=c, start=today, end=today + datetime.timedelta(days=5)
                ),
                services.case_publicity_complete(
                    actor=cadre, case=c, on=today + datetime.timedelta(days=5)
                ),
            )[-1],
        ),
        (
            reviewer,
            lambda c: services.case_town_review(actor=reviewer, case=c, opinion="同意", on=today),
        ),
        (
            officer,
            lambda c: services.case_banner_approve(actor=officer, case=c, opinion="同意", on=today),
        ),
        (officer, lambda c: services.case_announce(actor=officer, case=c, on=today)),
    ]
    for n, (actor, take) in enumerate(steps):
        if n == reject_at:
            return services.case_reject(actor=actor, case=case, reason="经核实收入超过监测范围")
        case = take(case)
    return case


@pytest.fixture
def road(gaqa_cadre, town_reviewer, banner_officer):
    return gaqa_cadre, town_reviewer, banner_officer


def test_a_self_application_goes_through_every_step_to_monitoring(
    client, household, road, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    code = code_of(client.post("/monitoring/apply/", form()))
    case = walk(SelfApplication.objects.get(tracking_code=code), road)

    assert case.state == "approved"
    assert MonitoringPeriod.objects.get(household=household).monitor_type == "unstable_tuopin"
    page = client.post("/monitoring/apply/status/", {"tracking_code": code, "id_number": HEAD_ID})
    with translation.override("zh-hans"):
        expected = str(selectors.application_stage(SelfApplication.objects.get()))
    assert expected in page.content.decode()


def test_a_second_application_is_rejected_at_the_town_and_the_applicant_sees_it(
    client, household, road, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    code = code_of(client.post("/monitoring/apply/", form()))
    case = walk(SelfApplication.objects.get(tracking_code=code), road, reject_at=3)

    assert case.state == "rejected"
    assert case.rejected_at_step == "town_review"
    assert not MonitoringPeriod.objects.filter(household=household).exists()
    page = client.post("/monitoring/apply/status/", {"tracking_code": code, "id_number": HEAD_ID})
    with translation.override("zh-hans"):
        expected = str(selectors.application_stage(SelfApplication.objects.get()))
    assert expected in page.content.decode()
    assert "经核实收入超过监测范围" not in page.content.decode()
