from django.db import models
from django.utils.translation import gettext_lazy as _

from tuopin.accounts.choices import Role
from tuopin.assistance.choices import RiskType

__all__ = [
    "STEP_ORDER",
    "STEP_ROLES",
    "CaseKind",
    "CaseState",
    "CaseStep",
    "ClueChannel",
    "ClueStatus",
    "DeliberationResult",
    "RiskType",
]


class ClueChannel(models.TextChoices):
    """How a risk came to light (发现渠道)."""

    SELF_APPLICATION = "self_application", _("Self-application by the household")
    CADRE_SCREENING = "cadre_screening", _("Screening by local cadres")
    SYSTEM_SCREENING = "system_screening", _("System screening warning")
    DEPARTMENT_WARNING = "department_warning", _("Department comparison warning")


class ClueStatus(models.TextChoices):
    OPEN = "open", _("Awaiting handling")
    CASE_OPENED = "case_opened", _("Case opened")
    DISMISSED = "dismissed", _("Dismissed")


class CaseKind(models.TextChoices):
    IDENTIFICATION = "identification", _("Identification")
    ELIMINATION = "elimination", _("Risk elimination")


class CaseStep(models.TextChoices):
    """The road of a case; each step waits for the role that takes it."""

    VERIFICATION = "verification", _("Home verification")
    DELIBERATION = "deliberation", _("Democratic deliberation")
    PUBLICITY = "publicity", _("Publicity in the village")
    TOWN_REVIEW = "town_review", _("Town preliminary review")
    BANNER_APPROVAL = "banner_approval", _("Banner approval")
    ANNOUNCEMENT = "announcement", _("Announcement")
    DONE = "done", _("Done")


STEP_ORDER = [step.value for step in CaseStep]

# Who takes each step: the role of a grant that covers the case's gaqa.
STEP_ROLES: dict[str, frozenset[str]] = {
    CaseStep.VERIFICATION: frozenset({Role.GAQA_CADRE}),
    CaseStep.DELIBERATION: frozenset({Role.GAQA_CADRE}),
    CaseStep.PUBLICITY: frozenset({Role.GAQA_CADRE}),
    CaseStep.TOWN_REVIEW: frozenset({Role.TOWN_REVIEWER}),
    CaseStep.BANNER_APPROVAL: frozenset({Role.BANNER_APPROVER}),
    CaseStep.ANNOUNCEMENT: frozenset({Role.BANNER_APPROVER}),
}

# Who opens a case (and handles clues): the gaqa's cadre.
CASE_OPENERS = frozenset({Role.GAQA_CADRE})


class CaseState(models.TextChoices):
    OPEN = "open", _("In progress")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class DeliberationResult(models.TextChoices):
    AGREED = "agreed", _("Agreed")
    NOT_AGREED = "not_agreed", _("Not agreed")


# What each recorded event of a case says, for its history.
EVENT_LABELS = {
    "opened": _("Case opened"),
    "verified": _("Home verified"),
    "deliberated": _("Deliberation recorded"),
    "publicity_set": _("Publicity period set"),
    "objection_received": _("Objection received"),
    "objection_answered": _("Objection answered"),
    "publicity_completed": _("Publicity closed"),
    "town_reviewed": _("Town review passed"),
    "approved": _("Approved by the banner"),
    "announced": _("Result announced"),
    "rejected": _("Rejected"),
}

# The button of each step's form.
STEP_BUTTONS = {
    CaseStep.VERIFICATION: _("Record the verification"),
    CaseStep.DELIBERATION: _("Record the deliberation"),
    CaseStep.PUBLICITY: _("Set the publicity period"),
    CaseStep.TOWN_REVIEW: _("Pass the town review"),
    CaseStep.BANNER_APPROVAL: _("Approve"),
    CaseStep.ANNOUNCEMENT: _("Record the announcement"),
}
