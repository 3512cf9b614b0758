"""Department files compared with the registry, their records and the review queue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.core.models import Job
from tuopin.linkage.choices import DepartmentKind, MatchStatus, ReviewState
from tuopin.registry.models import Household, Person


class Comparison(models.Model):
    """One department file compared with the registry."""

    kind = models.CharField(_("department"), max_length=20, choices=DepartmentKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    filename = models.CharField(_("file"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    job = models.ForeignKey(Job, null=True, blank=True, on_delete=models.SET_NULL)
    summary = models.JSONField(_("summary"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("department comparison")
        verbose_name_plural = _("department comparisons")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.year} {self.filename}"


class DepartmentRecord(models.Model):
    """One row of a department file and whom it was matched to.

    ``area`` is the matched member's gaqa (who may see the record); an unmatched record has
    none and is visible only to whoever uploaded the file.
    """

    comparison = models.ForeignKey(
        Comparison, on_delete=models.CASCADE, related_name="records", verbose_name=_("comparison")
    )
    row = models.PositiveIntegerField(_("row"))
    # Identifies the record across uploads of the same content (idempotent warnings).
    record_key = models.CharField(max_length=64, db_index=True)
    name = models.CharField(_("full name"), max_length=60)
    id_number = models.CharField(_("ID number"), max_length=30, blank=True)
    id_valid = models.BooleanField(default=False)
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    area_code = models.CharField(_("area code"), max_length=12, blank=True)
    event = models.JSONField(_("event"), default=dict)
    status = models.CharField(_("match"), max_length=16, choices=MatchStatus.choices)
    probability = models.FloatField(_("match probability"), null=True, blank=True)
    match_weight = models.FloatField(_("match weight"), null=True, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signals = models.JSONField(_("signals"), default=list)

    SENSITIVE_FIELDS = ("id_number", "event")

    class Meta:
        verbose_name = _("department record")
        verbose_name_plural = _("department records")
        ordering = ["comparison", "row"]

    def __str__(self) -> str:
        return f"{self.name} (row {self.row})"


class MatchReview(models.Model):
    """A probable match between the two thresholds, waiting for an officer's decision."""

    record = models.OneToOneField(DepartmentRecord, on_delete=models.CASCADE, related_name="review")
    candidate = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    household = models.ForeignKey(Household, on_delete=models.PROTECT, related_name="+")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="+")
    probability = models.FloatField(_("match probability"))
    match_weight = models.FloatField(_("match weight"))
    state = models.CharField(
        _("state"), max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("match review")
        verbose_name_plural = _("match reviews")
        ordering = ["state", "-probability", "id"]

    def __str__(self) -> str:
        return f"review {self.record_id} → {self.candidate_id}"
