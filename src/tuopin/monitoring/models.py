"""Risk clues, identification and risk-elimination cases, and public self-applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.monitoring.choices import (
    CaseKind,
    CaseState,
    CaseStep,
    ClueChannel,
    ClueStatus,
    DeliberationResult,
    RiskType,
)
from tuopin.registry.choices import MonitorType
from tuopin.registry.models import Household


class Clue(models.Model):
    """A sign that a household may be at risk, from one of the discovery channels.

    ``household`` is empty for a self-application whose applicant is not (yet) matched to a
    registered household; ``area`` is then the gaqa the applicant chose.
    """

    channel = models.CharField(_("channel"), max_length=24, choices=ClueChannel.choices)
    risk_type = models.CharField(_("risk type"), max_length=24, choices=RiskType.choices)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="+"
    )
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ClueStatus.choices, default=ClueStatus.OPEN
    )
    dismiss_reason = models.CharField(_("reason for dismissing"), max_length=300, blank=True)
    source_key = models.CharField(_("source key"), max_length=120, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("raised"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("risk clue")
        verbose_name_plural = _("risk clues")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "source_key"],
                condition=~Q(source_key=""),
                name="clue_channel_source_unique",
            ),
            models.UniqueConstraint(
                fields=["household"],
                condition=Q(status="open", household__isnull=False),
                name="clue_one_open_per_household",
            ),
        ]
        indexes = [models.Index(fields=["status", "area"])]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} · {self.get_risk_type_display()} #{self.pk}"


class Case(models.Model):
    """An identification (识别认定) or risk-elimination (风险消除) case for one household."""

    kind = models.CharField(_("kind"), max_length=16, choices=CaseKind.choices)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="cases"
    )
    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="+"
    )
    clue = models.ForeignKey(
        Clue,
        verbose_name=_("clue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
    )
    risk_type = models.CharField(
        _("risk type"), max_length=24, choices=RiskType.choices, blank=True
    )
    step = models.CharField(
        _("step"), max_length=16, choices=CaseStep.choices, default=CaseStep.VERIFICATION
    )
    state = models.CharField(
        _("state"), max_length=10, choices=CaseState.choices, default=CaseState.OPEN
    )
    deadline = models.DateField(_("deadline"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    # 入户核实
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verification_note = models.TextField(_("what the visit found"), blank=True)
    consent_file = models.CharField(_("signed consent (stored file)"), max_length=300, blank=True)
    consent_name = models.CharField(_("signed consent"), max_length=200, blank=True)
    # 民主评议
    deliberated_on = models.DateField(_("deliberation date"), null=True, blank=True)
    participants = models.TextField(_("participants"), blank=True)
    deliberation_result = models.CharField(
        _("result"), max_length=12, choices=DeliberationResult.choices, blank=True
    )
    minutes = models.TextField(_("minutes"), blank=True)
    monitor_type = models.CharField(
        _("monitoring type"), max_length=20, choices=MonitorType.choices, blank=True
    )
    # 村内公示
    publicity_start = models.DateField(_("publicity from"), null=True, blank=True)
    publicity_end = models.DateField(_("publicity until"), null=True, blank=True)
    # 乡镇初审, 县级审定, 公告
    town_opinion = models.TextField(_("town review opinion"), blank=True)
    town_reviewed_on = models.DateField(_("town reviewed on"), null=True, blank=True)
    banner_opinion = models.TextField(_("banner approval opinion"), blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    announced_on = models.DateField(_("announced on"), null=True, blank=True)
    rejected_at_step = models.CharField(
        _("rejected at"), max_length=16, choices=CaseStep.choices, blank=True
    )
    rejection_reason = models.CharField(_("reason for rejection"), max_length=300, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "kind"],
                condition=Q(state="open"),
                name="case_one_open_per_household_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(publicity_end__isnull=True)
                | Q(publicity_end__gte=F("publicity_start")),
                name="case_publicity_ordered",
            ),
        ]
        indexes = [models.Index(fields=["state", "step", "area"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk} {self.household}"


class Objection(models.Model):
    """An objection received during publicity (公示异议), and the answer given."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="objections"
    )
    received_on = models.DateField(_("received on"))
    content = models.TextField(_("objection"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["case", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.received_on}"


class CaseEvent(models.Model):
    """One step taken on a case, by whom and when (the case's own history)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    step = models.CharField(_("step"), max_length=16, choices=CaseStep.choices)
    action = models.CharField(_("action"), max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["case", "at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.step} {self.action}"


class SelfApplication(models.Model):
    """An application made on the public page (农户自主申报); its clue carries it onward.

    It holds the applicant's personal data, so only staff with personal-data access over
    its gaqa see it unmasked; the applicant sees only its stage, with code and ID number.
    """

    tracking_code = models.CharField(_("tracking code"), max_length=16, unique=True)
    name = models.CharField(_("full name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=18, db_index=True)
    phone = models.CharField(_("phone"), max_length=30)
    area = models.ForeignKey(
        Area, verbose_name=_("gaqa / village"), on_delete=models.PROTECT, related_name="+"
    )
    difficulties = models.JSONField(_("difficulties"), default=list)
    description = models.TextField(_("description"), blank=True)
    consent = models.BooleanField(_("consents to verification"), default=False)
    clue = models.ForeignKey(
        Clue,
        verbose_name=_("clue"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    SENSITIVE_FIELDS = ("id_number", "phone")

    class Meta:
        verbose_name = _("self-application")
        verbose_name_plural = _("self-applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.tracking_code


class PublicAttempt(models.Model):
    """A request to a public page, counted for its rate limits. Keys are keyed hashes, so
    the table holds no address or ID number in the clear."""

    kind = models.CharField(max_length=24)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("public page request")
        verbose_name_plural = _("public page requests")
        indexes = [models.Index(fields=["kind", "key", "at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.at:%Y-%m-%d %H:%M}"
