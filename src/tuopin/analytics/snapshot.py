"""A columnar snapshot of the registry as of a date, for the statistics.

``refresh_snapshot(as_of=D)`` exports the registry as it stood on ``D`` into
``$TUOPIN_DATA_DIR/snapshots/<D>/`` as one Parquet file per table (see ``engine.schema``),
plus ``manifest.json``. The export is bulk SQL: ``COPY (SELECT …) TO STDOUT`` on PostgreSQL,
a plain cursor read in batches on SQLite; no model instance is ever built. All tables are
read in one transaction (repeatable read on PostgreSQL), so they agree with each other.

The new files are written into a temporary folder beside the old one and swapped in by
renaming, so a reader sees either the old snapshot or the new one, never half of one; running
the refresh again for the same date replaces the snapshot with an identical one.
"""

from __future__ import annotations

import datetime
import json
import shutil
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from tuopin.analytics.engine.schema import TABLES, arrow_schema
from tuopin.areas.models import Area, AreaYearFigure
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)

MANIFEST = "manifest.json"
FORMAT_VERSION = 1
BATCH = 50_000


@dataclass
class Snapshot:
    """A snapshot on disk: where, as of which date, when it was made and its row counts."""

    path: Path
    as_of: datetime.date
    created_at: datetime.datetime
    counts: dict[str, int] = field(default_factory=dict)

    def connect(self) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with one view per table over the Parquet files."""
        con = duckdb.connect(":memory:")
        for table in TABLES:
            file = str(self.path / f"{table}.parquet").replace("'", "''")
            con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{file}')")
        return con


def snapshots_root() -> Path:
    return Path(settings.DATA_DIR) / "snapshots"


def open_snapshot(as_of: datetime.date) -> Snapshot | None:
    """The snapshot for ``as_of``, or ``None`` when none has been made (or it is incomplete)."""
    path = snapshots_root() / as_of.isoformat()
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None
    if manifest.get("format") != FORMAT_VERSION or any(
        not (path / f"{table}.parquet").exists() for table in TABLES
    ):
        return None
    return Snapshot(
        path=path,
        as_of=datetime.date.fromisoformat(manifest["as_of"]),
        created_at=datetime.datetime.fromisoformat(manifest["created_at"]),
        counts={k: int(v) for k, v in manifest["counts"].items()},
    )


# --- the queries -------------------------------------------------------------------------


def _t(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _queries(as_of: datetime.date) -> dict[str, str]:
    """One SELECT per table, valid on SQLite and PostgreSQL. The date is a literal made from
    a ``datetime.date`` (COPY takes no parameters), compared with ISO dates on both."""
    d = f"'{as_of.isoformat()}'"
    year = as_of.year
    hh, ms, st, mp = _t(Household), _t(Membership), _t(HouseholdStatus), _t(MonitoringPeriod)
    person, area, figure = _t(Person), _t(Area), _t(AreaYearFigure)
    income, cond = _t(HouseholdIncome), _t(HouseholdConditions)

    def valid(alias: str) -> str:
        return f"{alias}.valid_from <= {d} AND ({alias}.valid_to IS NULL OR {alias}.valid_to > {d})"

    # A household exists on D when its history has begun by D and it is not closed by D.
    # Its status or members on D show that at once; the EXISTS runs only for the rare rest.
    open_on = f"(h.closed_on IS NULL OR h.closed_on > {d})"
    begun = (
        f"(EXISTS (SELECT 1 FROM {st} s0 WHERE s0.household_id = h.id AND s0.valid_from <= {d})"
        f" OR EXISTS (SELECT 1 FROM {ms} m0 WHERE m0.household_id = h.id"
        f" AND m0.valid_from <= {d}))"
    )
    live = f"{open_on} AND {begun}"
    dbl = "DOUBLE PRECISION"
    return {
        "households": f"""
            SELECT h.id, h.code, h.area_id, a.code, h.household_type,
                   NULLIF(h.attribute, ''), NULLIF(h.main_cause, ''), h.tuopin_year,
                   s.status, mp.monitor_type, mp.valid_from, COALESCE(z.size, 0)
            FROM {hh} h
            JOIN {area} a ON a.id = h.area_id
            LEFT JOIN {st} s ON s.household_id = h.id AND {valid("s")}
            LEFT JOIN {mp} mp ON mp.household_id = h.id AND {valid("mp")}
            LEFT JOIN (SELECT ms.household_id, COUNT(*) AS size FROM {ms} ms
                       WHERE {valid("ms")} GROUP BY ms.household_id) z
                   ON z.household_id = h.id
            WHERE {open_on} AND (s.id IS NOT NULL OR z.size IS NOT NULL OR {begun})""",
        "members": f"""
            SELECT ms.household_id, ms.person_id, ms.relation, NULLIF(p.sex, ''), p.birth_date,
                   NULLIF(p.ethnicity, ''), NULLIF(p.education, ''), NULLIF(p.schooling, ''),
                   NULLIF(p.health, ''), NULLIF(p.labour, ''), p.medical_insured,
                   p.pension_insured
            FROM {ms} ms
            JOIN {person} p ON p.id = ms.person_id
            JOIN {hh} h ON h.id = ms.household_id
            WHERE {valid("ms")} AND {open_on}""",
        "incomes": f"""
            SELECT i.household_id, i.year, i.size, CAST(i.wage_income AS {dbl}),
                   CAST(i.business_income AS {dbl}), CAST(i.property_income AS {dbl}),
                   CAST(i.transfer_income AS {dbl}), CAST(i.business_costs AS {dbl}),
                   CAST(i.compliant_expenses AS {dbl}), CAST(i.net_income AS {dbl})
            FROM {income} i JOIN {hh} h ON h.id = i.household_id
            WHERE i.year <= {year} AND {live}""",
        "conditions": f"""
            SELECT c.household_id, c.year, c.food_clothing, NULLIF(c.housing_grade, ''),
                   c.water_quantity, c.water_quality, c.water_access, c.water_reliability,
                   c.relocated, NULLIF(c.relocation_site, ''), c.moved_in_on
            FROM {cond} c JOIN {hh} h ON h.id = c.household_id
            WHERE c.year <= {year} AND {live}""",
        "areas": f"""
            SELECT id, code, name, level, kind, parent_id, lft, rgt, depth, is_active
            FROM {area} ORDER BY lft""",
        "area_figures": f"""
            SELECT area_id, year, rural_population FROM {figure} ORDER BY area_id, year""",
        "status_history": f"""
            SELECT household_id, status, valid_from,
                   CASE WHEN valid_to <= {d} THEN valid_to END
            FROM {st} WHERE valid_from <= {d}""",
        "monitoring_periods": f"""
            SELECT household_id, monitor_type, valid_from,
                   CASE WHEN valid_to <= {d} THEN valid_to END
            FROM {mp} WHERE valid_from <= {d}""",
    }


# --- writing -----------------------------------------------------------------------------


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


def _export_postgresql(cursor: Any, sql: str, table: str, target: Path, work: Path) -> int:
    """COPY the query out as CSV into a work file, then DuckDB types it and writes Parquet."""
    csv_path = work / f"{table}.csv"
    with csv_path.open("wb") as out, cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            out.write(chunk)
    if csv_path.stat().st_size == 0:
        pq.write_table(arrow_schema(table).empty_table(), target)
        csv_path.unlink()
        return 0
    columns = ", ".join(f"'{name}': '{kind}'" for name, kind in TABLES[table])
    con = duckdb.connect(":memory:")
    try:
        con.execute("SET preserve_insertion_order = false")
        # PostgreSQL's CSV writes NULL unquoted and an empty string as "": keep them apart.
        con.execute(
            f"COPY (SELECT * FROM read_csv('{_sql_path(csv_path)}', header = false, "
            f"columns = {{{columns}}}, allow_quoted_nulls = false, quote = '\"', "
            f"escape = '\"', dateformat = '%Y-%m-%d')) "
            f"TO '{_sql_path(target)}' (FORMAT parquet, COMPRESSION zstd)"
        )
        rows = con.execute(f"SELECT COUNT(*) FROM read_parquet('{_sql_path(target)}')").fetchone()
    finally:
        con.close()
    csv_path.unlink()
    return int(rows[0]) if rows else 0


def _convert(kind: str) -> Callable[[Any], Any]:
    if kind == "BOOLEAN":
        return lambda v: None if v is None else bool(v)
    if kind == "DATE":
        return lambda v: datetime.date.fromisoformat(v[:10]) if isinstance(v, str) else v
    if kind == "DOUBLE":
        return lambda v: None if v is None else float(v)
    if kind == "VARCHAR":
        return lambda v: None if v is None else str(v)
    return lambda v: None if v is None else int(v)


def _export_cursor(cursor: Any, sql: str, table: str, target: Path) -> int:
    """Read the query in batches and write each batch as a Parquet row group."""
    schema = arrow_schema(table)
    converters = [_convert(kind) for _, kind in TABLES[table]]
    cursor.execute(sql)
    rows_written = 0
    with pq.ParquetWriter(target, schema, compression="zstd") as writer:
        while True:
            rows = cursor.fetchmany(BATCH)
            if not rows:
                break
            columns = [
                pa.array([convert(row[i]) for row in rows], type=schema.field(i).type)
                for i, convert in enumerate(converters)
            ]
            writer.write_table(pa.Table.from_arrays(columns, schema=schema))
            rows_written += len(rows)
        if rows_written == 0:
            writer.write_table(schema.empty_table())
    return rows_written


def _export_all(
    as_of: datetime.date, folder: Path, progress: Callable[[int, int], None] | None
) -> dict[str, int]:
    queries = _queries(as_of)
    total = len(queries)
    counts: dict[str, int] = {}
    if progress:
        progress(0, total)
    with connection.cursor() as cursor:
        for done, (table, sql) in enumerate(queries.items(), start=1):
            target = folder / f"{table}.parquet"
            if connection.vendor == "postgresql":
                counts[table] = _export_postgresql(cursor.cursor, sql, table, target, folder)
            else:
                counts[table] = _export_cursor(cursor, sql, table, target)
            if progress:
                progress(done, total)
    return counts


def refresh_snapshot(
    *, as_of: datetime.date, progress: Callable[[int, int], None] | None = None
) -> Snapshot:
    """Export the registry as of ``as_of`` and swap the new snapshot in; see the module."""
    root = snapshots_root()
    root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{as_of.isoformat()}-", dir=root))
    try:
        created_at = timezone.now()
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            counts = _export_all(as_of, work, progress)
        manifest = {
            "format": FORMAT_VERSION,
            "as_of": as_of.isoformat(),
            "created_at": created_at.isoformat(),
            "counts": counts,
            "database": connection.vendor,
        }
        (work / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        target = root / as_of.isoformat()
        old = root / f".old-{as_of.isoformat()}-{uuid.uuid4().hex}"
        if target.exists():
            target.rename(old)
        work.rename(target)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return Snapshot(path=target, as_of=as_of, created_at=created_at, counts=counts)
