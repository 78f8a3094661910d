"""Training held by residents. Opportunities ask for it and mystery shopping needs it; the
training programme, evaluation and money come with the resources issue."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from people.models import Resident


class TrainingCourse(models.Model):
    """A course a landlord offers or recognises, e.g. "Mystery shopping" or "Chairing meetings"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="training_courses")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    # Some training must be refreshed (safeguarding, say); blank means it never lapses.
    valid_for_months = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="training_course_code_unique")]

    def __str__(self) -> str:
        return self.name


class TrainingRecordQuerySet(models.QuerySet["TrainingRecord"]):
    def current(self, on: object = None) -> TrainingRecordQuerySet:
        """Records still valid on a date (default today)."""
        day = on or timezone.localdate()
        return self.filter(models.Q(expires_on__isnull=True) | models.Q(expires_on__gte=day))


class TrainingRecord(models.Model):
    """A resident completed a course on a date."""

    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="training_records")
    course = models.ForeignKey(TrainingCourse, on_delete=models.PROTECT, related_name="records")
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    objects = TrainingRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["resident", "course", "completed_on"], name="training_record_once_a_day")
        ]
        indexes = [models.Index(fields=["course", "resident"], name="training_course_resident_idx")]

    def __str__(self) -> str:
        return f"{self.resident} — {self.course} ({self.completed_on:%d %B %Y})"
