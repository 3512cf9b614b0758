from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class SweepForm(forms.Form):
    year = forms.IntegerField(label=_("Income year"), min_value=2014, max_value=2100)
    area = forms.ChoiceField(label=_("Area"))

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, f"{a.name} ({a.code})") for a in areas]
        self.fields["year"].initial = datetime.date.today().year - 1


class ExitForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2014, max_value=2100, initial=2020)
    area = forms.CharField(label=_("Area code"), max_length=12, min_length=12)

    def __init__(self, *args: Any, areas: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if areas:
            self.fields["area"].initial = areas[0].code
