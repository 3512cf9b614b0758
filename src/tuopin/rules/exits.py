"""Village exit (贫困村出列) and banner exit (贫困旗县摘帽) for an area and year.

A village or banner meets the exit standard when its poverty incidence at the end of the
year — registered poor people (未脱贫, 新识别, and 返贫 until they exit again) ÷ the rural
population the area's figures give for the year — is below the policy's limit (3% in the
west), and every household it counts as lifted out meets the household exit conditions
under the rules for that year (income above the line, every guarantee met). An area whose
population figure for the year is missing is not judged: the registry alone never gives
the denominator.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import require
from tuopin.analytics.snapshot import open_snapshot, refresh_snapshot
from tuopin.areas.models import Area
from tuopin.policy.choices import PolicyKey
from tuopin.policy.selectors import policy_in_force
from tuopin.registry.choices import POOR_STATUSES, RegistryStatus
from tuopin.rules.sweep import prepare_rule_inputs, run_sweep_rules

EXITED = (RegistryStatus.EXITED_WITH_POLICY.value, RegistryStatus.EXITED_WITHOUT_POLICY.value)
JUDGED_LEVELS = ("banner", "village")


@dataclass(frozen=True)
class ExitRow:
    area_id: int
    code: str
    name: str
    level: str
    depth: int
    rural_population: int | None
    poor_households: int
    poor_persons: int
    exited_households: int
    exited_not_meeting: int
    exited_not_evaluated: int
    incidence_percent: Decimal | None
    incidence_ok: bool | None
    meets: bool | None


@dataclass(frozen=True)
class ExitReport:
    area: Area
    year: int
    as_of: datetime.date
    limit_percent: Decimal
    limit_source: str
    snapshot_made: datetime.datetime
    rows: list[ExitRow]


def _statuses(values: Any) -> str:
    return ", ".join(f"'{v}'" for v in sorted(str(x) for x in values))


def exit_report(*, user: Any, year: int, area: Area) -> ExitReport:
    """The exit check of every banner and village in ``area`` for ``year``; figures are read
    from the registry snapshot of 31 December of the year (made when missing)."""
    if user is not None:
        require(user, Capability.VIEW_AGGREGATES, area)
    as_of = datetime.date(year, 12, 31)
    snapshot = open_snapshot(as_of) or refresh_snapshot(as_of=as_of)
    view = policy_in_force(at=as_of, area=area)
    limit = view.value(PolicyKey.VILLAGE_EXIT_INCIDENCE_PERCENT)
    limit_percent = limit.value if limit else Decimal(3)
    con = snapshot.connect()
    try:
        prepare_rule_inputs(con, area=area, year=year, as_of=as_of)
        run_sweep_rules(con, as_of=as_of)
        (span,) = con.execute(
            "SELECT lft, rgt FROM areas WHERE area_id = ?", [area.pk]
        ).fetchall() or [(area.lft, area.rgt)]
        poor, exited = _statuses(POOR_STATUSES), _statuses(EXITED)
        rows = con.execute(
            f"""
            WITH hh AS (
              SELECT h.household_id, a.lft, h.status, h.size, r.exit_eligible
              FROM swept_households h JOIN areas a ON a.area_id = h.area_id
              LEFT JOIN sweep_results r ON r.hh_key = h.household_id),
            t AS (
              SELECT area_id, code, name, level, depth, lft, rgt FROM areas
              WHERE lft BETWEEN ? AND ? AND level IN ('banner', 'village') AND is_active),
            pop AS (
              SELECT t.area_id, coalesce(
                max(CASE WHEN f.area_id = t.area_id THEN f.rural_population END),
                sum(CASE WHEN a.level = 'village' THEN f.rural_population END)) AS people
              FROM t JOIN areas a ON a.lft BETWEEN t.lft AND t.rgt
              JOIN area_figures f ON f.area_id = a.area_id AND f.year = ?
              GROUP BY t.area_id)
            SELECT t.area_id, t.code, t.name, t.level, t.depth, pop.people,
              count_if(hh.status IN ({poor})),
              coalesce(sum(CASE WHEN hh.status IN ({poor}) THEN hh.size END), 0),
              count_if(hh.status IN ({exited})),
              count_if(hh.status IN ({exited}) AND hh.exit_eligible = FALSE),
              count_if(hh.status IN ({exited}) AND hh.exit_eligible IS NULL)
            FROM t LEFT JOIN hh ON hh.lft BETWEEN t.lft AND t.rgt
            LEFT JOIN pop ON pop.area_id = t.area_id
            GROUP BY t.area_id, t.code, t.name, t.level, t.depth, t.lft, pop.people
            ORDER BY t.lft""",
            [*span, year],
        ).fetchall()
    finally:
        con.close()
    report_rows = []
    for (
        area_id,
        code,
        name,
        level,
        depth,
        people,
        poor_hh,
        poor_people,
        ex,
        ex_bad,
        ex_none,
    ) in rows:
        incidence = (
            (Decimal(poor_people) * 100 / Decimal(people)).quantize(Decimal("0.01"))
            if people
            else None
        )
        ok = None if incidence is None else incidence < limit_percent
        report_rows.append(
            ExitRow(
                area_id=area_id,
                code=code,
                name=name,
                level=level,
                depth=depth,
                rural_population=people,
                poor_households=poor_hh,
                poor_persons=int(poor_people),
                exited_households=ex,
                exited_not_meeting=ex_bad,
                exited_not_evaluated=ex_none,
                incidence_percent=incidence,
                incidence_ok=ok,
                meets=None if ok is None else ok and ex_bad == 0,
            )
        )
    return ExitReport(
        area=area,
        year=year,
        as_of=as_of,
        limit_percent=limit_percent,
        limit_source=limit.source if limit else "",
        snapshot_made=snapshot.created_at,
        rows=report_rows,
    )
