from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import call_command

from tuopin.analytics.engine.schema import TABLES
from tuopin.analytics.snapshot import open_snapshot, refresh_snapshot, snapshots_root
from tuopin.analytics.tasks import JOB_KIND, snapshot_refresh_enqueue
from tuopin.analytics.tests.conftest import AFTER, BEFORE
from tuopin.core.jobs import read_progress
from tuopin.core.models import JobState

pytestmark = pytest.mark.django_db(transaction=False)


def rows(con, sql):
    return con.execute(sql).fetchall()


def test_snapshot_holds_households_existing_and_open_on_the_date(registry):
    snap = refresh_snapshot(as_of=AFTER)
    con = snap.connect()
    got = rows(
        con,
        "SELECT household_code, area_code, household_type, status, monitor_type, "
        "monitor_since, size FROM households ORDER BY household_code",
    )
    assert got == [
        (
            "A-0001",
            "152922103201",
            "poor",
            "exited_with_policy",
            "unstable_tuopin",
            datetime.date(2023, 3, 1),
            3,
        ),
        ("A-0002", "152922103201", "ordinary", "ordinary", None, None, 3),
        ("A-0003", "152922103201", "poor", "newly_identified", None, None, 2),
        ("B-0001", "152923200201", "poor", "returned", None, None, 4),
    ]
    assert snap.counts["households"] == 4
    assert snap.counts["members"] == 12


def test_snapshot_of_an_earlier_date_shows_the_registry_as_it_stood_then(registry):
    con = refresh_snapshot(as_of=BEFORE).connect()
    got = rows(
        con,
        "SELECT household_code, status, monitor_type, size FROM households ORDER BY household_code",
    )
    # H5 is not yet registered; H4 is not yet closed; H2 is monitored and has 2 people.
    assert got == [
        ("A-0001", "exited_with_policy", None, 3),
        ("A-0002", "ordinary", "marginal", 2),
        ("B-0001", "exited_without_policy", None, 4),
        ("B-0002", "ordinary", None, 1),
    ]
    # Spells end as known on the date: H2's monitoring has not ended by 2020-06-30.
    assert rows(con, "SELECT monitor_type, valid_from, valid_to FROM monitoring_periods") == [
        ("marginal", datetime.date(2019, 5, 1), None)
    ]
    assert rows(con, "SELECT DISTINCT year FROM incomes ORDER BY year") == [(2019,)]
    assert rows(con, "SELECT COUNT(*) FROM conditions") == [(0,)]


def test_snapshot_tables_have_the_contract_columns_and_types(registry):
    con = refresh_snapshot(as_of=AFTER).connect()
    for table, columns in TABLES.items():
        described = rows(con, f"DESCRIBE {table}")
        assert [(c[0], c[1]) for c in described] == columns, table


def test_snapshot_holds_no_names_id_numbers_phones_or_bank_accounts(registry):
    snap = refresh_snapshot(as_of=AFTER)
    con = snap.connect()
    names = {c[0] for table in TABLES for c in rows(con, f"DESCRIBE {table}")}
    assert not names & {"name_person", "id_number", "phone", "bank_account", "bank_name"}
    raw = b"".join(p.read_bytes() for p in snap.path.glob("*.parquet"))
    assert "甲一".encode() not in raw
    assert b"19700305" not in raw


def test_members_incomes_and_conditions_carry_their_values(registry):
    con = refresh_snapshot(as_of=AFTER).connect()
    assert rows(
        con,
        "SELECT m.relation, m.sex, m.birth_date, m.schooling, m.medical_insured "
        "FROM members m JOIN households h USING (household_id) "
        "WHERE h.household_code = 'B-0001' ORDER BY m.birth_date",
    ) == [
        ("head", "male", datetime.date(1965, 4, 4), "not_in_school", True),
        ("spouse", "female", datetime.date(1966, 5, 5), "not_in_school", False),
        ("son", "male", datetime.date(1990, 6, 6), "not_in_school", True),
        ("daughter", "female", datetime.date(2012, 7, 7), "dropped_out", True),
    ]
    assert rows(
        con,
        "SELECT h.household_code, i.year, i.size, i.net_income, i.business_costs "
        "FROM incomes i JOIN households h USING (household_id) ORDER BY 1, 2",
    ) == [
        ("A-0001", 2019, 3, 9000.0, 1200.0),
        ("A-0001", 2023, 3, 15000.0, 3000.0),
        ("A-0002", 2019, 2, 4000.0, 500.0),
        ("A-0002", 2023, 3, 9000.0, 1000.0),
        ("B-0001", 2023, 4, 8000.0, 1000.0),
    ]
    assert rows(
        con,
        "SELECT year, food_clothing, housing_grade, relocated, relocation_site, moved_in_on "
        "FROM conditions WHERE relocated",
    ) == [(2024, False, "A", True, "巴丹吉林镇安置点", datetime.date(2022, 6, 1))]
    assert rows(
        con,
        "SELECT a.code, f.year, f.rural_population FROM area_figures f "
        "JOIN areas a USING (area_id) WHERE a.code = '152922103201' ORDER BY f.year",
    ) == [("152922103201", 2020, 180), ("152922103201", 2024, 200)]
    lft, rgt, level = rows(con, "SELECT lft, rgt, level FROM areas WHERE code = '152922000000'")[0]
    assert level == "banner"
    assert rows(
        con,
        f"SELECT COUNT(*) FROM households h JOIN areas a USING (area_id) "
        f"WHERE a.lft BETWEEN {lft} AND {rgt}",
    ) == [(3,)]


def test_refresh_is_idempotent_and_replaces_the_old_snapshot_whole(registry):
    first = refresh_snapshot(as_of=AFTER)
    first_rows = rows(first.connect(), "SELECT * FROM households ORDER BY household_id")
    second = refresh_snapshot(as_of=AFTER)
    assert second.path == first.path
    assert rows(second.connect(), "SELECT * FROM households ORDER BY household_id") == first_rows
    assert second.counts == first.counts
    # No temporary or old folders are left behind.
    assert sorted(p.name for p in snapshots_root().iterdir()) == [AFTER.isoformat()]


def test_a_failed_refresh_leaves_the_previous_snapshot_in_place(registry):
    refresh_snapshot(as_of=AFTER)

    def explode(done, total):
        if done == 3:
            raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        refresh_snapshot(as_of=AFTER, progress=explode)
    snap = open_snapshot(AFTER)
    assert snap is not None
    assert snap.counts["households"] == 4
    assert sorted(p.name for p in snapshots_root().iterdir()) == [AFTER.isoformat()]


def test_open_snapshot_reads_the_manifest_or_says_there_is_none(registry):
    assert open_snapshot(AFTER) is None
    made = refresh_snapshot(as_of=AFTER)
    opened = open_snapshot(AFTER)
    assert opened is not None
    assert (opened.path, opened.as_of, opened.counts) == (made.path, AFTER, made.counts)
    assert opened.created_at == made.created_at
    manifest = json.loads((made.path / "manifest.json").read_text())
    assert manifest["counts"]["members"] == 12


def test_progress_is_reported_table_by_table(registry):
    seen = []
    refresh_snapshot(as_of=AFTER, progress=lambda done, total: seen.append((done, total)))
    assert seen == [(i, len(TABLES)) for i in range(len(TABLES) + 1)]


def test_an_empty_registry_gives_empty_typed_tables(alxa):
    snap = refresh_snapshot(as_of=AFTER)
    con = snap.connect()
    assert rows(con, "SELECT COUNT(*) FROM households") == [(0,)]
    assert [c[1] for c in rows(con, "DESCRIBE households")] == [t for _, t in TABLES["households"]]
    assert snap.counts["areas"] > 200


def test_refresh_task_records_progress_and_result_on_the_job(registry, league_officer):
    job = snapshot_refresh_enqueue(actor=league_officer, as_of=AFTER)
    assert job.kind == JOB_KIND
    assert job.state == JobState.SUCCEEDED
    assert job.result["counts"]["households"] == 4
    assert read_progress(job.id).percent == 100
    assert open_snapshot(AFTER) is not None


def test_snapshot_command_exports_as_of_the_date(registry, capsys):
    call_command("snapshot", "--as-of", BEFORE.isoformat())
    out = capsys.readouterr().out
    assert "households 4" in out
    assert open_snapshot(BEFORE).counts["members"] == 10
