"""Tenant-led scrutiny: a panel's programme of service reviews.

A review moves through stages: a topic proposed with the reasons and the evidence that prompted
it; scoped (scope, terms of reference, planned dates, a plan of steps); evidence gathered by the
panel (documents, data extracts, interviews, mystery shopping, inspections, staff shadowing);
a report with findings and numbered recommendations sent to the landlord, whose formal response
to each one (accepted, partly accepted, not accepted, with reasons) is due within a number of
working days set for the review; accepted recommendations become actions with an owner and a
date; the panel monitors them and closes the review with a note of its impact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation

DEFAULT_RESPONSE_WORKING_DAYS = 20


class Review(models.Model):
    class Stage(models.TextChoices):
        PROPOSED = "proposed", "Topic proposed"
        SCOPING = "scoping", "Scoping"
        EVIDENCE = "evidence", "Gathering evidence"
        RESPONSE = "response", "Report with the landlord for a response"
        MONITORING = "monitoring", "Checking the actions are done"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="scrutiny_reviews")
    panel = models.ForeignKey("groups.Group", on_delete=models.CASCADE, related_name="scrutiny_reviews")
    title = models.CharField(max_length=200)
    reasons = models.TextField("why this topic")
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.PROPOSED)
    scope = models.TextField(blank=True)
    terms_of_reference = models.TextField(blank=True)
    planned_start = models.DateField(null=True, blank=True)
    planned_report = models.DateField(null=True, blank=True)
    response_working_days = models.PositiveSmallIntegerField(default=DEFAULT_RESPONSE_WORKING_DAYS)
    findings = models.TextField(blank=True)
    report_sent_on = models.DateField(null=True, blank=True)
    response_due_on = models.DateField(null=True, blank=True)
    impact_note = models.TextField(blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "stage"], name="scrutiny_review_stage")]

    def __str__(self) -> str:
        return self.title


class Prompt(models.Model):
    """What prompted the topic: a measure below target, a theme in complaints, survey results."""

    class Kind(models.TextChoices):
        MEASURE = "measure", "A measure below target"
        COMPLAINTS = "complaints", "A theme in complaints"
        SURVEY = "survey", "Survey results"
        RESIDENTS = "residents", "Residents raised it"
        OTHER = "other", "Something else"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="prompts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.CharField(max_length=500)
    link = models.CharField(max_length=500, blank=True)

    def __str__(self) -> str:
        return self.description


class Step(models.Model):
    """One step of the review's plan, with its date."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="steps")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Evidence(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", "Document"
        DATA = "data", "Data extract"
        INTERVIEW = "interview", "Interview"
        MYSTERY_SHOPPING = "mystery_shopping", "Mystery shopping results"
        INSPECTION = "inspection", "Inspection or walkabout"
        SHADOWING = "shadowing", "Staff shadowing notes"
        OTHER = "other", "Other"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    notes = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True)
    gathered_on = models.DateField()
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["gathered_on", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


class Recommendation(models.Model):
    class Response(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        PARTLY = "partly", "Partly accepted"
        NOT_ACCEPTED = "not_accepted", "Not accepted"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="recommendations")
    number = models.PositiveSmallIntegerField()
    text = models.TextField()
    response = models.CharField(max_length=20, choices=Response.choices, blank=True)
    response_reasons = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="scrutiny_recommendation_number")]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"


class Action(models.Model):
    """What the landlord will do about an accepted (or partly accepted) recommendation."""

    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200)
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    progress_note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.description[:60]
