"""The tables of a registry snapshot: names, columns and DuckDB types.

A snapshot holds the registry as it stood on one date, without names, ID numbers, phones or
bank accounts. Codes are the registry's stored English codes; a blank code is NULL.
"""

from __future__ import annotations

import pyarrow as pa

# (column, DuckDB type) per table, in file order.
TABLES: dict[str, list[tuple[str, str]]] = {
    # Households existing on the date (registered by then, not closed by then).
    "households": [
        ("household_id", "BIGINT"),
        ("household_code", "VARCHAR"),
        ("area_id", "BIGINT"),
        ("area_code", "VARCHAR"),
        ("household_type", "VARCHAR"),
        ("attribute", "VARCHAR"),
        ("main_cause", "VARCHAR"),
        ("tuopin_year", "INTEGER"),
        ("status", "VARCHAR"),
        ("monitor_type", "VARCHAR"),
        ("monitor_since", "DATE"),
        ("size", "INTEGER"),
    ],
    # Memberships valid on the date.
    "members": [
        ("household_id", "BIGINT"),
        ("person_id", "BIGINT"),
        ("relation", "VARCHAR"),
        ("sex", "VARCHAR"),
        ("birth_date", "DATE"),
        ("ethnicity", "VARCHAR"),
        ("education", "VARCHAR"),
        ("schooling", "VARCHAR"),
        ("health", "VARCHAR"),
        ("labour", "VARCHAR"),
        ("medical_insured", "BOOLEAN"),
        ("pension_insured", "BOOLEAN"),
    ],
    # Every year up to the date's year, for the households of the snapshot.
    "incomes": [
        ("household_id", "BIGINT"),
        ("year", "INTEGER"),
        ("size", "INTEGER"),
        ("wage_income", "DOUBLE"),
        ("business_income", "DOUBLE"),
        ("property_income", "DOUBLE"),
        ("transfer_income", "DOUBLE"),
        ("business_costs", "DOUBLE"),
        ("compliant_expenses", "DOUBLE"),
        ("net_income", "DOUBLE"),
    ],
    "conditions": [
        ("household_id", "BIGINT"),
        ("year", "INTEGER"),
        ("food_clothing", "BOOLEAN"),
        ("housing_grade", "VARCHAR"),
        ("water_quantity", "BOOLEAN"),
        ("water_quality", "BOOLEAN"),
        ("water_access", "BOOLEAN"),
        ("water_reliability", "BOOLEAN"),
        ("relocated", "BOOLEAN"),
        ("relocation_site", "VARCHAR"),
        ("moved_in_on", "DATE"),
    ],
    # The whole area tree (inactive units too: history hangs off them).
    "areas": [
        ("area_id", "BIGINT"),
        ("code", "VARCHAR"),
        ("name", "VARCHAR"),
        ("level", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("parent_id", "BIGINT"),
        ("lft", "BIGINT"),
        ("rgt", "BIGINT"),
        ("depth", "INTEGER"),
        ("is_active", "BOOLEAN"),
    ],
    "area_figures": [
        ("area_id", "BIGINT"),
        ("year", "INTEGER"),
        ("rural_population", "BIGINT"),
    ],
    # Status and monitoring spells begun by the date, as known on it: an end after the
    # date is not yet known and reads NULL.
    "status_history": [
        ("household_id", "BIGINT"),
        ("status", "VARCHAR"),
        ("valid_from", "DATE"),
        ("valid_to", "DATE"),
    ],
    "monitoring_periods": [
        ("household_id", "BIGINT"),
        ("monitor_type", "VARCHAR"),
        ("valid_from", "DATE"),
        ("valid_to", "DATE"),
    ],
}

_ARROW = {
    "BIGINT": pa.int64(),
    "INTEGER": pa.int32(),
    "VARCHAR": pa.string(),
    "DOUBLE": pa.float64(),
    "BOOLEAN": pa.bool_(),
    "DATE": pa.date32(),
}


def arrow_schema(table: str) -> pa.Schema:
    return pa.schema([(name, _ARROW[kind]) for name, kind in TABLES[table]])


def create_empty_tables(con) -> None:  # type: ignore[no-untyped-def]
    """Create every snapshot table, empty, in ``con`` (for tests and for hand-made data)."""
    for table, columns in TABLES.items():
        cols = ", ".join(f"{name} {kind}" for name, kind in columns)
        con.execute(f"CREATE TABLE {table} ({cols})")
