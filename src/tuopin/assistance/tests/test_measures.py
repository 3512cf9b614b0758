"""Assistance measures: recording, ending, and counting those in place on a date."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from conftest import EKENHUDUGE
from tuopin.assistance import services
from tuopin.assistance.selectors import measure_list, measures_in_place
from tuopin.core.errors import PermissionDenied, ValidationFailed
from tuopin.core.models import AuditEntry
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput, household_register

D = datetime.date


def _household(area, code, id_first17):
    return household_register(
        actor=None,
        code=code,
        area=area,
        household_type="tuopin",
        registered_on=D(2014, 6, 1),
        members=[
            MemberInput(
                name="户主", id_number=id_first17 + check_digit(id_first17), relation="head"
            )
        ],
    )


@pytest.fixture
def household(area):
    return _household(area(EKENHUDUGE), "H-0001", "15292219700305123")


@pytest.fixture
def nurigai_household(area):
    return _household(area("152922104201"), "H-0002", "15292219650707311")


def add(actor, household, **kw):
    values = {
        "category": "employment",
        "description": "公益性岗位",
        "start_date": D(2025, 1, 1),
        "risk_type": "unstable_employment",
    } | kw
    return services.measure_add(actor=actor, household=household, **values)


def test_a_cadre_records_a_measure_and_it_is_audited(household, gaqa_cadre):
    measure = add(gaqa_cadre, household, amount=Decimal("1200.00"), responsible=gaqa_cadre)

    assert measure.area == household.area
    entry = AuditEntry.objects.get(action="assistance.measure.added")
    assert entry.actor == gaqa_cadre
    assert entry.diff["category"] == [None, "employment"]


def test_measures_in_place_counts_per_household_on_a_date(household, nurigai_household, gaqa_cadre):
    add(None, household, start_date=D(2025, 1, 1))
    ended = add(None, household, category="medical", start_date=D(2025, 2, 1))
    services.measure_end(actor=gaqa_cadre, measure=ended, end_date=D(2025, 6, 30))
    add(None, nurigai_household, start_date=D(2025, 8, 1))
    ids = [household.pk, nurigai_household.pk]

    assert measures_in_place(household_ids=ids, as_of=D(2024, 12, 31)) == {}
    assert measures_in_place(household_ids=ids, as_of=D(2025, 6, 30)) == {household.pk: 2}
    assert measures_in_place(household_ids=ids, as_of=D(2025, 7, 1)) == {household.pk: 1}
    assert measures_in_place(household_ids=ids, as_of=D(2025, 8, 1)) == {
        household.pk: 1,
        nurigai_household.pk: 1,
    }
    assert AuditEntry.objects.filter(action="assistance.measure.ended").count() == 1


def test_bad_measures_are_refused_field_by_field(household):
    with pytest.raises(ValidationFailed) as refused:
        add(
            None,
            household,
            category="luck",
            risk_type="fate",
            description=" ",
            end_date=D(2024, 1, 1),
        )
    fields = {e.field for e in refused.value.errors}
    assert fields == {"category", "risk_type", "description", "end_date"}


def test_measures_outside_the_area_are_neither_written_nor_seen(
    household, yabulai_cadre, gaqa_cadre, outsider
):
    with pytest.raises(PermissionDenied):
        add(yabulai_cadre, household)
    add(gaqa_cadre, household)
    assert measure_list(user=gaqa_cadre).count() == 1
    assert measure_list(user=yabulai_cadre).count() == 0
    assert measure_list(user=outsider).count() == 0


def test_a_cadre_records_and_ends_a_measure_on_the_household_page(
    household, client_for, gaqa_cadre
):
    client = client_for(gaqa_cadre)
    url = f"/assistance/households/{household.code}/measures/"
    assert f'href="{url}"' in client.get(f"/registry/{household.code}/").content.decode()
    added = client.post(
        url,
        {
            "action": "add",
            "category": "industry",
            "risk_type": "illness",
            "description": "庭院经济奖补",
            "amount": "3000",
            "start_date": "2025-03-01",
        },
    )
    assert added.status_code == 302
    measure = household.measures.get()
    assert measure.amount == Decimal("3000")
    ended = client.post(url, {"action": "end", "measure": measure.pk, "end_date": "2025-02-01"})
    assert ended.status_code == 200  # before the start: refused, shown on the page
    measure.refresh_from_db()
    assert measure.end_date is None
    client.post(url, {"action": "end", "measure": measure.pk, "end_date": "2025-12-31"})
    measure.refresh_from_db()
    assert measure.end_date == D(2025, 12, 31)


def test_the_measures_page_is_404_outside_the_area_and_read_only_without_edit_rights(
    household, client_for, yabulai_cadre, make_user
):
    url = f"/assistance/households/{household.code}/measures/"
    assert client_for(yabulai_cadre).get(url).status_code == 404
    responsible = make_user("responsible_youqi", ("responsible_cadre", "152922000000"))
    client = client_for(responsible)
    page = client.get(url).content.decode()
    assert 'id="measure-form"' not in page
    refused = client.post(
        url,
        {"action": "add", "category": "industry", "description": "x", "start_date": "2025-01-01"},
    )
    assert refused.status_code == 404
    assert not household.measures.exists()
