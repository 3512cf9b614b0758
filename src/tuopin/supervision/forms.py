"""Forms of the supervision pages. They parse input; the services decide what is allowed."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.supervision.choices import (
    Accountability,
    ClueCategory,
    ClueSource,
    Disposal,
    Finding,
    ReplyMode,
    ResultClass,
    Satisfaction,
    VisitKind,
)
from tuopin.supervision.models import Deputy, Office


def _date() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class AreaField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.display_name}"


class SuggestionForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    content = forms.CharField(label=_("Content"), widget=_text(6))

    def __init__(self, *args: Any, deputies: QuerySet[Deputy], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class AssignForm(forms.Form):
    lead_office = forms.ModelChoiceField(label=_("Lead office"), queryset=Office.objects.none())
    assisting_offices = forms.ModelMultipleChoiceField(
        label=_("Assisting offices"),
        queryset=Office.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )

    def __init__(self, *args: Any, offices: QuerySet[Office], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_office"].queryset = offices
        self.fields["assisting_offices"].queryset = offices


class AssistForm(forms.Form):
    office = forms.IntegerField(widget=forms.HiddenInput)
    answer = forms.CharField(label=_("Answer to the lead office"), widget=_text())


class ExtendForm(forms.Form):
    months = forms.IntegerField(label=_("Months"), min_value=1, max_value=3, initial=1)
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ReplyForm(forms.Form):
    reply_mode = forms.ChoiceField(label=_("Reply mode"), choices=ReplyMode.choices)
    result_class = forms.ChoiceField(label=_("Result class"), choices=ResultClass.choices)
    reply = forms.CharField(label=_("Reply"), widget=_text(5))


class VoteForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label=_("Satisfaction"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Comment"), required=False, widget=_text(2))


class OpinionForm(forms.Form):
    area = AreaField(label=_("Area"), queryset=Area.objects.none())
    title = forms.CharField(label=_("Title"), max_length=200)
    report_title = forms.CharField(label=_("Report heard"), max_length=200)
    heard_on = forms.DateField(label=_("Heard on"), widget=_date())
    body = forms.CharField(label=_("Opinion"), required=False, widget=_text(5))

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ItemForm(forms.Form):
    text = forms.CharField(label=_("Issue"), widget=_text())
    office = forms.ModelChoiceField(
        label=_("Responsible office"), queryset=Office.objects.none(), required=False
    )
    area = AreaField(label=_("Responsible area"), queryset=Area.objects.none())
    due_on = forms.DateField(label=_("Due on"), widget=_date())

    def __init__(
        self, *args: Any, offices: QuerySet[Office], areas: QuerySet[Area], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["area"].queryset = areas


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=_text())


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Evidence file"))


class CloseItemForm(forms.Form):
    note = forms.CharField(label=_("Closure note"), max_length=500)


class RectificationForm(forms.Form):
    report = forms.CharField(label=_("Rectification report"), widget=_text(5))


class VisitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=VisitKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=_date())
    area = AreaField(label=_("Area"), queryset=Area.objects.none())
    topic = forms.CharField(label=_("Topic"), max_length=200)
    organiser = forms.CharField(label=_("Organised by"), max_length=100)
    participants = forms.IntegerField(label=_("Participants"), min_value=1)
    findings = forms.CharField(label=_("Findings"), required=False, widget=_text(4))

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=_date())
    end = forms.DateField(label=_("Until"), required=False, widget=_date())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("The period ends before it starts."))
        return data


class ClueForm(forms.Form):
    area = AreaField(label=_("Area"), queryset=Area.objects.none())
    source = forms.ChoiceField(label=_("Source"), choices=ClueSource.choices)
    received_on = forms.DateField(label=_("Received on"), widget=_date())
    summary = forms.CharField(label=_("Summary"), widget=_text(4))
    reporter_name = forms.CharField(label=_("Reporter"), required=False, max_length=60)
    reporter_contact = forms.CharField(label=_("Reporter's contact"), required=False, max_length=60)
    subject_name = forms.CharField(label=_("Person concerned"), required=False, max_length=60)
    subject_post = forms.CharField(
        label=_("Post of the person concerned"), required=False, max_length=100
    )

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ClueStepForm(forms.Form):
    """The one field of the clue's next step."""

    FIELDS: dict[str, forms.Field] = {
        "collected": forms.ChoiceField(label=_("Category"), choices=ClueCategory.choices),
        "classified": forms.ChoiceField(label=_("Disposal"), choices=Disposal.choices),
        "disposed": forms.ChoiceField(label=_("Finding"), choices=Finding.choices),
        "verified": forms.ChoiceField(label=_("Accountability"), choices=Accountability.choices),
        "accounted": forms.CharField(label=_("Use of the results"), widget=_text()),
    }

    def __init__(self, *args: Any, status: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"] = copy.deepcopy(self.FIELDS[status])


class SampleForm(forms.Form):
    area = AreaField(label=_("Area"), queryset=Area.objects.none())
    seed = forms.IntegerField(label=_("Seed"), min_value=0)

    def __init__(self, *args: Any, areas: QuerySet[Area], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas


class ScoreForm(forms.Form):
    assessee = forms.IntegerField(widget=forms.HiddenInput)
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label=_("Score"), min_value=0, max_value=100, decimal_places=2)
