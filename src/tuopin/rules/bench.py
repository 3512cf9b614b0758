"""``tuopin bench sweep``: the vectorised rules against a hand-written query and a Python loop.

Synthetic households (the demo generator) are written once as Parquet files in the shape the
rules read. Then, on the same files:

- the sweep: the compiled rule definitions, every output and the reasons, into a table;
- the practical limit: one hand-written DuckDB query computing the same columns;
- a plain loop calling the per-household Python execution.

The two queries' results are compared row for row, so the benchmark also checks them.
"""

from __future__ import annotations

import datetime
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.utils.translation import gettext, override

from tuopin.rules import definitions as d
from tuopin.rules.engine import RuleParams, evaluate_household
from tuopin.rules.params import household_inputs
from tuopin.rules.tables import HOUSEHOLD_SCHEMA, MEMBER_SCHEMA, PARAM_SCHEMA, run_rules

BENCH_PARAMS = RuleParams(
    year=2025,
    as_of=datetime.date(2025, 12, 31),
    poverty_line=400000,
    line_from_year=2020,
    threshold=880000,
    threshold_from_year=2025,
    elimination_min_months=6,
    elimination_min_measures=1,
)

# The same columns as the compiled sweep, written by hand as one query; bit i of reason_mask
# is REASONS[i] of the definitions.
HAND_WRITTEN = """
WITH ma AS (
  SELECT hh_key,
         count(*) AS size,
         count_if(schooling = 'dropped_out' AND age BETWEEN 6 AND 15) AS dropouts,
         count_if(NOT coalesce(medical_insured, FALSE)) AS uninsured,
         coalesce(bool_or(labour IN ('ordinary', 'skilled')), FALSE) AS has_labour
  FROM (SELECT *, year(DATE '{as_of}') - year(birth_date)
                 - CASE WHEN month(DATE '{as_of}') * 100 + day(DATE '{as_of}')
                        < month(birth_date) * 100 + day(birth_date) THEN 1 ELSE 0 END AS age
        FROM members)
  GROUP BY hh_key
), base AS (
  SELECT h.*, p.* EXCLUDE (policy_key), ma.* EXCLUDE (hh_key),
         wage_income + business_income + property_income + transfer_income - business_costs AS net
  FROM households h JOIN params p USING (policy_key) LEFT JOIN ma USING (hh_key)
), pc AS (
  SELECT *,
    sign(net) * ((2 * abs(net) + size) // (2 * size)) AS per_capita,
    sign(net - compliant_expenses) * ((2 * abs(net - compliant_expenses) + size) // (2 * size))
      AS after,
    NOT coalesce(food_clothing, FALSE) AS f_food,
    dropouts > 0 AS f_edu,
    uninsured > 0 AS f_med,
    coalesce(housing_grade IN ('C', 'D'), FALSE) AS f_house,
    NOT coalesce(water_quantity AND water_quality AND water_access AND water_reliability, FALSE)
      AS f_water,
    CAST(monitor_since + to_months(elimination_min_months) AS DATE) AS eligible_from,
    monitor_type IS NOT NULL AS monitored
  FROM base
), f AS (
  SELECT *,
    f_food OR f_edu OR f_med OR f_house OR f_water AS any_failed,
    coalesce(per_capita > poverty_line, FALSE) AS exceeds,
    coalesce(per_capita > threshold, FALSE) AS above,
    coalesce(after > threshold, FALSE) AS above_after,
    coalesce(after <= threshold, FALSE) AS after_within,
    coalesce(eligible_from <= as_of, FALSE) AS long_enough,
    coalesce(measures >= elimination_min_measures, FALSE) AS enough_measures
  FROM pc
), g AS (
  SELECT *,
    CASE WHEN household_type = 'poor' OR threshold IS NULL THEN NULL
         WHEN per_capita <= threshold AND household_type = 'tuopin' THEN 'unstable_tuopin'
         WHEN per_capita <= threshold AND household_type = 'ordinary' THEN 'marginal'
         WHEN after_within OR any_failed THEN 'sudden_hardship' END AS candidate,
    CASE WHEN NOT monitored THEN NULL
         ELSE long_enough AND enough_measures AND above AND above_after AND NOT any_failed
              AND has_labour END AS eligible
  FROM f
)
SELECT hh_key, household_code, size AS household_size, per_capita,
  after AS per_capita_after_expenses, exceeds AS income_exceeds_line,
  exceeds AND NOT any_failed AS exit_eligible, candidate AS monitor_candidate,
  eligible AS elimination_eligible,
  concat_ws(';', CASE WHEN f_food THEN 'food_clothing' END,
    CASE WHEN f_edu THEN 'compulsory_education' END, CASE WHEN f_med THEN 'basic_medical' END,
    CASE WHEN f_house THEN 'housing_safety' END, CASE WHEN f_water THEN 'drinking_water' END)
    AS guarantees_failed,
  CAST(
    CASE WHEN exceeds THEN 1 ELSE 0 END
    + CASE WHEN NOT exceeds AND per_capita IS NOT NULL THEN 2 ELSE 0 END
    + CASE WHEN line_from_year <> year THEN 4 ELSE 0 END
    + CASE WHEN f_food THEN 8 ELSE 0 END
    + CASE WHEN f_edu THEN 16 ELSE 0 END
    + CASE WHEN f_med THEN 32 ELSE 0 END
    + CASE WHEN f_house THEN 64 ELSE 0 END
    + CASE WHEN NOT coalesce(water_quantity, FALSE) THEN 128 ELSE 0 END
    + CASE WHEN NOT coalesce(water_quality, FALSE) THEN 256 ELSE 0 END
    + CASE WHEN NOT coalesce(water_access, FALSE) THEN 512 ELSE 0 END
    + CASE WHEN NOT coalesce(water_reliability, FALSE) THEN 1024 ELSE 0 END
    + CASE WHEN threshold IS NULL AND year >= 2020 THEN 2048 ELSE 0 END
    + CASE WHEN threshold IS NOT NULL AND threshold_from_year <> year THEN 4096 ELSE 0 END
    + CASE WHEN threshold IS NOT NULL AND household_type = 'poor' THEN 8192 ELSE 0 END
    + CASE WHEN candidate = 'unstable_tuopin' THEN 16384 ELSE 0 END
    + CASE WHEN candidate = 'marginal' THEN 32768 ELSE 0 END
    + CASE WHEN candidate = 'sudden_hardship' AND after_within THEN 65536 ELSE 0 END
    + CASE WHEN candidate = 'sudden_hardship' AND NOT after_within THEN 131072 ELSE 0 END
    + CASE WHEN threshold IS NOT NULL AND household_type <> 'poor' AND candidate IS NULL
           AND per_capita IS NOT NULL THEN 262144 ELSE 0 END
    + CASE WHEN monitored AND NOT long_enough THEN 524288 ELSE 0 END
    + CASE WHEN monitored AND NOT enough_measures THEN 1048576 ELSE 0 END
    + CASE WHEN monitored AND threshold IS NULL THEN 2097152 ELSE 0 END
    + CASE WHEN monitored AND threshold IS NOT NULL AND NOT above THEN 4194304 ELSE 0 END
    + CASE WHEN monitored AND threshold IS NOT NULL AND NOT above_after THEN 8388608 ELSE 0 END
    + CASE WHEN monitored AND any_failed THEN 16777216 ELSE 0 END
    + CASE WHEN monitored AND NOT has_labour THEN 33554432 ELSE 0 END
    + CASE WHEN coalesce(eligible, FALSE) THEN 67108864 ELSE 0 END
  AS BIGINT) AS reason_mask
FROM g
"""

COMPARED = [
    "household_code",
    "household_size",
    "per_capita",
    "per_capita_after_expenses",
    "income_exceeds_line",
    "exit_eligible",
    "monitor_candidate",
    "elimination_eligible",
    "guarantees_failed",
    "reason_mask",
]


def write_snapshot(households: int, folder: Path, *, seed: int = 2014) -> tuple[int, float]:
    """Synthetic households as Parquet rule inputs in ``folder``; returns (members, seconds)."""
    from tuopin.demo.generator import Generator, reference_villages  # noqa: PLC0415

    started = time.monotonic()
    generator = Generator(reference_villages(), seed=seed)
    hh_writer = pq.ParquetWriter(folder / "households.parquet", HOUSEHOLD_SCHEMA)
    mm_writer = pq.ParquetWriter(folder / "members.parquet", MEMBER_SCHEMA)
    members_total = 0
    chunk = 50_000
    try:
        for start in range(0, households, chunk):
            hh: dict[str, list[Any]] = {name: [] for name in HOUSEHOLD_SCHEMA.names}
            mm: dict[str, list[Any]] = {name: [] for name in MEMBER_SCHEMA.names}
            for index in range(start, min(households, start + chunk)):
                columns, members = household_inputs(generator.household(index))
                hh["hh_key"].append(index)
                hh["policy_key"].append(0)
                for name in d.INPUT_COLUMNS:
                    hh[name].append(columns[name])
                for member in members:
                    mm["hh_key"].append(index)
                    for name in d.MEMBER_COLUMNS:
                        mm[name].append(member[name])
            members_total += len(mm["hh_key"])
            hh_writer.write_table(pa.table(hh, schema=HOUSEHOLD_SCHEMA))
            mm_writer.write_table(pa.table(mm, schema=MEMBER_SCHEMA))
    finally:
        hh_writer.close()
        mm_writer.close()
    params = {name: [value] for name, value in BENCH_PARAMS.as_dict().items()}
    pq.write_table(
        pa.table({"policy_key": [0], **params}, schema=PARAM_SCHEMA), folder / "params.parquet"
    )
    return members_total, time.monotonic() - started


def _connect(folder: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for table in ("households", "members", "params"):
        path = str(folder / f"{table}.parquet").replace("'", "''")
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
    return con


def _timed(action: Callable[[], Any]) -> float:
    started = time.monotonic()
    action()
    return time.monotonic() - started


def bench_sweep(households: int, *, python_sample: int | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tuopin-bench-sweep-") as tmp:
        folder = Path(tmp)
        members, generated = write_snapshot(households, folder)
        con = _connect(folder)
        as_of = BENCH_PARAMS.as_of
        with override("zh-hans"):
            tables = {"households": "households", "members": "members", "params": "params"}
            compiled = run_rules(con, as_of=as_of, translate=gettext, text=False, **tables)
            sweep_s = _timed(lambda: con.execute(f"CREATE TABLE swept AS {compiled.sql_query()}"))
            texts = run_rules(con, as_of=as_of, translate=gettext, **tables)
            text_s = _timed(lambda: con.execute(f"CREATE TABLE texts AS {texts.sql_query()}"))
        hand_sql = HAND_WRITTEN.format(as_of=as_of.isoformat())
        hand_s = _timed(lambda: con.execute(f"CREATE TABLE hand AS {hand_sql}"))
        columns = ", ".join(COMPARED)
        differing = con.sql(
            f"SELECT count(*) FROM ((SELECT {columns} FROM swept EXCEPT ALL "
            f"SELECT {columns} FROM hand) UNION ALL (SELECT {columns} FROM hand "
            f"EXCEPT ALL SELECT {columns} FROM swept))"
        ).fetchall()[0][0]
        by_outcome = con.sql(
            "SELECT coalesce(monitor_candidate, '-'), count(*) FROM swept GROUP BY 1 ORDER BY 1"
        ).fetchall()

        sample = households if python_sample is None else min(python_sample, households)
        hh_rows = con.sql(f"SELECT * FROM households ORDER BY hh_key LIMIT {sample}").fetchall()
        hh_names = list(HOUSEHOLD_SCHEMA.names)
        member_rows = con.sql(
            f"SELECT * FROM members WHERE hh_key < {sample} ORDER BY hh_key"
        ).fetchall()
        by_household: dict[int, list[dict[str, Any]]] = {}
        for row in member_rows:
            by_household.setdefault(row[0], []).append(
                dict(zip(MEMBER_SCHEMA.names, row, strict=True))
            )
        con.close()

        def loop() -> None:
            with override("zh-hans"):
                for row in hh_rows:
                    columns = dict(zip(hh_names, row, strict=True))
                    evaluate_household(
                        columns,
                        by_household.get(columns["hh_key"], []),
                        BENCH_PARAMS,
                        translate=gettext,
                    )

        python_s = _timed(loop)
    python_full_s = python_s * households / sample
    return {
        "households": households,
        "members": members,
        "generated_s": round(generated, 1),
        "sweep_s": round(sweep_s, 2),
        "hand_written_s": round(hand_s, 2),
        "ratio_to_hand_written": round(sweep_s / hand_s, 2),
        "with_text_s": round(text_s, 2),
        "python_sample": sample,
        "python_s": round(python_full_s, 1),
        "python_measured": sample == households,
        "ratio_python_to_sweep": round(python_full_s / sweep_s, 1),
        "rows_differing": differing,
        "outcomes": dict(by_outcome),
    }
