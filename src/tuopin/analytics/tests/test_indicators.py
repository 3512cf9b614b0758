"""Indicators on the small registry of ``conftest.py``, worked out by hand at two dates."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import ALXA, EJINA, EKENHUDUGE, LEFT_BANNER, RIGHT_BANNER, SAIHANTAOLAI_GAQA
from tuopin.analytics.definitions import INDICATORS, VOCABULARY
from tuopin.analytics.engine.indicators import compute_indicators, indicator_keys
from tuopin.analytics.selectors import area_figures
from tuopin.analytics.snapshot import refresh_snapshot
from tuopin.analytics.tests.conftest import AFTER, BEFORE
from tuopin.core.errors import PermissionDenied


@pytest.fixture
def after(registry):
    con = refresh_snapshot(as_of=AFTER).connect()
    return compute_indicators(con, as_of=AFTER, vocabulary=VOCABULARY)


def test_definitions_and_engine_name_the_same_indicators():
    assert [i.key for i in INDICATORS] == indicator_keys(VOCABULARY)
    assert len({i.key for i in INDICATORS}) == len(INDICATORS)


def test_counts_roll_up_from_gaqa_to_league(after):
    league = after.for_area(ALXA)
    # H1 (3), H2 (3 after the birth), H3 (4), H5 (2); H4 closed in 2021.
    assert (league["households"], league["persons"]) == (4, 12)
    # Lifted out: H1 only (H3 returned to poverty in 2022).
    assert (league["tuopin_households"], league["tuopin_persons"]) == (1, 3)
    # Poor: H3 returned (4) and H5 newly identified (2).
    assert (league["poor_households"], league["poor_persons"]) == (2, 6)
    assert (league["monitored_households"], league["monitored_persons"]) == (1, 3)
    assert league["monitored_households_unstable_tuopin"] == 1
    assert league["monitored_persons_unstable_tuopin"] == 3
    assert league["monitored_households_marginal"] == 0
    assert league["persons_status_returned"] == 4
    assert league["households_status_newly_identified"] == 1
    assert league["households_status_poor"] == 0

    banner = after.for_area(RIGHT_BANNER)
    assert (banner["households"], banner["persons"], banner["poor_persons"]) == (3, 8, 2)
    gaqa = after.for_area(EKENHUDUGE)
    assert (gaqa["households"], gaqa["persons"], gaqa["poor_households"]) == (3, 8, 1)
    ejina = after.for_area(EJINA)
    assert (ejina["households"], ejina["persons"], ejina["poor_persons"]) == (1, 4, 4)


def test_incidence_divides_poor_people_by_the_rural_population_of_the_year(after):
    # 2 poor people of 200 in the gaqa; 4 of 100 in the Ejina gaqa; 2 of 5,000 in the banner.
    assert after.for_area(EKENHUDUGE)["incidence_percent"] == 1.00
    assert after.for_area(SAIHANTAOLAI_GAQA)["incidence_percent"] == 4.00
    assert after.for_area(RIGHT_BANNER)["incidence_percent"] == 0.04
    # No figure for the league or Ejina banner in 2024: no incidence.
    assert after.for_area(ALXA)["incidence_percent"] is None
    assert after.for_area(EJINA)["incidence_percent"] is None


def test_income_per_capita_mean_median_deciles_and_growth(registry):
    con = refresh_snapshot(as_of=AFTER).connect()
    table = compute_indicators(con, as_of=AFTER, growth_from=2019, vocabulary=VOCABULARY)
    assert table.income_year == 2023
    league = table.for_area(ALXA)
    # 2023: H1 15,000/3, H2 9,000/3, H3 8,000/4 → per capita 5,000, 3,000, 2,000.
    assert league["income_households"] == 3
    assert league["income_per_capita_mean"] == pytest.approx(32000 / 10)
    assert league["income_per_capita_median"] == pytest.approx(3000)
    assert league["income_per_capita_p10"] == pytest.approx(2200)  # 2,000 + 0.2 × 1,000
    assert league["income_per_capita_p90"] == pytest.approx(4600)  # 3,000 + 0.8 × 2,000
    # 2019: H1 9,000/3 and H2 4,000/2 → 13,000/5 = 2,600; four years to 3,200.
    assert league["income_per_capita_mean_base"] == pytest.approx(2600)
    assert league["income_growth_percent"] == round(100 * ((3200 / 2600) ** 0.25 - 1), 2)
    assert league["income_growth_percent"] == 5.33
    banner = table.for_area(RIGHT_BANNER)
    assert banner["income_per_capita_mean"] == pytest.approx(4000)
    assert banner["income_growth_percent"] == round(100 * ((4000 / 2600) ** 0.25 - 1), 2)


def test_growth_is_unknown_without_income_in_the_base_year(after):
    assert after.growth_from == 2022
    assert after.for_area(ALXA)["income_growth_percent"] is None


def test_guarantees_housing_and_relocation(after):
    league = after.for_area(ALXA)
    assert league["households_failing_food_clothing"] == 1  # H5
    assert league["households_failing_compulsory_education"] == 1  # H3's daughter, 11
    assert league["households_failing_basic_medical"] == 1  # H3's uninsured member
    assert league["households_failing_housing_safety"] == 1  # H1, grade C
    assert league["households_failing_drinking_water"] == 1  # H2, water quality
    assert league["households_failing_any_guarantee"] == 4
    assert league["households_without_conditions"] == 1  # H3
    assert (league["households_housing_A"], league["households_housing_C"]) == (2, 1)
    assert (league["relocated_households"], league["relocated_persons"]) == (1, 2)


def test_the_earlier_date_counts_the_registry_as_it_stood(registry):
    con = refresh_snapshot(as_of=BEFORE).connect()
    table = compute_indicators(con, as_of=BEFORE, vocabulary=VOCABULARY)
    league = table.for_area(ALXA)
    assert (league["households"], league["persons"]) == (4, 10)
    assert (league["tuopin_households"], league["tuopin_persons"]) == (2, 7)
    assert (league["poor_households"], league["poor_persons"]) == (0, 0)
    assert league["monitored_households_marginal"] == 1
    assert league["monitored_persons_marginal"] == 2
    assert table.for_area(EKENHUDUGE)["incidence_percent"] == 0.00
    assert table.income_year == 2019
    assert league["income_per_capita_mean"] == pytest.approx(2600)
    assert league["income_per_capita_median"] == pytest.approx(2500)
    assert league["households_without_conditions"] == 4


def test_an_area_without_households_has_zero_counts(after):
    empty = after.for_area(LEFT_BANNER)
    assert empty["households"] == 0
    assert empty["poor_persons"] == 0
    assert empty["income_per_capita_mean"] is None


def test_stats_command_prints_the_issue_keys_as_json(registry, capsys):
    call_command("stats", "--area", RIGHT_BANNER, "--as-of", AFTER.isoformat(), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    expected = {
        "households": 3,
        "persons": 8,
        "tuopin_households": 1,
        "tuopin_persons": 3,
        "poor_households": 1,
        "poor_persons": 2,
        "monitored_households": 1,
        "monitored_persons": 3,
        "monitored_households_unstable_tuopin": 1,
        "monitored_persons_marginal": 0,
        "incidence_percent": 0.04,
        "as_of": AFTER.isoformat(),
        "area": RIGHT_BANNER,
    }
    assert {k: data[k] for k in expected} == expected


def test_stats_command_says_why_incidence_is_missing(registry, capsys):
    call_command("stats", "--area", ALXA, "--as-of", AFTER.isoformat(), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["incidence_percent"] is None
    assert any("2024" in note for note in data["notes"])


def test_stats_command_writes_csv_and_a_table(registry, capsys):
    call_command("stats", "--area", EKENHUDUGE, "--as-of", AFTER.isoformat(), "--format", "csv")
    rows = {r[0]: r[2] for r in csv.reader(io.StringIO(capsys.readouterr().out))}
    assert rows["households"] == "3"
    assert rows["incidence_percent"] == "1.0"
    call_command("stats", "--area", EKENHUDUGE, "--as-of", AFTER.isoformat())
    out = capsys.readouterr().out
    assert EKENHUDUGE in out
    assert "1.00" in out


def test_stats_command_refuses_areas_outside_the_users_grants(registry, ejina_officer, capsys):
    with pytest.raises(CommandError, match=RIGHT_BANNER):
        call_command(
            "stats",
            "--area",
            RIGHT_BANNER,
            "--as-of",
            AFTER.isoformat(),
            "--user",
            ejina_officer.username,
        )
    with pytest.raises(CommandError):
        call_command(
            "stats",
            "--area",
            "159999999999",
            "--as-of",
            AFTER.isoformat(),
            "--user",
            ejina_officer.username,
        )
    call_command(
        "stats",
        "--area",
        EJINA,
        "--as-of",
        AFTER.isoformat(),
        "--format",
        "json",
        "--user",
        ejina_officer.username,
    )
    assert json.loads(capsys.readouterr().out)["households"] == 1


def test_outsider_sees_nothing(registry, outsider):
    with pytest.raises(PermissionDenied):
        area_figures(user=outsider, area_code=ALXA, as_of=AFTER)


def test_analyst_sees_small_counts_hidden_and_an_officer_sees_them(
    registry, analyst, league_officer
):
    hidden = area_figures(user=analyst, area_code=EKENHUDUGE, as_of=AFTER)
    assert hidden.values["households"] is None  # 3 households
    assert hidden.values["persons"] == 8
    assert hidden.values["poor_persons"] is None  # 2 people
    assert hidden.values["incidence_percent"] is None  # would give the 2 back
    assert hidden.values["income_per_capita_mean"] is None  # 2 households' incomes
    assert "households" in hidden.suppressed
    shown = area_figures(user=league_officer, area_code=EKENHUDUGE, as_of=AFTER)
    assert shown.values["households"] == 3
    assert shown.values["incidence_percent"] == 1.00
    assert shown.suppressed == []


def test_unknown_area_is_a_clear_error_for_the_operator(registry):
    with pytest.raises(CommandError, match="159999999999"):
        call_command("stats", "--area", "159999999999", "--as-of", AFTER.isoformat())
