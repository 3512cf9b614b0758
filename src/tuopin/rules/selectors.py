"""Reading sweeps: the runs a user may see (those over areas within their grants)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import restrict
from tuopin.rules.models import SweepRun


def sweep_runs(*, user: Any) -> QuerySet[SweepRun]:
    return restrict(
        SweepRun.objects.select_related("area", "started_by"), user, Capability.VIEW_AGGREGATES
    )
