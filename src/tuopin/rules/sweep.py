"""The sweep: every stored household of an area under the rules, at once.

The registry is read from a fresh snapshot (``analytics.snapshot``: Parquet, exported in
bulk), the rules run vectorised in DuckDB, the run is recorded with the policy it used and
the count of each outcome, the per-household results are kept as a Parquet file, and each
new monitoring candidate (a household the rules place in a monitoring type that is not
monitored already) is handed to the registered candidate handlers — the monitoring app
registers one that opens a risk clue on the system-screening channel. A clue is never
opened twice for the same household (see ``monitoring.services.clue_raise``), so sweeping
again opens nothing new.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, override

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import require
from tuopin.analytics.snapshot import refresh_snapshot
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError
from tuopin.policy.models import PolicyPack
from tuopin.policy.selectors import PolicyView, policy_in_force
from tuopin.rules import definitions as d
from tuopin.rules.inputs import measures_in_place
from tuopin.rules.models import SweepRun, SweepState
from tuopin.rules.params import rule_params
from tuopin.rules.tables import PARAM_SCHEMA, run_rules

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class Candidate:
    """A household the rules place in a monitoring type, not monitored yet."""

    household_id: int
    monitor_type: str
    year: int
    per_capita: int | None
    per_capita_after_expenses: int | None
    threshold: int | None
    guarantees_failed: list[str] = field(default_factory=list)
    reason_codes: list[str] = field(default_factory=list)
    reasons: str = ""  # rendered in Chinese, as the clue records them


CandidateHandler = Callable[[SweepRun, list[Candidate]], int]
_candidate_handlers: list[CandidateHandler] = []


def register_candidate_handler(handler: CandidateHandler) -> None:
    """``handler(run, candidates)`` acts on the new candidates of a run and returns how many
    clues it opened. Apps above the rules register one when they load."""
    if handler not in _candidate_handlers:
        _candidate_handlers.append(handler)


def _root() -> Area:
    root = Area.objects.filter(parent__isnull=True).order_by("lft").first()
    if root is None:
        raise DomainError("rules.sweep.no_areas", gettext("There is no area tree to sweep."))
    return root


def _pack_areas() -> list[Area]:
    """Areas with a published pack of their own: where the policy may differ."""
    ids = (
        PolicyPack.objects.filter(status="published", area__isnull=False)
        .values_list("area_id", flat=True)
        .distinct()
    )
    return list(Area.objects.filter(pk__in=list(ids)))


def _policy_used(key: int, view: PolicyView, params: Any) -> dict[str, Any]:
    return {
        "policy_key": key,
        "area": view.area.code if view.area else None,
        "packs": [
            {"scope": p.scope, "area": p.area_code, "version": p.version, "name": p.name}
            for p in view.packs
        ],
        "poverty_line": params.poverty_line,
        "line_from_year": params.line_from_year,
        "threshold": params.threshold,
        "threshold_from_year": params.threshold_from_year,
    }


COUNTED = {
    "exit_eligible": "exit_eligible",
    "unstable_tuopin": "monitor_candidate = 'unstable_tuopin'",
    "marginal": "monitor_candidate = 'marginal'",
    "sudden_hardship": "monitor_candidate = 'sudden_hardship'",
    "new_candidates": "monitor_candidate IS NOT NULL AND NOT arrives_monitored",
    "monitored": "arrives_monitored",
    "elimination_eligible": "coalesce(elimination_eligible, FALSE)",
    **{f"fails_{code}": output for code, output in d.GUARANTEES},
}


def sweep_run(
    *,
    actor: Any,
    year: int,
    area: Area | None = None,
    as_of: datetime.date | None = None,
    progress: Progress | None = None,
) -> SweepRun:
    """Sweep ``area`` (the whole tree by default) for income year ``year``; see the module.

    A user needs the sweep capability (banner and league officers) over the whole area;
    ``actor=None`` is the system.
    """
    area = area or _root()
    if actor is not None:
        require(actor, Capability.RUN_SWEEP, area)
    as_of = as_of or datetime.date(year, 12, 31)
    step = progress or (lambda done, total, message: None)
    run = SweepRun.objects.create(
        year=year, as_of=as_of, area=area, started_by=actor if actor is not None else None
    )
    try:
        step(0, 4, gettext("Taking a snapshot of the registry"))
        snapshot = refresh_snapshot(as_of=as_of)
        step(1, 4, gettext("Applying the rules"))
        con = snapshot.connect()
        try:
            candidates, counts, policy = _evaluate(con, run=run, area=area)
        finally:
            con.close()
        step(3, 4, gettext("Opening clues for new monitoring candidates"))
        with transaction.atomic():
            opened = sum(handler(run, candidates) for handler in _candidate_handlers)
            run.state = SweepState.DONE
            run.finished_at = timezone.now()
            run.counts = counts
            run.policy = policy
            run.clues_opened = opened
            run.save()
            log_action(
                actor=actor,
                action="rules.sweep.run",
                obj=run,
                area_code=area.code,
                diff={"counts": [None, counts], "clues_opened": [None, opened]},
            )
        step(4, 4, gettext("Done"))
    except Exception as exc:
        SweepRun.objects.filter(pk=run.pk).update(
            state=SweepState.FAILED, finished_at=timezone.now(), message=repr(exc)[:500]
        )
        raise
    return run


def prepare_rule_inputs(
    con: Any, *, area: Area, year: int, as_of: datetime.date
) -> list[dict[str, Any]]:
    """In a snapshot connection, the households of ``area`` (``swept_households``) and the
    rule inputs for ``year`` (``sweep_households``, ``sweep_members``, ``sweep_params``);
    returns the policy used per policy key."""
    (span,) = con.execute("SELECT lft, rgt FROM areas WHERE area_id = ?", [area.pk]).fetchall() or [
        (area.lft, area.rgt)
    ]
    con.execute(
        "CREATE TEMP TABLE swept_households AS SELECT h.* FROM households h "
        "JOIN areas a ON a.area_id = h.area_id WHERE a.lft BETWEEN ? AND ?",
        list(span),
    )
    # Which policy applies: the deepest area with a pack of its own on the household's chain.
    pack_areas = _pack_areas()
    keys = pa.table(
        {
            "policy_key": [a.pk for a in pack_areas],
            "lft": [a.lft for a in pack_areas],
            "rgt": [a.rgt for a in pack_areas],
            "depth": [a.depth for a in pack_areas],
        },
        schema=pa.schema(
            [
                ("policy_key", pa.int64()),
                ("lft", pa.int64()),
                ("rgt", pa.int64()),
                ("depth", pa.int32()),
            ]
        ),
    )
    con.register("pack_areas", keys)
    con.execute(
        "CREATE TEMP TABLE household_policy AS SELECT h.household_id, "
        "arg_max(p.policy_key, p.depth) AS policy_key FROM swept_households h "
        "JOIN areas a ON a.area_id = h.area_id "
        "JOIN pack_areas p ON a.lft BETWEEN p.lft AND p.rgt GROUP BY h.household_id"
    )
    used_keys = [row[0] for row in con.execute(
        "SELECT DISTINCT coalesce(p.policy_key, 0) FROM swept_households h "
        "LEFT JOIN household_policy p USING (household_id)"
    ).fetchall()]  # fmt: skip
    by_pk = {a.pk: a for a in pack_areas}
    params_rows: dict[str, list[Any]] = {name: [] for name in PARAM_SCHEMA.names}
    policy: list[dict[str, Any]] = []
    for key in sorted(used_keys):
        view = policy_in_force(at=as_of, area=by_pk.get(key))
        params = rule_params(view=view, year=year, as_of=as_of)
        params_rows["policy_key"].append(key)
        for name, value in params.as_dict().items():
            params_rows[name].append(value)
        policy.append(_policy_used(key, view, params))
    con.register("sweep_params", pa.table(params_rows, schema=PARAM_SCHEMA))

    ids = [row[0] for row in con.execute("SELECT household_id FROM swept_households").fetchall()]
    measures = measures_in_place(ids, as_of)
    con.register(
        "sweep_measures",
        pa.table(
            {"household_id": list(measures), "measures": list(measures.values())},
            schema=pa.schema([("household_id", pa.int64()), ("measures", pa.int32())]),
        ),
    )

    def money(column: str) -> str:
        return f"CAST(round(i.{column} * 100) AS BIGINT) AS {column}"

    con.execute(
        f"""CREATE TEMP VIEW sweep_households AS
        SELECT h.household_id AS hh_key, coalesce(p.policy_key, 0) AS policy_key,
               h.household_code, h.household_type,
               {money("wage_income")}, {money("business_income")}, {money("property_income")},
               {money("transfer_income")}, {money("business_costs")},
               {money("compliant_expenses")},
               c.food_clothing, c.housing_grade, c.water_quantity, c.water_quality,
               c.water_access, c.water_reliability, h.monitor_type, h.monitor_since,
               CAST(coalesce(m.measures, 0) AS INTEGER) AS measures
        FROM swept_households h
        JOIN incomes i ON i.household_id = h.household_id AND i.year = {int(year)}
        JOIN conditions c ON c.household_id = h.household_id AND c.year = {int(year)}
        LEFT JOIN household_policy p ON p.household_id = h.household_id
        LEFT JOIN sweep_measures m ON m.household_id = h.household_id"""
    )
    con.execute(
        "CREATE TEMP VIEW sweep_members AS SELECT household_id AS hh_key, birth_date, "
        "schooling, medical_insured, labour FROM members"
    )
    return policy


def run_sweep_rules(con: Any, *, as_of: datetime.date) -> None:
    """The rules over the prepared inputs, into the table ``sweep_results``."""
    with override("zh-hans"):
        relation = run_rules(
            con,
            as_of=as_of,
            translate=gettext,
            households="sweep_households",
            members="sweep_members",
            params="sweep_params",
            text=False,
        )
        con.execute(f"CREATE TEMP TABLE sweep_results AS {relation.sql_query()}")


def _evaluate(
    con: Any, *, run: SweepRun, area: Area
) -> tuple[list[Candidate], dict[str, int], list[dict[str, Any]]]:
    year, as_of = run.year, run.as_of
    policy = prepare_rule_inputs(con, area=area, year=year, as_of=as_of)
    run_sweep_rules(con, as_of=as_of)
    (total,) = con.execute("SELECT count(*) FROM swept_households").fetchall()[0]
    sums = ", ".join(f"count_if({expr})" for expr in COUNTED.values())
    row = con.execute(f"SELECT count(*), {sums} FROM sweep_results").fetchall()[0]
    counts = {"households": total, "evaluated": row[0], "not_evaluated": total - row[0]}
    counts.update(dict(zip(COUNTED, row[1:], strict=True)))

    folder = Path(settings.DATA_DIR) / "sweeps"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"sweep-{run.pk}.parquet"
    con.execute(
        f"COPY sweep_results TO '{str(target).replace(chr(39), chr(39) * 2)}' (FORMAT parquet)"
    )
    run.result_file = str(target.relative_to(Path(settings.DATA_DIR)))

    # The reasons of the candidates (only theirs) rendered as text for their clues.
    con.execute(
        "CREATE TEMP VIEW candidate_households AS SELECT * FROM sweep_households WHERE hh_key "
        "IN (SELECT hh_key FROM sweep_results "
        "WHERE monitor_candidate IS NOT NULL AND NOT arrives_monitored)"
    )
    with override("zh-hans"):
        texts = run_rules(
            con,
            as_of=as_of,
            translate=gettext,
            households="candidate_households",
            members="sweep_members",
            params="sweep_params",
        )
        found = con.execute(
            f"SELECT hh_key, monitor_candidate, per_capita, per_capita_after_expenses, "
            f"threshold, guarantees_failed, reason_codes, reasons FROM ({texts.sql_query()}) "
            "ORDER BY hh_key"
        ).fetchall()
    candidates = [
        Candidate(
            household_id=hh,
            monitor_type=kind,
            year=year,
            per_capita=pc,
            per_capita_after_expenses=after,
            threshold=threshold,
            guarantees_failed=[g for g in (failed or "").split(";") if g],
            reason_codes=list(codes),
            reasons=reasons,
        )
        for hh, kind, pc, after, threshold, failed, codes, reasons in found
    ]
    return candidates, counts, policy
