"""Forms of the measures page; they parse input only, the services decide."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.assistance.choices import MeasureCategory, RiskType
from tuopin.registry.forms import DateInput


class MeasureForm(forms.Form):
    category = forms.ChoiceField(label=_("category"), choices=[("", "—"), *MeasureCategory.choices])
    risk_type = forms.ChoiceField(
        label=_("risk it answers"), choices=[("", "—"), *RiskType.choices], required=False
    )
    description = forms.CharField(label=_("content"), max_length=300)
    amount = forms.DecimalField(
        label=_("amount (yuan)"), required=False, min_value=0, decimal_places=2
    )
    start_date = forms.DateField(
        label=_("start date"), widget=DateInput(), initial=timezone.localdate
    )
    end_date = forms.DateField(label=_("end date"), widget=DateInput(), required=False)
    responsible_unit = forms.CharField(label=_("responsible unit"), max_length=150, required=False)


class MeasureEndForm(forms.Form):
    measure = forms.IntegerField(widget=forms.HiddenInput)
    end_date = forms.DateField(label=_("end date"), widget=DateInput(), initial=timezone.localdate)
