"""The menu of involvement, opportunities (task-and-finish), invitations, time given and awards.

"We will only ask for your time when there is a specific task": staff describe a task as an
Opportunity, Involve proposes the residents who match (see selectors.match_residents), each is
sent an Invitation in the way they prefer, and they answer from a link without an account.
"""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from people.models import Area, FormatNeed, Interest, InvolvementLevel, Resident, TimeAvailable
from resources.models import TrainingCourse


class MenuLevel(models.TextChoices):
    """Poole's ladder, from receiving information to making decisions."""

    INFORMING = "informing", "Informing"
    CONSULTING = "consulting", "Consulting"
    INVOLVING = "involving", "Involving"
    ENGAGING = "engaging", "Engaging"
    DECISION_MAKING = "decision_making", "Decision-making"


# Least to most time: a resident with "a few hours a month" can do anything needing a few hours a year.
TIME_ORDER = {TimeAvailable.FEW_HOURS_YEAR: 1, TimeAvailable.FEW_HOURS_MONTH: 2, TimeAvailable.FEW_HOURS_WEEK: 3}


class MenuItem(models.Model):
    """One way to get involved, as the landlord describes it to residents."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="menu_items")
    # Set for items loaded from a preset, so loading presets again adds only what is missing.
    preset_code = models.SlugField(max_length=60, blank=True, editable=False)
    name = models.CharField(max_length=120)
    level = models.CharField(max_length=20, choices=MenuLevel.choices)
    summary = models.CharField("in one sentence", max_length=300)
    what_it_involves = models.TextField("what it involves")
    time_needed = models.CharField(
        "time needed", max_length=200, help_text="In plain words, for example “About 2 hours, twice a year”."
    )
    time_commitment = models.CharField(
        "least time it needs",
        max_length=10,
        choices=TimeAvailable.choices,
        help_text="Used to match people by the time they have.",
    )
    involves_meetings = models.BooleanField("involves going to meetings", default=False)
    how_to_join = models.TextField("how to join")
    suits_levels = models.JSONField(
        "suits people who want to", default=list, help_text="Values of people.InvolvementLevel."
    )
    source = models.CharField(max_length=60, blank=True, help_text="Where the idea comes from, if a preset.")
    is_published = models.BooleanField("show on the public page", default=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "preset_code"],
                condition=~Q(preset_code=""),
                name="menu_item_preset_once",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def suits_level_labels(self) -> list[str]:
        labels = dict(InvolvementLevel.choices)
        return [str(labels[v]) for v in self.suits_levels if v in labels]


class InvolvementSettings(models.Model):
    """A landlord's rules for asking people and recognising their time."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="involvement_settings")
    rest_days = models.PositiveSmallIntegerField(
        "days to look back",
        default=28,
        validators=[MinValueValidator(1)],
        help_text="How far back to count invitations when deciding whether someone has been asked too often.",
    )
    max_recent_invitations = models.PositiveSmallIntegerField(
        "most invitations in that time",
        default=2,
        validators=[MinValueValidator(1)],
        help_text="People already invited this many times in that period are not proposed again.",
    )
    award_hours = models.JSONField(
        "hours at which we thank people", default=list, help_text="For example 10, 25 and 50 hours."
    )

    DEFAULT_AWARD_HOURS = (10, 25, 50)

    def __str__(self) -> str:
        return f"Involvement settings for {self.organisation}"


class Opportunity(models.Model):
    """A specific task residents are asked to take part in: a focus group, a walkabout, a
    mystery-shopping exercise, a recruitment panel, a task for a standards task team."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="opportunities")
    menu_item = models.ForeignKey(
        MenuItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="opportunities", verbose_name="kind"
    )
    title = models.CharField(max_length=200)
    description = models.TextField("what people will do")
    starts_at = models.DateTimeField("starts")
    hours = models.DecimalField(
        "hours each person gives",
        max_digits=5,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0.25"))],
    )
    is_online = models.BooleanField("online", default=False)
    place = models.CharField("place or online details", max_length=300)
    accessibility = models.CharField(
        "access information", max_length=300, blank=True, help_text="For example: step-free, hearing loop."
    )
    capacity = models.PositiveIntegerField("places", validators=[MinValueValidator(1)])
    answer_by = models.DateTimeField("reply by", null=True, blank=True)
    interests = models.ManyToManyField(Interest, blank=True, related_name="+", verbose_name="what it is about")
    areas = models.ManyToManyField(Area, blank=True, related_name="+", verbose_name="areas")
    area_only = models.BooleanField("only people who live in these areas", default=False)
    levels = models.JSONField("suits people who want to", default=list, blank=True)
    time_needed = models.CharField("time it asks for", max_length=10, choices=TimeAvailable.choices)
    training_required = models.ManyToManyField(
        TrainingCourse, blank=True, related_name="+", verbose_name="training needed"
    )
    format_support = models.ManyToManyField(
        FormatNeed, blank=True, related_name="+", verbose_name="support we can provide"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "id"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="opportunity_capacity_positive"),
            models.CheckConstraint(condition=Q(hours__gt=0), name="opportunity_hours_positive"),
        ]
        indexes = [models.Index(fields=["organisation", "starts_at"], name="opportunity_org_starts_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def answers_close_at(self) -> datetime.datetime:
        return self.answer_by or self.starts_at

    def is_accepting_answers(self, now: datetime.datetime | None = None) -> bool:
        return self.status == self.Status.OPEN and (now or timezone.now()) < self.answers_close_at

    def is_accepting_cancellations(self, now: datetime.datetime | None = None) -> bool:
        """Someone coming can still say they cannot, after the reply-by date, until it starts."""
        return self.status == self.Status.OPEN and (now or timezone.now()) < self.starts_at


class Invitation(models.Model):
    """One resident asked to take part in one opportunity. They answer at a link that needs
    no account: see `token` below and services.invitation_answer."""

    class Status(models.TextChoices):
        INVITED = "invited", "Invited, no answer yet"
        ACCEPTED = "accepted", "Coming"
        WAITING = "waiting", "On the waiting list"
        DECLINED = "declined", "Not coming"
        WITHDRAWN = "withdrawn", "Removed by staff"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="invitations")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="invitations")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    # Random, and part of the signed link: issuing a new link changes it, so older links stop working.
    key = models.CharField(max_length=32, editable=False)
    invited_at = models.DateTimeField(default=timezone.now)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True)
    # Why Involve proposed them, as shown to staff when they were invited.
    match_score = models.PositiveSmallIntegerField(null=True, blank=True)
    match_reasons = models.JSONField(default=list, blank=True)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "resident"], name="invitation_once_per_opportunity"),
        ]
        indexes = [
            models.Index(fields=["organisation", "invited_at"], name="invitation_org_invited_idx"),
            models.Index(fields=["resident", "invited_at"], name="invitation_resident_idx"),
            models.Index(fields=["opportunity", "status", "waiting_since"], name="invitation_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.resident} — {self.opportunity}"

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(16)

    @property
    def token(self) -> str:
        from opportunities.tokens import make_token

        return make_token(self)


class TimeEntry(models.Model):
    """Time a resident gave: from attending an opportunity, or other involvement staff record."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="time_entries")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="time_entry"
    )
    menu_item = models.ForeignKey(
        MenuItem,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="way of being involved",
    )
    date = models.DateField()
    hours = models.DecimalField(max_digits=5, decimal_places=2, validators=[MinValueValidator(Decimal("0.25"))])
    description = models.CharField("what they did", max_length=200)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name_plural = "time entries"
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="time_entry_hours_positive")]
        indexes = [models.Index(fields=["organisation", "resident"], name="time_entry_resident_idx")]

    def __str__(self) -> str:
        return f"{self.resident}: {self.hours} hours on {self.date:%d %B %Y}"


class TimeAward(models.Model):
    """Recognition when a resident's time given passes a threshold the landlord set. Once each."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="time_awards")
    hours = models.PositiveIntegerField()
    awarded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["hours"]
        constraints = [models.UniqueConstraint(fields=["resident", "hours"], name="time_award_once")]

    def __str__(self) -> str:
        return f"{self.resident}: {self.hours} hours"
