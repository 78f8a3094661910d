"""Consultations and surveys.

A survey's questions belong to a *version*. While a survey is a draft, staff edit its one draft
version; once it is live, its questions are fixed, and changing them makes a new version (a copy)
that goes live in its place. Every response records the version it answered, so editing a live
survey never changes what earlier answers mean.

Answers are stored one row per value: a multiple-choice answer is a row per option chosen, a
matrix answer a row per matrix row. Each row carries the survey, and the area and tenure of the
response (copied when the response is sent), so results and cross-tabs are single-table `GROUP BY`s.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from core.tokens import new_key


class Survey(models.Model):
    class Kind(models.TextChoices):
        SURVEY = "survey", "Survey"
        CONSULTATION = "consultation", "Consultation"
        POLL = "poll", "Quick poll"
        TSM = "tsm", "Tenant Satisfaction Measures survey"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        LIVE = "live", "Open for answers"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    purpose = models.TextField(help_text="What it is for and what will happen to the answers, in plain words.")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.SURVEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Anonymous: answers are never linked to the resident (an invitation only records that they answered).
    anonymous = models.BooleanField(default=False)
    opens_on = models.DateField(null=True, blank=True)
    closes_on = models.DateField(null=True, blank=True)
    live_version = models.ForeignKey(
        "SurveyVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    summary = models.TextField("published summary", blank=True)
    summary_published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "status"], name="surveys_survey_status")]

    def __str__(self) -> str:
        return self.title

    def is_open(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return (
            self.status == Survey.Status.LIVE
            and (self.opens_on is None or self.opens_on <= day)  # type: ignore[operator]
            and (self.closes_on is None or day <= self.closes_on)  # type: ignore[operator]
        )


class SurveyVersion(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "number"], name="surveys_version_number")]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"{self.survey} version {self.number}"

    @property
    def is_draft(self) -> bool:
        return self.published_at is None


class Section(models.Model):
    """A page of the survey: GOV.UK's one thing per page, where a section holds one question."""

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    intro = models.TextField(blank=True)

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", "One answer from a list"
        MULTIPLE = "multiple", "Any answers from a list"
        SCALE = "scale", "A scale (for example, very satisfied to very dissatisfied)"
        TEXT = "text", "Their own words"
        NUMBER = "number", "A number"
        DATE = "date", "A date"
        MATRIX = "matrix", "A grid: the same scale for several things"

    CHOICE_KINDS = frozenset({Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE, Kind.MATRIX})

    version = models.ForeignKey(SurveyVersion, on_delete=models.CASCADE, related_name="questions")
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField()
    # Stable across versions, so results can be followed from one version to the next.
    code = models.SlugField(max_length=40)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.CharField(max_length=500)
    hint = models.CharField(max_length=500, blank=True)
    required = models.BooleanField(default=True)
    # The options (single, multiple), the scale's points in order (scale, matrix's columns).
    options = models.JSONField(default=list, blank=True)
    # A matrix's rows: the things each rated on the scale.
    rows = models.JSONField(default=list, blank=True)
    # Skip logic: asked only when the answer to an earlier question (by code) is one of these.
    show_if_code = models.SlugField(max_length=40, blank=True)
    show_if_values = models.JSONField(default=list, blank=True)
    # Fixed by a standard (the regulator's TSM questions): it cannot be removed or reworded.
    locked = models.BooleanField(default=False)

    class Meta:
        ordering = ["section__order", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="surveys_question_code")]

    def __str__(self) -> str:
        return self.text


class Invitation(models.Model):
    """A resident asked to answer: their personal link works without an account and takes one response."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="survey_invitations")
    key = models.CharField(max_length=32, default=new_key)
    sent_at = models.DateTimeField(default=timezone.now)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "resident"], name="surveys_invitation_once")]

    def __str__(self) -> str:
        return f"{self.resident} to {self.survey}"


class Response(models.Model):
    class Method(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper form"
        PHONE = "phone", "Telephone"
        TEXT = "text", "Text message"
        FACE_TO_FACE = "face_to_face", "Face to face"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    # RESTRICT, not PROTECT: a version that was answered cannot be deleted on its own, but goes with
    # its survey (and the survey with its landlord).
    version = models.ForeignKey(SurveyVersion, on_delete=models.RESTRICT, related_name="responses")
    # Null for an anonymous survey, or a response nobody could be linked to.
    resident = models.ForeignKey("people.Resident", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="survey_responses")  # fmt: skip
    invitation = models.OneToOneField(Invitation, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="response")  # fmt: skip
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.ONLINE)
    # Copied when it is sent (for cross-tabs), even when the survey is anonymous: both are broad.
    area = models.ForeignKey("people.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    tenure = models.CharField(max_length=20, blank=True)
    # Answers so far (question code to value) while the resident goes page by page.
    draft = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        indexes = [models.Index(fields=["survey", "submitted_at"], name="surveys_response_submitted")]

    def __str__(self) -> str:
        return f"Response {self.pk} to {self.survey}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    # A matrix row; blank otherwise.
    row = models.CharField(max_length=200, blank=True)
    # The option chosen (single, multiple, scale, matrix); blank otherwise.
    choice = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    number = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    date = models.DateField(null=True, blank=True)
    area = models.ForeignKey("people.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             db_constraint=False)  # fmt: skip
    tenure = models.CharField(max_length=20, blank=True)
    themes: models.ManyToManyField[Theme, Any] = models.ManyToManyField("Theme", blank=True, related_name="answers")

    class Meta:
        indexes = [models.Index(fields=["survey", "question"], name="surveys_answer_question")]

    def __str__(self) -> str:
        return self.choice or self.text[:40]


class Theme(models.Model):
    """A theme staff tag free-text answers with (for example "Repairs: appointments")."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "name"], name="surveys_theme_name")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Tally(models.Model):
    """Running counts behind a survey's results, kept so results never re-count every answer row
    (50,000 responses to 30 questions are 1.7 million rows; their tally is a few thousand).

    One row per question code, matrix row, option chosen, top-level area and tenure, added to in
    the transaction that writes the answers (`services._tally_answers`). `choice` is blank on the
    row that counts how many answered the question at all (one per response, whatever its kind).
    Keyed by question *code*, so a question's answers across versions add up in one place.
    `tally_rebuild` recomputes it from the answer rows, and the tests check the two agree."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(max_length=40)
    matrix_row = models.CharField(max_length=200, blank=True)
    choice = models.CharField(max_length=200, blank=True)
    # The top-level area's id, 0 when it is not known (a plain integer, so the upsert's conflict
    # key never holds a NULL, which both databases treat as distinct).
    area_key = models.PositiveIntegerField(default=0)
    tenure = models.CharField(max_length=20, blank=True)
    n = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "code", "matrix_row", "choice", "area_key", "tenure"], name="surveys_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.matrix_row} {self.choice}: {self.n}"


class InboundText(models.Model):
    """A text message a resident sent in (GOV.UK Notify's received-text callback): a reply to a
    quick poll. Every one is kept, whether or not it could be counted, so nothing is lost; a
    callback that is sent again is recorded once (by the provider's id)."""

    class Outcome(models.TextChoices):
        COUNTED = "counted", "Counted as an answer"
        NOT_UNDERSTOOD = "not_understood", "Not one of the answers"
        ALREADY = "already", "They had already answered"
        CLOSED = "closed", "The poll had closed"
        NO_POLL = "no_poll", "No poll was sent to this number"

    provider_id = models.CharField(max_length=100, unique=True)
    from_number = models.CharField(max_length=30)
    body = models.TextField()
    received_at = models.DateTimeField()
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    # Set when the number matched a poll invitation (so staff of that landlord can see it).
    invitation = models.ForeignKey(Invitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="texts")
    survey = models.ForeignKey(Survey, null=True, blank=True, on_delete=models.CASCADE, related_name="texts")
    response = models.ForeignKey(Response, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-received_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.from_number}: {self.body[:30]}"


class FocusGroup(models.Model):
    """A focus group that informs a consultation. The event itself (its date, place, the residents
    invited from the register, who is coming and who came) is an involvement opportunity, so it is
    run like any other; here are its notes and the themes it raised, which are the consultation's
    own themes, so a theme counts across written answers and focus groups alike."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="focus_groups")
    opportunity = models.OneToOneField("opportunities.Opportunity", on_delete=models.CASCADE,
                                       related_name="focus_group")  # fmt: skip
    notes = models.TextField(blank=True)
    themes: models.ManyToManyField[Theme, Any] = models.ManyToManyField(Theme, blank=True,
                                                                      related_name="focus_groups")  # fmt: skip
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["opportunity__starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.opportunity} for {self.survey}"


class Change(models.Model):
    """One "you said, we did" entry of a consultation: what residents said, what the landlord did
    (or will do) about it, when, and a link to what changed (the new policy, the local offer page,
    the scrutiny review). Published with the consultation's summary."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="changes")
    you_said = models.TextField()
    we_did = models.TextField()
    # Blank while it is still to be done.
    done_on = models.DateField(null=True, blank=True)
    link = models.CharField(max_length=500, blank=True)
    link_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.you_said[:60]
