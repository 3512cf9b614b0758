"""Writes to policy packs. Each one is checked, audited, atomic; published packs never change."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import covers_everything, require
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from tuopin.policy.choices import PERCENT_KEYS, YEAR_KEYED, PackStatus, PolicyKey, ScopeLevel
from tuopin.policy.formatting import plain_number
from tuopin.policy.models import PolicyPack, PolicyValue, PublishedPackImmutable

DEFAULT_POLICY = Path(__file__).resolve().parent / "data" / "default.json"

_SCOPE_OF_LEVEL = {
    Level.PROVINCE: ScopeLevel.PROVINCE,
    Level.LEAGUE: ScopeLevel.LEAGUE,
    Level.BANNER: ScopeLevel.BANNER,
}


def require_policy_permission(actor: Any, area: Area | None) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` may draft and publish the policy of
    ``area``; every role with a grant may read it.

    - nation packs bind every area, so only an administrator of a whole tree
      (``MANAGE_AREAS`` on a root) may change them;
    - province packs bind a whole tree too: ``MANAGE_AREAS`` over the province, which
      only system administrators hold;
    - league and banner packs are the league's decision: ``MANAGE_POLICY`` over the area,
      which league officers and system administrators hold (banner approvers do not, even
      for their own banner).

    ``actor=None`` is the operator at the server console, who may do anything.
    """
    if actor is None:
        return
    if area is None:
        if not covers_everything(actor, Capability.MANAGE_AREAS):
            raise PermissionDenied(
                "permission_denied", _("You do not have permission to do this here.")
            )
        return
    if area.level == Level.PROVINCE:
        require(actor, Capability.MANAGE_AREAS, area)
    else:
        require(actor, Capability.MANAGE_POLICY, area)


def may_change_policy(actor: Any, area: Area | None) -> bool:
    """Whether ``actor`` may draft and publish the policy of ``area`` (to offer the
    buttons; the services check again)."""
    try:
        require_policy_permission(actor, area)
    except PermissionDenied:
        return False
    return True


def _scope_for(area: Area | None) -> str:
    if area is None:
        return ScopeLevel.NATION
    scope = _SCOPE_OF_LEVEL.get(Level(area.level))
    if scope is None:
        raise DomainError(
            "policy.pack.bad_scope",
            _("Policy is set for the nation, a province, a league or a banner only."),
            field="area",
        )
    return scope


def _next_version(area: Area | None) -> int:
    packs = PolicyPack.objects.filter(area=area) if area else PolicyPack.objects.filter(area=None)
    return (packs.aggregate(top=Max("version"))["top"] or 0) + 1


def _locked(pack: PolicyPack) -> PolicyPack:
    """``pack`` as stored, locked for the rest of the transaction."""
    # Lock the pack row only: its area is a nullable join (nation packs have none).
    return PolicyPack.objects.select_for_update(of=("self",)).select_related("area").get(pk=pack.pk)


def _require_draft(pack: PolicyPack) -> None:
    if pack.status != PackStatus.DRAFT:
        raise PublishedPackImmutable


@transaction.atomic
def pack_create(
    *,
    actor: Any,
    area: Area | None,
    name: str,
    effective_from: datetime.date,
    note: str = "",
) -> PolicyPack:
    """Start an empty draft pack for ``area`` (``None``: the nation), as its next version."""
    scope = _scope_for(area)
    require_policy_permission(actor, area)
    if not name.strip():
        raise DomainError("policy.pack.no_name", _("A pack needs a name."), field="name")
    pack = PolicyPack.objects.create(
        name=name.strip(),
        scope=scope,
        area=area,
        version=_next_version(area),
        effective_from=effective_from,
        note=note,
    )
    log_action(
        actor=actor,
        action="policy.pack.created",
        obj=pack,
        area_code=pack.area_code,
        diff={
            "scope": [None, scope],
            "version": [None, pack.version],
            "effective_from": [None, effective_from],
        },
    )
    return pack


@transaction.atomic
def pack_draft_from(
    *,
    actor: Any,
    pack: PolicyPack,
    effective_from: datetime.date | None = None,
    name: str | None = None,
) -> PolicyPack:
    """A new draft of ``pack``'s scope, the next version, with all of ``pack``'s values.

    ``based_on`` records where it came from; ``effective_from`` defaults to ``pack``'s.
    """
    source = PolicyPack.objects.select_related("area").get(pk=pack.pk)
    require_policy_permission(actor, source.area)
    draft = PolicyPack.objects.create(
        name=name or source.name,
        scope=source.scope,
        area=source.area,
        version=_next_version(source.area),
        effective_from=effective_from or source.effective_from,
        based_on=source,
        note=source.note,
    )
    rows = [
        PolicyValue(pack=draft, key=v.key, year=v.year, value=v.value, source=v.source)
        for v in source.values.all()
    ]
    PolicyValue.objects.bulk_create(rows)
    log_action(
        actor=actor,
        action="policy.pack.drafted",
        obj=draft,
        area_code=draft.area_code,
        diff={
            "based_on": [None, source.pk],
            "version": [source.version, draft.version],
            "effective_from": [source.effective_from, draft.effective_from],
            "values_copied": [None, len(rows)],
        },
    )
    return draft


# What an editor saw of a value: ``None`` (no such value) or its number and source.
Expected = tuple[Decimal | int | str, str] | None
UNCHECKED = object()


def _check_expected(row: PolicyValue | None, expected: Expected | object) -> None:
    if expected is UNCHECKED:
        return
    if expected is None:
        if row is not None:
            raise DomainError(
                "policy.value.exists",
                _(
                    "The draft already has this value (%(value)s); "
                    "edit that value instead of adding it again."
                ),
                field="year" if row.year is not None else "key",
                params={"value": plain_number(row.value)},
            )
        return
    seen_value, seen_source = expected  # type: ignore[misc]
    try:
        seen = Decimal(str(seen_value))
    except InvalidOperation:
        seen = Decimal("NaN")
    if row is None or row.value != seen or row.source != str(seen_source).strip():
        raise ConcurrentEdit(
            "policy.value.changed",
            _(
                "Someone changed or removed this value after you opened the form; "
                "nothing was saved. Reload to see the current value."
            ),
        )


def _checked_value(key: str, year: int | None, value: Any, source: str) -> tuple[str, Decimal]:
    if key not in PolicyKey.values:
        raise DomainError("policy.value.unknown_key", _("No such policy value."), field="key")
    if key in YEAR_KEYED and year is None:
        raise DomainError(
            "policy.value.year_required", _("This value is set for a year."), field="year"
        )
    if key not in YEAR_KEYED and year is not None:
        raise DomainError(
            "policy.value.no_year", _("This value does not vary by year."), field="year"
        )
    if year is not None and not 2000 <= year <= 2100:
        raise DomainError("policy.value.bad_year", _("A year between 2000 and 2100."), field="year")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or number < 0 or (key in PERCENT_KEYS and number > 100):
        raise DomainError(
            "policy.value.bad_value",
            _("A number, 0 or more (a percentage at most 100)."),
            field="value",
        )
    if not source.strip():
        raise DomainError(
            "policy.value.no_source", _("Every policy value needs its source."), field="source"
        )
    return source.strip(), number


@transaction.atomic
def pack_set_value(
    *,
    actor: Any,
    pack: PolicyPack,
    key: str,
    year: int | None,
    value: Decimal | int | str,
    source: str,
    expected: Expected | object = UNCHECKED,
) -> PolicyValue:
    """Set ``key`` (for ``year``) in a draft pack; a published pack refuses.

    ``expected`` is what the editor saw: ``None`` when adding a value that was not there,
    or the ``(value, source)`` it showed. When the stored row is no longer that, nothing
    is written and ``ConcurrentEdit`` says so (optimistic locking; the pack is locked, so
    two saves cannot both pass the check). Left out, the value is set whatever it was.
    """
    pack = _locked(pack)
    require_policy_permission(actor, pack.area)
    _require_draft(pack)
    source, number = _checked_value(key, year, value, source)
    row = PolicyValue.objects.filter(pack=pack, key=key, year=year).first()
    _check_expected(row, expected)
    before = [None, None] if row is None else [str(row.value), row.source]
    if row is None:
        row = PolicyValue.objects.create(pack=pack, key=key, year=year, value=number, source=source)
    else:
        row.value, row.source = number, source
        row.save(update_fields=["value", "source"])
    log_action(
        actor=actor,
        action="policy.value.set",
        obj=pack,
        area_code=pack.area_code,
        diff={
            "key": key,
            "year": year,
            "value": [before[0], str(number)],
            "source": [before[1], source],
        },
    )
    return row


@transaction.atomic
def pack_remove_value(
    *,
    actor: Any,
    pack: PolicyPack,
    key: str,
    year: int | None,
    expected: Expected | object = UNCHECKED,
) -> None:
    """Remove ``key`` (for ``year``) from a draft pack; a published pack refuses.

    ``expected`` works as in ``pack_set_value``: a value changed since the editor saw it
    is not removed.
    """
    pack = _locked(pack)
    require_policy_permission(actor, pack.area)
    _require_draft(pack)
    row = PolicyValue.objects.filter(pack=pack, key=key, year=year).first()
    if row is None:
        raise ConcurrentEdit(
            "policy.value.gone",
            _("This value is no longer in the draft; someone removed it meanwhile."),
        )
    _check_expected(row, expected)
    row.delete()
    log_action(
        actor=actor,
        action="policy.value.removed",
        obj=pack,
        area_code=pack.area_code,
        diff={
            "key": key,
            "year": year,
            "value": [str(row.value), None],
            "source": [row.source, None],
        },
    )


@transaction.atomic
def pack_publish(*, actor: Any, pack: PolicyPack) -> PolicyPack:
    """Publish a draft: from then on it is in force from its date and never changes."""
    pack = _locked(pack)
    require_policy_permission(actor, pack.area)
    _require_draft(pack)
    if not pack.values.exists():
        raise DomainError("policy.pack.empty", _("A pack with no values cannot be published."))
    pack.status = PackStatus.PUBLISHED
    pack.published_at = timezone.now()
    pack.published_by = actor if getattr(actor, "is_authenticated", False) else None
    pack.save(update_fields=["status", "published_at", "published_by"])
    log_action(
        actor=actor,
        action="policy.pack.published",
        obj=pack,
        area_code=pack.area_code,
        diff={
            "status": [PackStatus.DRAFT, PackStatus.PUBLISHED],
            "version": pack.version,
            "effective_from": pack.effective_from,
            "values": pack.values.count(),
        },
    )
    return pack


@transaction.atomic
def load_default_policy(*, actor: Any = None, path: Path = DEFAULT_POLICY) -> list[PolicyPack]:
    """Load the packs shipped with Tuopin, published; returns the packs it created.

    Idempotent: a pack whose scope already has that version is left as it is (a published
    pack cannot change, and a later local version must not be overwritten).
    """
    data = json.loads(path.read_text(encoding="utf-8"))
    created: list[PolicyPack] = []
    for spec in data["packs"]:
        code = spec.get("area_code")
        area = None
        if code:
            area = Area.objects.filter(code=code).first()
            if area is None:
                raise DomainError(
                    "policy.default.unknown_area",
                    _("The default policy needs area %(code)s; load the area tree first."),
                    params={"code": code},
                )
        scope = _scope_for(area)
        if scope != spec["scope"]:
            raise DomainError(
                "policy.default.bad_scope",
                _("Area %(code)s is not at the scope its pack names."),
                params={"code": code},
            )
        require_policy_permission(actor, area)
        existing = (
            PolicyPack.objects.filter(area=area) if area else PolicyPack.objects.filter(area=None)
        )
        if existing.filter(version=spec["version"]).exists():
            continue
        pack = PolicyPack.objects.create(
            name=spec["name"],
            scope=scope,
            area=area,
            version=spec["version"],
            effective_from=datetime.date.fromisoformat(spec["effective_from"]),
            note=spec.get("note", ""),
        )
        rows = []
        for item in spec["values"]:
            source, number = _checked_value(
                item["key"], item["year"], item["value"], item["source"]
            )
            rows.append(
                PolicyValue(
                    pack=pack, key=item["key"], year=item["year"], value=number, source=source
                )
            )
        PolicyValue.objects.bulk_create(rows)
        pack.status = PackStatus.PUBLISHED
        pack.published_at = timezone.now()
        pack.save(update_fields=["status", "published_at"])
        log_action(
            actor=actor,
            action="policy.pack.default_loaded",
            obj=pack,
            area_code=pack.area_code,
            diff={"version": [None, pack.version], "values": [None, len(rows)]},
        )
        created.append(pack)
    return created
