"""The sweep opens one system-screening clue per new monitoring candidate, never twice;
measures recorded in assistance count in the rules."""

from __future__ import annotations

import datetime

import pytest

from conftest import EKENHUDUGE
from tuopin.assistance.services import measure_add
from tuopin.monitoring.choices import ClueChannel, ClueStatus
from tuopin.monitoring.models import Clue
from tuopin.policy.services import load_default_policy
from tuopin.rules.inputs import household_policy
from tuopin.rules.sweep import sweep_run
from tuopin.rules.tests.test_sweep import NURIGAI, make

RIGHT_BANNER = "152922000000"


@pytest.fixture
def households(area, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    load_default_policy()
    return {
        "unstable": make(area(EKENHUDUGE), "M-1", "19700101", wage="8000"),
        "unsafe": make(area(NURIGAI), "M-2", "19710101", household_type="ordinary",
                       wage="30000", grade="D"),
        "fine": make(area(NURIGAI), "M-3", "19720101", wage="30000"),
        "monitored": make(area(NURIGAI), "M-4", "19730101", wage="5000",
                          monitored="unstable_tuopin"),
    }  # fmt: skip


def test_a_sweep_opens_a_clue_per_new_candidate_in_its_gaqa_with_the_reasons(households, area):
    run = sweep_run(actor=None, year=2025, area=area(RIGHT_BANNER))
    assert run.clues_opened == 2
    clues = {c.household.code: c for c in Clue.objects.select_related("household", "area")}
    assert set(clues) == {"M-1", "M-2"}
    unstable, unsafe = clues["M-1"], clues["M-2"]
    assert unstable.channel == ClueChannel.SYSTEM_SCREENING
    assert unstable.status == ClueStatus.OPEN
    assert unstable.area.code == EKENHUDUGE
    assert unstable.risk_type == "other"
    assert "不高于 2025 年监测范围 8,800 元：脱贫不稳定户" in unstable.facts["description"]
    assert unstable.facts["per_capita"] == "8000.00"
    assert unsafe.risk_type == "housing_safety"
    assert unsafe.facts["monitor_type"] == "sudden_hardship"


def test_a_second_sweep_opens_no_duplicate(households, area):
    sweep_run(actor=None, year=2025, area=area(RIGHT_BANNER))
    again = sweep_run(actor=None, year=2025, area=area(RIGHT_BANNER))
    assert again.clues_opened == 0
    assert again.counts["new_candidates"] == 2
    assert Clue.objects.count() == 2


def test_measures_recorded_in_assistance_count_for_risk_elimination(households, banner_officer):
    household = households["monitored"]
    before = household_policy(household, as_of=datetime.date(2025, 12, 31))
    assert before.evaluation["measures"] == 0
    assert "elimination_measures" in before.evaluation.reason_codes
    measure_add(
        actor=banner_officer, household=household, category="industry",
        description="养驼补贴", start_date=datetime.date(2025, 4, 1),
    )  # fmt: skip
    after = household_policy(household, as_of=datetime.date(2025, 12, 31))
    assert after.evaluation["measures"] == 1
    assert "elimination_measures" not in after.evaluation.reason_codes
