"""Golden tests for Alkire–Foster and FGT: the worked examples of methods.md, by hand."""

from __future__ import annotations

import json
import math

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import ALXA, RIGHT_BANNER
from tuopin.analytics.engine.af import AFIndicator, InputError, alkire_foster, fgt
from tuopin.analytics.tests.conftest import AFTER

# Alkire & Foster (2011): four people, four indicators, cutoffs (13, 12, 3, 1).
MATRIX = [(13.1, 14, 4, 1), (15.2, 7, 5, 0), (12.5, 10, 1, 0), (20, 11, 3, 1)]
CUTOFFS = (13, 12, 3, 1)
COLUMNS = ("x1", "x2", "x3", "x4")


def af_rows(groups=None):
    rows = [dict(zip(COLUMNS, r, strict=True)) for r in MATRIX]
    for row, g in zip(rows, groups or [None] * 4, strict=True):
        row["g"] = g
    return rows


def af_indicators():
    return [AFIndicator(c, 0.25, cutoff=z) for c, z in zip(COLUMNS, CUTOFFS, strict=True)]


def test_af_reproduces_the_worked_example_of_alkire_and_foster():
    result = alkire_foster(af_rows(), af_indicators(), k=0.5)
    # Counts 0, 2, 4, 1: persons 2 and 3 are poor at k = 2 of 4.
    assert result.H == 0.5
    assert result.A == 0.75
    assert result.M0 == 0.375
    assert pytest.approx(0.205529, abs=1e-6) == result.M1
    assert pytest.approx(0.165457, abs=1e-6) == result.M2
    assert result.censored == {"x1": 0.25, "x2": 0.5, "x3": 0.25, "x4": 0.5}
    assert result.uncensored == {"x1": 0.25, "x2": 0.75, "x3": 0.25, "x4": 0.5}
    # Contribution of j = w_j h_j(k) / M0.
    assert result.contributions == pytest.approx(
        {
            "x1": 0.25 * 0.25 / 0.375,
            "x2": 0.25 * 0.5 / 0.375,
            "x3": 0.25 * 0.25 / 0.375,
            "x4": 0.25 * 0.5 / 0.375,
        }
    )
    assert sum(result.contributions.values()) == pytest.approx(1.0)


def test_m1_by_hand_is_the_mean_of_weighted_gaps():
    gaps = [(12 - 7) / 12, 1.0, (13 - 12.5) / 13, (12 - 10) / 12, (3 - 1) / 3, 1.0]
    result = alkire_foster(af_rows(), af_indicators(), k=0.5)
    assert pytest.approx(0.25 * sum(gaps) / 4) == result.M1
    assert pytest.approx(0.25 * sum(g * g for g in gaps) / 4) == result.M2


def test_union_and_intersection_cutoffs():
    union = alkire_foster(af_rows(), af_indicators(), k=0.25)
    assert union.H == 0.75  # anyone deprived in one indicator
    assert pytest.approx((0.5 + 1 + 0.25) / 3) == union.A
    intersection = alkire_foster(af_rows(), af_indicators(), k=1.0)
    assert intersection.H == 0.25
    assert intersection.M0 == 0.25


def test_subgroups_decompose_m0_by_population_share():
    result = alkire_foster(af_rows(["a", "a", "b", "b"]), af_indicators(), k=0.5, group="g")
    a, b = result.by_group["a"], result.by_group["b"]
    assert (a.H, a.M0) == (0.5, 0.25)  # person 2, score 0.5
    assert (b.H, b.M0) == (0.5, 0.5)  # person 3, score 1
    assert pytest.approx(0.5 * a.M0 + 0.5 * b.M0) == result.M0
    assert a.group_contribution == pytest.approx(0.5 * 0.25 / 0.375)
    assert a.group_contribution + b.group_contribution == pytest.approx(1.0)


def test_ordinal_indicators_give_no_m1_or_m2():
    rows = [{"water": "no", "house": "D"}, {"water": "yes", "house": "A"}]
    inds = [
        AFIndicator("water", 0.5, deprived_if=False),
        AFIndicator("house", 0.5, deprived_if="D"),
    ]
    result = alkire_foster(rows, inds, k=0.5)
    assert (result.H, result.A, result.M0) == (0.5, 1.0, 0.5)
    assert result.M1 is None
    assert result.M2 is None


def test_weights_must_sum_to_one_and_bad_cells_name_row_and_column():
    with pytest.raises(InputError, match=r"sum to 0\.8"):
        alkire_foster(af_rows(), [AFIndicator(c, 0.2, cutoff=1) for c in COLUMNS], k=0.5)
    rows = af_rows()
    rows[2]["x3"] = "abc"
    with pytest.raises(InputError, match=r"row 4, column 'x3': 'abc' is not a number"):
        alkire_foster(rows, af_indicators(), k=0.5)
    with pytest.raises(InputError, match="exactly one of cutoff or deprived_if"):
        AFIndicator("x", 1.0)


# Haughton & Khandker (2009) ch. 4: incomes 100, 110, 150, 160 and a line of 125.
INCOMES = [100, 110, 150, 160]


def test_fgt_reproduces_the_handbook_example():
    result = fgt(INCOMES, line=125)
    assert result.P0 == 0.5
    assert pytest.approx(0.08) == result.P1
    assert pytest.approx(0.0136) == result.P2
    assert result.watts == pytest.approx((math.log(125 / 100) + math.log(125 / 110)) / 4)
    # Sen: H = 0.5, I = (125 - 105) / 125 = 0.16, G_p = 2(100 + 220)/(2 × 210) - 3/2.
    gini = 2 * (1 * 100 + 2 * 110) / (2 * 210) - 1.5
    assert result.sen == pytest.approx(0.5 * (0.16 + 0.84 * gini * 2 / 3))


def test_fgt_weights_act_as_frequency_weights_and_groups_split():
    weighted = fgt(INCOMES, line=125, weights=[2, 1, 1, 1])
    replicated = fgt([100, 100, 110, 150, 160], line=125)
    assert weighted.as_dict() == pytest.approx(replicated.as_dict())
    grouped = fgt(INCOMES, line=125, groups=["a", "a", "b", "b"])
    assert grouped.by_group["a"].P0 == 1.0
    assert grouped.by_group["b"].P0 == 0.0
    assert pytest.approx((0.2 + 0.12) / 2) == grouped.by_group["a"].P1


def test_mpi_command_reads_a_csv_and_a_toml_spec(tmp_path, capsys):
    data = tmp_path / "people.csv"
    data.write_text(
        "x1,x2,x3,x4,banner\n"
        + "\n".join(",".join(map(str, r)) + f",{b}" for r, b in zip(MATRIX, "aabb", strict=True)),
        encoding="utf-8",
    )
    spec = tmp_path / "spec.toml"
    spec.write_text(
        'k = 0.5\ngroup = "banner"\n'
        + "".join(
            f'[[indicator]]\ncolumn = "{c}"\ncutoff = {z}\nweight = 0.25\n'
            for c, z in zip(COLUMNS, CUTOFFS, strict=True)
        ),
        encoding="utf-8",
    )
    call_command("mpi", str(data), "--spec", str(spec), "--format", "json")
    out = json.loads(capsys.readouterr().out)
    assert (out["H"], out["A"], out["M0"]) == (0.5, 0.75, 0.375)
    assert out["censored"] == {"x1": 0.25, "x2": 0.5, "x3": 0.25, "x4": 0.5}
    assert set(out["contributions"]) == set(COLUMNS)
    assert out["by_group"]["b"]["M0"] == 0.5


def test_mpi_command_refuses_a_bad_spec_and_a_bad_cell(tmp_path):
    data = tmp_path / "people.csv"
    data.write_text("x1\n1\nfoo\n", encoding="utf-8")
    spec = tmp_path / "spec.toml"
    spec.write_text('[[indicator]]\ncolumn = "x1"\ncutoff = 2\n', encoding="utf-8")
    with pytest.raises(CommandError, match="k"):
        call_command("mpi", str(data), "--spec", str(spec))
    spec.write_text('k = 1\n[[indicator]]\ncolumn = "x1"\ncutoff = 2\n', encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 3, column 'x1'"):
        call_command("mpi", str(data), "--spec", str(spec))


def test_fgt_command(tmp_path, capsys):
    data = tmp_path / "incomes.csv"
    data.write_text("y,w,g\n100,1,a\n110,1,a\n150,1,b\n160,1,b\n", encoding="utf-8")
    call_command(
        "fgt",
        str(data),
        "--income",
        "y",
        "--line",
        "125",
        "--weight",
        "w",
        "--group",
        "g",
        "--format",
        "json",
    )
    out = json.loads(capsys.readouterr().out)
    assert out["P0"] == 0.5
    assert out["P1"] == pytest.approx(0.08)
    assert out["P2"] == pytest.approx(0.0136)
    assert set(out) >= {"watts", "sen", "by_group"}
    assert out["by_group"]["b"]["P0"] == 0.0
    data.write_text("y\n100\nabc\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"row 3, column 'y'"):
        call_command("fgt", str(data), "--income", "y", "--line", "125")


def test_default_tuopin_measure_on_the_registry_by_banner(registry, capsys):
    call_command("mpi", "--area", ALXA, "--as-of", AFTER.isoformat(), "--line", "4000")
    out = json.loads(capsys.readouterr().out)
    # Scored: H1 (3 people; housing C; 5,000 a head) and H2 (3 people; water; 3,000 a head).
    # H3 has no conditions and H5 no 2023 income: left out. H2 scores 2/6 ≥ k = 1/3.
    assert out["excluded_households"] == 2
    assert out["income_year"] == 2023
    assert (out["n"], out["poor"]) == (6, 3)
    assert out["H"] == 0.5
    assert out["A"] == pytest.approx(1 / 3)
    assert out["M0"] == pytest.approx(1 / 6)
    assert out["uncensored"]["fails_housing_safety"] == 0.5
    assert out["censored"]["fails_housing_safety"] == 0.0
    assert out["censored"]["fails_drinking_water"] == 0.5
    assert out["censored"]["income_per_capita"] == 0.5
    assert out["M1"] is None  # the guarantees are not cardinal
    assert list(out["by_group"]) == [RIGHT_BANNER]
    assert out["by_group"][RIGHT_BANNER]["contribution"] == pytest.approx(1.0)
