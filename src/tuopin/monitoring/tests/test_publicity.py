"""Publicity lists hold only what may be public: never ID number, phone, bank account or
health status."""

from __future__ import annotations

import datetime
import io

import pytest
from django.utils import timezone, translation
from openpyxl import load_workbook

from conftest import EKENHUDUGE
from tuopin.demo.generator import Generator, reference_villages
from tuopin.monitoring.choices import CaseKind, CaseStep
from tuopin.monitoring.models import Case
from tuopin.monitoring.tests.conftest import BANK_ACCOUNT, HEAD_ID, HEAD_PHONE, WIFE_ID
from tuopin.registry.bulk import import_households
from tuopin.registry.choices import Health
from tuopin.registry.importers.household_file import ParsedFile
from tuopin.registry.models import Household, Membership

TODAY = timezone.localdate


def health_words() -> list[str]:
    words = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            words += [str(label) for value, label in Health.choices if value != Health.HEALTHY]
    return words


def xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if cell is not None
    )


def in_publicity(household, *, start=None):
    start = start or TODAY()
    return Case.objects.create(
        kind=CaseKind.IDENTIFICATION,
        household=household,
        area=household.area,
        risk_type="illness",
        monitor_type="unstable_tuopin",
        step=CaseStep.PUBLICITY,
        deadline=start + datetime.timedelta(days=15),
        publicity_start=start,
        publicity_end=start + datetime.timedelta(days=5),
    )


def test_the_publicity_list_shows_name_size_type_reason_and_dates_only(
    client_for, gaqa_cadre, household
):
    case = in_publicity(household)
    client = client_for(gaqa_cadre)
    page = client.get(f"/monitoring/publicity/{EKENHUDUGE}/").content.decode()
    sheet = xlsx_text(client.get(f"/monitoring/publicity/{EKENHUDUGE}/list.xlsx").content)

    for text in (page, sheet):
        assert "巴特尔" in text
        assert case.publicity_start.isoformat() in text
        assert case.publicity_end.isoformat() in text
        for secret in (
            HEAD_ID,
            WIFE_ID,
            HEAD_ID[:6] + "*",
            HEAD_PHONE,
            HEAD_PHONE[:3] + "*",
            BANK_ACCOUNT,
            BANK_ACCOUNT[:4] + "*",
            "农村信用社",
            "其其格",
        ):
            assert secret not in text, secret
        for word in health_words():
            assert word not in text, word
    assert "<td>2</td>" in page


def test_the_list_leaves_out_rejected_cases_and_past_publicity(
    client_for, gaqa_cadre, household, nurigai_household
):
    past = in_publicity(household, start=TODAY() - datetime.timedelta(days=30))
    page = client_for(gaqa_cadre).get(f"/monitoring/publicity/{EKENHUDUGE}/").content.decode()
    assert "巴特尔" not in page
    Case.objects.filter(pk=past.pk).update(
        publicity_start=TODAY(),
        publicity_end=TODAY() + datetime.timedelta(days=5),
        state="rejected",
    )
    page = client_for(gaqa_cadre).get(f"/monitoring/publicity/{EKENHUDUGE}/").content.decode()
    assert "巴特尔" not in page


@pytest.mark.parametrize("persona", ["yabulai_cadre", "outsider", "analyst"])
def test_publicity_lists_outside_the_users_areas_are_404(client_for, persona, request, household):
    in_publicity(household)
    client = client_for(request.getfixturevalue(persona))
    assert client.get(f"/monitoring/publicity/{EKENHUDUGE}/").status_code == 404
    assert client.get(f"/monitoring/publicity/{EKENHUDUGE}/list.xlsx").status_code == 404


def test_every_publicity_list_of_demo_households_is_free_of_personal_data(
    client_for, league_officer
):
    generated = list(Generator(reference_villages(), seed=7).households(120))
    import_households(
        actor=None,
        parsed=ParsedFile(generated, [], [], [], 1, sum(len(h.members) for h in generated)),
        mode="all-or-nothing",
        effective=None,
    )
    households = list(Household.objects.select_related("area"))
    for household in households:
        in_publicity(household)
    members = Membership.objects.select_related("person", "household")
    secrets = {m.person.id_number for m in members}
    secrets |= {h.phone for h in households if h.phone}
    secrets |= {h.bank_account for h in households if h.bank_account}
    words = health_words()
    client = client_for(league_officer)
    codes = {h.area.code for h in households}
    heads = 0
    for code in codes:
        page = client.get(f"/monitoring/publicity/{code}/").content.decode()
        sheet = xlsx_text(client.get(f"/monitoring/publicity/{code}/list.xlsx").content)
        for text in (page, sheet):
            assert not [s for s in secrets if s in text]
            assert not [w for w in words if w in text]
        heads += page.count("<tr><td>")
    assert heads == len(households)
