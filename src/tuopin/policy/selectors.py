"""Reading policy: which values are in force for an area on a date."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import intervals, restrict, top_granted_areas
from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.policy.choices import UNIT_OF_KEY, YEAR_KEYED, PackStatus, PolicyKey, Unit
from tuopin.policy.models import PolicyPack, PolicyValue


@dataclass(frozen=True)
class PolicyValueInForce:
    """One value as a rule should use it, with where it came from.

    ``year`` is the year asked for (``None`` for keys that do not vary by year);
    ``from_year`` the year the value was set for. When they differ the value is the latest
    earlier year's, ``carried_forward`` is set, and whoever shows it must say so.
    """

    key: str
    value: Decimal
    source: str
    year: int | None
    from_year: int | None
    carried_forward: bool
    pack_id: int
    pack_name: str
    scope: str
    area_code: str
    version: int


@dataclass
class PolicyView:
    """The policy in force for ``area`` (``None``: the nation) on ``at``.

    ``packs`` are the packs in force on the area's chain, widest scope first. For each key
    the narrowest pack that sets the key wins, with all of its years: a narrower scope
    that overrides a year-keyed value states every year it means, and the wider scope's
    years are not mixed in.
    """

    at: datetime.date
    area: Area | None
    packs: list[PolicyPack]
    _values: dict[str, tuple[PolicyPack, list[PolicyValue]]] = field(default_factory=dict)

    def value(self, key: str, year: int | None = None) -> PolicyValueInForce | None:
        """The value of ``key`` (for ``year``, when the key varies by year).

        A year-keyed key with no ``year`` is read for the year of ``at``. When there is no
        value for the year, the latest earlier year's is returned with
        ``carried_forward=True``; never a later year's, and ``None`` before the first year.
        """
        key = PolicyKey(key).value
        found = self._values.get(key)
        if found is None:
            return None
        pack, rows = found
        if key not in YEAR_KEYED:
            row = rows[0]
            return self._resolved(pack, row, year=None)
        wanted = self.at.year if year is None else year
        earlier = [row for row in rows if row.year is not None and row.year <= wanted]
        if not earlier:
            return None
        row = max(earlier, key=lambda r: r.year or 0)
        return self._resolved(pack, row, year=wanted)

    def amount(self, key: str, year: int | None = None) -> Decimal | None:
        """Just the number of ``value(key, year)``, or ``None``."""
        found = self.value(key, year)
        return None if found is None else found.value

    @staticmethod
    def _resolved(pack: PolicyPack, row: PolicyValue, *, year: int | None) -> PolicyValueInForce:
        return PolicyValueInForce(
            key=row.key,
            value=row.value,
            source=row.source,
            year=year,
            from_year=row.year,
            carried_forward=year is not None and row.year != year,
            pack_id=pack.pk,
            pack_name=pack.name,
            scope=pack.scope,
            area_code=pack.area_code,
            version=pack.version,
        )


def policy_in_force(*, at: datetime.date, area: Area | None) -> PolicyView:
    """The policy in force for ``area`` (or the nation, for ``None``) on ``at``.

    On each scope of the chain (the nation, then ``area`` and its ancestors) the published
    pack with ``effective_from <= at`` and the highest version is in force; drafts never
    are. Per key, the narrowest scope's pack that sets it wins. Three queries, whatever
    the depth. Policy is public rules, not personal data, so no user scopes it.
    """
    chain: list[Area] = []
    if area is not None:
        chain = list(
            Area.objects.filter(lft__lte=area.lft, rgt__gte=area.rgt).order_by("depth", "lft")
        )
    chain_q = Q(area__isnull=True)
    if chain:
        chain_q |= Q(area_id__in=[a.pk for a in chain])
    candidates = (
        PolicyPack.objects.filter(chain_q, status=PackStatus.PUBLISHED, effective_from__lte=at)
        .select_related("area")
        .order_by("-version")
    )
    by_scope: dict[int | None, PolicyPack] = {}
    for pack in candidates:
        by_scope.setdefault(pack.area_id, pack)
    order: list[int | None] = [None, *(a.pk for a in chain)]
    packs = [by_scope[area_id] for area_id in order if area_id in by_scope]

    rows_by_pack: dict[int, dict[str, list[PolicyValue]]] = {p.pk: {} for p in packs}
    for row in PolicyValue.objects.filter(pack__in=packs).order_by("key", "year"):
        rows_by_pack[row.pack_id].setdefault(row.key, []).append(row)
    values: dict[str, tuple[PolicyPack, list[PolicyValue]]] = {}
    for pack in packs:  # widest first, so narrower scopes overwrite
        for key, rows in rows_by_pack[pack.pk].items():
            values[key] = (pack, rows)
    return PolicyView(at=at, area=area, packs=packs, _values=values)


def pack_list(*, user: Any) -> QuerySet[PolicyPack]:
    """The packs ``user`` may read, drafts included: the nation's, and those of every area
    in or above their subtrees (the policy that applies to them). Nothing without grants."""
    spans = intervals(user, Capability.VIEW_AREAS)
    if not spans:
        return PolicyPack.objects.none()
    q = Q(area__isnull=True)
    for lft, rgt in spans:
        q |= Q(area__lft__gte=lft, area__lft__lte=rgt) | Q(area__lft__lte=lft, area__rgt__gte=rgt)
    return (
        PolicyPack.objects.filter(q)
        .select_related("area", "published_by")
        .order_by("scope", "area__lft", "-version")
    )


def pack_get(*, user: Any, pk: int) -> PolicyPack:
    """One pack ``user`` may read, or ``PolicyPack.DoesNotExist`` (also outside the scope)."""
    return pack_list(user=user).get(pk=pk)


_KEY_ORDER = {key: index for index, key in enumerate(PolicyKey.values)}


def _value_order(row: PolicyValue) -> tuple[int, int]:
    return (_KEY_ORDER.get(row.key, len(_KEY_ORDER)), row.year or 0)


def pack_values(pack: PolicyPack) -> list[PolicyValue]:
    """The values of ``pack`` in the order of the keys, then by year."""
    return sorted(pack.values.all(), key=_value_order)


def unit_of(key: str) -> Unit | None:
    return UNIT_OF_KEY.get(key)


@dataclass(frozen=True)
class ValueChange:
    """One key (and year) of two versions side by side: ``added``, ``removed``, ``changed``
    (the number or the source differs) or ``same``."""

    key: str
    year: int | None
    change: str
    before: PolicyValue | None
    after: PolicyValue | None

    @property
    def value_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.before.value != self.after.value
        )

    @property
    def source_changed(self) -> bool:
        return (
            self.before is not None
            and self.after is not None
            and self.before.source != self.after.source
        )


def pack_compare(*, old: PolicyPack, new: PolicyPack) -> list[ValueChange]:
    """Every key and year of ``old`` and ``new``, in key order, with what changed."""
    before = {(row.key, row.year): row for row in old.values.all()}
    after = {(row.key, row.year): row for row in new.values.all()}
    changes = []
    for key, year in set(before) | set(after):
        b, a = before.get((key, year)), after.get((key, year))
        if b is None:
            change = "added"
        elif a is None:
            change = "removed"
        elif b.value != a.value or b.source != a.source:
            change = "changed"
        else:
            change = "same"
        changes.append(ValueChange(key=key, year=year, change=change, before=b, after=a))
    return sorted(changes, key=lambda c: (_KEY_ORDER.get(c.key, len(_KEY_ORDER)), c.year or 0))


@dataclass(frozen=True)
class InForceRow:
    """One key of the policy in force: the value found, or ``None`` when nothing sets it
    for the year."""

    key: str
    label: str
    unit: Unit | None
    found: PolicyValueInForce | None
    pack: PolicyPack | None = None


def values_in_force(*, year: int, area: Area | None) -> tuple[PolicyView, list[InForceRow]]:
    """Every key as in force for ``area`` for ``year``, read on 31 December of the year
    (the as-of date the rules use by default). Carried-forward values say so."""
    view = policy_in_force(at=datetime.date(year, 12, 31), area=area)
    packs = {pack.pk: pack for pack in view.packs}
    rows = []
    for key, label in PolicyKey.choices:
        found = view.value(key, year if key in YEAR_KEYED else None)
        rows.append(
            InForceRow(
                key=key,
                label=str(label),
                unit=unit_of(key),
                found=found,
                pack=packs.get(found.pack_id) if found else None,
            )
        )
    return view, rows


POLICY_LEVELS = (Level.PROVINCE, Level.LEAGUE, Level.BANNER)


def policy_areas(*, user: Any) -> list[Area]:
    """The areas ``user`` may ask the policy in force for: the top areas of their grants
    (a town cadre's town) and every area they see at a level that has policy (province,
    league, banner), in tree order; none without a grant."""
    levelled = restrict(
        Area.objects.filter(level__in=POLICY_LEVELS, is_active=True),
        user,
        Capability.VIEW_AREAS,
        area_field=None,
    )
    found = {area.pk: area for area in levelled}
    for area in top_granted_areas(user, Capability.VIEW_AREAS):
        found.setdefault(area.pk, area)
    return sorted(found.values(), key=lambda area: area.lft)
