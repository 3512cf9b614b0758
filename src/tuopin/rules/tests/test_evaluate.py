"""``tuopin evaluate``: the evaluation CSV of spec/household-file.md, column for column."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.policy.services import load_default_policy
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.importers.household_file import COLUMNS
from tuopin.rules.evaluation import EVALUATION_COLUMNS

RIGHT_BANNER = "152922000000"
GAQA = "152922103201"


def id_number(birth: str, seq: str) -> str:
    first17 = "152922" + birth + seq
    return first17 + check_digit(first17)


BASE: dict[str, Any] = {
    "area_code": GAQA,
    "household_type": "脱贫户",
    "tuopin_year": "2018",
    "income_year": "2025",
    "wage_income": "9000",
    "business_income": "2640",
    "property_income": "0",
    "transfer_income": "0",
    "business_costs": "0",
    "housing_grade": "B",
    "water_quantity": "是",
    "water_quality": "是",
    "water_access": "是",
    "water_reliability": "是",
}


def write(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "households.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow([column.header for column in COLUMNS])
        for row in rows:
            writer.writerow([row.get(column.key, "") for column in COLUMNS])
    return path


def rows() -> list[dict[str, Any]]:
    second = {
        **BASE,
        "household_code": "A002",
        "household_type": "一般农户",
        "tuopin_year": "",
        "wage_income": "30000",
        "housing_grade": "D",
    }
    monitored = {
        **BASE,
        "household_code": "A003",
        "wage_income": "40000",
        "monitor_type": "脱贫不稳定户",
        "monitor_since": "2025-03-01",
        "measures": "2",
    }
    return [
        # Listed out of order: the output is sorted by household code.
        {
            **monitored,
            "name": "图雅",
            "id_number": id_number("19700101", "301"),
            "relation": "户主",
            "labour": "普通劳动力",
            "medical_insured": "是",
        },
        {
            **BASE,
            "household_code": "A001",
            "name": "巴特尔",
            "id_number": id_number("19800101", "123"),
            "relation": "户主",
            "medical_insured": "是",
        },
        {
            **BASE,
            "household_code": "A001",
            "name": "其其格",
            "id_number": id_number("19820202", "124"),
            "relation": "配偶",
            "medical_insured": "是",
        },
        {
            **second,
            "name": "王刚",
            "id_number": id_number("19750505", "211"),
            "relation": "户主",
            "medical_insured": "否",
        },
    ]


@pytest.fixture
def policy(alxa: Any) -> Any:
    return load_default_policy()


def evaluate(*args: str) -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("evaluate", *args, stdout=out)
    text = out.getvalue()
    assert text.splitlines()[0] == ",".join(EVALUATION_COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def test_evaluate_writes_the_spec_columns_in_order_one_row_per_household(policy, tmp_path):
    result = evaluate(str(write(tmp_path, rows())), "--year", "2025", "--region", RIGHT_BANNER)
    assert EVALUATION_COLUMNS == [
        "household_code",
        "household_size",
        "net_income_per_capita",
        "poverty_line",
        "monitoring_threshold",
        "income_exceeds_line",
        "guarantees_failed",
        "exit_eligible",
        "monitor_type",
        "elimination_eligible",
        "reasons",
    ]
    assert [r["household_code"] for r in result] == ["A001", "A002", "A003"]
    first, second, third = result
    assert first["household_size"] == "2"
    assert first["net_income_per_capita"] == "5820.00"
    assert first["poverty_line"] == "4000"  # 2020's line carried forward
    assert first["monitoring_threshold"] == "8800"
    assert first["income_exceeds_line"] == "true"
    assert first["guarantees_failed"] == ""
    assert first["exit_eligible"] == "true"
    assert first["monitor_type"] == "unstable_tuopin"
    assert first["elimination_eligible"] == ""
    assert "人均纯收入 5,820.00 元，不高于 2025 年监测范围 8,800 元" in first["reasons"]
    assert "2025 年未公布贫困线，沿用 2020 年标准 4,000 元" in first["reasons"]
    assert second["guarantees_failed"] == "basic_medical;housing_safety"
    assert second["exit_eligible"] == "false"
    assert second["monitor_type"] == "sudden_hardship"
    assert third["elimination_eligible"] == "true"
    assert third["reasons"].endswith("符合风险消除条件")


def test_evaluate_overrides_the_line_and_threshold_and_counts_to_the_as_of_date(policy, tmp_path):
    result = evaluate(
        str(write(tmp_path, rows())),
        "--year", "2025",
        "--region", RIGHT_BANNER,
        "--poverty-line", "6000",
        "--threshold", "5000",
        "--as-of", "2025-08-31",
    )  # fmt: skip
    first, _, third = result
    assert (first["poverty_line"], first["monitoring_threshold"]) == ("6000", "5000")
    assert first["income_exceeds_line"] == "false"
    assert first["monitor_type"] == ""
    assert third["elimination_eligible"] == "false"  # monitored since 1 March: too soon
    assert "2025-03-01 纳入监测，不满 6 个月（2025-09-01 起可申请风险消除）" in third["reasons"]


def test_evaluate_leaves_the_threshold_empty_before_2020(policy, tmp_path):
    (first, *_) = evaluate(str(write(tmp_path, rows())), "--year", "2019", "--region", RIGHT_BANNER)
    assert first["poverty_line"] == "3747"
    assert first["monitoring_threshold"] == ""
    assert first["monitor_type"] == ""


def test_evaluate_writes_to_a_file_and_stores_nothing(policy, tmp_path):
    from tuopin.core.models import AuditEntry  # noqa: PLC0415
    from tuopin.registry.models import Household  # noqa: PLC0415

    audit_before = AuditEntry.objects.count()
    out = tmp_path / "evaluation.csv"
    call_command(
        "evaluate",
        str(write(tmp_path, rows())),
        "--year",
        "2025",
        "--region",
        RIGHT_BANNER,
        "-o",
        str(out),
    )
    assert out.read_text(encoding="utf-8").count("\n") == 4
    assert Household.objects.count() == 0
    assert AuditEntry.objects.count() == audit_before


def test_evaluate_refuses_a_bad_file_naming_row_and_column(policy, tmp_path, capsys):
    bad = rows()
    bad[1]["id_number"] = bad[1]["id_number"][:-1] + (
        "0" if bad[1]["id_number"][-1] != "0" else "1"
    )
    err = io.StringIO()
    with pytest.raises(CommandError, match="refused: 1 error"):
        call_command(
            "evaluate",
            str(write(tmp_path, bad)),
            "--year",
            "2025",
            "--region",
            RIGHT_BANNER,
            stderr=err,
        )
    assert "3" in err.getvalue() and "证件号码" in err.getvalue()


def test_evaluate_refuses_an_unknown_region(policy, tmp_path):
    with pytest.raises(CommandError, match="999999999999"):
        call_command(
            "evaluate", str(write(tmp_path, rows())), "--year", "2025", "--region", "999999999999"
        )


def test_evaluate_uses_the_shipped_policy_when_the_database_holds_none(alxa, tmp_path):
    # No policy loaded: the values come from the default pack shipped with Tuopin.
    (first, *_) = evaluate(str(write(tmp_path, rows())), "--year", "2025", "--region", RIGHT_BANNER)
    assert (first["poverty_line"], first["monitoring_threshold"]) == ("4000", "8800")
    assert first["monitor_type"] == "unstable_tuopin"


def test_evaluate_runs_on_a_machine_with_no_database(tmp_path):
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    path = write(tmp_path, rows())
    env = {
        "PATH": "/usr/bin:/bin",
        "TUOPIN_DATA_DIR": str(tmp_path / "nothing-here"),
        "HOME": str(tmp_path),
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "tuopin.cli", "evaluate", str(path), "--year", "2019",
         "--region", RIGHT_BANNER],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(EVALUATION_COLUMNS)
    assert lines[1].startswith("A001,2,5820.00,3747,,true,,true,,,")
