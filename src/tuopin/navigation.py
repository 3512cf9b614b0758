"""The navigation every page shows: only what exists and what the user may use.

It spans every app, so it lives beside ``urls.py`` rather than in any one of them.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.permissions import Capability
from tuopin.accounts.scoping import has_capability
from tuopin.demo.models import DemoDataset

NAVIGATION = [
    ("home", _("Home"), "areas:home", None),
    ("areas", _("Areas"), "areas:index", Capability.VIEW_AREAS),
    ("registry", _("Households"), "registry:list", Capability.VIEW_RECORDS),
    ("analytics", _("Statistics"), "analytics:index", Capability.VIEW_AGGREGATES),
    ("policy", _("Policy"), "policy:list", Capability.VIEW_AREAS),
    ("sweeps", _("Sweeps"), "rules:sweep_list", Capability.VIEW_AGGREGATES),
    ("monitoring", _("Monitoring"), "monitoring:work", Capability.VIEW_RECORDS),
    ("projects", _("Projects and assets"), "projects:list", Capability.VIEW_AGGREGATES),
    ("supervision", _("Supervision"), "supervision:index", Capability.VIEW_SUPERVISION),
    ("users", _("Users"), "accounts:user_list", Capability.MANAGE_USERS),
    ("audit", _("Audit log"), "accounts:audit", Capability.VIEW_AUDIT),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    # Every page says so when the database holds the synthetic demonstration data.
    synthetic = DemoDataset.objects.exists()
    section = getattr(request, "nav_section", "")
    items = [
        {"key": key, "label": label, "url": reverse(url), "active": key == section}
        for key, label, url, capability in NAVIGATION
        if capability is None or has_capability(user, capability)
    ]
    return {"nav_items": items, "synthetic_data": synthetic}
