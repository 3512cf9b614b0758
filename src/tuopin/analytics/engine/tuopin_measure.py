"""The default Tuopin multidimensional measure, applied to a registry snapshot.

Six indicators with equal weights and ``k = 1/3`` (``methods.md``): the five guarantees
(food and clothing, compulsory education, basic medical, housing safety, drinking water),
each deprived when the household fails it, and net income per capita, deprived below the
line. The unit is the household, weighted by its size, so the figures speak of people.
Households without living conditions or without income for the year cannot be scored and
are left out (and counted).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

import duckdb

from tuopin.analytics.engine.af import AFIndicator, AFResult, alkire_foster
from tuopin.analytics.engine.indicators import GUARANTEES, _facts_sql

K = 1 / 3


def default_indicators(line: float) -> list[AFIndicator]:
    weight = 1 / (len(GUARANTEES) + 1)
    return [
        *(AFIndicator(f"fails_{g}", weight, deprived_if=True) for g in GUARANTEES),
        AFIndicator("income_per_capita", weight, cutoff=line),
    ]


@dataclass
class RegistryMeasure:
    result: AFResult
    income_year: int
    line: float
    excluded: int

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.result.as_dict(),
            "income_year": self.income_year,
            "line": self.line,
            "excluded_households": self.excluded,
        }


def registry_measure(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: datetime.date,
    income_year: int,
    line: float,
    area_lft: int,
    area_rgt: int,
    group_depth: int | None,
) -> RegistryMeasure:
    """The default measure over households in the area ``[area_lft, area_rgt]``, grouped by
    their ancestor at ``group_depth`` (the area's children, say) when given."""
    facts = _facts_sql(as_of, income_year, None)
    group_sql = (
        f"(SELECT g.code FROM areas g WHERE a.lft BETWEEN g.lft AND g.rgt "
        f"AND g.depth = {int(group_depth)})"
        if group_depth is not None
        else "NULL"
    )
    rows = con.execute(
        f"""
        WITH facts AS ({facts})
        SELECT f.size, f.no_conditions OR f.pc1 IS NULL AS unscored,
               coalesce(f.food_fail, FALSE), f.education_fail, f.medical_fail,
               coalesce(f.housing_fail, FALSE), coalesce(f.water_fail, FALSE), f.pc1,
               {group_sql}
        FROM facts f JOIN areas a ON a.area_id = f.area_id
        WHERE a.lft BETWEEN ? AND ?
        """,
        [area_lft, area_rgt],
    ).fetchall()
    scored = []
    excluded = 0
    for size, unscored, food, edu, med, housing, water, pc, group in rows:
        if unscored or not size:
            excluded += 1
            continue
        scored.append(
            {
                "size": size,
                "fails_food_clothing": food,
                "fails_compulsory_education": edu,
                "fails_basic_medical": med,
                "fails_housing_safety": housing,
                "fails_drinking_water": water,
                "income_per_capita": pc,
                "group": group or "",
            }
        )
    result = alkire_foster(
        scored,
        default_indicators(line),
        k=K,
        group="group" if group_depth is not None else None,
        weight="size",
    )
    return RegistryMeasure(result=result, income_year=income_year, line=line, excluded=excluded)
