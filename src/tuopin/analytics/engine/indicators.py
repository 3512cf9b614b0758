"""Every registry indicator for every area, rolled up the area tree, from a snapshot.

Household facts are computed once (status, monitoring, guarantees, income of the year), then
each household is counted in its own gaqa and in every area above it: the areas table's
nested intervals (``lft``/``rgt``) give, for each area that holds households, the list of its
ancestors, and one equality join and one ``GROUP BY`` do the rest.

Definitions (see ``tuopin.analytics.definitions`` for the words a cadre reads):

- persons are the members on the date (``households.size``);
- tuopin households are those whose registry status on the date is one of the "lifted out"
  statuses; poor households those whose status is one of the poor statuses;
- incidence (贫困发生率) = poor persons ÷ the area's rural registered population for the
  date's year, as a percentage with two decimals; NULL when the area has no such figure;
- income per capita is for the income year (the latest year up to the date's year with any
  income recorded, unless given): the mean is total net income ÷ total household size (as the
  statistics bureau does); median and deciles are of the households' per-capita incomes;
  growth is the geometric mean annual rate of the mean between the base year and the income
  year, ``(x1 / x0) ** (1 / (t1 - t0)) - 1``;
- guarantees use each household's latest conditions up to the date's year, and its members on
  the date: food and clothing not assured; a member aged 6 to 15 who has dropped out of school
  (compulsory education); a member without basic medical insurance; housing graded C or D;
  any of the four drinking-water indicators failing.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

DECILES = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
GUARANTEES = (
    "food_clothing",
    "compulsory_education",
    "basic_medical",
    "housing_safety",
    "drinking_water",
)
HOUSING_GRADES = ("A", "B", "C", "D")


@dataclass(frozen=True)
class Vocabulary:
    """The registry's codes the indicators count by (passed in: the engine knows no models)."""

    statuses: Sequence[str]
    poor_statuses: Sequence[str]
    tuopin_statuses: Sequence[str]
    monitor_types: Sequence[str]


DEFAULT_VOCABULARY = Vocabulary(
    statuses=(
        "poor",
        "exited_with_policy",
        "exited_without_policy",
        "returned",
        "newly_identified",
        "ordinary",
    ),
    poor_statuses=("poor", "returned", "newly_identified"),
    tuopin_statuses=("exited_with_policy", "exited_without_policy"),
    monitor_types=("unstable_tuopin", "marginal", "sudden_hardship"),
)


@dataclass
class IndicatorTable:
    """Indicators per area: ``rows`` maps an area code to its values (key → value)."""

    as_of: datetime.date
    income_year: int | None
    growth_from: int | None
    keys: list[str]
    rows: dict[str, dict[str, Any]] = field(default_factory=dict)

    def for_area(self, code: str) -> dict[str, Any] | None:
        return self.rows.get(code)


def indicator_keys(vocabulary: Vocabulary = DEFAULT_VOCABULARY) -> list[str]:
    """Every indicator the engine computes, in a stable order."""
    keys = [
        "households",
        "persons",
        "tuopin_households",
        "tuopin_persons",
        "poor_households",
        "poor_persons",
        "rural_population",
        "incidence_percent",
        "monitored_households",
        "monitored_persons",
    ]
    for t in vocabulary.monitor_types:
        keys += [f"monitored_households_{t}", f"monitored_persons_{t}"]
    for s in vocabulary.statuses:
        keys += [f"households_status_{s}", f"persons_status_{s}"]
    keys += [
        "income_households",
        "income_per_capita_mean",
        "income_per_capita_median",
        *[f"income_per_capita_p{round(q * 100)}" for q in DECILES],
        "income_per_capita_mean_base",
        "income_growth_percent",
    ]
    keys += [f"households_failing_{g}" for g in GUARANTEES]
    keys += ["households_failing_any_guarantee", "households_without_conditions"]
    keys += [f"households_housing_{g}" for g in HOUSING_GRADES]
    keys += ["relocated_households", "relocated_persons"]
    return keys


def is_count(key: str) -> bool:
    """Whether an indicator is a count (of households or people) rather than a figure."""
    return not key.startswith(
        ("income_per_capita", "income_growth", "incidence", "rural_population")
    )


def _quote_list(values: Sequence[str]) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in values)


def latest_income_year(con: duckdb.DuckDBPyConnection, as_of: datetime.date) -> int | None:
    row = con.execute("SELECT MAX(year) FROM incomes WHERE year <= ?", [as_of.year]).fetchone()
    return int(row[0]) if row and row[0] is not None else None


def _facts_sql(as_of: datetime.date, income_year: int, base_year: int | None) -> str:
    base_join = (
        f"LEFT JOIN incomes i0 ON i0.household_id = h.household_id AND i0.year = {base_year}"
        if base_year is not None
        else "LEFT JOIN (SELECT NULL::BIGINT AS household_id, NULL::DOUBLE AS net_income, "
        "NULL::INTEGER AS size) i0 ON FALSE"
    )
    d = f"DATE '{as_of.isoformat()}'"
    return f"""
        WITH latest_conditions AS (
            SELECT household_id,
                   arg_max({{'food': food_clothing, 'grade': housing_grade,
                             'water': water_quantity AND water_quality AND water_access
                                      AND water_reliability,
                             'relocated': relocated}}, year) AS c
            FROM conditions WHERE year <= {as_of.year} GROUP BY household_id
        ),
        member_facts AS (
            -- Only members who fail something matter; the rest pass.
            SELECT household_id,
                   bool_or(NOT coalesce(medical_insured, FALSE)) AS medical_fail,
                   bool_or(schooling = 'dropped_out'
                           AND birth_date > {d} - INTERVAL 16 YEAR
                           AND birth_date <= {d} - INTERVAL 6 YEAR) AS education_fail
            FROM members
            WHERE NOT coalesce(medical_insured, FALSE) OR schooling = 'dropped_out'
            GROUP BY household_id
        )
        SELECT h.household_id, h.area_id, h.size, h.status, h.monitor_type,
               lc.c IS NULL AS no_conditions,
               NOT lc.c.food AS food_fail,
               coalesce(mf.education_fail, FALSE) AS education_fail,
               coalesce(mf.medical_fail, FALSE) AS medical_fail,
               lc.c.grade IN ('C', 'D') AS housing_fail,
               NOT lc.c.water AS water_fail,
               lc.c.grade AS housing_grade,
               coalesce(lc.c.relocated, FALSE) AS relocated,
               i1.net_income AS net1, i1.size AS size1, i1.net_income / i1.size AS pc1,
               i0.net_income AS net0, i0.size AS size0
        FROM households h
        LEFT JOIN latest_conditions lc ON lc.household_id = h.household_id
        LEFT JOIN member_facts mf ON mf.household_id = h.household_id
        LEFT JOIN incomes i1 ON i1.household_id = h.household_id AND i1.year = {income_year}
        {base_join}
    """


CUBE_SQL = """
    SELECT area_id, status, monitor_type, no_conditions, food_fail, education_fail,
           medical_fail, housing_fail, water_fail, housing_grade, relocated,
           count(*) AS n, sum(size) AS size, count(net1) AS n_net1, sum(net1) AS net1,
           sum(size1) FILTER (net1 IS NOT NULL) AS size1, sum(net0) AS net0,
           sum(size0) FILTER (net0 IS NOT NULL) AS size0
    FROM _facts GROUP BY ALL
"""


def _aggregates(vocabulary: Vocabulary) -> list[str]:
    """Aggregates over the cube of household facts (``CUBE_SQL``): ``n`` households of
    ``size`` people share each combination of status, monitoring and guarantee flags."""
    poor = _quote_list(vocabulary.poor_statuses)
    tuopin = _quote_list(vocabulary.tuopin_statuses)
    parts = [
        "sum(n) AS households",
        "sum(size) AS persons",
        f"sum(n) FILTER (status IN ({tuopin})) AS tuopin_households",
        f"coalesce(sum(size) FILTER (status IN ({tuopin})), 0) AS tuopin_persons",
        f"sum(n) FILTER (status IN ({poor})) AS poor_households",
        f"coalesce(sum(size) FILTER (status IN ({poor})), 0) AS poor_persons",
        "sum(n) FILTER (monitor_type IS NOT NULL) AS monitored_households",
        "coalesce(sum(size) FILTER (monitor_type IS NOT NULL), 0) AS monitored_persons",
    ]
    for t in vocabulary.monitor_types:
        q = _quote_list([t])
        parts += [
            f"sum(n) FILTER (monitor_type = {q}) AS monitored_households_{t}",
            f"coalesce(sum(size) FILTER (monitor_type = {q}), 0) AS monitored_persons_{t}",
        ]
    for s in vocabulary.statuses:
        q = _quote_list([s])
        parts += [
            f"sum(n) FILTER (status = {q}) AS households_status_{s}",
            f"coalesce(sum(size) FILTER (status = {q}), 0) AS persons_status_{s}",
        ]
    parts += [
        "sum(n_net1) AS income_households",
        "sum(net1) AS net1",
        "sum(size1) AS size1",
        "sum(net0) AS net0",
        "sum(size0) AS size0",
    ]
    for key, column in zip(
        GUARANTEES,
        ("food_fail", "education_fail", "medical_fail", "housing_fail", "water_fail"),
        strict=True,
    ):
        parts.append(f"sum(n) FILTER ({column}) AS households_failing_{key}")
    parts += [
        "sum(n) FILTER (coalesce(food_fail, FALSE) OR education_fail OR medical_fail "
        "OR coalesce(housing_fail, FALSE) OR coalesce(water_fail, FALSE)) "
        "AS households_failing_any_guarantee",
        "sum(n) FILTER (no_conditions) AS households_without_conditions",
    ]
    parts += [
        f"sum(n) FILTER (housing_grade = '{g}') AS households_housing_{g}" for g in HOUSING_GRADES
    ]
    parts += [
        "sum(n) FILTER (relocated) AS relocated_households",
        "coalesce(sum(size) FILTER (relocated), 0) AS relocated_persons",
    ]
    return parts


def compute_indicators(
    con: duckdb.DuckDBPyConnection,
    *,
    as_of: datetime.date,
    income_year: int | None = None,
    growth_from: int | None = None,
    vocabulary: Vocabulary = DEFAULT_VOCABULARY,
) -> IndicatorTable:
    """All indicators for every area of the snapshot in ``con`` (see the module)."""
    if income_year is None:
        income_year = latest_income_year(con, as_of)
    if growth_from is None and income_year is not None:
        growth_from = income_year - 1
    if income_year is not None and growth_from is not None and growth_from >= income_year:
        raise ValueError("the base year of growth must come before the income year")
    facts = _facts_sql(as_of, income_year if income_year is not None else -1, growth_from)
    aggregates = _aggregates(vocabulary)
    names = [part.rsplit(" AS ", 1)[1] for part in aggregates]
    # Additive figures are summed per gaqa first, then the few gaqa rows are rolled up to
    # every ancestor; only the quantiles need the households themselves at every level.
    con.execute(f"CREATE OR REPLACE TEMP TABLE _facts AS {facts}")
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE _ancestry AS
        SELECT leaf.area_id AS leaf_id, anc.area_id AS area_id
        FROM (SELECT DISTINCT area_id FROM _facts) holding
        JOIN areas leaf ON leaf.area_id = holding.area_id
        JOIN areas anc ON leaf.lft BETWEEN anc.lft AND anc.rgt
        """
    )
    deciles = ", ".join(str(q) for q in DECILES)
    sql = f"""
        WITH cube AS ({CUBE_SQL}),
        leaf AS (
            SELECT area_id, {", ".join(aggregates)} FROM cube GROUP BY area_id
        ),
        totals AS (
            SELECT x.area_id, {", ".join(f"sum(leaf.{n}) AS {n}" for n in names)}
            FROM leaf JOIN _ancestry x ON x.leaf_id = leaf.area_id
            GROUP BY x.area_id
        ),
        quantiles AS (
            SELECT x.area_id, quantile_cont(f.pc1, [{deciles}]) AS deciles
            FROM (SELECT area_id, pc1 FROM _facts WHERE pc1 IS NOT NULL) f
            JOIN _ancestry x ON x.leaf_id = f.area_id
            GROUP BY x.area_id
        )
        SELECT a.code, totals.*, q.deciles,
               totals.net1 / totals.size1 AS income_per_capita_mean,
               totals.net0 / totals.size0 AS income_per_capita_mean_base,
               f.rural_population
        FROM areas a
        LEFT JOIN totals ON totals.area_id = a.area_id
        LEFT JOIN quantiles q ON q.area_id = a.area_id
        LEFT JOIN area_figures f ON f.area_id = a.area_id AND f.year = {as_of.year}
        ORDER BY a.lft
    """
    cursor = con.execute(sql)
    columns = [d[0] for d in cursor.description]
    keys = indicator_keys(vocabulary)
    table = IndicatorTable(as_of=as_of, income_year=income_year, growth_from=growth_from, keys=keys)
    span = (income_year - growth_from) if income_year and growth_from else None
    for record in cursor.fetchall():
        raw = dict(zip(columns, record, strict=True))
        row = {k: raw.get(k) for k in keys}
        # Counts are whole numbers, zero where nothing matched (or no household at all).
        for k in keys:
            if is_count(k):
                row[k] = int(row[k] or 0)
        deciles = raw.get("deciles") or [None] * len(DECILES)
        for q, value in zip(DECILES, deciles, strict=True):
            row[f"income_per_capita_p{round(q * 100)}"] = value
        row["income_per_capita_median"] = deciles[DECILES.index(0.5)]
        for k in keys:
            if isinstance(row[k], float) and math.isnan(row[k]):
                row[k] = None
        row["rural_population"] = raw.get("rural_population")
        row["incidence_percent"] = incidence_percent(row["poor_persons"], row["rural_population"])
        row["income_growth_percent"] = growth_percent(
            row["income_per_capita_mean_base"], row["income_per_capita_mean"], span
        )
        table.rows[raw["code"]] = row
    return table


def incidence_percent(poor_persons: int | None, rural_population: int | None) -> float | None:
    """Poor people as a percentage of the rural registered population, two decimals."""
    if not rural_population or poor_persons is None:
        return None
    return round(100.0 * poor_persons / rural_population, 2)


def growth_percent(x0: float | None, x1: float | None, years: int | None) -> float | None:
    """Geometric mean annual growth rate from ``x0`` to ``x1`` over ``years``, in percent."""
    if not x0 or x1 is None or not years or x0 <= 0 or x1 < 0:
        return None
    return round(100.0 * ((x1 / x0) ** (1.0 / years) - 1.0), 2)


def rollup_counts(
    con: duckdb.DuckDBPyConnection, per_area_sql: str, params: Sequence[Any] = ()
) -> dict[str, dict[str, int]]:
    """Roll counts kept per area up the tree: ``per_area_sql`` returns ``(area_id, key,
    value)``; the result maps every area code holding any count to ``{key: total}``.

    The monitoring pipeline (clues by channel, cases by step, overdue) and assistance
    coverage come in through here as their apps add their tables to the snapshot.
    """
    rows = con.execute(
        f"""
        WITH src AS ({per_area_sql})
        SELECT anc.code, src.key, sum(src.value)
        FROM src JOIN areas leaf ON leaf.area_id = src.area_id
        JOIN areas anc ON leaf.lft BETWEEN anc.lft AND anc.rgt
        GROUP BY anc.code, src.key
        """,
        list(params),
    ).fetchall()
    out: dict[str, dict[str, int]] = {}
    for code, key, value in rows:
        out.setdefault(code, {})[key] = int(value)
    return out
