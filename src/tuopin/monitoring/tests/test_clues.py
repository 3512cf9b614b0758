"""Risk clues: idempotent raising from every channel, permissions and dismissal."""

from __future__ import annotations

import pytest

from tuopin.core.errors import DomainError, PermissionDenied
from tuopin.core.models import AuditEntry
from tuopin.monitoring import services
from tuopin.monitoring.choices import ClueStatus
from tuopin.monitoring.models import Clue


def raise_clue(actor, household, *, channel="system_screening", key="sweep:1", risk="illness"):
    return services.clue_raise(
        actor=actor,
        household=household,
        channel=channel,
        risk_type=risk,
        facts={"medical_cost": 52000},
        source_key=key,
    )


def test_system_raises_a_clue_in_the_households_gaqa_and_audits_it(household):
    clue, created = raise_clue(None, household)

    assert created
    assert clue.area == household.area
    assert clue.status == ClueStatus.OPEN
    entry = AuditEntry.objects.get(action="monitoring.clue.raised")
    assert entry.actor is None
    assert entry.actor_name == "console"
    assert entry.area_code == household.area.code
    assert entry.diff["channel"] == [None, "system_screening"]


def test_raising_the_same_source_twice_creates_nothing(household):
    first, created = raise_clue(None, household)
    again, created_again = raise_clue(None, household)

    assert created and not created_again
    assert again == first
    assert Clue.objects.count() == 1
    assert AuditEntry.objects.filter(action="monitoring.clue.raised").count() == 1


def test_a_second_channel_finds_the_open_clue_of_the_household(household, gaqa_cadre):
    first, _ = raise_clue(None, household)
    other, created = raise_clue(
        gaqa_cadre, household, channel="cadre_screening", key="visit:9", risk="disaster"
    )

    assert not created
    assert other == first
    assert Clue.objects.count() == 1


def test_a_dismissed_clue_lets_a_new_one_be_raised(household, gaqa_cadre):
    first, _ = raise_clue(None, household)
    services.clue_dismiss(actor=gaqa_cadre, clue=first, reason="已核实，无风险")
    second, created = raise_clue(None, household, key="sweep:2")

    assert created
    assert second != first
    first.refresh_from_db()
    assert first.status == ClueStatus.DISMISSED
    assert first.dismiss_reason == "已核实，无风险"


def test_the_same_source_key_is_idempotent_even_after_dismissal(household, gaqa_cadre):
    first, _ = raise_clue(None, household)
    services.clue_dismiss(actor=gaqa_cadre, clue=first, reason="重复")

    again, created = raise_clue(None, household)

    assert not created
    assert again == first


def test_an_open_identification_case_blocks_new_clues(household, gaqa_cadre):
    clue, _ = raise_clue(None, household)
    case = services.case_open_identification(actor=gaqa_cadre, clue=clue)

    again, created = raise_clue(None, household, key="sweep:2")

    assert not created
    assert again == case.clue


def test_a_cadre_raises_a_clue_within_their_area(household, gaqa_cadre, responsible_cadre):
    _clue, created = raise_clue(gaqa_cadre, household, channel="cadre_screening", key="")
    assert created
    assert Clue.objects.get().raised_by == gaqa_cadre


def test_a_responsible_cadre_may_raise_a_clue_from_a_visit(household, responsible_cadre):
    clue, created = raise_clue(responsible_cadre, household, channel="cadre_screening", key="")
    assert created
    assert clue.raised_by == responsible_cadre


@pytest.mark.parametrize("persona", ["yabulai_cadre", "outsider", "analyst", "supervisor"])
def test_a_user_outside_the_area_or_without_record_access_cannot_raise(household, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        raise_clue(user, household, channel="cadre_screening")
    assert not Clue.objects.exists()


def test_unknown_channel_and_risk_type_are_refused(household):
    with pytest.raises(DomainError) as bad_channel:
        raise_clue(None, household, channel="rumour")
    with pytest.raises(DomainError) as bad_risk:
        raise_clue(None, household, risk="bad_luck")
    assert bad_channel.value.field == "channel"
    assert bad_risk.value.field == "risk_type"


def test_a_clue_without_household_needs_a_gaqa(area):
    with pytest.raises(DomainError):
        services.clue_raise(
            actor=None,
            household=None,
            channel="department_warning",
            risk_type="disaster",
            facts={},
            source_key="dept:1",
        )
    clue, created = services.clue_raise(
        actor=None,
        household=None,
        channel="department_warning",
        risk_type="disaster",
        facts={"area_code": "152922103201"},
        source_key="dept:1",
    )
    assert created
    assert clue.area.code == "152922103201"


@pytest.mark.parametrize(
    "persona", ["town_reviewer", "banner_officer", "yabulai_cadre", "outsider", "admin"]
)
def test_only_the_gaqa_cadre_dismisses_a_clue(household, persona, request):
    clue, _ = raise_clue(None, household)
    with pytest.raises(PermissionDenied):
        services.clue_dismiss(actor=request.getfixturevalue(persona), clue=clue, reason="x")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.OPEN


def test_dismissal_needs_a_reason_and_an_open_clue(household, gaqa_cadre):
    clue, _ = raise_clue(None, household)
    with pytest.raises(DomainError) as no_reason:
        services.clue_dismiss(actor=gaqa_cadre, clue=clue, reason="  ")
    assert no_reason.value.field == "reason"
    services.clue_dismiss(actor=gaqa_cadre, clue=clue, reason="已解决")
    with pytest.raises(DomainError):
        services.clue_dismiss(actor=gaqa_cadre, clue=clue, reason="again")
    assert AuditEntry.objects.filter(action="monitoring.clue.dismissed").count() == 1
