"""A landlord's local offer: the service standards it has promised its residents.

Service areas (repairs, planned maintenance, anti-social behaviour) hold *commitments*: the
promise in the words residents were given (seed 002 quotes each one). A commitment is measured
by one or more *measures*, each of one type: a percentage of cases within a timescale, a
percentage of a population, a count, a rate per 1,000 homes, a dated milestone, or a
percentage of a sample. What a measure asks for (its target, its timescale, a milestone's due
date) lives in numbered *versions*, each in force from a date, so changing a target never
rewrites the figures of an earlier period.

*Categories* (repairs category 1 to 3, ASB category 1 to 3) say which records a measure counts;
each category lists the *case types* that fall in it, so a new ASB case can be classified.
A milestone is done when someone records *evidence* that it was.
"""

from __future__ import annotations

import datetime
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Organisation


class Subject(models.TextChoices):
    """The kind of operational record a measure is worked out from."""

    REPAIR = "repair", "Responsive repairs jobs"
    ASB_CASE = "asb_case", "Anti-social behaviour cases"
    PLANNED_WORK = "planned_work", "Planned works"
    HAZARD = "hazard", "Housing Health and Safety Rating System hazards"
    NEIGHBOURHOOD_VISIT = "neighbourhood_visit", "Neighbourhood visits"
    SURVEY = "survey", "Surveys, samples and checks"
    NONE = "none", "Not worked out from records"


class Event(models.TextChoices):
    """The moments a timescale runs between."""

    REPORTED = "reported", "reported"
    FIRST_CONTACT = "first_contact", "first contact with the person who reported it"
    MADE_SAFE = "made_safe", "made safe"
    COMPLETED = "completed", "completed"
    LETTER_SENT = "letter_sent", "appointment confirmed in writing"
    IDENTIFIED = "identified", "identified"
    FIXED = "fixed", "fixed"
    VISITED = "visited", "home visited"
    WORKS_START = "works_start", "work starts"


class Unit(models.TextChoices):
    HOURS = "hours", "hours"
    WORKING_DAYS = "working_days", "working days"
    CALENDAR_DAYS = "calendar_days", "calendar days"


class Rule(models.TextChoices):
    WITHIN = "within", "No more than the timescale"
    AT_LEAST = "at_least", "At least the timescale (notice given)"


class Period(models.TextChoices):
    WEEK = "week", "week"
    MONTH = "month", "month"
    QUARTER = "quarter", "quarter"
    YEAR = "year", "year"


class ServiceArea(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="service_areas")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="std_area_code_unique")]

    def __str__(self) -> str:
        return self.name


class Commitment(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="commitments")
    service_area = models.ForeignKey(ServiceArea, on_delete=models.CASCADE, related_name="commitments")
    code = models.SlugField(max_length=40)
    theme = models.CharField(max_length=120, blank=True, help_text="The heading it sits under, for example Quality.")
    promise = models.TextField(help_text="The promise in the words residents were given.")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["service_area__position", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="std_commitment_code_unique")]

    def __str__(self) -> str:
        return self.promise[:80]


class Category(models.Model):
    """A priority band records are put in, like repairs category 1 (emergency)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="standard_categories")
    subject = models.CharField(max_length=30, choices=Subject.choices)
    code = models.CharField(max_length=20, help_text="As the housing system writes it, for example 1.")
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["subject", "code"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "subject", "code"], name="std_category_code_unique")
        ]

    def __str__(self) -> str:
        return self.name


class CaseType(models.Model):
    """One of the things listed under a category ("Hate related incidents" is ASB category 1)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="standard_case_types")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="case_types")
    name = models.CharField(max_length=200)
    keywords = models.CharField(
        max_length=300, blank=True, help_text="Words in a description that suggest this type, separated by commas."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["category__code", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["category", "name"], name="std_case_type_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip().lower() for k in self.keywords.split(",") if k.strip()]


class Measure(models.Model):
    class Kind(models.TextChoices):
        WITHIN_TIMESCALE = "within_timescale", "Percentage of cases within a timescale"
        POPULATION = "population", "Percentage of a population"
        COUNT = "count", "Count"
        RATE = "rate", "Rate per 1,000 homes"
        MILESTONE = "milestone", "Milestone with a due date"
        SAMPLE = "sample", "Percentage of a sample"

    PERCENTAGE_KINDS = (Kind.WITHIN_TIMESCALE, Kind.POPULATION, Kind.SAMPLE)

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="measures")
    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="measures")
    code = models.SlugField(max_length=40, help_text="A short reference, for example rep-cat1.")
    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    subject = models.CharField("worked out from", max_length=30, choices=Subject.choices, default=Subject.NONE)
    categories = models.ManyToManyField(Category, blank=True, related_name="measures")
    # The record's due moment is stored from this measure's timescale (one per subject and category).
    sets_due = models.BooleanField(
        default=False, help_text="Its timescale sets when a record of this kind and category is due."
    )
    how_measured = models.TextField(blank=True)
    starts_on = models.DateField(help_text="The first day the measure runs.")
    ends_on = models.DateField(null=True, blank=True, help_text="The last day, if the offer has an end.")
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["commitment__position", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code"], name="std_measure_code_unique"),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__lte=models.F("ends_on")),
                name="std_measure_period_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_milestone(self) -> bool:
        return self.kind == self.Kind.MILESTONE

    @property
    def is_percentage(self) -> bool:
        return self.kind in self.PERCENTAGE_KINDS


class MeasureVersion(models.Model):
    """What a measure asks for from one date until the next version."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    effective_from = models.DateField()
    target = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    target_text = models.CharField(
        "target as worded", max_length=300, blank=True, help_text="The target in the offer's words."
    )
    timescale_amount = models.PositiveIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    timescale_unit = models.CharField(max_length=20, choices=Unit.choices, blank=True)
    start_event = models.CharField(max_length=20, choices=Event.choices, blank=True)
    end_event = models.CharField(max_length=20, choices=Event.choices, blank=True)
    timescale_rule = models.CharField(max_length=10, choices=Rule.choices, blank=True)
    # "At least N times a week" (visits), or the period a count or rate is over.
    times = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1)])
    per_period = models.CharField(max_length=10, choices=Period.choices, blank=True)
    due_on = models.DateField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["measure_id", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["measure", "effective_from"], name="std_version_one_per_day"),
            models.UniqueConstraint(fields=["measure", "number"], name="std_version_number_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.measure} from {self.effective_from}"

    @property
    def timescale_label(self) -> str:
        if not self.timescale_amount:
            return ""
        unit = Unit(self.timescale_unit).label if self.timescale_unit else ""
        if self.timescale_amount == 1:
            unit = unit.replace("days", "day").replace("hours", "hour")
        text = f"{self.timescale_amount} {unit}"
        if self.start_event and self.end_event:
            text += f", {Event(self.start_event).label} to {Event(self.end_event).label}"
        if self.timescale_rule == Rule.AT_LEAST:
            text = f"at least {text}"
        return text

    @property
    def target_label(self) -> str:
        kind = self.measure.kind
        if kind == Measure.Kind.MILESTONE:
            return f"Done by {self.due_on:%-d %B %Y}" if self.due_on else "Done"
        parts = []
        if self.target is not None:
            number = f"{self.target.normalize():f}"
            if kind in Measure.PERCENTAGE_KINDS:
                parts.append(f"{number}%")
            elif kind == Measure.Kind.RATE:
                parts.append(f"{number} per 1,000 homes")
            else:
                parts.append(number)
            if self.per_period and kind in (Measure.Kind.COUNT, Measure.Kind.RATE):
                parts[-1] += f" a {self.per_period}"
        if self.times and self.per_period and kind not in (Measure.Kind.COUNT, Measure.Kind.RATE):
            parts.append(f"at least {self.times} times a {self.per_period}")
        if self.target_text and not parts:
            parts.append(self.target_text)
        return ", ".join(parts)


def _evidence_path(instance: MilestoneEvidence, filename: str) -> str:
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"standards/{instance.measure.organisation_id}/milestones/{instance.measure_id}{suffix}"


class MilestoneEvidence(models.Model):
    """What shows a dated commitment was delivered."""

    measure = models.OneToOneField(Measure, on_delete=models.CASCADE, related_name="evidence")
    done_on = models.DateField()
    note = models.TextField()
    file = models.FileField(upload_to=_evidence_path, blank=True, max_length=300)
    original_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.measure} done on {self.done_on}"


class MilestoneStatus(models.TextChoices):
    DUE = "due", "Due"
    DONE = "done", "Done"
    OVERDUE = "overdue", "Overdue"


def milestone_status(*, due_on: datetime.date | None, done: bool, today: datetime.date) -> str:
    """Done once evidence is recorded; overdue the day after the due date; otherwise due."""
    if done:
        return MilestoneStatus.DONE
    if due_on is not None and today > due_on:
        return MilestoneStatus.OVERDUE
    return MilestoneStatus.DUE
