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
    procedure = models.ForeignKey(Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="cases")
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

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="stages")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(help_text="When it was received, or escalation was asked for.")
    acknowledge_due = models.DateField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
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
    reasons = models.TextField(blank=True)
    remedy = models.TextField(blank=True)
    compensation = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

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
