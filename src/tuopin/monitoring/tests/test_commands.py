"""``tuopin cases list`` and ``tuopin publicity export`` at the console."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from openpyxl import load_workbook

from conftest import EKENHUDUGE, RIGHT_BANNER
from tuopin.monitoring.choices import CaseKind, CaseStep
from tuopin.monitoring.models import Case
from tuopin.monitoring.tests.conftest import HEAD_ID

TODAY = timezone.localdate


def a_case(household, *, deadline, publicity=False):
    start = TODAY()
    return Case.objects.create(
        kind=CaseKind.IDENTIFICATION,
        household=household,
        area=household.area,
        risk_type="illness",
        step=CaseStep.PUBLICITY if publicity else CaseStep.VERIFICATION,
        deadline=deadline,
        publicity_start=start if publicity else None,
        publicity_end=start + datetime.timedelta(days=5) if publicity else None,
    )


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_cases_list_as_json_filters_overdue_and_area(household, nurigai_household):
    late = a_case(household, deadline=TODAY() - datetime.timedelta(days=1))
    a_case(nurigai_household, deadline=TODAY() + datetime.timedelta(days=10))

    everything = json.loads(run("cases", "list", "--format", "json"))
    overdue = json.loads(run("cases", "list", "--format", "json", "--overdue"))
    in_gaqa = json.loads(run("cases", "list", "--format", "json", "--area", EKENHUDUGE))

    assert everything[0]["id"] == late.pk
    assert len(everything) == 2
    assert [(r["id"], r["urgency"]) for r in overdue] == [(late.pk, "overdue")]
    assert [r["household"] for r in in_gaqa] == ["H-0001"]


def test_cases_list_as_a_user_shows_only_their_areas(household, nurigai_household, yabulai_cadre):
    a_case(household, deadline=TODAY())
    a_case(nurigai_household, deadline=TODAY())
    table = run("cases", "list", "--user", yabulai_cadre.username)
    assert "H-0002" in table
    assert "H-0001" not in table


def test_cases_list_refuses_an_unknown_area(alxa):
    with pytest.raises(CommandError):
        run("cases", "list", "--area", "999999999999")


def test_publicity_export_writes_a_sheet_per_gaqa_without_personal_data(
    household, nurigai_household, tmp_path
):
    a_case(household, deadline=TODAY(), publicity=True)
    a_case(nurigai_household, deadline=TODAY(), publicity=True)
    target = tmp_path / "公示名单.xlsx"
    call_command(
        "publicity", "export", "--area", RIGHT_BANNER, "-o", str(target), stderr=io.StringIO()
    )
    book = load_workbook(target, read_only=True)
    assert len(book.worksheets) == 2
    text = " ".join(
        str(c) for s in book.worksheets for r in s.iter_rows(values_only=True) for c in r if c
    )
    assert "巴特尔" in text
    assert "孟和" in text
    assert HEAD_ID not in text


def test_publicity_export_as_a_user_outside_the_area_is_refused(household, yabulai_cadre):
    with pytest.raises(CommandError):
        call_command(
            "publicity",
            "export",
            "--area",
            EKENHUDUGE,
            "--user",
            yabulai_cadre.username,
            stdout=io.StringIO(),
        )
