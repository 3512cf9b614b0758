from django import forms
from django.utils.translation import gettext_lazy as _


class StepForm(forms.Form):
    """The dates a pipeline step asks for; each step reads only what it needs."""

    on = forms.DateField(label=_("date"), required=False, widget=forms.DateInput({"type": "date"}))
    start_date = forms.DateField(
        label=_("start date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end_date = forms.DateField(
        label=_("end date"), required=False, widget=forms.DateInput({"type": "date"})
    )
    place = forms.CharField(label=_("announced at"), required=False, max_length=200)
