"""Supervision records: offices and deputies, suggestions, review opinions and their issue
lists, visits, special inquiries, problem clues, and assessment.

Every record hangs off an area (where it belongs for scoping); ``synthetic`` marks the
demonstration data so that no one mistakes it for a real record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuopin.areas.models import Area
from tuopin.supervision.choices import (
    Accountability,
    AssessedKind,
    ClueCategory,
    ClueSource,
    ClueStatus,
    CriterionKind,
    DeputyLevel,
    Disposal,
    Finding,
    ItemStatus,
    OpinionStatus,
    ReplyMode,
    ResultClass,
    Satisfaction,
    SuggestionEventKind,
    SuggestionStatus,
    VisitKind,
)

USER = settings.AUTH_USER_MODEL


def _area(related: str, verbose: object = None) -> models.ForeignKey:
    return models.ForeignKey(
        Area,
        verbose_name=verbose or _("area"),
        on_delete=models.PROTECT,
        related_name=related,
    )


class Office(models.Model):
    """A department or unit that handles what the committee assigns (承办单位)."""

    name = models.CharField(_("name"), max_length=100)
    area = _area("supervision_offices")
    is_active = models.BooleanField(_("in use"), default=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        ordering = ["area__lft", "name"]
        constraints = [models.UniqueConstraint(fields=["area", "name"], name="office_area_name")]

    def __str__(self) -> str:
        return self.name


class Deputy(models.Model):
    """A People's Congress deputy or committee member; ``user`` when they sign in."""

    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=12, choices=DeputyLevel.choices)
    area = _area("supervision_deputies", _("constituency"))
    user = models.OneToOneField(
        USER,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="deputy",
    )
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("deputy")
        verbose_name_plural = _("deputies")
        ordering = ["area__lft", "name"]

    def __str__(self) -> str:
        return self.name


# ---------------------------------------------------------------------------------------------
# Deputies' suggestions


class Suggestion(models.Model):
    """A deputy's suggestion (代表建议) and where its handling stands.

    ``reply_due`` is the lead office's time limit: three months from assignment, moved by
    recorded extensions, and set again when an unsatisfied deputy sends it back.
    """

    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="suggestions"
    )
    area = _area("supervision_suggestions")
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=SuggestionStatus.choices,
        default=SuggestionStatus.SUBMITTED,
    )
    submitted_on = models.DateField(_("submitted on"))
    assigned_on = models.DateField(_("assigned on"), null=True, blank=True)
    # The start of the current round of handling: the assignment, or the unsatisfied vote
    # that sent it back. Extensions are limited to six months from it.
    round_started_on = models.DateField(_("round started on"), null=True, blank=True)
    lead_office = models.ForeignKey(
        Office,
        verbose_name=_("lead office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_suggestions",
    )
    assist_due = models.DateField(_("assisting offices answer by"), null=True, blank=True)
    reply_due = models.DateField(_("reply due"), null=True, blank=True)
    replied_on = models.DateField(_("replied on"), null=True, blank=True)
    reply_mode = models.CharField(
        _("reply mode"), max_length=12, choices=ReplyMode.choices, blank=True
    )
    result_class = models.CharField(
        _("result class"), max_length=1, choices=ResultClass.choices, blank=True
    )
    reply = models.TextField(_("reply"), blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    rounds = models.PositiveSmallIntegerField(_("rounds of handling"), default=0)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("deputy suggestion")
        verbose_name_plural = _("deputy suggestions")
        ordering = ["-submitted_on", "-id"]
        indexes = [models.Index(fields=["status", "reply_due"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def reply_overdue(self) -> bool:
        """Whether the lead office's reply is late today."""
        return (
            self.status in {SuggestionStatus.ASSIGNED, SuggestionStatus.REWORK}
            and self.reply_due is not None
            and self.reply_due < timezone.localdate()
        )


class SuggestionAssist(models.Model):
    """An assisting office (协办单位) and its answer to the lead office."""

    suggestion = models.ForeignKey(
        Suggestion, on_delete=models.CASCADE, related_name="assists", verbose_name=_("suggestion")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="assisted", verbose_name=_("office")
    )
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        verbose_name = _("assisting office")
        verbose_name_plural = _("assisting offices")
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["suggestion", "office"], name="assist_once")]

    def __str__(self) -> str:
        return f"{self.suggestion_id}/{self.office_id}"


class SuggestionEvent(models.Model):
    """One step in a suggestion's timeline, as the detail page shows it."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=SuggestionEventKind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded"), auto_now_add=True)
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    office = models.ForeignKey(Office, null=True, blank=True, on_delete=models.PROTECT)
    satisfaction = models.CharField(max_length=12, choices=Satisfaction.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("suggestion step")
        verbose_name_plural = _("suggestion steps")
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion_id} {self.kind} {self.on}"


# ---------------------------------------------------------------------------------------------
# Review opinions and their issue lists


class Opinion(models.Model):
    """A review opinion (审议意见) on a work report heard by the committee."""

    title = models.CharField(_("title"), max_length=200)
    report_title = models.CharField(_("report heard"), max_length=200)
    heard_on = models.DateField(_("heard on"))
    area = _area("supervision_opinions")
    body = models.TextField(_("opinion"), blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=OpinionStatus.choices, default=OpinionStatus.OPEN
    )
    rectification_report = models.TextField(_("rectification report"), blank=True)
    reported_on = models.DateField(_("rectification reported on"), null=True, blank=True)
    satisfaction = models.CharField(
        _("satisfaction"), max_length=12, choices=Satisfaction.choices, blank=True
    )
    voted_on = models.DateField(_("voted on"), null=True, blank=True)
    rounds = models.PositiveSmallIntegerField(_("rounds of rectification"), default=1)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("review opinion")
        verbose_name_plural = _("review opinions")
        ordering = ["-heard_on", "-id"]

    def __str__(self) -> str:
        return self.title


class OpinionVote(models.Model):
    """The committee's satisfaction vote on one round of rectification."""

    opinion = models.ForeignKey(Opinion, on_delete=models.CASCADE, related_name="votes")
    round = models.PositiveSmallIntegerField(_("round"))
    satisfaction = models.CharField(_("satisfaction"), max_length=12, choices=Satisfaction.choices)
    voted_on = models.DateField(_("voted on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["round"]
        constraints = [models.UniqueConstraint(fields=["opinion", "round"], name="vote_per_round")]

    def __str__(self) -> str:
        return f"{self.opinion_id} {self.round} {self.satisfaction}"


class IssueItem(models.Model):
    """One point of an opinion's issue list, owned by an office or an area, to be closed
    (销号) by the committee once fixed."""

    opinion = models.ForeignKey(
        Opinion, on_delete=models.CASCADE, related_name="items", verbose_name=_("opinion")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("issue"))
    office = models.ForeignKey(
        Office,
        verbose_name=_("responsible office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issue_items",
    )
    area = _area("supervision_issue_items", _("responsible area"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.OPEN
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closure_note = models.TextField(_("closure note"), blank=True)

    class Meta:
        verbose_name = _("issue item")
        verbose_name_plural = _("issue items")
        ordering = ["opinion", "number"]
        constraints = [
            models.UniqueConstraint(fields=["opinion", "number"], name="item_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.opinion_id}-{self.number}"

    @property
    def overdue(self) -> bool:
        return self.status != ItemStatus.CLOSED and self.due_on < timezone.localdate()


class ItemProgress(models.Model):
    """A progress report on an issue item."""

    item = models.ForeignKey(IssueItem, on_delete=models.CASCADE, related_name="progress")
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"))
    actor = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.item_id} {self.reported_on}"


class Evidence(models.Model):
    """A file proving an item fixed, stored under ``DATA_DIR`` by a name of Tuopin's own."""

    item = models.ForeignKey(IssueItem, on_delete=models.CASCADE, related_name="evidence")
    stored_as = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    uploaded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# ---------------------------------------------------------------------------------------------
# Visits and special inquiries


class Visit(models.Model):
    """An inspection (视察) or research visit (调研) and who took part."""

    kind = models.CharField(_("kind"), max_length=12, choices=VisitKind.choices)
    held_on = models.DateField(_("date"))
    area = _area("supervision_visits")
    topic = models.CharField(_("topic"), max_length=200)
    organiser = models.CharField(_("organised by"), max_length=100)
    participants = models.PositiveIntegerField(_("participants"))
    deputies = models.ManyToManyField(
        Deputy, blank=True, related_name="visits", verbose_name=_("deputies taking part")
    )
    findings = models.TextField(_("findings"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-held_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(participants__gte=1), name="visit_has_people")
        ]

    def __str__(self) -> str:
        return self.topic


class InquirySession(models.Model):
    """A special inquiry (专题询问) held at a committee meeting."""

    held_on = models.DateField(_("date"))
    meeting = models.CharField(_("meeting"), max_length=200)
    subject = models.CharField(_("subject"), max_length=200)
    area = _area("supervision_inquiries")
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("special inquiry")
        verbose_name_plural = _("special inquiries")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.subject


class InquiryQuestion(models.Model):
    """One question: who asked, on what, who answered for which department, and how."""

    session = models.ForeignKey(InquirySession, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField(_("number"))
    asker = models.ForeignKey(
        Deputy, on_delete=models.PROTECT, related_name="questions", verbose_name=_("asked by")
    )
    topic = models.CharField(_("topic"), max_length=200)
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="+", verbose_name=_("answering office")
    )
    official = models.CharField(_("answering official"), max_length=100)
    answer = models.TextField(_("answer"), blank=True)

    class Meta:
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="question_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.topic}"


class Commitment(models.Model):
    """A follow-up the answering office committed to, with its due date."""

    question = models.ForeignKey(
        InquiryQuestion, on_delete=models.CASCADE, related_name="commitments"
    )
    text = models.TextField(_("commitment"))
    due_on = models.DateField(_("due on"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.text[:50]

    @property
    def overdue(self) -> bool:
        return self.done_on is None and self.due_on < timezone.localdate()


# ---------------------------------------------------------------------------------------------
# Problem clues


class Clue(models.Model):
    """A problem clue (问题线索) about corruption or work style in the poverty work.

    ``reporter_*`` and ``subject_*`` are confidential: only the discipline role sees them.
    """

    number = models.CharField(_("number"), max_length=30, unique=True)
    area = _area("supervision_clues")
    source = models.CharField(_("source"), max_length=16, choices=ClueSource.choices)
    received_on = models.DateField(_("received on"))
    summary = models.TextField(_("summary"))
    reporter_name = models.CharField(_("reporter"), max_length=60, blank=True)
    reporter_contact = models.CharField(_("reporter's contact"), max_length=60, blank=True)
    subject_name = models.CharField(_("person concerned"), max_length=60, blank=True)
    subject_post = models.CharField(_("post of the person concerned"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ClueStatus.choices, default=ClueStatus.COLLECTED
    )
    category = models.CharField(
        _("category"), max_length=12, choices=ClueCategory.choices, blank=True
    )
    disposal = models.CharField(_("disposal"), max_length=12, choices=Disposal.choices, blank=True)
    finding = models.CharField(_("finding"), max_length=16, choices=Finding.choices, blank=True)
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    accountability = models.CharField(
        _("accountability"), max_length=16, choices=Accountability.choices, blank=True
    )
    results_applied = models.TextField(_("use of the results"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    CONFIDENTIAL_FIELDS = ("reporter_name", "reporter_contact", "subject_name", "subject_post")

    class Meta:
        verbose_name = _("problem clue")
        verbose_name_plural = _("problem clues")
        ordering = ["-received_on", "-id"]

    def __str__(self) -> str:
        return self.number


class ReviewSample(models.Model):
    """A random re-review draw (复核抽查): the seed, the population and the clues drawn, kept
    so that anyone can redo the draw and get the same clues."""

    area = _area("supervision_review_samples")
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    drawn_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)
    seed = models.BigIntegerField(_("seed"))
    substantiated_pool = models.JSONField(default=list)
    unsubstantiated_pool = models.JSONField(default=list)
    clues = models.ManyToManyField(Clue, related_name="review_samples")

    class Meta:
        ordering = ["-drawn_at", "-id"]

    def __str__(self) -> str:
        return f"{self.area_id} {self.seed}"


# ---------------------------------------------------------------------------------------------
# Assessment


class CriteriaSet(models.Model):
    """The weighted criteria one kind of subject is assessed on for a year."""

    name = models.CharField(_("name"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    assessed_kind = models.CharField(_("assessed"), max_length=20, choices=AssessedKind.choices)
    area = _area("supervision_criteria_sets", _("assessing area"))
    synthetic = models.BooleanField(_("synthetic"), default=False)

    class Meta:
        verbose_name = _("criteria set")
        verbose_name_plural = _("criteria sets")
        ordering = ["-year", "assessed_kind", "id"]

    def __str__(self) -> str:
        return self.name


class Criterion(models.Model):
    """One criterion: a weight, scored by hand or computed by a named metric (0–100)."""

    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("name"), max_length=200)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=12, choices=CriterionKind.choices)
    metric = models.CharField(_("metric"), max_length=60, blank=True)

    class Meta:
        ordering = ["criteria_set", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive")
        ]

    def __str__(self) -> str:
        return self.name


class Assessee(models.Model):
    """Who is assessed under a set: a sumu/town, a unit, a cadre or a team, in its area."""

    criteria_set = models.ForeignKey(
        CriteriaSet, on_delete=models.CASCADE, related_name="assessees"
    )
    name = models.CharField(_("name"), max_length=100)
    area = _area("supervision_assessees")

    class Meta:
        ordering = ["criteria_set", "id"]
        constraints = [
            models.UniqueConstraint(fields=["criteria_set", "name"], name="assessee_once")
        ]

    def __str__(self) -> str:
        return self.name


class Score(models.Model):
    """An assessee's score on one criterion (0–100); computed ones say so."""

    assessee = models.ForeignKey(Assessee, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=5, decimal_places=2)
    note = models.CharField(_("note"), max_length=200, blank=True)
    scored_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessee", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(value__gte=0) & Q(value__lte=100), name="score_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessee_id}/{self.criterion_id} {self.value}"
