"""Households, people and their effective-dated history (建档立卡 and its successor).

History is kept as intervals ``[valid_from, valid_to)``; the open interval has
``valid_to = NULL``. "As of D" means ``valid_from <= D`` and (``valid_to`` is null or
``valid_to > D``), so any past figure can be recomputed.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.registry.choices import (
    Attribute,
    Education,
    Health,
    HouseholdType,
    HousingGrade,
    IdType,
    Labour,
    MembershipReason,
    MonitorType,
    PovertyCause,
    RegistryStatus,
    Relation,
    Schooling,
    Sex,
)

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


def as_of_q(date, prefix: str = "") -> Q:  # type: ignore[no-untyped-def]
    """Rows of an effective-dated table in force on ``date``."""
    return Q(**{f"{prefix}valid_from__lte": date}) & (
        Q(**{f"{prefix}valid_to__isnull": True}) | Q(**{f"{prefix}valid_to__gt": date})
    )


class Household(models.Model):
    """A registered household (户). Its members, status and flags are kept as history."""

    code = models.CharField(_("household code"), max_length=40, unique=True)
    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="households"
    )
    household_type = models.CharField(
        _("household type"), max_length=12, choices=HouseholdType.choices
    )
    attribute = models.CharField(
        _("poor-household attribute"), max_length=12, choices=Attribute.choices, blank=True
    )
    main_cause = models.CharField(
        _("main cause of poverty"), max_length=12, choices=PovertyCause.choices, blank=True
    )
    other_causes = models.JSONField(_("other causes of poverty"), default=list, blank=True)
    tuopin_year = models.PositiveSmallIntegerField(
        _("year lifted out"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2014), MaxValueValidator(2020)],
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    bank_name = models.CharField(_("bank"), max_length=100, blank=True)
    bank_account = models.CharField(_("bank account"), max_length=40, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    # Fields only roles with personal-data access may see unmasked.
    SENSITIVE_FIELDS = ("phone", "bank_account")

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        indexes = [models.Index(fields=["area", "code"])]

    def __str__(self) -> str:
        return self.code


class Person(models.Model):
    """A person, identified by an ID document; may belong to different households over time."""

    id_type = models.CharField(
        _("ID type"), max_length=16, choices=IdType.choices, default=IdType.RESIDENT_ID
    )
    # db_index gives PostgreSQL a pattern index too, for searches by the start of a number.
    id_number = models.CharField(_("ID number"), max_length=30, db_index=True)
    name = models.CharField(_("full name"), max_length=60, db_index=True)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    schooling = models.CharField(
        _("schooling"), max_length=24, choices=Schooling.choices, default=Schooling.NOT_IN_SCHOOL
    )
    health = models.CharField(
        _("health"), max_length=10, choices=Health.choices, default=Health.HEALTHY
    )
    labour = models.CharField(
        _("labour capacity"), max_length=10, choices=Labour.choices, blank=True
    )
    medical_insured = models.BooleanField(_("basic medical insurance"), default=False)
    pension_insured = models.BooleanField(_("basic pension insurance"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    SENSITIVE_FIELDS = ("id_number", "health")

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        constraints = [
            models.UniqueConstraint(fields=["id_type", "id_number"], name="person_id_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A person belonging to a household for a time, with why they joined and left."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    relation = models.CharField(_("relation to head"), max_length=16, choices=Relation.choices)
    valid_from = models.DateField(_("joined on"))
    valid_to = models.DateField(_("left on"), null=True, blank=True)
    join_reason = models.CharField(
        _("reason for joining"), max_length=16, choices=MembershipReason.choices
    )
    leave_reason = models.CharField(
        _("reason for leaving"), max_length=16, choices=MembershipReason.choices, blank=True
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["household", "valid_from", "id"]
        constraints = [
            # The same person cannot be an active member of two households.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(valid_to__isnull=True),
                name="membership_one_active_household",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_interval_ordered",
            ),
        ]
        indexes = [models.Index(fields=["household", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.person} @ {self.household}"


class HouseholdStatus(models.Model):
    """The household's registry status over time (未脱贫, 已脱贫, 返贫, 新识别 …)."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="statuses"
    )
    status = models.CharField(_("status"), max_length=24, choices=RegistryStatus.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("registry status")
        verbose_name_plural = _("registry statuses")
        ordering = ["household", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(valid_to__isnull=True),
                name="household_one_open_status",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="status_interval_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.status} {self.valid_from}"


class MonitoringPeriod(models.Model):
    """A spell as a monitored household: its type, when identified, when the risk ended."""

    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        on_delete=models.PROTECT,
        related_name="monitoring_periods",
    )
    monitor_type = models.CharField(
        _("monitoring type"), max_length=20, choices=MonitorType.choices
    )
    valid_from = models.DateField(_("identified on"))
    valid_to = models.DateField(_("risk eliminated on"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("monitoring period")
        verbose_name_plural = _("monitoring periods")
        ordering = ["household", "valid_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(valid_to__isnull=True),
                name="household_one_open_monitoring",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="monitoring_interval_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.monitor_type} {self.valid_from}"


class HouseholdIncome(models.Model):
    """A household's income for a year. Net income and its per-capita value are computed by
    the database from the components: never typed in."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="incomes"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    size = models.PositiveSmallIntegerField(_("household size"), validators=[MinValueValidator(1)])
    wage_income = models.DecimalField(_("wage income"), **MONEY)
    business_income = models.DecimalField(_("business income"), **MONEY)
    property_income = models.DecimalField(_("property income"), **MONEY)
    transfer_income = models.DecimalField(_("transfer income"), **MONEY)
    business_costs = models.DecimalField(_("business costs"), **MONEY)
    compliant_expenses = models.DecimalField(
        _("compliant self-paid expenses"), default=Decimal(0), **MONEY
    )
    net_income = models.GeneratedField(
        expression=F("wage_income")
        + F("business_income")
        + F("property_income")
        + F("transfer_income")
        - F("business_costs"),
        output_field=models.DecimalField(max_digits=14, decimal_places=2),
        db_persist=True,
        verbose_name=_("net income"),
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("household income")
        verbose_name_plural = _("household incomes")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="income_household_year"),
            models.CheckConstraint(condition=Q(size__gte=1), name="income_size_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"

    @property
    def per_capita(self) -> Decimal:
        """Net income per capita, to the fen (2 decimals), as the evaluation file writes it."""
        return (self.computed_net_income / self.size).quantize(Decimal("0.01"))

    @property
    def computed_net_income(self) -> Decimal:
        """The formula in Python, for an instance not yet saved (the column is the same)."""
        return Decimal(
            self.wage_income
            + self.business_income
            + self.property_income
            + self.transfer_income
            - self.business_costs
        )


class HouseholdConditions(models.Model):
    """Living conditions for a year: the guarantees, housing, water and relocation."""

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="conditions"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    food_clothing = models.BooleanField(_("enough food and clothing"), default=True)
    housing_grade = models.CharField(
        _("housing safety grade"), max_length=1, choices=HousingGrade.choices
    )
    housing_appraised_on = models.DateField(_("housing appraised on"), null=True, blank=True)
    housing_appraised_by = models.CharField(_("appraised by"), max_length=100, blank=True)
    water_quantity = models.BooleanField(_("water quantity adequate"))
    water_quality = models.BooleanField(_("water quality adequate"))
    water_access = models.BooleanField(_("water access convenient"))
    water_reliability = models.BooleanField(_("water supply reliable"))
    relocated = models.BooleanField(_("relocated for poverty alleviation"), default=False)
    relocation_site = models.CharField(_("relocation site"), max_length=100, blank=True)
    moved_in_on = models.DateField(_("moved in on"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("living conditions")
        verbose_name_plural = _("living conditions")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="conditions_household_year")
        ]

    def __str__(self) -> str:
        return f"{self.household} {self.year}"

    @property
    def housing_safe(self) -> bool:
        return self.housing_grade in {HousingGrade.A, HousingGrade.B}

    @property
    def water_safe(self) -> bool:
        return all(
            (self.water_quantity, self.water_quality, self.water_access, self.water_reliability)
        )
