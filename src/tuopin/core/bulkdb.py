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
    SQLite: ids follow the current maximum and the rows go in by ``executemany``.
    """
    if not rows:
        return []
    if connection.vendor == "postgresql":
        ids = allocate_ids(model, len(rows))
        fields = _columns(model)
        names = [model._meta.pk.column, *[f.column for f in fields]]
        table = connection.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(connection.ops.quote_name(n) for n in names)
        converters = [_converter(f, copy=True) for f in fields]
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy,
        ):
            for pk, row in zip(ids, rows, strict=True):
                copy.write_row([pk, *[convert(row) for convert in converters]])
        return ids
    # SQLite: the import's transaction holds the write lock (transaction_mode IMMEDIATE),
    # so the ids after the current maximum are ours; executemany runs in C.
    fields = _columns(model)
    converters = [_converter(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    pk_column = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX({pk_column}), 0) FROM {table}")  # noqa: S608
        first = cursor.fetchone()[0] + 1
        ids = list(range(first, first + len(rows)))
        names = ", ".join([pk_column, *[connection.ops.quote_name(f.column) for f in fields]])
        marks = ", ".join(["%s"] * (len(fields) + 1))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        for start in range(0, len(rows), batch_size):
            batch = zip(
                ids[start : start + batch_size], rows[start : start + batch_size], strict=True
            )
            cursor.executemany(
                sql, [[pk, *[convert(row) for convert in converters]] for pk, row in batch]
            )
    return ids


def _converter(field: models.Field[Any, Any], *, copy: bool = False) -> Any:
    """A fast ``row → database value`` for one field (Django's per-value preparation is
    too slow for millions of cells). A missing or None value takes the field's default;
    ``auto_now`` fields take one timestamp for the whole insert."""
    ops = connection.ops
    prepare: Any
    if isinstance(field, models.JSONField):
        prepare = lambda v: field.get_db_prep_save(v, connection)  # noqa: E731
    elif copy:
        prepare = None  # COPY takes dates, decimals and booleans as Python gives them
    elif isinstance(field, models.DateTimeField):
        prepare = ops.adapt_datetimefield_value
    elif isinstance(field, models.DateField):
        prepare = ops.adapt_datefield_value
    elif isinstance(field, models.DecimalField):
        prepare = lambda v: ops.adapt_decimalfield_value(v, field.max_digits, field.decimal_places)  # noqa: E731
    else:
        prepare = None
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        default = timezone.now()
    else:
        default = field.get_default() if field.has_default() else None
    if default is not None and prepare is not None:
        default = prepare(default)
    key, other = field.attname, field.name

    if prepare is None:

        def convert(row: dict[str, Any]) -> Any:
            value = row.get(key)
            if value is None and other != key:
                value = row.get(other)
            return default if value is None else value

    else:

        def convert(row: dict[str, Any]) -> Any:
            value = row.get(key)
            if value is None and other != key:
                value = row.get(other)
            return default if value is None else prepare(value)

    return convert


def chunks(values: Sequence[Any] | Iterable[Any], size: int = 5000) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for value in values:
        batch.append(value)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
