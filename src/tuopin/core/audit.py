"""Writing the audit log: every service calls ``log_action`` inside its own transaction."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tuopin.core.bulkdb import insert_rows
from tuopin.core.choices import AuditKind
from tuopin.core.models import AuditEntry

CONSOLE_ACTOR = "console"


def _plain(value: Any) -> Any:
    """Turn a model field value into something JSON can hold."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields`` on ``obj``, ready for ``diff_of``."""
    return {name: _plain(getattr(obj, name)) for name in fields}


def diff_of(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, list[Any]]:
    """``{field: [old, new]}`` for every field whose value changed."""
    keys = list(dict.fromkeys([*before.keys(), *after.keys()]))
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in keys
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def _actor_fields(actor: Any) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_name": CONSOLE_ACTOR if actor is None else "anonymous"}
    return {"actor": actor, "actor_name": actor.get_username()}


def log_action(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    area_code: str = "",
    diff: Mapping[str, Any] | None = None,
    kind: str = AuditKind.WRITE,
    ip: str | None = None,
    object_repr: str | None = None,
) -> AuditEntry:
    """Append one audit row. Must run inside the transaction of the change it records.

    ``actor`` is a user, or ``None`` for the operator at the server console.
    """
    if kind == AuditKind.WRITE and not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_action for a write must run inside the change's transaction")
    return AuditEntry.objects.create(
        **_actor_fields(actor),
        kind=kind,
        action=action,
        area_code=area_code or "",
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=(object_repr if object_repr is not None else str(obj) if obj else "")[:200],
        diff=_plain(dict(diff or {})),
        ip=ip,
    )


def log_many(
    *,
    actor: Any,
    action: str,
    object_type: str,
    items: Iterable[tuple[Any, str, str, Mapping[str, Any]]],
) -> int:
    """Append one write row per ``(object id, object repr, area code, diff)`` at once (COPY
    on PostgreSQL), for large changes (a whole tree, an import) that still want a row per
    object. Must run inside the change's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("log_many must run inside the change's transaction")
    who = _actor_fields(actor)
    actor_id = who["actor"].pk if who["actor"] is not None else None
    now = timezone.now()
    rows = [
        {
            "actor_id": actor_id,
            "actor_name": who["actor_name"],
            "at": now,
            "kind": AuditKind.WRITE,
            "action": action,
            "area_code": area_code or "",
            "object_type": object_type,
            "object_id": str(object_id),
            "object_repr": str(object_repr)[:200],
            "diff": _plain(dict(diff)),
            "ip": None,
        }
        for object_id, object_repr, area_code, diff in items
    ]
    insert_rows(AuditEntry, rows)
    return len(rows)


def log_personal_view(
    *,
    actor: Any,
    subject: models.Model,
    fields: Iterable[str],
    area_code: str = "",
    purpose: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Record that ``actor`` saw the unmasked ``fields`` of ``subject`` (e.g. an ID number)."""
    return log_action(
        actor=actor,
        action=f"{subject._meta.label_lower}.personal_data_viewed",
        obj=subject,
        area_code=area_code,
        diff={"fields": sorted(fields), "purpose": purpose},
        kind=AuditKind.VIEW,
        ip=ip,
    )
