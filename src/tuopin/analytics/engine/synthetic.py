"""Synthetic snapshot tables at any scale, made inside DuckDB (for benchmarks).

The households hang off the given villages; statuses, monitoring, sizes, incomes and
conditions are drawn from fixed hashes of the household id, so a run is repeatable.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import duckdb

from tuopin.analytics.engine.schema import TABLES

STATUSES = ["poor", "exited_with_policy", "exited_without_policy", "returned", "newly_identified"]


def write_synthetic_snapshot(
    folder: Path,
    *,
    households: int,
    areas: list[tuple[Any, ...]],
    as_of: datetime.date,
) -> dict[str, int]:
    """Write every snapshot table as Parquet into ``folder``; ``areas`` are rows of the
    ``areas`` table (area_id, code, name, level, kind, parent_id, lft, rgt, depth,
    is_active). Returns the row counts."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    cols = ", ".join(f"{n} {t}" for n, t in TABLES["areas"])
    con.execute(f"CREATE TABLE areas ({cols})")
    con.executemany(f"INSERT INTO areas VALUES ({', '.join('?' * 10)})", areas)
    con.execute(
        "CREATE TABLE villages AS SELECT row_number() OVER (ORDER BY lft) - 1 AS i, area_id, code "
        "FROM areas WHERE level = 'village'"
    )
    n_villages = con.execute("SELECT count(*) FROM villages").fetchone()[0]  # type: ignore[index]
    if not n_villages:
        raise ValueError("the area tree has no villages")
    year = as_of.year
    statuses = "[" + ", ".join(f"'{s}'" for s in STATUSES) + "]"
    con.execute(
        f"""
        CREATE TABLE households AS
        SELECT r AS household_id, 'S' || lpad(r::VARCHAR, 9, '0') AS household_code,
               v.area_id, v.code AS area_code,
               CASE WHEN hash(r, 1) % 10 < 2 THEN 'ordinary' ELSE 'tuopin' END
                   AS household_type,
               NULL::VARCHAR AS attribute, 'illness' AS main_cause, 2018::INTEGER AS tuopin_year,
               CASE WHEN hash(r, 1) % 10 < 2 THEN 'ordinary'
                    ELSE {statuses}[1 + (hash(r, 2) % 5)::INTEGER] END AS status,
               CASE WHEN hash(r, 3) % 100 < 3 THEN 'unstable_tuopin'
                    WHEN hash(r, 3) % 100 < 5 THEN 'marginal'
                    WHEN hash(r, 3) % 100 < 6 THEN 'sudden_hardship' END AS monitor_type,
               CASE WHEN hash(r, 3) % 100 < 6 THEN DATE '{year - 1}-03-01' END AS monitor_since,
               (1 + hash(r, 4) % 5)::INTEGER AS size
        FROM range({households}) t(r)
        JOIN villages v ON v.i = hash(r, 0) % {n_villages}
        """
    )
    con.execute(
        f"""
        CREATE TABLE members AS
        SELECT h.household_id, h.household_id * 8 + m AS person_id,
               CASE WHEN m = 0 THEN 'head' ELSE 'other' END AS relation,
               CASE WHEN hash(h.household_id, m) % 2 = 0 THEN 'male' ELSE 'female' END AS sex,
               DATE '{year}-01-01' - INTERVAL (hash(h.household_id, m, 5) % 80) YEAR
                   AS birth_date,
               'mongol' AS ethnicity, 'primary' AS education,
               CASE WHEN hash(h.household_id, m, 6) % 500 = 0 THEN 'dropped_out'
                    ELSE 'not_in_school' END AS schooling,
               'healthy' AS health, 'ordinary' AS labour,
               hash(h.household_id, m, 7) % 100 <> 0 AS medical_insured,
               TRUE AS pension_insured
        FROM households h, range(h.size) t(m)
        """
    )
    con.execute(
        f"""
        CREATE TABLE incomes AS
        SELECT h.household_id, y AS year, h.size,
               (4000 + hash(h.household_id, y) % 20000)::DOUBLE * h.size AS wage_income,
               (hash(h.household_id, y, 1) % 8000)::DOUBLE AS business_income,
               0.0::DOUBLE AS property_income, 1200.0::DOUBLE AS transfer_income,
               (hash(h.household_id, y, 2) % 3000)::DOUBLE AS business_costs,
               0.0::DOUBLE AS compliant_expenses,
               NULL::DOUBLE AS net_income
        FROM households h, (VALUES ({year - 2}), ({year - 1})) y(y)
        """
    )
    con.execute(
        "UPDATE incomes SET net_income = wage_income + business_income + property_income "
        "+ transfer_income - business_costs"
    )
    con.execute(
        f"""
        CREATE TABLE conditions AS
        SELECT household_id, {year - 1} AS year, hash(household_id, 8) % 200 <> 0
                   AS food_clothing,
               ['A', 'B', 'C', 'D'][1 + (hash(household_id, 9) % 4)::INTEGER] AS housing_grade,
               TRUE AS water_quantity, hash(household_id, 10) % 50 <> 0 AS water_quality,
               TRUE AS water_access, TRUE AS water_reliability,
               hash(household_id, 11) % 20 = 0 AS relocated, NULL::VARCHAR AS relocation_site,
               NULL::DATE AS moved_in_on
        FROM households
        """
    )
    con.execute(
        "CREATE TABLE area_figures AS SELECT area_id, "
        f"{year}::INTEGER AS year, 1000::BIGINT AS rural_population FROM villages"
    )
    con.execute(
        "CREATE TABLE status_history AS SELECT household_id, status, DATE '2014-06-01' "
        "AS valid_from, NULL::DATE AS valid_to FROM households WHERE status IS NOT NULL"
    )
    con.execute(
        "CREATE TABLE monitoring_periods AS SELECT household_id, monitor_type, "
        "monitor_since AS valid_from, NULL::DATE AS valid_to FROM households "
        "WHERE monitor_type IS NOT NULL"
    )
    counts = {}
    for table, columns in TABLES.items():
        names = ", ".join(f"{n}::{t} AS {n}" for n, t in columns)
        target = str(folder / f"{table}.parquet").replace("'", "''")
        con.execute(f"COPY (SELECT {names} FROM {table}) TO '{target}' (FORMAT parquet)")
        counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # type: ignore[index]
    con.close()
    return counts
