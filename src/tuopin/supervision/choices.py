from django.db import models
from django.utils.translation import gettext_lazy as _


class DeputyLevel(models.TextChoices):
    """Which People's Congress a deputy sits in (the three levels of the seed)."""

    REGION = "region", _("Autonomous-region deputy")
    BANNER = "banner", _("Banner deputy")
    SUMU_TOWN = "sumu_town", _("Sumu/town deputy")
    COMMITTEE = "committee", _("Working-committee member")


class SuggestionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    REPLIED = "replied", _("Replied")
    REWORK = "rework", _("Being handled again")
    CLOSED = "closed", _("Closed")


class ReplyMode(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face to face")
    WRITTEN = "written", _("Written")


class ResultClass(models.TextChoices):
    A = "A", _("A: solved or largely solved")
    B = "B", _("B: being solved or planned")
    C = "C", _("C: to be solved when conditions allow")
    D = "D", _("D: kept for reference")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    BASICALLY = "basically", _("Basically satisfied")
    UNSATISFIED = "unsatisfied", _("Unsatisfied")


class SuggestionEventKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ASSIGNED = "assigned", _("Assigned")
    ASSIST_ANSWERED = "assist_answered", _("Assisting office answered")
    EXTENDED = "extended", _("Time limit extended")
    REPLIED = "replied", _("Replied")
    VOTED = "voted", _("Satisfaction recorded")
    REWORK = "rework", _("Returned for handling again")
    CLOSED = "closed", _("Closed")


class OpinionStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    REPORTED = "reported", _("Rectification reported")
    REWORK = "rework", _("Rectification to be redone")
    CLOSED = "closed", _("Closed")


class ItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed (销号)")


class VisitKind(models.TextChoices):
    INSPECTION = "inspection", _("Inspection")
    RESEARCH = "research", _("Research visit")


class ClueSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection tour")
    PETITION = "petition", _("Petition or report")
    AUDIT = "audit", _("Audit")
    DATA_COMPARISON = "data_comparison", _("Data comparison")


class ClueCategory(models.TextChoices):
    CORRUPTION = "corruption", _("Corruption")
    WORK_STYLE = "work_style", _("Work style")


class ClueStatus(models.TextChoices):
    COLLECTED = "collected", _("Collected")
    CLASSIFIED = "classified", _("Classified")
    DISPOSED = "disposed", _("Disposal decided")
    VERIFIED = "verified", _("Verified")
    ACCOUNTED = "accounted", _("Accountability decided")
    APPLIED = "applied", _("Results applied")


class Disposal(models.TextChoices):
    PRELIMINARY = "preliminary", _("Preliminary verification")
    TALK = "talk", _("Talk and written inquiry")
    TRANSFER = "transfer", _("Transferred to the competent office")
    SHELVE = "shelve", _("Kept pending")
    CLOSE = "close", _("Closed without action")


class Finding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("Substantiated")
    UNSUBSTANTIATED = "unsubstantiated", _("Unsubstantiated")


class Accountability(models.TextChoices):
    NONE = "none", _("No accountability")
    PARTY = "party", _("Party discipline")
    GOVERNMENT = "government", _("Government sanction")
    ORGANISATIONAL = "organisational", _("Organisational handling")
    TRANSFER = "transfer", _("Transferred to judicial organs")


class AssessedKind(models.TextChoices):
    SUMU_TOWN = "sumu_town", _("Sumu/town")
    GAQA_SECRETARY = "gaqa_secretary", _("Gaqa secretary")
    PAIRED_UNIT = "paired_unit", _("Paired unit")
    RESPONSIBLE_CADRE = "responsible_cadre", _("Responsible cadre")
    WORK_TEAM = "work_team", _("Village work team")
    FIRST_SECRETARY = "first_secretary", _("First secretary")


class CriterionKind(models.TextChoices):
    MANUAL = "manual", _("Scored by hand")
    COMPUTED = "computed", _("Computed from Tuopin's data")
