"""Forms of the policy pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.policy.choices import YEAR_KEYED, PolicyKey
from tuopin.policy.models import PolicyPack

NATION = "nation"


def _date_input() -> forms.DateInput:
    """The browser's own date picker, which takes ``YYYY-MM-DD`` whatever the language."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def area_choices(areas: list[Area], *, nation: bool) -> list[tuple[str, Any]]:
    choices: list[tuple[str, Any]] = [(NATION, _("The nation"))] if nation else []
    return choices + [
        (area.code, f"{area.display_name} ({area.get_level_display()})") for area in areas
    ]


class _AreaChoiceMixin:
    """An ``area`` field whose choices are given: ``nation`` or an area code."""

    def area_from(self, areas: list[Area]) -> Area | None:
        code = self.cleaned_data["area"]  # type: ignore[attr-defined]
        if code == NATION:
            return None
        return next(area for area in areas if area.code == code)


class PackCreateForm(_AreaChoiceMixin, forms.Form):
    area = forms.ChoiceField(label=_("Whose policy"))
    name = forms.CharField(label=_("Name"), max_length=200)
    effective_from = forms.DateField(label=_("In force from"), widget=_date_input())
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = choices


class DraftForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    effective_from = forms.DateField(
        label=_("In force from"),
        widget=_date_input(),
        help_text=_("The new version is in force from this date once it is published."),
    )


class ValueForm(forms.Form):
    """Add a value to a draft, or change one (then key and year are fixed).

    ``seen_value`` and ``seen_source`` carry what the form showed, so a save over a value
    someone else changed meanwhile is refused rather than silently overwriting it.
    """

    key = forms.ChoiceField(label=_("Policy item"), choices=PolicyKey.choices)
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=2000,
        max_value=2100,
        help_text=_("Only poverty lines and monitoring thresholds are set per year."),
    )
    value = forms.DecimalField(label=_("Amount"), max_digits=14, decimal_places=4, min_value=0)
    source = forms.CharField(
        label=_("Source"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The document this value comes from: issuer, number, title or address."),
    )
    seen_value = forms.CharField(widget=forms.HiddenInput, required=False)
    seen_source = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.editing = editing
        if editing:
            self.fields["key"].disabled = True
            self.fields["year"].disabled = True

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        key, year = data.get("key"), data.get("year")
        if key in YEAR_KEYED and year is None and "year" not in self.errors:
            self.add_error("year", _("This value is set for a year; give the year."))
        if key and key not in YEAR_KEYED and year is not None:
            self.add_error("year", _("This value does not vary by year; leave the year empty."))
        return data

    def expected(self) -> tuple[Decimal | str, str] | None:
        """What the editor saw: ``None`` when adding, else the shown number and source."""
        if not self.editing:
            return None
        return (self.cleaned_data["seen_value"], self.cleaned_data["seen_source"])


class RemoveValueForm(forms.Form):
    key = forms.ChoiceField(choices=PolicyKey.choices)
    year = forms.IntegerField(required=False)
    seen_value = forms.CharField(required=False)
    seen_source = forms.CharField(required=False, strip=False)


class InForceForm(_AreaChoiceMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    area = forms.ChoiceField(label=_("Area"))

    def __init__(self, *args: Any, choices: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = choices


def pack_label(pack: PolicyPack) -> str:
    where = pack.area.display_name if pack.area_id else str(_("The nation"))
    return str(
        _("%(where)s · version %(version)s (%(status)s)")
        % {"where": where, "version": pack.version, "status": pack.get_status_display()}
    )


class CompareForm(forms.Form):
    old = forms.TypedChoiceField(label=_("Earlier version"), coerce=int)
    new = forms.TypedChoiceField(label=_("Later version"), coerce=int)

    def __init__(self, *args: Any, packs: list[PolicyPack], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(pack.pk, pack_label(pack)) for pack in packs]
        self.fields["old"].choices = choices
        self.fields["new"].choices = choices
