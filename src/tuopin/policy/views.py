"""Policy pages: the packs per scope, a pack with what is in force, comparing two versions,
and drafting, editing and publishing a version.

Every user with a grant may read the policy that applies to their areas; a pack outside
it is a 404. Drafting, editing and publishing are for whoever ``may_change_policy`` (league
officers and system administrators, within their reach): for anyone else the buttons are
not shown and the pages answer 403, never performing anything. A published pack is
immutable: its edit pages answer 409 and change nothing.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability
from tuopin.core.errors import ConcurrentEdit, DomainError, PermissionDenied
from tuopin.core.htmx import is_htmx
from tuopin.policy import selectors, services
from tuopin.policy.choices import PackStatus, ScopeLevel
from tuopin.policy.formatting import plain_number
from tuopin.policy.forms import (
    NATION,
    CompareForm,
    DraftForm,
    InForceForm,
    PackCreateForm,
    RemoveValueForm,
    ValueForm,
    area_choices,
)
from tuopin.policy.models import PolicyPack, PolicyValue, PublishedPackImmutable


def _section(request: HttpRequest) -> None:
    # Roles with no grant at all learn nothing of the section.
    if not has_capability(request.user, Capability.VIEW_AREAS):
        raise Http404(_("No such policy pack."))
    request.nav_section = "policy"  # type: ignore[attr-defined]


def _pack_or_404(request: HttpRequest, pk: int) -> PolicyPack:
    _section(request)
    try:
        return selectors.pack_get(user=request.user, pk=pk)
    except PolicyPack.DoesNotExist as exc:
        raise Http404(_("No such policy pack.")) from exc


def _changeable_pack(request: HttpRequest, pk: int, *, draft: bool) -> PolicyPack:
    """The pack, when the user may change its scope's policy (else 403) and, with
    ``draft``, when it is still a draft (else ``PublishedPackImmutable``)."""
    pack = _pack_or_404(request, pk)
    if not services.may_change_policy(request.user, pack.area):
        raise Forbidden(_("You do not have permission to change this policy."))
    if draft and pack.status != PackStatus.DRAFT:
        raise PublishedPackImmutable
    return pack


def _immutable(request: HttpRequest, pack: PolicyPack) -> HttpResponse:
    return render(request, "policy/immutable.html", {"pack": pack}, status=409)


# ---------------------------------------------------------------------------------------------
# Reading


@login_required
def pack_list(request: HttpRequest) -> HttpResponse:
    _section(request)
    groups: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (value, {"label": label, "packs": []}) for value, label in ScopeLevel.choices
    )
    for pack in selectors.pack_list(user=request.user):
        groups[pack.scope]["packs"].append(pack)
    context = {
        "groups": [group for group in groups.values() if group["packs"]],
        "can_create": bool(_creatable_choices(request)),
    }
    return render(request, "policy/list.html", context)


def _in_force_context(request: HttpRequest, *, default_area_code: str | None) -> dict[str, Any]:
    """The 'what is in force' panel: a year and an area from the query, else this year
    and ``default_area_code`` (when the user may ask for it) or their first area."""
    areas = selectors.policy_areas(user=request.user)
    choices = area_choices(areas, nation=True)
    codes = [code for code, _label in choices]
    initial_area = default_area_code if default_area_code in codes else None
    if initial_area is None:
        initial_area = areas[0].code if areas else NATION
    data = {
        "year": request.GET.get("year") or datetime.date.today().year,
        "area": request.GET.get("area") or initial_area,
    }
    form = InForceForm(data, choices=choices)
    context: dict[str, Any] = {"in_force_form": form}
    if form.is_valid():
        year = form.cleaned_data["year"]
        area = form.area_from(areas)
        view, rows = selectors.values_in_force(year=year, area=area)
        context.update(
            {
                "in_force_year": year,
                "in_force_area": area,
                "in_force_packs": view.packs,
                "in_force_rows": rows,
                "carried_forward": [r for r in rows if r.found and r.found.carried_forward],
            }
        )
    return context


@login_required
def in_force(request: HttpRequest) -> HttpResponse:
    _section(request)
    context = _in_force_context(request, default_area_code=None)
    if is_htmx(request):
        return render(request, "policy/_in_force.html", context)
    return render(request, "policy/in_force.html", context)


@login_required
def pack_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _pack_or_404(request, pk)
    default_area = pack.area.code if pack.area_id else NATION
    context = _in_force_context(request, default_area_code=default_area)
    if is_htmx(request) and request.headers.get("HX-Target") == "in-force":
        return render(request, "policy/_in_force.html", context)
    can_change = services.may_change_policy(request.user, pack.area)
    visible = selectors.pack_list(user=request.user)
    context.update(
        {
            "pack": pack,
            "values": [
                {"row": row, "unit": selectors.unit_of(row.key)}
                for row in selectors.pack_values(pack)
            ],
            "is_draft": pack.status == PackStatus.DRAFT,
            "can_change": can_change,
            "based_on": visible.filter(pk=pack.based_on_id).first() if pack.based_on_id else None,
            "successors": list(visible.filter(based_on=pack)),
        }
    )
    return render(request, "policy/detail.html", context)


@login_required
def pack_compare(request: HttpRequest) -> HttpResponse:
    _section(request)
    packs = list(selectors.pack_list(user=request.user))
    form = CompareForm(request.GET or None, packs=packs)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        by_pk = {pack.pk: pack for pack in packs}
        old, new = by_pk[form.cleaned_data["old"]], by_pk[form.cleaned_data["new"]]
        changes = selectors.pack_compare(old=old, new=new)
        context.update(
            {
                "old": old,
                "new": new,
                "changes": [
                    {"change": c, "unit": selectors.unit_of(c.key)}
                    for c in changes
                    if c.change != "same" or request.GET.get("all") == "1"
                ],
                "unchanged": sum(1 for c in changes if c.change == "same"),
                "differences": sum(1 for c in changes if c.change != "same"),
                "show_all": request.GET.get("all") == "1",
            }
        )
    return render(request, "policy/compare.html", context)


# ---------------------------------------------------------------------------------------------
# Drafting, editing, publishing


def _creatable_choices(request: HttpRequest) -> list[tuple[str, Any]]:
    user = request.user
    areas = [a for a in selectors.policy_areas(user=user) if services.may_change_policy(user, a)]
    return area_choices(areas, nation=services.may_change_policy(user, None))


@login_required
def pack_new(request: HttpRequest) -> HttpResponse:
    _section(request)
    choices = _creatable_choices(request)
    if not choices:
        raise Forbidden(_("You do not have permission to change this policy."))
    form = PackCreateForm(request.POST or None, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        areas = selectors.policy_areas(user=request.user)
        try:
            pack = services.pack_create(
                actor=request.user,
                area=form.area_from(areas),
                name=data["name"],
                effective_from=data["effective_from"],
                note=data["note"],
            )
        except PermissionDenied as exc:
            raise Forbidden(str(exc)) from exc
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Draft created. Add its values, then publish it."))
            return redirect("policy:detail", pk=pack.pk)
    return render(request, "policy/new.html", {"form": form})


@login_required
def pack_draft(request: HttpRequest, pk: int) -> HttpResponse:
    pack = _changeable_pack(request, pk, draft=False)
    if pack.status != PackStatus.PUBLISHED:
        messages.error(request, _("A new version is drafted from a published one."))
        return redirect("policy:detail", pk=pack.pk)
    form = DraftForm(
        request.POST or None,
        initial={"name": pack.name, "effective_from": pack.effective_from},
    )
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.pack_draft_from(
                actor=request.user,
                pack=pack,
                name=form.cleaned_data["name"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except PermissionDenied as exc:
            raise Forbidden(str(exc)) from exc
        messages.success(
            request,
            _("Version %(version)s drafted from version %(source)s.")
            % {"version": draft.version, "source": pack.version},
        )
        return redirect("policy:detail", pk=draft.pk)
    return render(request, "policy/draft.html", {"pack": pack, "form": form})


def _value_or_none(pack: PolicyPack, key: str, year: str) -> PolicyValue | None:
    if not key:
        return None
    row = pack.values.filter(key=key, year=int(year) if year.isdigit() else None).first()
    if row is None:
        raise Http404(_("No such value in this pack."))
    return row


@login_required
def value_edit(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pack = _changeable_pack(request, pk, draft=True)
    except PublishedPackImmutable:
        return _immutable(request, _pack_or_404(request, pk))
    row = _value_or_none(pack, request.GET.get("key", ""), request.GET.get("year", ""))
    initial: dict[str, Any] = {}
    if row is not None:
        initial = {
            "key": row.key,
            "year": row.year,
            "value": plain_number(row.value),
            "source": row.source,
            "seen_value": str(row.value),
            "seen_source": row.source,
        }
    form = ValueForm(request.POST or None, initial=initial, editing=row is not None)
    stale = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.pack_set_value(
                actor=request.user,
                pack=pack,
                key=data["key"],
                year=data["year"],
                value=data["value"],
                source=data["source"],
                expected=form.expected(),
            )
        except PermissionDenied as exc:
            raise Forbidden(str(exc)) from exc
        except PublishedPackImmutable:
            return _immutable(request, pack)
        except ConcurrentEdit as exc:
            form.add_error(None, str(exc))
            stale = True
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, _("Value saved."))
            return redirect(reverse("policy:detail", args=[pack.pk]) + "#values")
    context = {"pack": pack, "form": form, "row": row, "stale": stale}
    return render(request, "policy/value_edit.html", context)


@login_required
@require_POST
def value_remove(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pack = _changeable_pack(request, pk, draft=True)
    except PublishedPackImmutable:
        return _immutable(request, _pack_or_404(request, pk))
    form = RemoveValueForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Nothing was removed: the request was incomplete."))
        return redirect("policy:detail", pk=pack.pk)
    data = form.cleaned_data
    try:
        services.pack_remove_value(
            actor=request.user,
            pack=pack,
            key=data["key"],
            year=data["year"],
            expected=(data["seen_value"], data["seen_source"]),
        )
    except PermissionDenied as exc:
        raise Forbidden(str(exc)) from exc
    except PublishedPackImmutable:
        return _immutable(request, pack)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Value removed from the draft."))
    return redirect(reverse("policy:detail", args=[pack.pk]) + "#values")


@login_required
def pack_publish(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        pack = _changeable_pack(request, pk, draft=True)
    except PublishedPackImmutable:
        return _immutable(request, _pack_or_404(request, pk))
    error = ""
    if request.method == "POST":
        try:
            services.pack_publish(actor=request.user, pack=pack)
        except PermissionDenied as exc:
            raise Forbidden(str(exc)) from exc
        except PublishedPackImmutable:
            return _immutable(request, pack)
        except DomainError as exc:
            error = str(exc)
        else:
            messages.success(
                request,
                _("Version %(version)s is published and in force from %(date)s.")
                % {"version": pack.version, "date": pack.effective_from.isoformat()},
            )
            return redirect("policy:detail", pk=pack.pk)
    based_on = selectors.pack_list(user=request.user).filter(pk=pack.based_on_id).first()
    changes = (
        [c for c in selectors.pack_compare(old=based_on, new=pack) if c.change != "same"]
        if based_on
        else []
    )
    context = {
        "pack": pack,
        "based_on": based_on,
        "changes": [{"change": c, "unit": selectors.unit_of(c.key)} for c in changes],
        "value_count": pack.values.count(),
        "error": error,
    }
    return render(request, "policy/publish.html", context)
