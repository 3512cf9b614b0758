"""``tuopin evaluate``: a household file under the policy, as the evaluation CSV of
``spec/household-file.md``. Nothing is stored."""

from __future__ import annotations

import csv
import datetime
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

import duckdb
from django.db.utils import OperationalError, ProgrammingError
from django.utils.translation import gettext, override

from tuopin.areas.models import Area
from tuopin.core.errors import DomainError
from tuopin.policy.choices import PackStatus
from tuopin.policy.models import PolicyPack, PolicyValue
from tuopin.policy.selectors import PolicyView, policy_in_force
from tuopin.policy.services import DEFAULT_POLICY
from tuopin.registry.importers.household_file import ParsedHousehold
from tuopin.rules.engine import RuleParams
from tuopin.rules.params import file_tables, rule_params
from tuopin.rules.tables import load_inputs, run_rules

EVALUATION_COLUMNS = [
    "household_code",
    "household_size",
    "net_income_per_capita",
    "poverty_line",
    "monitoring_threshold",
    "income_exceeds_line",
    "guarantees_failed",
    "exit_eligible",
    "monitor_type",
    "elimination_eligible",
    "reasons",
]

# The evaluation file's reasons are in Chinese whatever the user's language (the spec says so).
FILE_LANGUAGE = "zh-hans"


def shipped_policy_view(*, at: datetime.date, region: str) -> PolicyView:
    """The policy shipped with Tuopin (``policy/data/default.json``) for ``region``, read
    from the file: for a machine whose database holds no policy (or no database at all),
    so that ``tuopin evaluate`` works anywhere. Packs are matched by the region's code
    prefixes (province, league, banner), the narrowest winning as in the database."""
    if not re.fullmatch(r"\d{12}", region):
        raise DomainError(
            "rules.evaluate.unknown_region",
            gettext("No area has the code %(code)s.") % {"code": region},
        )
    chain = {region[:2] + "0" * 10, region[:4] + "0" * 8, region[:6] + "0" * 6, region}
    data = json.loads(DEFAULT_POLICY.read_text(encoding="utf-8"))
    specs = [
        spec
        for spec in data["packs"]
        if (spec.get("area_code") in chain or not spec.get("area_code"))
        and datetime.date.fromisoformat(spec["effective_from"]) <= at
    ]
    specs.sort(key=lambda spec: len((spec.get("area_code") or "").rstrip("0")))
    packs: list[PolicyPack] = []
    values: dict[str, tuple[PolicyPack, list[PolicyValue]]] = {}
    for spec in specs:  # widest first, so narrower scopes overwrite
        pack = PolicyPack(
            name=spec["name"],
            scope=spec["scope"],
            version=spec["version"],
            effective_from=datetime.date.fromisoformat(spec["effective_from"]),
            status=PackStatus.PUBLISHED,
        )
        packs.append(pack)
        rows: dict[str, list[PolicyValue]] = {}
        for item in spec["values"]:
            rows.setdefault(item["key"], []).append(
                PolicyValue(
                    key=item["key"],
                    year=item["year"],
                    value=Decimal(item["value"]),
                    source=item["source"],
                )
            )
        for key, found in rows.items():
            values[key] = (pack, sorted(found, key=lambda row: row.year or 0))
    return PolicyView(at=at, area=None, packs=packs, _values=values)


def _stored_policy_view(*, at: datetime.date, region: str) -> PolicyView | None:
    """The policy in the database, or ``None`` when the database holds none."""
    try:
        if not PolicyPack.objects.filter(status=PackStatus.PUBLISHED).exists():
            return None
    except (OperationalError, ProgrammingError):
        return None  # no database, or one never migrated
    return policy_in_force(at=at, area=region_area(region))


def region_area(code: str) -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise DomainError(
            "rules.evaluate.unknown_region",
            gettext("No area has the code %(code)s.") % {"code": code},
        )
    return area


def evaluation_params(
    *,
    year: int,
    region: str,
    as_of: datetime.date | None = None,
    poverty_line: Decimal | None = None,
    threshold: Decimal | None = None,
) -> RuleParams:
    as_of = as_of or datetime.date(year, 12, 31)
    view = _stored_policy_view(at=as_of, region=region) or shipped_policy_view(
        at=as_of, region=region
    )
    return rule_params(
        view=view, year=year, as_of=as_of, poverty_line=poverty_line, threshold=threshold
    )


@dataclass(frozen=True)
class EvaluatedRow:
    values: dict[str, Any]


def evaluate_households(
    households: Iterable[ParsedHousehold], params: RuleParams
) -> list[dict[str, Any]]:
    """The vectorised evaluation of parsed households, one dict per household, in the order
    of ``household_code``; reasons in Chinese."""
    con = duckdb.connect()
    try:
        load_inputs(con, file_tables(households), {0: params})
        with override(FILE_LANGUAGE):
            relation = run_rules(con, as_of=params.as_of, translate=gettext)
            relation = relation.order("household_code")
            names = relation.columns
            return [dict(zip(names, row, strict=True)) for row in relation.fetchall()]
    finally:
        con.close()


def _decimal(cents: int | None) -> str:
    if cents is None:
        return ""
    return format(Decimal(cents).scaleb(-2), ".2f")


def _policy_amount(cents: int | None) -> str:
    if cents is None:
        return ""
    return str(cents // 100) if cents % 100 == 0 else _decimal(cents)


def _flag(value: bool | None) -> str:
    if value is None:
        return ""
    return "true" if value else "false"


def evaluation_row(result: Mapping[str, Any]) -> list[str]:
    return [
        result["household_code"],
        str(result["household_size"]),
        _decimal(result["per_capita"]),
        _policy_amount(result["poverty_line"]),
        _policy_amount(result["threshold"]),
        _flag(result["income_exceeds_line"]),
        result["guarantees_failed"] or "",
        _flag(result["exit_eligible"]),
        result["monitor_candidate"] or "",
        _flag(result["elimination_eligible"]),
        result["reasons"] or "",
    ]


def write_evaluation_csv(results: Iterable[Mapping[str, Any]], stream: IO[str]) -> None:
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(EVALUATION_COLUMNS)
    for result in results:
        writer.writerow(evaluation_row(result))
