"""The fast way in for a clean household file of new households.

A file read by columns (``importers.columnar``) goes into two temporary tables (one COPY
each on PostgreSQL, ``executemany`` on SQLite); set-based SQL then checks it against the
registry and writes households, people, memberships, statuses, incomes, conditions,
monitoring periods and one audit row per household, each with one statement. Only the plain
case is taken here: every area exists and may be edited, no household code is in the
registry yet and nobody in the file is an active member anywhere. Anything else (a
re-import, a move, an error) returns ``None`` before anything is written, and the import
goes the row-by-row way, which says exactly what is wrong or what changes.
"""

# Every statement here is built from table names (the models' own) and this module's
# constants; values always travel as parameters.
# ruff: noqa: S608

from __future__ import annotations

import datetime
import io
from typing import Any

import polars as pl
from django.db import connection
from django.utils import timezone

from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.audit import _actor_fields
from tuopin.core.choices import AuditKind
from tuopin.registry.choices import HouseholdType, MembershipReason
from tuopin.registry.importers.columnar import HOUSEHOLD_VALUE_KEYS, MEMBER_VALUE_KEYS
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)
from tuopin.registry.services import INITIAL_STATUS

# One row per household (its first row's number, its values and size), one per member.
_HOUSEHOLDS = "tuopin_import_household"
_MEMBERS = "tuopin_import_member"
_AMOUNTS = (
    "wage_income",
    "business_income",
    "property_income",
    "transfer_income",
    "business_costs",
    "compliant_expenses",
)
_SQL_TYPES = {
    "row": "integer",
    "size": "integer",
    "tuopin_year": "smallint",
    "income_year": "smallint",
    "measures": "integer",
    "monitor_since": "date",
    "birth_date": "date",
    **dict.fromkeys(_AMOUNTS, "numeric(14, 2)"),
    **dict.fromkeys(
        [
            "food_clothing",
            "water_quantity",
            "water_quality",
            "water_access",
            "water_reliability",
            "medical_insured",
            "pension_insured",
        ],
        "boolean",
    ),
}
_HOUSEHOLD_COLUMNS = ["row", "code", *HOUSEHOLD_VALUE_KEYS, "size"]
_MEMBER_COLUMNS = ["row", "code", *MEMBER_VALUE_KEYS]


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def import_table(
    *,
    actor: Any,
    table: Any,
    in_scope: Any,
    on: datetime.date,
    progress: Any = None,
) -> tuple[int, int] | None:
    """Write the households of ``table`` (a ``columnar.HouseholdTable``); returns
    (households, members) written, or ``None`` when the file is not the plain case (nothing
    written). Runs inside the caller's transaction."""
    frame = table.frame
    households = (
        frame.select("row", "code", *HOUSEHOLD_VALUE_KEYS)
        .unique(subset="code", keep="first", maintain_order=True)
        .join(frame.group_by("code").len("size"), on="code", maintain_order="left")
    )
    total = households.height
    with connection.cursor() as cursor:
        _stage(cursor, _HOUSEHOLDS, households.select(_HOUSEHOLD_COLUMNS))
        _stage(cursor, _MEMBERS, frame.select(_MEMBER_COLUMNS))
        if _postgres():
            # Sorts and hashes of a million rows stay in memory (this transaction only).
            cursor.execute("SET LOCAL work_mem = '256MB'")
        written = None
        if _plain_case(cursor, actor, in_scope):
            if progress:
                progress(0, total, "")
            written = _write(cursor, actor, on, total, progress)
        # On an error the transaction is rolled back, and the tables with it.
        cursor.execute(f"DROP TABLE {_HOUSEHOLDS}")
        cursor.execute(f"DROP TABLE {_MEMBERS}")
        if _postgres():
            cursor.execute("RESET work_mem")
    return written


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _stage(cursor: Any, name: str, frame: pl.DataFrame) -> None:
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    columns = ", ".join(f"{column} {_SQL_TYPES.get(column, 'text')}" for column in frame.columns)
    if not _postgres():
        # SQLite: dates as ISO text and booleans as 0/1, as Django stores them there.
        cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns})")
        frame = frame.with_columns(
            pl.col(pl.Date).dt.to_string("%Y-%m-%d"), pl.col(pl.Boolean).cast(pl.Int8)
        )
        marks = ", ".join(["%s"] * frame.width)
        cursor.executemany(f"INSERT INTO {name} VALUES ({marks})", frame.iter_rows())
        return
    cursor.execute(f"CREATE TEMPORARY TABLE {name} ({columns}) ON COMMIT DROP")
    buffer = io.BytesIO()
    frame.write_csv(buffer, include_header=False, quote_style="necessary")
    with cursor.cursor.copy(f"COPY {name} FROM STDIN WITH (FORMAT csv)") as copy:
        view = buffer.getbuffer()
        for start in range(0, len(view), 1 << 20):
            copy.write(view[start : start + (1 << 20)])
        del view
    cursor.execute(f"ANALYZE {name}")


def _plain_case(cursor: Any, actor: Any, in_scope: Any) -> bool:
    cursor.execute(f"SELECT DISTINCT area_code FROM {_HOUSEHOLDS}")
    codes = [code for (code,) in cursor.fetchall()]
    areas = {area.code: area for area in Area.objects.filter(code__in=codes)}
    for code in codes:
        area = areas.get(code)
        if area is None or not in_scope(actor, area):
            return False
        if area.level != Level.VILLAGE or not area.is_active:
            return False
    cursor.execute(
        f"SELECT 1 FROM {_table(Household)} h "
        f"WHERE h.code IN (SELECT code FROM {_HOUSEHOLDS}) LIMIT 1"
    )
    if cursor.fetchone():
        return False
    cursor.execute(
        f"SELECT 1 FROM {_MEMBERS} m "
        f"JOIN {_table(Person)} p ON p.id_type = m.id_type AND p.id_number = m.id_number "
        f"JOIN {_table(Membership)} ms ON ms.person_id = p.id AND ms.valid_to IS NULL LIMIT 1"
    )
    return cursor.fetchone() is None


def _write(
    cursor: Any, actor: Any, on: datetime.date, total: int, progress: Any
) -> tuple[int, int]:
    ops = connection.ops
    now = ops.adapt_datetimefield_value(timezone.now())
    on = ops.adapt_datefield_value(on)
    household, person = _table(Household), _table(Person)
    no_causes = "'[]'::jsonb" if _postgres() else "'[]'"
    json_object, json_array = (
        ("jsonb_build_object", "jsonb_build_array")
        if _postgres()
        else ("json_object", "json_array")
    )
    true = "true" if _postgres() else "json('true')"
    first = f"{_HOUSEHOLDS} f"
    steps: list[tuple[str, list[Any]]] = [
        (
            f"INSERT INTO {household} (code, area_id, household_type, attribute, main_cause, "
            "other_causes, tuopin_year, phone, bank_name, bank_account, closed_on, "
            "close_reason, version, created_at, updated_at) "
            "SELECT f.code, a.id, f.household_type, coalesce(f.attribute, ''), "
            f"coalesce(f.main_cause, ''), {no_causes}, f.tuopin_year, '', '', '', NULL, '', 1, "
            f"%s, %s FROM {first} JOIN {_table(Area)} a ON a.code = f.area_code ORDER BY f.row",
            [now, now],
        ),
        (
            f"INSERT INTO {person} (id_type, id_number, name, sex, birth_date, ethnicity, "
            "education, schooling, health, labour, medical_insured, pension_insured, version, "
            "updated_at) "
            "SELECT m.id_type, m.id_number, m.name, coalesce(m.sex, ''), m.birth_date, "
            "coalesce(m.ethnicity, ''), coalesce(m.education, ''), m.schooling, m.health, "
            f"coalesce(m.labour, ''), m.medical_insured, m.pension_insured, 1, %s "
            f"FROM {_MEMBERS} m WHERE NOT EXISTS (SELECT 1 FROM {person} p "
            "WHERE p.id_type = m.id_type AND p.id_number = m.id_number) "
            # In the order of the indexes on the number: each insertion lands beside the last.
            "ORDER BY m.id_number, m.id_type",
            [now],
        ),
        (
            f"INSERT INTO {_table(Membership)} (household_id, person_id, relation, valid_from, "
            "valid_to, join_reason, leave_reason, note) "
            "SELECT h.id, p.id, m.relation, %s, NULL, %s, '', '' "
            f"FROM {_MEMBERS} m JOIN {household} h ON h.code = m.code "
            f"JOIN {person} p ON p.id_type = m.id_type AND p.id_number = m.id_number "
            "ORDER BY m.row",
            [on, str(MembershipReason.REGISTERED)],
        ),
    ]
    status = " ".join(
        f"WHEN '{kind.value}' THEN '{INITIAL_STATUS[kind].value}'" for kind in HouseholdType
    )
    households = f"{first} JOIN {household} h ON h.code = f.code"
    steps += [
        (
            f"INSERT INTO {_table(HouseholdStatus)} (household_id, status, valid_from, valid_to, "
            f"reason, recorded_by_id) SELECT h.id, CASE f.household_type {status} END, %s, "
            f"NULL, '', %s FROM {households} ORDER BY f.row",
            [on, getattr(actor, "pk", None)],
        ),
        (
            f"INSERT INTO {_table(HouseholdIncome)} (household_id, year, size, "
            f"{', '.join(_AMOUNTS)}, version, updated_at) "
            f"SELECT h.id, f.income_year, f.size, {', '.join('f.' + a for a in _AMOUNTS)}, 1, %s "
            f"FROM {households} ORDER BY f.row",
            [now],
        ),
        (
            f"INSERT INTO {_table(HouseholdConditions)} (household_id, year, food_clothing, "
            "housing_grade, housing_appraised_on, housing_appraised_by, water_quantity, "
            "water_quality, water_access, water_reliability, relocated, relocation_site, "
            "moved_in_on, version, updated_at) "
            "SELECT h.id, f.income_year, f.food_clothing, f.housing_grade, NULL, '', "
            "f.water_quantity, f.water_quality, f.water_access, f.water_reliability, false, '', "
            f"NULL, 1, %s FROM {households} ORDER BY f.row",
            [now],
        ),
        (
            f"INSERT INTO {_table(MonitoringPeriod)} (household_id, monitor_type, valid_from, "
            f"valid_to, reason) SELECT h.id, f.monitor_type, f.monitor_since, NULL, '' "
            f"FROM {households} WHERE coalesce(f.monitor_type, '') <> '' ORDER BY f.row",
            [],
        ),
    ]
    from tuopin.core.models import AuditEntry  # noqa: PLC0415

    who = _actor_fields(actor)
    steps.append(
        (
            f"INSERT INTO {_table(AuditEntry)} (actor_id, actor_name, at, kind, action, "
            "area_code, object_type, object_id, object_repr, diff, ip) "
            "SELECT %s, %s, %s, %s, 'registry.household.imported', f.area_code, "
            "'registry.household', CAST(h.id AS text), substr(f.code, 1, 200), "
            f"{json_object}('created', {true}, 'members', f.size, "
            f"'rows', {json_array}(f.row)), NULL "
            f"FROM {households} ORDER BY f.row",
            [
                who["actor"].pk if who["actor"] is not None else None,
                who["actor_name"],
                now,
                str(AuditKind.WRITE),
            ],
        )
    )
    members = 0
    for number, (sql, params) in enumerate(steps, start=1):
        cursor.execute(sql, params)
        if number == 3:
            members = cursor.rowcount
        if progress:
            progress(total * number // len(steps), total, "")
    return total, members
