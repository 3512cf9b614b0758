"""Forms of the monitoring pages. They parse input only; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.monitoring.choices import ClueChannel, DeliberationResult, RiskType
from tuopin.registry.choices import MonitorType
from tuopin.registry.forms import DateInput


def _today() -> Any:
    return timezone.localdate()


class ClueReportForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(ClueChannel.CADRE_SCREENING, ClueChannel.CADRE_SCREENING.label)],
        initial=ClueChannel.CADRE_SCREENING,
    )
    risk_type = forms.ChoiceField(label=_("risk type"), choices=[("", "—"), *RiskType.choices])
    description = forms.CharField(
        label=_("What was found"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )


class DismissForm(forms.Form):
    reason = forms.CharField(label=_("Reason for dismissing"), max_length=300)


class MatchForm(forms.Form):
    household_code = forms.CharField(label=_("household code"), max_length=40)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejection"), max_length=300)


class VersionField(forms.IntegerField):
    widget = forms.HiddenInput


class VerifyForm(forms.Form):
    verified_on = forms.DateField(label=_("verified on"), widget=DateInput(), initial=_today)
    note = forms.CharField(
        label=_("What the visit found"), widget=forms.Textarea(attrs={"rows": 4})
    )
    consent = forms.FileField(
        label=_("Signed consent and authorisation (PDF, JPEG or PNG)"), required=False
    )
    version = VersionField(required=False)


class DeliberationForm(forms.Form):
    held_on = forms.DateField(label=_("deliberation date"), widget=DateInput(), initial=_today)
    participants = forms.CharField(
        label=_("participants"), widget=forms.Textarea(attrs={"rows": 2})
    )
    result = forms.ChoiceField(label=_("result"), choices=DeliberationResult.choices)
    monitor_type = forms.ChoiceField(
        label=_("monitoring type"), choices=[("", "—"), *MonitorType.choices], required=False
    )
    minutes = forms.CharField(label=_("minutes"), widget=forms.Textarea(attrs={"rows": 4}))
    version = VersionField(required=False)


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("publicity from"), widget=DateInput(), initial=_today)
    end = forms.DateField(label=_("publicity until"), widget=DateInput())
    version = VersionField(required=False)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=DateInput(), initial=_today)
    content = forms.CharField(label=_("objection"), widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    objection = forms.IntegerField(widget=forms.HiddenInput)
    answered_on = forms.DateField(label=_("answered on"), widget=DateInput(), initial=_today)
    answer = forms.CharField(label=_("answer"), widget=forms.Textarea(attrs={"rows": 2}))


class CompletePublicityForm(forms.Form):
    on = forms.DateField(label=_("publicity closed on"), widget=DateInput(), initial=_today)
    version = VersionField(required=False)


class OpinionForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DateInput(), initial=_today)
    opinion = forms.CharField(label=_("opinion"), widget=forms.Textarea(attrs={"rows": 3}))
    version = VersionField(required=False)


class ApprovalForm(OpinionForm):
    monitor_type = forms.ChoiceField(
        label=_("monitoring type"), choices=[("", "—"), *MonitorType.choices], required=False
    )


class AnnounceForm(forms.Form):
    on = forms.DateField(label=_("announced on"), widget=DateInput(), initial=_today)
    version = VersionField(required=False)


class EliminationForm(forms.Form):
    on = forms.DateField(label=_("date"), widget=DateInput(), initial=_today)


def gaqa_choices() -> list[tuple[str, Any]]:
    """Every gaqa / village in use, grouped under its town, for the public form."""
    areas = Area.objects.filter(is_active=True, level__in=[Level.SUMU_TOWN, Level.VILLAGE])
    groups: list[tuple[str, list[tuple[str, str]]]] = []
    towns: dict[int, list[tuple[str, str]]] = {}
    for a in areas.order_by("lft"):
        if a.level == Level.SUMU_TOWN:
            towns[a.pk] = []
            groups.append((a.display_name, towns[a.pk]))
        elif a.parent_id in towns:
            towns[a.parent_id].append((a.code, a.display_name))
    return [("", "—"), *[(town, items) for town, items in groups if items]]


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Your full name"), max_length=60)
    id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=_("Phone"), max_length=30, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    area = forms.ChoiceField(label=_("Your gaqa or village"))
    difficulties = forms.MultipleChoiceField(
        label=_("Difficulties"), choices=RiskType.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(
        label=_("Tell us more (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that cadres verify my household's situation and query our income and "
            "assets for this application."
        ),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = gaqa_choices()


class LookupForm(forms.Form):
    tracking_code = forms.CharField(label=_("Tracking code"), max_length=16)
    id_number = forms.CharField(
        label=_("Your ID number"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
