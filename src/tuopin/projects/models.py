"""Projects (项目库), their funds, the assets they leave, gaqa collective economies, and the
industries and cooperatives households earn from. Every row hangs off an area for scoping."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.projects.choices import (
    AssetKind,
    AssetState,
    CollectiveIncomeSource,
    EnterpriseKind,
    FundSource,
    Industry,
    ProjectState,
    ProjectType,
    PublicityLevel,
)
from tuopin.registry.models import Household

_MONEY = {"max_digits": 14, "decimal_places": 2}
_NON_NEGATIVE = [MinValueValidator(Decimal(0))]


class Project(models.Model):
    """A project proposed by a gaqa or a unit. ``area`` is the proposer's area (it decides who
    sees and acts on the project); ``areas`` are all the places it is carried out."""

    code = models.CharField(_("project code"), max_length=40, unique=True)
    name = models.CharField(_("project name"), max_length=200)
    project_type = models.CharField(_("type"), max_length=20, choices=ProjectType.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices, blank=True)
    area = models.ForeignKey(
        Area, verbose_name=_("proposing area"), on_delete=models.PROTECT, related_name="+"
    )
    areas = models.ManyToManyField(Area, verbose_name=_("areas"), related_name="projects")
    proposer_unit = models.CharField(_("proposing unit"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(_("budget (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    description = models.TextField(_("content"), blank=True)
    beneficiaries = models.ManyToManyField(
        Household, verbose_name=_("beneficiary households"), blank=True, related_name="projects"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=ProjectState.choices, default=ProjectState.PROPOSED
    )
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    implemented_on = models.DateField(_("implemented on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    announcement_place = models.CharField(_("announced at"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-year", "code"]
        indexes = [models.Index(fields=["area", "state"])]
        constraints = [models.CheckConstraint(condition=Q(budget__gte=0), name="project_budget")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Publicity(models.Model):
    """One level's publicity (公示) of a project before it enters the pipeline."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="publicities"
    )
    level = models.CharField(_("level"), max_length=12, choices=PublicityLevel.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("publicised in"), on_delete=models.PROTECT, related_name="+"
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    objections = models.TextField(_("objections raised"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("project publicity")
        verbose_name_plural = _("project publicities")
        ordering = ["project", "start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "level"], name="publicity_once_per_level"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="publicity_interval_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.level} {self.start_date}–{self.end_date}"


class FundAllocation(models.Model):
    """Money from one source put into one project in one year."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="allocations"
    )
    source = models.CharField(_("source"), max_length=16, choices=FundSource.choices)
    source_unit = models.CharField(_("giving unit"), max_length=150, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("amount (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    allocated_on = models.DateField(_("allocated on"))
    document = models.CharField(_("document number"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("fund allocation")
        verbose_name_plural = _("fund allocations")
        ordering = ["project", "allocated_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="allocation_amount")]

    def __str__(self) -> str:
        return f"{self.source} {self.year} {self.amount}"


class Disbursement(models.Model):
    """Money paid out of one allocation; never more than the allocation has left."""

    allocation = models.ForeignKey(
        FundAllocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    amount = models.DecimalField(_("amount (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    paid_on = models.DateField(_("paid on"))
    payee = models.CharField(_("payee"), max_length=150)
    purpose = models.CharField(_("purpose"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["allocation", "paid_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount")
        ]

    def __str__(self) -> str:
        return f"{self.payee} {self.paid_on} {self.amount}"


class Asset(models.Model):
    """An asset a project left (扶贫项目资产), from its registration to its disposal."""

    code = models.CharField(_("asset code"), max_length=40, unique=True)
    name = models.CharField(_("asset name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AssetKind.choices)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("located in"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    registered_on = models.DateField(_("registered on"))
    state = models.CharField(
        _("state"), max_length=16, choices=AssetState.choices, default=AssetState.REGISTERED
    )
    owner = models.CharField(_("owner"), max_length=150, blank=True)
    owner_household = models.ForeignKey(
        Household,
        verbose_name=_("owning household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assets",
    )
    confirmed_on = models.DateField(_("ownership confirmed on"), null=True, blank=True)
    handed_over_to = models.CharField(_("handed over to"), max_length=150, blank=True)
    handed_over_on = models.DateField(_("handed over on"), null=True, blank=True)
    maintainer = models.CharField(_("responsible for upkeep"), max_length=150, blank=True)
    maintainer_since = models.DateField(_("upkeep since"), null=True, blank=True)
    disposed_on = models.DateField(_("disposed on"), null=True, blank=True)
    disposal_reason = models.CharField(_("reason for disposal"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("project asset")
        verbose_name_plural = _("project assets")
        ordering = ["area", "code"]
        indexes = [models.Index(fields=["area", "state"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class AssetIncome(models.Model):
    """Income an asset earned and how it was distributed (收益分配)."""

    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="incomes"
    )
    received_on = models.DateField(_("received on"))
    amount = models.DecimalField(_("income (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    to_gaqa = models.DecimalField(_("to the gaqa (yuan)"), default=0, **_MONEY)
    to_households = models.DecimalField(_("to households (yuan)"), default=0, **_MONEY)
    households = models.ManyToManyField(
        Household, verbose_name=_("receiving households"), blank=True, related_name="+"
    )
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("asset income")
        verbose_name_plural = _("asset incomes")
        ordering = ["asset", "-received_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(to_gaqa__gte=0)
                & Q(to_households__gte=0)
                & Q(amount__gte=F("to_gaqa") + F("to_households")),
                name="asset_income_shares_within_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.received_on} {self.amount}"


class CollectiveIncome(models.Model):
    """A gaqa's collective-economy income (嘎查集体经济) from one source in one year."""

    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("source"), max_length=16, choices=CollectiveIncomeSource.choices)
    amount = models.DecimalField(_("amount (yuan)"), validators=_NON_NEGATIVE, **_MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("collective income")
        verbose_name_plural = _("collective incomes")
        ordering = ["area", "year", "source"]
        constraints = [
            models.UniqueConstraint(
                fields=["area", "year", "source"], name="collective_income_once"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="collective_income_amount"),
        ]

    def __str__(self) -> str:
        return f"{self.area_id} {self.year} {self.source} {self.amount}"


class Enterprise(models.Model):
    """A company, research base, production base or cooperative of an industry chain."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=EnterpriseKind.choices)
    industry = models.CharField(_("industry"), max_length=20, choices=Industry.choices)
    area = models.ForeignKey(
        Area, verbose_name=_("located in"), on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey(
        "self",
        verbose_name=_("buys from / works with"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="partners",
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    members = models.ManyToManyField(
        Household,
        verbose_name=_("member households"),
        through="Membership",
        related_name="enterprises",
    )

    class Meta:
        verbose_name = _("enterprise or cooperative")
        verbose_name_plural = _("enterprises and cooperatives")
        ordering = ["industry", "kind", "name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A household's membership of a cooperative (or its work for a base)."""

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="memberships")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    class Meta:
        verbose_name = _("cooperative membership")
        verbose_name_plural = _("cooperative memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "household"], name="cooperative_member_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.household_id} @ {self.enterprise_id}"


class Purchase(models.Model):
    """What an enterprise bought on a day (camel milk collected, say), from whom if known."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="purchases"
    )
    date = models.DateField(_("date"))
    product = models.CharField(_("product"), max_length=60)
    quantity_kg = models.DecimalField(_("quantity (kg)"), max_digits=12, decimal_places=2)
    amount = models.DecimalField(_("amount paid (yuan)"), **_MONEY)
    seller = models.ForeignKey(
        Enterprise,
        verbose_name=_("seller"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sales",
    )

    class Meta:
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")
        ordering = ["enterprise", "-date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity_kg__gt=0) & Q(amount__gte=0), name="purchase_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.product} {self.quantity_kg}"


class ChainIncome(models.Model):
    """A household's income from an industry chain in a year, through one enterprise."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("through"), on_delete=models.PROTECT, related_name="incomes"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("income (yuan)"), **_MONEY)
    kind = models.CharField(_("how earned"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("income from the chain")
        verbose_name_plural = _("incomes from the chain")
        ordering = ["enterprise", "year", "household"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="chain_income_amount")
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year} {self.amount}"
