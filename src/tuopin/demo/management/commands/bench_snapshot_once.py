"""Internal to ``tuopin bench snapshot``: fill an empty PostgreSQL registry with synthetic
households by SQL (three people each) and time one snapshot refresh."""

from __future__ import annotations

import datetime
import json
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from tuopin.analytics.snapshot import refresh_snapshot

FILL = [
    """
    INSERT INTO registry_household (id, code, area_id, household_type, attribute, main_cause,
        other_causes, tuopin_year, phone, bank_name, bank_account, closed_on, close_reason,
        version, created_at, updated_at)
    SELECT g, 'B' || lpad(g::text, 10, '0'), v.ids[1 + g %% array_length(v.ids, 1)],
        'tuopin', 'general', 'illness', '[]'::jsonb, 2018, '', '', '', NULL, '', 1, now(), now()
    FROM generate_series(1, %(n)s) g,
        (SELECT array_agg(id ORDER BY id) AS ids FROM areas_area WHERE level = 'village') v
    """,
    """
    INSERT INTO registry_person (id, id_type, id_number, name, sex, birth_date, ethnicity,
        education, schooling, health, labour, medical_insured, pension_insured, version,
        updated_at)
    SELECT g, 'resident_id', lpad(g::text, 18, '0'), '某' || g,
        CASE WHEN g %% 2 = 0 THEN 'female' ELSE 'male' END,
        DATE '1950-01-01' + (g %% 25000), '', 'primary',
        CASE WHEN g %% 700 = 0 THEN 'dropped_out' ELSE 'not_in_school' END,
        'healthy', 'ordinary', g %% 90 <> 0, NULL, 1, now()
    FROM generate_series(1, 3 * %(n)s) g
    """,
    """
    INSERT INTO registry_membership (id, household_id, person_id, relation, valid_from,
        valid_to, join_reason, leave_reason, note)
    SELECT g, (g - 1) / 3 + 1, g, CASE WHEN g %% 3 = 1 THEN 'head' ELSE 'son' END,
        DATE '2014-06-01', NULL, 'registered', '', ''
    FROM generate_series(1, 3 * %(n)s) g
    """,
    """
    INSERT INTO registry_householdstatus (id, household_id, status, valid_from, valid_to,
        reason, recorded_by_id)
    SELECT g, g, CASE WHEN g %% 7 = 0 THEN 'poor' ELSE 'exited_with_policy' END,
        DATE '2014-06-01', NULL, '', NULL
    FROM generate_series(1, %(n)s) g
    """,
    """
    INSERT INTO registry_monitoringperiod (id, household_id, monitor_type, valid_from,
        valid_to, reason)
    SELECT g, g, 'unstable_tuopin', DATE '2023-03-01', NULL, ''
    FROM generate_series(1, %(n)s) g WHERE g %% 20 = 0
    """,
    """
    INSERT INTO registry_householdincome (id, household_id, year, size, wage_income,
        business_income, property_income, transfer_income, business_costs, compliant_expenses,
        version, updated_at)
    SELECT g, g, 2024, 3, 9000 + g %% 20000, g %% 6000, 0, 1200, g %% 2000, 0, 1, now()
    FROM generate_series(1, %(n)s) g
    """,
    """
    INSERT INTO registry_householdconditions (id, household_id, year, food_clothing,
        housing_grade, housing_appraised_on, housing_appraised_by, water_quantity,
        water_quality, water_access, water_reliability, relocated, relocation_site,
        moved_in_on, version, updated_at)
    SELECT g, g, 2024, TRUE, CASE WHEN g %% 50 = 0 THEN 'C' ELSE 'A' END, NULL, '', TRUE,
        g %% 40 <> 0, TRUE, TRUE, g %% 20 = 0, '', NULL, 1, now()
    FROM generate_series(1, %(n)s) g
    """,
]


class Command(BaseCommand):
    help = "Fill an empty PostgreSQL registry and time one snapshot refresh (bench only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--households", type=int, required=True)

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("the snapshot benchmark runs on PostgreSQL")
        n = options["households"]
        started = time.monotonic()
        with transaction.atomic(), connection.cursor() as cursor:
            for sql in FILL:
                cursor.execute(sql, {"n": n})
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        filled = time.monotonic() - started
        started = time.monotonic()
        snapshot = refresh_snapshot(as_of=datetime.date(2025, 6, 30))
        took = time.monotonic() - started
        self.stdout.write(
            json.dumps({"fill_s": round(filled, 1), "refresh_s": round(took, 2), **snapshot.counts})
        )
