"""Cross-cutting records: the stored calendar, one-time submission keys, import batches
and the message log."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class BankHoliday(models.Model):
    """A public holiday for one nation. Loaded from the `holidays` package and editable,
    because one-off holidays are proclaimed at short notice."""

    nation = models.CharField(max_length=20)
    date = models.DateField()
    name = models.CharField(max_length=120)
    added_by_staff = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["nation", "date"], name="bank_holiday_once_per_nation")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.name}"


class ClosureDay(models.Model):
    """A day a landlord's offices are shut (e.g. a Christmas shutdown) that is not a bank holiday."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="closure_days")
    date = models.DateField()
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "date"], name="closure_day_once")]
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d %B %Y}: {self.reason}"


class SubmissionKey(models.Model):
    """A one-time key carried by a form, so a double-submitted form makes one record."""

    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    result_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    result_id = models.CharField(max_length=64, blank=True)
    result = GenericForeignKey("result_type", "result_id")


class ImportBatch(models.Model):
    """One uploaded file going through the import pipeline: uploaded → checked → imported."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", "Uploaded"
        CHECKED = "checked", "Checked"
        IMPORTED = "imported", "Imported"
        FAILED = "failed", "Failed"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="import_batches")
    kind = models.CharField(max_length=40)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
    valid_only = models.BooleanField(default=False)
    total_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    invalid_rows = models.PositiveIntegerField(default=0)
    # Filled by a dry run at check time, then by the real run.
    created_count = models.PositiveIntegerField(default=0)
    updated_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    failure = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    imported_at = models.DateTimeField(null=True, blank=True)
    # The row the column names were found on, and what was above it (a title, grouped headings).
    header_row = models.PositiveIntegerField(default=1)
    skipped_rows = models.JSONField(default=list, blank=True)
    # True when the columns were matched as chosen for the last file with the same column names.
    mapping_reused = models.BooleanField(default=False)
    # What the check noticed that is not an error (e.g. rows whose home is not known), for the preview.
    notes = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"


class ColumnMapping(models.Model):
    """The columns a landlord matched for one kind of file with one set of column names, so the
    next month's export from the same system is matched without asking again."""

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    # A digest of the file's column names (normalised, in order), and the names themselves.
    headers_key = models.CharField(max_length=64)
    headers = models.JSONField(default=list)
    mapping = models.JSONField(default=dict)
    saved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "headers_key"], name="core_column_mapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} columns for {self.organisation}"


class ImportRowError(models.Model):
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="row_errors")
    row_number = models.PositiveIntegerField()
    values = models.JSONField(default=dict)
    messages = models.JSONField(default=list)

    class Meta:
        ordering = ["row_number"]


class Message(models.Model):
    """Every message the landlord sends, kept whether or not sending worked.

    The record is written in the same transaction as whatever caused it, and sending happens
    afterwards in a background task, so a failed send never loses the case behind it."""

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        TEXT = "text", "Text message"
        POST = "post", "Letter"
        PHONE = "phone", "Phone call"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        RETRYING = "retrying", "Failed, will retry"
        FAILED = "failed", "Failed"
        TO_PRINT = "to_print", "Waiting to be printed and posted"
        TO_CALL = "to_call", "Waiting for a phone call"
        NO_CHANNEL = "no_channel", "No way to contact this person"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="messages")
    recipient_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL, related_name="+")
    recipient_id = models.CharField(max_length=64, blank=True)
    recipient = GenericForeignKey("recipient_type", "recipient_id")
    recipient_name = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    to = models.CharField(max_length=320, blank=True)
    template = models.CharField(max_length=100)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    formats = models.JSONField(default=list, help_text="Accessible formats this message must be produced in.")
    language = models.CharField(max_length=60, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    provider_reference = models.CharField(max_length=100, blank=True)
    because_type = models.ForeignKey(ContentType, null=True, on_delete=models.SET_NULL, related_name="+")
    because_id = models.CharField(max_length=64, blank=True)
    because = GenericForeignKey("because_type", "because_id")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "status"], name="message_status_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.recipient_name}: {self.subject or self.template}"
