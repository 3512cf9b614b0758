"""The generator: deterministic for a seed, streaming, consistent households at any year."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

from django.core.management import call_command

from tuopin.demo.generator import (
    ANCHOR,
    LEAGUE_TUOPIN,
    Generator,
    Village,
    alxa_plan,
    reference_villages,
)
from tuopin.registry.importers.household_file import read_household_file, write_household_file

VILLAGES = [
    Village("152922103201", "152922", False, "巴丹吉林镇"),
    Village("152922211201", "152922", True, "曼德拉苏木"),
    Village("152921102201", "152921", False, "温都尔勒图镇"),
    Village("152923200201", "152923", True, "赛汉陶来苏木"),
]


def test_the_same_seed_gives_the_same_households_and_another_seed_others():
    first = list(Generator(VILLAGES, seed=5).households(200))
    again = list(Generator(VILLAGES, seed=5).households(200))
    other = list(Generator(VILLAGES, seed=6).households(200))
    assert first == again
    assert [h.code for h in first] != [h.code for h in other]
    assert {m.id_number for h in first for m in h.members}.isdisjoint(
        {m.id_number for h in other for m in h.members}
    )


def test_streaming_in_parts_gives_the_same_households_as_in_one_go():
    whole = list(Generator(VILLAGES, seed=9).households(60))
    generator = Generator(VILLAGES, seed=9)
    parts = list(generator.households(25)) + list(generator.households(35, start=25))
    assert parts == whole


def test_the_alxa_plan_and_its_histories_are_deterministic_for_a_seed():
    villages = reference_villages()
    plan = alxa_plan(villages, seed=2014)
    assert plan == alxa_plan(villages, seed=2014)
    assert plan != alxa_plan(villages, seed=2015)
    tuopin = [s for s in plan if s.household_type == "tuopin"]
    assert (len(tuopin), sum(s.size for s in tuopin)) == LEAGUE_TUOPIN
    lives = Generator(villages, seed=2014).lives(plan[:300])
    again = Generator(villages, seed=2014).lives(plan[:300])
    assert [(x.code, x.statuses, x.members, x.income_yuan(2019)) for x in lives] == [
        (x.code, x.statuses, x.members, x.income_yuan(2019)) for x in again
    ]
    assert [len(x.members_on(ANCHOR)) for x in lives] == [s.size for s in plan[:300]]


def test_snapshots_of_any_year_read_back_from_a_household_file_without_errors(tmp_path: Path):
    generator = Generator(VILLAGES, seed=3)
    lives = [generator.life(index) for index in range(150)]
    for year in (2014, 2016, 2025):
        records = [life.snapshot(year) for life in lives]
        path = tmp_path / f"h{year}.csv"
        write_household_file(records, path, fmt="csv")
        parsed = read_household_file(path)
        assert parsed.errors == []
        assert parsed.households == records
    # Before its exit a tuopin household is a poor household of the registry era.
    exits = [life for life in lives if life.tuopin_year and life.tuopin_year > 2016]
    assert exits
    assert {life.snapshot(2016).household_type for life in exits} == {"poor"}
    assert {life.snapshot(2025).household_type for life in exits} == {"tuopin"}


def test_a_snapshot_counts_births_and_deaths_up_to_its_year():
    generator = Generator(VILLAGES, seed=4)
    lives = [generator.life(index) for index in range(400)]
    for life in lives:
        for year in (2016, 2022):
            day = datetime.date(year, 12, 31)
            expected = [m.member for m in life.members if m.active_on(day)]
            assert life.snapshot(year).members == expected
    assert any(m.left for life in lives for m in life.members)
    assert any(m.joined > datetime.date(2020, 12, 31) for life in lives for m in life.members)


def test_generate_writes_deterministic_files(tmp_path: Path):
    for out in ("a", "b"):
        call_command(
            "generate",
            households=120,
            seed=8,
            out=str(tmp_path / out),
            per_file=50,
            stdout=io.StringIO(),
        )
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == ["households-0001.csv", "households-0002.csv", "households-0003.csv"]
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    households = sum(len(read_household_file(tmp_path / "a" / n).households) for n in names)
    assert households == 120
