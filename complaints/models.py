"""Concerns and complaints: the landlord's procedures (stages, who handles each, timescales in
working days, where a case can go next) and the cases that follow them, stage by stage.

A procedure is configured, not coded: the Housing Ombudsman's Complaint Handling Code, the Oxford
compact's concerns process and Poole's procedure are presets (`complaints.presets`) a landlord
loads and edits. Every due date is worked out by the landlord's working-day calendar
(`core.calendar.calendar_for`) when the clock it runs from starts (receipt, acknowledgement, or
the meeting of the panel that considers the case) and is stored on the case's stage, so a list of
what is due reads dates, never recomputes them.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation


class Procedure(models.Model):
    class Kind(models.TextChoices):
        COMPLAINTS = "complaints", "Complaints"
        CONCERNS = "concerns", "Concerns that the compact is not being kept"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="procedures")
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    preset = models.CharField(max_length=40, blank=True, help_text="The preset it was loaded from, if any.")
    # The Complaint Handling Code: a complaint is accepted within 12 months of the issue (or of
    # the resident becoming aware of it). None: no limit.
    accept_within_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="complaints_procedure_code")]

    def __str__(self) -> str:
        return self.name

    def first_stage(self) -> Stage:
        return self.stages.order_by("order").first()  # type: ignore[return-value]


class Stage(models.Model):
    class Clock(models.TextChoices):
        RECEIPT = "receipt", "Working days from when it was received (or escalated)"
        ACKNOWLEDGEMENT = "acknowledgement", "Working days from the acknowledgement"
        MEETING = "meeting", "Working days from the meeting that considers it"

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField()
    code = models.SlugField(max_length=40)
    name = models.CharField(max_length=200)
    handler = models.CharField("who handles it", max_length=200, help_text="In the landlord's words.")
    # A panel that considers cases at its meetings (the clock then runs from its next meeting).
    handler_group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaint_stages"
    )
    acknowledge_days = models.PositiveSmallIntegerField(null=True, blank=True)
    # None: no deadline of the landlord's (an outside body such as the Ombudsman).
    respond_days = models.PositiveSmallIntegerField(null=True, blank=True)
    respond_from = models.CharField(max_length=20, choices=Clock.choices, default=Clock.RECEIPT)
    extension_days = models.PositiveSmallIntegerField(default=0)
    # The resident must be told of an extension in writing, with the reasons, before the deadline.
    extension_needs_reasons = models.BooleanField(default=False)
    # Decided by someone other than whoever decided the stage before (the Code's stage 2).
    different_decider = models.BooleanField(default=False)
    external = models.BooleanField(default=False, help_text="Outside the landlord: the Ombudsman, mediation.")
    # Which of the Code's two stages it counts as in the TSM return (CH01, CH02); None: neither
    # (a concerns process, a step before the complaints procedure, the Ombudsman).
    tsm_stage = models.PositiveSmallIntegerField(
        "counts in the TSM return as", null=True, blank=True, choices=[(1, "Stage 1"), (2, "Stage 2")]
    )
    next_stages = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="previous_stages")

    class Meta:
        ordering = ["order"]
        constraints = [models.UniqueConstraint(fields=["procedure", "code"], name="complaints_stage_code")]

    def __str__(self) -> str:
        return self.name


class Case(models.Model):
    """A concern, complaint, compliment or comment: one register for all of them."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", "Complaint"
        CONCERN = "concern", "Concern about the compact"
        COMPLIMENT = "compliment", "Compliment"
        COMMENT = "comment", "Comment"
        # A first request for a service (a repair reported for the first time): recorded, and not
        # a complaint unless the resident is unhappy with how it is handled.
        SERVICE_REQUEST = "service_request", "Service request"

    class Channel(models.TextChoices):
        WEB = "web", "Online form"
        EMAIL = "email", "Email"
        LETTER = "letter", "Letter"
        PHONE = "phone", "Phone"
        IN_PERSON = "in_person", "In person"
        REPRESENTATIVE = "representative", "Through a representative"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    PREFIXES = {
        Kind.COMPLAINT: "CMP",
        Kind.CONCERN: "CON",
        Kind.COMPLIMENT: "THX",
        Kind.COMMENT: "COM",
        Kind.SERVICE_REQUEST: "REQ",
    }

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="cases")
    reference = models.CharField(max_length=20, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # RESTRICT: a procedure with cases cannot be deleted, but the landlord (and all of it) can.
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.RESTRICT, related_name="cases")
    resident = models.ForeignKey(
        "people.Resident", null=True, blank=True, on_delete=models.SET_NULL, related_name="cases"
    )
    received_at = models.DateTimeField()
    channel = models.CharField(max_length=20, choices=Channel.choices)
    representative = models.CharField(
        max_length=200, blank=True, help_text="A councillor, MP or advocate acting for the resident."
    )
    issue_date = models.DateField(null=True, blank=True, help_text="When what it is about happened.")
    service_area = models.CharField(max_length=120, blank=True)
    category = models.CharField(max_length=120, blank=True)
    summary = models.TextField()
    wanted_outcome = models.TextField("what the resident wants to happen", blank=True)
    # Why a complaint about something more than the procedure's limit ago was accepted anyway.
    accepted_late_reason = models.TextField(blank=True)
    # The regulator's split for the TSM return: set from the resident's tenure when known.
    stock = models.CharField(max_length=4, choices=[("lcra", "Low-cost rental"), ("lcho", "Low-cost home ownership")],
                             default="lcra")  # fmt: skip
    # The officer looking after it: reminded before its deadlines.
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="complaint_cases"
    )
    # What will change because of it (an upheld case): published as "you said, we did".
    learning = models.TextField(blank=True)
    learning_published = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "reference"],
                condition=~models.Q(reference=""),
                name="complaints_case_reference",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"], name="complaints_case_status")]

    def __str__(self) -> str:
        return self.reference or f"Case {self.pk}"

    @property
    def current_stage(self) -> CaseStage | None:
        return self.stages.order_by("-started_at", "-pk").first()


class CaseStage(models.Model):
    """One stage a case went through, with its dates as the calendar worked them out."""

    class Outcome(models.TextChoices):
        UPHELD = "upheld", "Upheld"
        PARTLY_UPHELD = "partly_upheld", "Partly upheld"
        NOT_UPHELD = "not_upheld", "Not upheld"

    class Timeliness(models.TextChoices):
        IN_TIME = "in_time", "In time"
        EXTENDED = "extended", "In time with an extension"
        LATE = "late", "Late"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    stage = models.ForeignKey(Stage, on_delete=models.RESTRICT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(help_text="When it was received, or escalation was asked for.")
    acknowledge_due = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    # Worked out once, by the landlord's calendar, when it happened: the reports count these.
    acknowledged_in_time = models.BooleanField(null=True, blank=True)
    # The panel meeting that considers it, for a stage whose clock runs from a meeting.
    meeting = models.ForeignKey(
        "groups.Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaint_stages"
    )
    # Null until the clock starts (the acknowledgement or the meeting), or when there is no deadline.
    respond_due = models.DateField(null=True, blank=True)
    extended_due = models.DateField(null=True, blank=True)
    extension_reason = models.TextField(blank=True)
    extended_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # Blank while open, or when the stage had no deadline.
    timeliness = models.CharField(max_length=10, choices=Timeliness.choices, blank=True)
    reasons = models.TextField(blank=True)
    remedy = models.TextField(blank=True)
    compensation = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The agenda item put on the panel's meeting for a stage it considers.
    agenda_item = models.ForeignKey(
        "groups.AgendaItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Reminders sent, each once: to the handler before the deadline, to a manager once it has passed.
    reminded_on = models.DateField(null=True, blank=True)
    late_alerted_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # The lists of what is due: open stages by due date.
            models.Index(
                fields=["organisation", "respond_due"],
                condition=models.Q(responded_at__isnull=True),
                name="complaints_stage_open_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.stage}"

    @property
    def due(self) -> datetime.date | None:
        """The response deadline in force: the extended one when there is one."""
        return self.extended_due or self.respond_due

    @property
    def open(self) -> bool:
        return self.responded_at is None


def _attachment_path(instance: CaseAttachment, filename: str) -> str:
    # Stored under MEDIA_ROOT (never served directly): only complaints views hand it out.
    return f"complaints/{instance.organisation_id}/{instance.case_id}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    file = models.FileField(upload_to=_attachment_path)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return self.original_name


class CaseEvent(models.Model):
    """What happened to a case, in order: the history staff read on the case page."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "Received"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        EXTENDED = "extended", "Response date extended"
        RESPONDED = "responded", "Responded"
        ESCALATED = "escalated", "Escalated"
        REFERRED = "referred", "Referred"
        DISSATISFIED = "dissatisfied", "Resident dissatisfied"
        ALERT = "alert", "Head of Service alerted"
        REMINDER = "reminder", "Reminder sent"
        LATE = "late", "Deadline passed: manager told"
        LEARNING = "learning", "Learning recorded"
        CLOSED = "closed", "Closed"

    class Referral(models.TextChoices):
        MEDIATION = "mediation", "Mediation"
        DESIGNATED_PERSON = "designated_person", "A designated person (councillor, MP or tenant panel)"
        OMBUDSMAN = "ombudsman", "The Housing Ombudsman"
        INDEPENDENT_ADVICE = "independent_advice", "Independent advice"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    referred_to = models.CharField(max_length=30, choices=Referral.choices, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} {self.get_kind_display()}"


class ComplaintSettings(models.Model):
    """Who is told what, per landlord."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="complaint_settings")
    # Told when a resident says they are dissatisfied, or a case is escalated a second time (seed 001).
    head_of_service = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The group that oversees concerns about the compact (Oxford's Involvement Monitoring Panel).
    oversight_group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    remind_days_before = models.PositiveSmallIntegerField(
        default=2, help_text="Working days before a deadline that the handler is reminded."
    )
    ombudsman_details = models.TextField(
        default=(
            "Housing Ombudsman Service, PO Box 1484, Unit D, Preston PR2 0ET. "
            "Telephone 0300 111 3000. Website www.housing-ombudsman.org.uk"
        )
    )

    def __str__(self) -> str:
        return f"Complaint settings for {self.organisation}"


class LetterTemplate(models.Model):
    """A landlord's own wording for one kind of letter. $placeholders are filled in (see
    complaints.letters); anything else is sent as written."""

    class Kind(models.TextChoices):
        RECEIVED = "received", "We have received it"
        ACKNOWLEDGED = "acknowledged", "Acknowledgement"
        EXTENDED = "extended", "We need more time"
        RESPONDED = "responded", "Our response"
        ESCALATED = "escalated", "Escalation received"
        CLOSED = "closed", "Case closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="complaints_letter_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class CodeAssessment(models.Model):
    """The landlord's yearly self-assessment against the Complaint Handling Code."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField()
    approved_on = models.DateField("approved by the governing body on", null=True, blank=True)
    governing_body_response = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "year_starting"], name="complaints_assessment_year")
        ]

    def __str__(self) -> str:
        return f"Code self-assessment {self.year_starting}/{(self.year_starting + 1) % 100:02d}"


class CodeAssessmentItem(models.Model):
    class Meets(models.TextChoices):
        YES = "yes", "Meets it"
        PARTLY = "partly", "Partly meets it"
        NO = "no", "Does not meet it"

    assessment = models.ForeignKey(CodeAssessment, on_delete=models.CASCADE, related_name="items")
    requirement = models.CharField(max_length=20)
    meets = models.CharField(max_length=10, choices=Meets.choices, blank=True)
    evidence = models.TextField(blank=True)
    action = models.TextField("what we will do", blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assessment", "requirement"], name="complaints_assessment_item")]
