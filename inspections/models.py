"""Mystery shopping, case-study tracking, estate walkabouts and tenant-led inspections.

Mystery shopping: a landlord writes *scenarios* (a phone call, a visit, a repair report…) that
test one service, each with an assessment form of weighted *questions*. Staff assign an
*exercise* (scenario, trained shopper, due date); the shopper fills in the assessment, which is
locked once submitted and scored. A *case study* follows one resident's real case through a
service with dated observations.

Walkabouts: estate walkabouts, environmental visual audits and tenant-led inspections of an
area or estate, with who came, *findings* (each an action with an owner, a due date and a
status, followed up until closed, with photos) and a plain-English summary for residents. The
landlord's walkabout procedure is kept as numbered versions.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from people.models import Area, Resident
from resources.models import TrainingCourse


class Service(models.TextChoices):
    """The service a scenario or case study tests: what results are grouped by."""

    REPAIRS = "repairs", "Repairs"
    CUSTOMER_CONTACT = "customer_contact", "Customer contact centre"
    COMPLAINTS = "complaints", "Complaints"
    LETTINGS = "lettings", "Lettings and moving home"
    RENT = "rent", "Rent and income"
    ASB = "asb", "Anti-social behaviour"
    ESTATE = "estate", "Estate services and cleaning"
    TENANCY = "tenancy", "Tenancy management"
    OTHER = "other", "Other"


# --- Mystery shopping -------------------------------------------------------------------------


class Scenario(models.Model):
    class Kind(models.TextChoices):
        PHONE_CALL = "phone_call", "Phone call"
        VISIT = "visit", "Visit to an office or estate"
        REPAIR_REPORT = "repair_report", "Repair report"
        COMPLAINT = "complaint", "Complaint"
        EMAIL_ONLINE = "email_online", "Email or online"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mystery_scenarios")
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    service = models.CharField("service tested", max_length=30, choices=Service.choices)
    brief = models.TextField("script or brief", help_text="What the shopper does and says, step by step.")
    required_course = models.ForeignKey(
        TrainingCourse,
        on_delete=models.RESTRICT,
        related_name="mystery_scenarios",
        verbose_name="training needed",
    )
    # The local-offer measure this scenario tests (standards.Measure), if any.
    measure = models.ForeignKey(
        "standards.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mystery_scenarios",
        verbose_name="local-offer measure tested",
    )
    is_active = models.BooleanField("in use", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["title"]
        indexes = [models.Index(fields=["organisation", "service"], name="insp_scenario_service_idx")]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    class Kind(models.TextChoices):
        YES_NO = "yes_no", "Yes or no"
        SCORE = "score", "Score from 1 (poor) to 5 (excellent)"
        TEXT = "text", "Written answer (not scored)"

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.CharField("question", max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    kind = models.CharField("type of answer", max_length=10, choices=Kind.choices)
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text="How much this question counts towards the score, from 1 to 10. Written answers are not scored.",
    )
    is_required = models.BooleanField("must be answered", default=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scored(self) -> bool:
        return self.kind != self.Kind.TEXT


class Exercise(models.Model):
    """One scenario given to one trained shopper, and (once submitted) their assessment."""

    class Status(models.TextChoices):
        ASSIGNED = "assigned", "To do"
        SUBMITTED = "submitted", "Submitted"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="mystery_exercises")
    scenario = models.ForeignKey(Scenario, on_delete=models.RESTRICT, related_name="exercises")
    shopper = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="mystery_exercises")
    due_on = models.DateField("due by")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.ASSIGNED)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    # The day the shopper made the call or visit: results over time are counted by this date.
    carried_out_on = models.DateField(null=True, blank=True)
    comments = models.TextField("anything else", blank=True)
    # Percentage of the weighted score available (0–100), worked out once when submitted.
    score = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_from_paper = models.BooleanField(default=False)

    class Meta:
        ordering = ["-due_on", "-id"]
        constraints = [
            # Assigning the same scenario to the same shopper twice while it is still to do makes one.
            models.UniqueConstraint(
                fields=["scenario", "shopper"], condition=Q(status="assigned"), name="insp_one_open_exercise"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "status", "carried_out_on"], name="insp_exercise_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario} — {self.shopper}"

    @property
    def is_locked(self) -> bool:
        return self.status != self.Status.ASSIGNED


class Answer(models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.RESTRICT, related_name="answers")
    yes_no = models.BooleanField(null=True, blank=True)
    score = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["question__position", "question_id"]
        constraints = [models.UniqueConstraint(fields=["exercise", "question"], name="insp_answer_once")]

    @property
    def display(self) -> str:
        if self.question.kind == Question.Kind.YES_NO:
            return {True: "Yes", False: "No", None: "Not answered"}[self.yes_no]
        if self.question.kind == Question.Kind.SCORE:
            return f"{self.score} out of 5" if self.score else "Not answered"
        return self.text or "Not answered"

    def fraction(self) -> Decimal | None:
        """How much of this question's weight the answer earns (0 to 1), None if unscored."""
        if self.question.kind == Question.Kind.YES_NO and self.yes_no is not None:
            return Decimal(1 if self.yes_no else 0)
        if self.question.kind == Question.Kind.SCORE and self.score:
            return Decimal(self.score - 1) / Decimal(4)
        return None


class CaseStudy(models.Model):
    """One resident's real case followed through a service, to see how it is handled end to end."""

    class Status(models.TextChoices):
        OPEN = "open", "Being followed"
        CLOSED = "closed", "Finished"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="case_studies")
    title = models.CharField(max_length=200)
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="case_studies")
    service = models.CharField(max_length=30, choices=Service.choices)
    case_reference = models.CharField(
        max_length=60, blank=True, help_text="The reference in the housing or repairs system, if there is one."
    )
    measure = models.ForeignKey(
        "standards.Measure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="case_studies",
        verbose_name="local-offer measure tested",
    )
    started_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    outcome = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_on", "-id"]
        verbose_name_plural = "case studies"

    def __str__(self) -> str:
        return self.title


class CaseObservation(models.Model):
    class Standard(models.TextChoices):
        MET = "met", "Standard met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Standard not met"
        NOT_JUDGED = "not_judged", "Not judged"

    case_study = models.ForeignKey(CaseStudy, on_delete=models.CASCADE, related_name="observations")
    observed_on = models.DateField("date")
    note = models.TextField("what happened")
    standard = models.CharField(max_length=12, choices=Standard.choices, default=Standard.NOT_JUDGED)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["observed_on", "id"]


# --- Walkabouts and inspections --------------------------------------------------------------


def _upload_path(folder: str, filename: str) -> str:
    # A random name: nothing about the uploader or the original name is kept in the path.
    suffix = PurePosixPath(filename).suffix.lower()[:6]
    return f"inspections/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def procedure_upload_to(instance: models.Model, filename: str) -> str:
    return _upload_path("procedures", filename)


def photo_upload_to(instance: models.Model, filename: str) -> str:
    return _upload_path("photos", filename)


class WalkaboutProcedure(models.Model):
    """One version of a landlord's walkabout procedure. The highest version is the one in force."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="walkabout_procedures")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200, default="Estate walkabout procedure")
    text = models.TextField("procedure")
    document = models.FileField(upload_to=procedure_upload_to, blank=True, max_length=200)
    document_name = models.CharField(max_length=200, blank=True)
    document_type = models.CharField(max_length=100, blank=True)
    change_note = models.CharField("what changed", max_length=300, blank=True)
    effective_from = models.DateField(default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="insp_procedure_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.title} (version {self.version})"


class Walkabout(models.Model):
    class Kind(models.TextChoices):
        WALKABOUT = "walkabout", "Estate walkabout"
        EVA = "eva", "Environmental visual audit"
        INSPECTION = "inspection", "Tenant-led inspection"

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        COMPLETED = "completed", "Completed"
        CANCELLED = "cancelled", "Cancelled"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="walkabouts")
    kind = models.CharField("type", max_length=12, choices=Kind.choices, default=Kind.WALKABOUT)
    # SET_NULL, not PROTECT: reorganising the geography must not be blocked by old walkabouts.
    area = models.ForeignKey(
        Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="walkabouts", verbose_name="estate or area"
    )
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True)
    meeting_point = models.CharField(max_length=200, blank=True)
    route = models.TextField("route", help_text="The streets, blocks and spaces the walk covers, in order.")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    residents_attending = models.ManyToManyField(
        Resident, blank=True, related_name="walkabouts_attended", verbose_name="residents who came"
    )
    other_residents = models.PositiveSmallIntegerField(
        "other residents who came", default=0, help_text="Residents who came but are not named here."
    )
    staff_attending = models.TextField("staff who came", blank=True, help_text="Names and job titles, one a line.")
    others_attending = models.TextField(
        "councillors, police and other agencies",
        blank=True,
        help_text="Names and organisations, one a line. For example, Cllr Jane Smith, Riverton Council.",
    )
    public_summary = models.TextField(
        "summary for residents",
        blank=True,
        help_text="Plain English: what the walk covered and the main things found. Published on the estate's page.",
    )
    procedure = models.ForeignKey(
        WalkaboutProcedure, null=True, blank=True, on_delete=models.SET_NULL, related_name="walkabouts"
    )
    completed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["organisation", "status", "date"], name="insp_walkabout_status_idx")]

    def __str__(self) -> str:
        place = self.area.name if self.area_id and self.area else "no area"
        return f"{self.get_kind_display()}: {place}, {self.date:%d %B %Y}"

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.COMPLETED and bool(self.public_summary)


class Finding(models.Model):
    """Something found on a walkabout, and the action taken on it until it is closed."""

    class Category(models.TextChoices):
        LITTER = "litter", "Litter and fly-tipping"
        BINS = "bins", "Bins and recycling"
        GROUNDS = "grounds", "Grass, trees and planting"
        GRAFFITI = "graffiti", "Graffiti and vandalism"
        LIGHTING = "lighting", "Lighting"
        COMMUNAL_REPAIRS = "communal_repairs", "Repairs to communal areas"
        PATHS = "paths", "Paths, roads and parking"
        PLAY = "play", "Play areas and open spaces"
        SAFETY = "safety", "Safety, security and anti-social behaviour"
        CLEANING = "cleaning", "Cleaning of blocks and stairs"
        OTHER = "other", "Other"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="walkabout_findings")
    walkabout = models.ForeignKey(Walkabout, on_delete=models.CASCADE, related_name="findings")
    category = models.CharField(max_length=20, choices=Category.choices)
    description = models.TextField("what was found")
    location = models.CharField("where", max_length=200, help_text="For example, outside 12–20 Larkhill Road.")
    latitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("49.8")), MaxValueValidator(Decimal("60.9"))],
    )
    longitude = models.DecimalField(
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-8.7")), MaxValueValidator(Decimal("1.8"))],
    )
    action = models.TextField("action to take", help_text="What will be done about it.")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="walkabout_actions",
        verbose_name="owner",
    )
    owner_team = models.CharField(
        "team or contractor", max_length=120, blank=True, help_text="For example, grounds maintenance contractor."
    )
    due_on = models.DateField("due by")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closing_note = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["organisation", "status", "due_on"], name="insp_finding_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_category_display()} at {self.location}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED

    @property
    def owner_display(self) -> str:
        parts = [self.owner.get_full_name() or self.owner.username] if self.owner_id and self.owner else []
        if self.owner_team:
            parts.append(self.owner_team)
        return ", ".join(parts) or "No one yet"


class FindingUpdate(models.Model):
    """A note on the follow-up of a finding: progress, a change of owner or date, or closing it."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="updates")
    note = models.TextField()
    status = models.CharField(max_length=12, choices=Finding.Status.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]


class FindingPhoto(models.Model):
    """A photo of a finding. Stored under MEDIA_ROOT with a random name and served only through
    a view that checks permission (inspections:photo); never a public URL."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_upload_to, max_length=200)
    content_type = models.CharField(max_length=30)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)
    description = models.CharField(
        "what the photo shows", max_length=200, help_text="Read out to people who cannot see the photo."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
