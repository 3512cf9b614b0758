"""Sweeps: the rules run over the stored registry, one row per run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area


class SweepState(models.TextChoices):
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SweepRun(models.Model):
    """One sweep: which year and area, under which policy, when, by whom, with what outcome.

    ``counts`` holds the households evaluated and those that could not be (no income or no
    living conditions for the year), and the count of each outcome; ``policy`` names the
    packs (scope, area, version) whose values were used; the per-household results are kept
    as a Parquet file (``result_file``, under the data directory).
    """

    year = models.PositiveSmallIntegerField(_("income year"))
    as_of = models.DateField(_("counted to"))
    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(
        _("state"), max_length=10, choices=SweepState.choices, default=SweepState.RUNNING
    )
    started_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    policy = models.JSONField(_("policy used"), default=list, blank=True)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    clues_opened = models.PositiveIntegerField(_("clues opened"), default=0)
    result_file = models.CharField(_("result file"), max_length=300, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("sweep")
        verbose_name_plural = _("sweeps")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.year} {self.area.code} #{self.pk}"
