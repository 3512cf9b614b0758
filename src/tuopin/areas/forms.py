from django import forms
from django.utils.translation import gettext_lazy as _


class FigureForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    rural_population = forms.IntegerField(label=_("Rural registered population"), min_value=0)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class FiguresImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_("Columns: code, year, rural_population, and optionally note."),
    )
