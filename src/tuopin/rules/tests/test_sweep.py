"""``tuopin sweep``: the rules over the stored registry, recorded per run."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

import duckdb
import pytest
from django.conf import settings
from django.core.management import call_command

from conftest import EKENHUDUGE
from tuopin.core.models import AuditEntry
from tuopin.policy.services import load_default_policy
from tuopin.registry import services
from tuopin.registry.idnumbers import check_digit
from tuopin.registry.services import MemberInput
from tuopin.rules import sweep as sweep_module
from tuopin.rules.models import SweepRun, SweepState
from tuopin.rules.sweep import sweep_run

D = datetime.date
NURIGAI = "152922104201"  # another gaqa of 阿拉善右旗


def an_id(birth: str, serial: str) -> str:
    first17 = f"152922{birth}{serial}"
    return first17 + check_digit(first17)


def make(area, code, birth, *, household_type="tuopin", wage="9000", year=2025, grade="A",
         monitored=None):  # fmt: skip
    household = services.household_register(
        actor=None,
        code=code,
        area=area,
        household_type=household_type,
        registered_on=D(2014, 6, 1),
        members=[
            MemberInput(name="成员", id_number=an_id(birth, "123"), relation="head",
                        medical_insured=True, labour="ordinary"),
        ],
        tuopin_year=2017 if household_type == "tuopin" else None,
    )  # fmt: skip
    services.income_set(
        actor=None, household=household, year=year, size=1, wage_income=wage,
        business_income="0", property_income="0", transfer_income="0", business_costs="0",
    )  # fmt: skip
    services.conditions_set(
        actor=None, household=household, year=year, food_clothing=True, housing_grade=grade,
        water_quantity=True, water_quality=True, water_access=True, water_reliability=True,
    )  # fmt: skip
    if monitored:
        services.monitoring_start(
            actor=None, household=household, monitor_type=monitored, on=D(2025, 3, 1)
        )
    return household


@pytest.fixture
def registry(area, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    load_default_policy()
    return {
        "unstable": make(area(EKENHUDUGE), "S-1", "19700101", wage="8000"),
        "marginal": make(area(EKENHUDUGE), "S-2", "19710101", household_type="ordinary",
                         wage="8800"),
        "fine": make(area(EKENHUDUGE), "S-3", "19720101", wage="20000"),
        "unsafe": make(area(NURIGAI), "S-4", "19730101", household_type="ordinary",
                       wage="30000", grade="D"),
        "monitored": make(area(NURIGAI), "S-5", "19740101", wage="5000",
                          monitored="unstable_tuopin"),
        "no_income": make(area(NURIGAI), "S-6", "19750101", year=2024),
    }  # fmt: skip


@pytest.fixture
def seen(monkeypatch):
    """The candidates handed to handlers, per run (the monitoring app opens clues from them)."""
    calls: list[tuple[int, list]] = []

    def record(run, candidates):
        calls.append((run.pk, candidates))
        return 0

    monkeypatch.setattr(sweep_module, "_candidate_handlers", [record])
    return calls


def test_a_sweep_counts_each_outcome_and_records_the_policy_used(registry, seen, area):
    run = sweep_run(actor=None, year=2025, area=area("152922000000"))
    assert run.state == SweepState.DONE
    assert run.counts["households"] == 6
    assert run.counts["evaluated"] == 5
    assert run.counts["not_evaluated"] == 1  # S-6 has no income for 2025
    assert run.counts["unstable_tuopin"] == 2  # S-1, and S-5 (already monitored)
    assert run.counts["marginal"] == 1
    assert run.counts["sudden_hardship"] == 1  # S-4: housing grade D
    assert run.counts["new_candidates"] == 3
    assert run.counts["monitored"] == 1
    assert run.counts["fails_housing_safety"] == 1
    (used,) = run.policy
    assert used["threshold"] == 880000 and used["poverty_line"] == 400000
    assert used["line_from_year"] == 2020
    assert {p["scope"] for p in used["packs"]} == {"nation", "province"}
    assert AuditEntry.objects.filter(action="rules.sweep.run").count() == 1


def test_new_candidates_go_to_the_handlers_with_their_facts(registry, seen, area):
    sweep_run(actor=None, year=2025, area=area("152922000000"))
    ((_run, candidates),) = seen
    by_code = {c.household_id: c for c in candidates}
    assert set(by_code) == {registry[k].pk for k in ("unstable", "marginal", "unsafe")}
    unstable = by_code[registry["unstable"].pk]
    assert unstable.monitor_type == "unstable_tuopin"
    assert unstable.per_capita == 800000 and unstable.threshold == 880000
    assert "unstable_tuopin" in unstable.reason_codes
    assert by_code[registry["unsafe"].pk].guarantees_failed == ["housing_safety"]


def test_a_sweep_of_one_gaqa_reads_only_its_households(registry, seen, area):
    run = sweep_run(actor=None, year=2025, area=area(NURIGAI))
    assert run.counts["households"] == 3


def test_the_per_household_results_are_kept_as_parquet(registry, seen, area):
    run = sweep_run(actor=None, year=2025, area=area("152922000000"))
    path = Path(settings.DATA_DIR) / run.result_file
    rows = (
        duckdb.connect()
        .execute(
            "SELECT household_code, monitor_candidate FROM read_parquet(?) ORDER BY 1", [str(path)]
        )
        .fetchall()
    )
    assert rows[0] == ("S-1", "unstable_tuopin")
    assert len(rows) == 5


def test_a_user_may_sweep_only_where_they_may_edit_records(
    registry, seen, area, gaqa_cadre, analyst
):
    from tuopin.core.errors import PermissionDenied  # noqa: PLC0415

    with pytest.raises(PermissionDenied):
        sweep_run(actor=gaqa_cadre, year=2025, area=area("152922000000"))
    with pytest.raises(PermissionDenied):
        sweep_run(actor=analyst, year=2025, area=area("152922000000"))
    assert SweepRun.objects.count() == 0


def test_the_sweep_command_reports_the_run(registry, seen):
    out = io.StringIO()
    call_command("sweep", "--year", "2025", "--area", "152922000000", stdout=out)
    text = out.getvalue()
    assert "5 of 6 household(s) evaluated" in text
    assert "marginal 1" in text


def test_an_officer_starts_a_sweep_from_the_web_and_sees_its_outcome(
    registry, seen, client_for, banner_officer
):
    client = client_for(banner_officer)
    page = client.get("/rules/sweeps/")
    assert 'id="sweep-start"' in page.content.decode()
    response = client.post("/rules/sweeps/", {"year": "2025", "area": "152922000000"})
    assert response.status_code == 302
    job_page = client.get(response["Location"])  # the job ran at once (immediate backend)
    run = SweepRun.objects.get()
    assert f"/rules/sweeps/{run.pk}/" in job_page.content.decode()
    detail = client.get(f"/rules/sweeps/{run.pk}/").content.decode()
    assert 'id="count-marginal"' in detail
    assert "8,800" in detail and "4,000" in detail


@pytest.mark.usefixtures("seen")
def test_a_gaqa_cadre_cannot_start_a_sweep_and_an_outsider_sees_no_run(
    registry, client_for, gaqa_cadre, outsider, area
):
    run = sweep_run(actor=None, year=2025, area=area("152922000000"))
    cadre = client_for(gaqa_cadre)
    assert 'id="sweep-start"' not in cadre.get("/rules/sweeps/").content.decode()
    assert cadre.post("/rules/sweeps/", {"year": "2025", "area": "152922000000"}).status_code == 403
    assert SweepRun.objects.count() == 1
    stranger = client_for(outsider)
    assert f"run-{run.pk}" not in stranger.get("/rules/sweeps/").content.decode()
    assert stranger.get(f"/rules/sweeps/{run.pk}/").status_code == 404
