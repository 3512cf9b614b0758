"""The public self-application: rate limits, validation, the clue it raises, look-ups."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.areas.choices import Level
from tuopin.areas.models import Area
from tuopin.core.audit import log_action
from tuopin.core.errors import DomainError, ValidationFailed
from tuopin.monitoring.choices import (
    ClueChannel,
    RiskType,
)
from tuopin.monitoring.models import PublicAttempt
from tuopin.monitoring.models import SelfApplication as Application
from tuopin.monitoring.services.clues import raise_in_area
from tuopin.registry.idnumbers import check_id_number
from tuopin.registry.selectors import person_find_active

# ---------------------------------------------------------------------------------------------
# The public self-application

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class RateLimited(DomainError):
    """Too many requests from one address or about one ID number."""


def _key(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def _count_recent(kind: str, value: str) -> int:
    since = timezone.now() - datetime.timedelta(seconds=settings.SELF_APPLY_WINDOW_SECONDS)
    return PublicAttempt.objects.filter(kind=kind, key=_key(value), at__gte=since).count()


def _note_attempt(kind: str, value: str) -> None:
    # Counts older than the window decide nothing any more; the table keeps only the window.
    since = timezone.now() - datetime.timedelta(seconds=settings.SELF_APPLY_WINDOW_SECONDS)
    PublicAttempt.objects.filter(at__lt=since).delete()
    PublicAttempt.objects.create(kind=kind, key=_key(value))


def _too_many() -> RateLimited:
    return RateLimited(
        "monitoring.public.rate_limited",
        _("Too many requests. Please try again later, or ask your gaqa's cadre for help."),
    )


def check_rate(kind: str, value: str, limit: int) -> None:
    """Count one request of ``kind`` from ``value``; refuse beyond ``limit`` per window."""
    if _count_recent(kind, value) >= limit:
        raise _too_many()
    _note_attempt(kind, value)


@dataclass(frozen=True)
class ApplicationInput:
    name: str
    id_number: str
    phone: str
    area_code: str
    difficulties: list[str]
    description: str
    consent: bool


def _validate_application(data: ApplicationInput) -> tuple[str, Area]:
    errors: list[DomainError] = []
    check = check_id_number(data.id_number)
    if not check.ok:
        errors.append(
            DomainError("monitoring.apply.id_number", check.error or "", field="id_number")
        )
    if not data.name.strip():
        errors.append(DomainError("monitoring.apply.name", _("Enter your name."), field="name"))
    phone = data.phone.strip().replace(" ", "").replace("-", "")
    if not (phone.isdigit() and 7 <= len(phone) <= 12):
        errors.append(
            DomainError("monitoring.apply.phone", _("Enter a phone number."), field="phone")
        )
    area = Area.objects.filter(code=data.area_code, level=Level.VILLAGE, is_active=True).first()
    if area is None:
        errors.append(
            DomainError("monitoring.apply.area", _("Choose your gaqa or village."), field="area")
        )
    if not data.difficulties or any(d not in RiskType.values for d in data.difficulties):
        errors.append(
            DomainError(
                "monitoring.apply.difficulties",
                _("Choose at least one difficulty."),
                field="difficulties",
            )
        )
    if not data.consent:
        errors.append(
            DomainError(
                "monitoring.apply.consent",
                _("Consent to verification is needed to apply."),
                field="consent",
            )
        )
    if errors:
        raise ValidationFailed(errors)
    assert area is not None
    return check.value, area


@transaction.atomic
def application_submit(*, data: ApplicationInput, client_address: str | None) -> Application:
    """Take a self-application from the public page and raise its clue.

    Rate-limited per client address and per ID number. The clue goes to the applicant's
    registered household when the ID number is an active member's, else it stays unmatched
    in the chosen gaqa. The answer is the same either way: the page reveals nothing about
    the registry.
    """
    check_rate("apply_address", client_address or "-", settings.SELF_APPLY_LIMIT_PER_ADDRESS)
    id_number, area = _validate_application(data)
    check_rate("apply_id", id_number, settings.SELF_APPLY_LIMIT_PER_ID)
    membership = person_find_active(id_type="resident_id", id_number=id_number)
    household = membership.household if membership else None
    code = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(10))
    application = Application.objects.create(
        tracking_code=code,
        name=data.name.strip()[:60],
        id_number=id_number,
        phone=data.phone.strip()[:30],
        area=area,
        difficulties=list(dict.fromkeys(data.difficulties)),
        description=data.description.strip()[:2000],
        consent=True,
    )
    clue, _created = raise_in_area(
        actor=None,
        household=household,
        area=household.area if household else area,
        channel=ClueChannel.SELF_APPLICATION,
        risk_type=data.difficulties[0],
        facts={
            "application": code,
            "difficulties": application.difficulties,
            "area_code": area.code,
        },
        source_key=f"application:{code}",
    )
    application.clue = clue
    application.save(update_fields=["clue"])
    log_action(
        actor=None,
        action="monitoring.application.submitted",
        obj=application,
        area_code=area.code,
        diff={"clue": [None, clue.pk]},
        ip=client_address,
        object_repr=code,
    )
    return application


def application_lookup(
    *, tracking_code: str, id_number: str, client_address: str | None
) -> Application | None:
    """The application with this code, only when the ID number is the applicant's.

    Rate-limited per address, so codes cannot be guessed; a wrong pair and an unknown code
    give the same ``None``.
    """
    check_rate(
        "lookup_address", client_address or "-", settings.SELF_APPLY_LOOKUP_LIMIT_PER_ADDRESS
    )
    code = tracking_code.strip().upper()
    number = check_id_number(id_number).value
    found = Application.objects.select_related("clue").filter(tracking_code=code).first()
    if found is None or not hmac.compare_digest(found.id_number, number):
        return None
    return found
