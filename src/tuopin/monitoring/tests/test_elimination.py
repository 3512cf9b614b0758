"""Risk elimination: preconditions checked with reasons, the same road, the flag ended."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from tuopin.assistance.services import measure_add
from tuopin.core.errors import PermissionDenied, ValidationFailed
from tuopin.monitoring import services
from tuopin.monitoring.choices import CaseKind, CaseState, CaseStep
from tuopin.registry import services as registry_services
from tuopin.registry.models import MonitoringPeriod

TODAY = timezone.localdate


def income(household, year, per_person, size=2):
    registry_services.income_set(
        actor=None,
        household=household,
        year=year,
        size=size,
        wage_income=per_person * size,
        business_income=0,
        property_income=0,
        transfer_income=0,
        business_costs=0,
    )


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


@pytest.fixture
def monitored(household, policy):
    """Monitored for seven months, one measure in place, income well above the threshold."""
    since = TODAY() - datetime.timedelta(days=213)
    registry_services.monitoring_start(
        actor=None, household=household, monitor_type="unstable_tuopin", on=since
    )
    measure_add(
        actor=None,
        household=household,
        category="employment",
        description="公益性岗位",
        start_date=since,
    )
    income(household, TODAY().year, 12000)
    return household


def refusal_codes(exc):
    return {e.code for e in exc.value.errors}


def test_a_household_meeting_every_precondition_can_open_a_case(monitored, gaqa_cadre):
    assert all(p.ok for p in services.elimination_preconditions(monitored, on=TODAY()))
    case = services.case_open_elimination(actor=gaqa_cadre, household=monitored, on=TODAY())
    assert case.kind == CaseKind.ELIMINATION
    assert case.step == CaseStep.VERIFICATION
    assert case.monitor_type == "unstable_tuopin"


def test_a_household_monitored_less_than_six_months_is_refused(household, gaqa_cadre, policy):
    registry_services.monitoring_start(
        actor=None,
        household=household,
        monitor_type="unstable_tuopin",
        on=TODAY() - datetime.timedelta(days=90),
    )
    with pytest.raises(ValidationFailed) as refused:
        services.case_open_elimination(actor=gaqa_cadre, household=household, on=TODAY())
    assert "monitoring.elimination.months" in refusal_codes(refused)


def test_a_household_without_measures_is_refused(monitored, gaqa_cadre):
    monitored.measures.update(end_date=TODAY() - datetime.timedelta(days=1))
    with pytest.raises(ValidationFailed) as refused:
        services.case_open_elimination(actor=gaqa_cadre, household=monitored, on=TODAY())
    assert refusal_codes(refused) == {"monitoring.elimination.measures"}


def test_a_household_without_labour_capacity_is_refused(monitored, gaqa_cadre):
    for membership in monitored.memberships.select_related("person"):
        membership.person.labour = "none"
        membership.person.save()
    with pytest.raises(ValidationFailed) as refused:
        services.case_open_elimination(actor=gaqa_cadre, household=monitored, on=TODAY())
    assert refusal_codes(refused) == {"monitoring.elimination.labour"}


def test_a_household_with_income_at_or_below_the_threshold_is_refused(monitored, gaqa_cadre):
    income(monitored, TODAY().year + 1, 8000)  # the latest year counts
    with pytest.raises(ValidationFailed) as refused:
        services.case_open_elimination(actor=gaqa_cadre, household=monitored, on=TODAY())
    assert refusal_codes(refused) == {"monitoring.elimination.income"}


def test_an_unmonitored_household_is_refused_with_every_reason(household, gaqa_cadre, policy):
    with pytest.raises(ValidationFailed) as refused:
        services.case_open_elimination(actor=gaqa_cadre, household=household, on=TODAY())
    assert refusal_codes(refused) == {
        "monitoring.elimination.not_monitored",
        "monitoring.elimination.measures",
        "monitoring.elimination.income",
    }


@pytest.mark.parametrize("persona", ["town_reviewer", "banner_officer", "yabulai_cadre"])
def test_only_the_gaqa_cadre_opens_an_elimination_case(monitored, persona, request):
    with pytest.raises(PermissionDenied):
        services.case_open_elimination(
            actor=request.getfixturevalue(persona), household=monitored, on=TODAY()
        )


def test_an_elimination_case_walks_the_road_and_ends_the_flag(
    monitored, gaqa_cadre, town_reviewer, banner_officer
):
    today = TODAY()
    case = services.case_open_elimination(actor=gaqa_cadre, household=monitored, on=today)
    case = services.case_verify(
        actor=gaqa_cadre, case=case, verified_on=today, note="收入稳定", consent=None
    )
    case = services.case_deliberate(
        actor=gaqa_cadre,
        case=case,
        held_on=today,
        participants="村两委",
        result="agreed",
        minutes="同意标注风险消除",
    )
    services.case_publicity_set(
        actor=gaqa_cadre, case=case, start=today, end=today + datetime.timedelta(days=5)
    )
    case = services.case_publicity_complete(
        actor=gaqa_cadre, case=case, on=today + datetime.timedelta(days=5)
    )
    case = services.case_town_review(actor=town_reviewer, case=case, opinion="同意", on=today)
    case = services.case_banner_approve(actor=banner_officer, case=case, opinion="同意", on=today)
    case = services.case_announce(actor=banner_officer, case=case, on=today)

    assert case.state == CaseState.APPROVED
    period = MonitoringPeriod.objects.get(household=monitored)
    assert period.valid_to == today
    assert monitored.memberships.count() == 2  # nothing of the household is deleted


def test_the_elimination_page_lists_each_precondition(client_for, gaqa_cadre, household, policy):
    registry_services.monitoring_start(
        actor=None, household=household, monitor_type="unstable_tuopin", on=TODAY()
    )
    page = client_for(gaqa_cadre).get(f"/monitoring/households/{household.code}/eliminate/")
    html = page.content.decode()
    assert html.count('<li class="no">') == 3  # months, measures, income
    assert html.count('<li class="yes">') == 1  # labour
    refused = client_for(gaqa_cadre).post(
        f"/monitoring/households/{household.code}/eliminate/",
        {"on": TODAY().isoformat(), "action": "open"},
    )
    assert refused.status_code == 200
    assert not household.cases.exists()
