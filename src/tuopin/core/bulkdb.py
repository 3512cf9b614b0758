"""Bulk writes that stay fast at national scale: COPY on PostgreSQL, batched inserts elsewhere."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models
from django.utils import timezone


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        f
        for f in model._meta.concrete_fields
        if not isinstance(f, models.GeneratedField) and not f.primary_key
    ]


def allocate_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve ``count`` primary keys from the table's sequence (PostgreSQL only)."""
    if count == 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [table, column, count],
        )
        return [row[0] for row in cursor.fetchall()]


def insert_rows(
    model: type[models.Model], rows: Sequence[dict[str, Any]], *, batch_size: int = 5000
) -> list[int]:
    """Insert ``rows`` (field name → Python value) and return their new primary keys in order.

    PostgreSQL: ids are reserved from the sequence and the rows streamed with COPY.
    Other databases: ``bulk_create`` in batches (SQLite returns the ids).
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        ids = allocate_ids(model, len(rows))
        fields = _columns(model)
        names = [model._meta.pk.column, *[f.column for f in fields]]
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(n) for n in names)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row(
                    [pk, *[_db_value(f, row.get(f.attname, row.get(f.name))) for f in fields]]
                )
        return ids
    objects = [model(**row) for row in rows]
    created = model.objects.bulk_create(objects, batch_size=batch_size)
    return [obj.pk for obj in created]


def _db_value(field: models.Field[Any, Any], value: Any) -> Any:
    if value is None:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            return timezone.now()
        value = field.get_default() if field.has_default() else None
    if isinstance(field, models.JSONField):
        return field.get_db_prep_value(value, connection)
    return value


def chunks(values: Sequence[Any] | Iterable[Any], size: int = 5000) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
