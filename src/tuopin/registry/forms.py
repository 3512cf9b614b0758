"""Forms of the registry pages: they parse input; the services decide what is allowed.

Field labels, choices and limits come from the models (``fields_for_model``), so a page
speaks the same words as the rest of Tuopin and cannot drift from the columns it fills.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from tuopin.registry.choices import (
    HouseholdType,
    IdType,
    MembershipReason,
    MonitorType,
    RegistryStatus,
    Relation,
)
from tuopin.registry.importers.household_file import OLD_EXCEL
from tuopin.registry.models import (
    Household,
    HouseholdConditions,
    HouseholdIncome,
    HouseholdStatus,
    Membership,
    MonitoringPeriod,
    Person,
)
from tuopin.registry.services import CONDITION_FIELDS, INCOME_FIELDS, PERSON_FIELDS

HOUSEHOLD_EDIT_FIELDS = [
    "attribute",
    "main_cause",
    "tuopin_year",
    "phone",
    "bank_name",
    "bank_account",
]

FAILED_GUARANTEES = [
    ("food_clothing", _("Food and clothing")),
    ("basic_medical", _("Basic medical insurance")),
    ("housing_safety", _("Housing safety")),
    ("drinking_water", _("Safe drinking water")),
]

JOIN_REASONS = [
    MembershipReason.BIRTH,
    MembershipReason.MARRIAGE_IN,
    MembershipReason.MOVED,
    MembershipReason.OTHER,
]
LEAVE_REASONS = [
    MembershipReason.DEATH,
    MembershipReason.MARRIAGE_OUT,
    MembershipReason.MOVED,
    MembershipReason.OTHER,
]


class DateInput(forms.DateInput):
    """The browser's own date picker; the value travels as ``YYYY-MM-DD``."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


def _formfield(field: models.Field, **kwargs: Any) -> forms.Field | None:
    formfield = field.formfield(**kwargs)
    if isinstance(formfield, forms.DateField):
        formfield.widget = DateInput()
    return formfield


def model_fields(model: type[models.Model], names: list[str]) -> dict[str, forms.Field]:
    """Form fields for ``names`` of ``model``, in that order, with dates as date pickers."""
    return dict(forms.fields_for_model(model, fields=names, formfield_callback=_formfield))


def _choices(choices: Any) -> list[tuple[str, Any]]:
    """``choices`` after an empty first entry, so nothing is chosen until the user does."""
    return [("", "—"), *choices]


class VersionedForm(forms.Form):
    """A form that edits one record; ``version`` is the record's version when it was loaded.

    Subclasses list ``model`` and ``model_field_names``; the model's fields come first.
    """

    model: type[models.Model]
    model_field_names: list[str] = []

    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = {
            name: field
            for name, field in self.fields.items()
            if name not in self.model_field_names and name != "version"
        }
        self.fields = {
            **own,
            **model_fields(self.model, self.model_field_names),
            "version": self.fields["version"],
        }

    def values(self) -> dict[str, Any]:
        """The cleaned model values, ready for the service's keyword arguments."""
        return {name: self.cleaned_data[name] for name in self.model_field_names}


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Name, ID number or household code"),
                "autocomplete": "off",
            }
        ),
    )
    area_code = forms.RegexField(
        label=_("Area code"),
        regex=r"^\d{12}$",
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 12}),
    )
    household_type = forms.ChoiceField(
        label=capfirst(Household._meta.get_field("household_type").verbose_name),
        choices=_choices(HouseholdType.choices),
        required=False,
    )
    status = forms.ChoiceField(
        label=capfirst(HouseholdStatus._meta.get_field("status").verbose_name),
        choices=_choices(RegistryStatus.choices),
        required=False,
    )
    monitor_type = forms.ChoiceField(
        label=capfirst(MonitoringPeriod._meta.get_field("monitor_type").verbose_name),
        choices=_choices(MonitorType.choices),
        required=False,
    )
    failed_guarantee = forms.ChoiceField(
        label=_("Guarantee not met"), choices=_choices(FAILED_GUARANTEES), required=False
    )
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every filter but the search box applies on change; the box applies as one types.
        for name, field in self.fields.items():
            if name != "q":
                field.widget.attrs["class"] = "autosubmit"


class AsOfForm(forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False, widget=DateInput())


class HouseholdEditForm(VersionedForm):
    model = Household
    model_field_names = HOUSEHOLD_EDIT_FIELDS


class PersonForm(VersionedForm):
    model = Person
    model_field_names = PERSON_FIELDS


class YearForm(VersionedForm):
    year = forms.IntegerField(
        label=_("Year"),
        min_value=2014,
        max_value=2100,
        initial=lambda: datetime.date.today().year - 1,
    )


class IncomeForm(YearForm):
    model = HouseholdIncome
    model_field_names = INCOME_FIELDS


class ConditionsForm(YearForm):
    model = HouseholdConditions
    model_field_names = CONDITION_FIELDS


class HouseholdVersionMixin(forms.Form):
    """The household's version when the form was loaded: changes to its history are refused
    when someone else changed the household meanwhile."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class StatusForm(HouseholdVersionMixin):
    status = forms.ChoiceField(
        label=capfirst(HouseholdStatus._meta.get_field("status").verbose_name),
        choices=_choices(RegistryStatus.choices),
    )
    on = forms.DateField(
        label=capfirst(HouseholdStatus._meta.get_field("valid_from").verbose_name),
        widget=DateInput(),
        initial=datetime.date.today,
    )
    reason = forms.CharField(
        label=capfirst(HouseholdStatus._meta.get_field("reason").verbose_name), max_length=200
    )


MEMBER_FIELDS = ["name", "id_type", "id_number", *PERSON_FIELDS[1:]]


class MemberAddForm(HouseholdVersionMixin):
    relation = forms.ChoiceField(
        label=capfirst(Membership._meta.get_field("relation").verbose_name),
        choices=_choices(Relation.choices),
    )
    joined_on = forms.DateField(
        label=capfirst(Membership._meta.get_field("valid_from").verbose_name),
        widget=DateInput(),
        initial=datetime.date.today,
    )
    reason = forms.ChoiceField(
        label=capfirst(Membership._meta.get_field("join_reason").verbose_name),
        choices=_choices((r.value, r.label) for r in JOIN_REASONS),
    )
    note = forms.CharField(
        label=capfirst(Membership._meta.get_field("note").verbose_name),
        max_length=200,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = model_fields(Person, MEMBER_FIELDS)
        person["id_type"].initial = IdType.RESIDENT_ID
        person["sex"].help_text = _("Left empty, it is read from the ID number.")
        person["birth_date"].help_text = _("Left empty, it is read from the ID number.")
        own = dict(self.fields)
        self.fields = {
            "name": person.pop("name"),
            "id_type": person.pop("id_type"),
            "id_number": person.pop("id_number"),
            "relation": own.pop("relation"),
            **person,
            **own,
        }

    def member_values(self) -> dict[str, Any]:
        """The person's values for ``services.MemberInput``."""
        data = self.cleaned_data
        values = {name: data[name] for name in MEMBER_FIELDS}
        values["relation"] = data["relation"]
        return values


class MemberRemoveForm(HouseholdVersionMixin):
    left_on = forms.DateField(
        label=capfirst(Membership._meta.get_field("valid_to").verbose_name),
        widget=DateInput(),
        initial=datetime.date.today,
    )
    reason = forms.ChoiceField(
        label=capfirst(Membership._meta.get_field("leave_reason").verbose_name),
        choices=_choices((r.value, r.label) for r in LEAVE_REASONS),
    )
    note = forms.CharField(
        label=capfirst(Membership._meta.get_field("note").verbose_name),
        max_length=200,
        required=False,
    )


# ---------------------------------------------------------------------------------------------
# Household files: upload for import, export (views_files.py)

IMPORT_MODES = [
    ("all-or-nothing", _("All or nothing: any error refuses the whole file")),
    ("good-rows", _("Good rows: import the households without errors, report the rest")),
]
HOUSEHOLD_FILE_SUFFIXES = (".xlsx", ".csv")
# Far above a banner's file (about 40 MB of CSV for 100,000 members), low enough that a
# mistaken upload of something else does not fill the disk.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
EXPORT_FORMATS = [("xlsx", "Excel (.xlsx)"), ("csv", "CSV (.csv)")]


class HouseholdFileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Household file"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file: one row per member, headers as in an "
            "exported file (户编号, 行政区划代码, 证件号码 …)."
        ),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("When the file has errors"),
        choices=IMPORT_MODES,
        initial="all-or-nothing",
        widget=forms.RadioSelect,
    )
    effective = forms.DateField(
        label=_("Effective date"),
        required=False,
        widget=DateInput(),
        help_text=_("The day new memberships and statuses start. Empty: today."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        suffix = self.suffix_of(upload.name)
        if suffix == ".xls":
            raise forms.ValidationError(OLD_EXCEL)
        if suffix not in HOUSEHOLD_FILE_SUFFIXES:
            raise forms.ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB."),
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            )
        return upload

    @staticmethod
    def suffix_of(name: str) -> str:
        """The file type as the client named it: only ever used to pick ``.xlsx``/``.csv``."""
        _stem, dot, suffix = name.rpartition(".")
        return f".{suffix.lower()}" if dot else ""


class HouseholdExportForm(forms.Form):
    area = forms.RegexField(regex=r"^\d{12}$", required=False)
    as_of = forms.DateField(required=False)
    format = forms.ChoiceField(choices=EXPORT_FORMATS, required=False)
