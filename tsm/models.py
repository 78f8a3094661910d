"""The regulator's published TSM dataset, stored as published (one row per landlord, its surveys
and each measure's value, numerator and denominator), and which dataset landlord each of our
organisations is.

A value the regulator did not publish keeps the regulator's code ("[X]" left blank, "[U]",
"[S]" suppressed, "[Z]" not required, "[E]" excluded) with a null number: never a zero."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from tsm.dataset import NO_BASE
from tsm.measures import BY_CODE, TENURE_LABELS, Tenure

MISSING_CODES = {
    "[X]": "left blank by the landlord",
    "[U]": "unreliable",
    "[S]": "suppressed",
    "[Z]": "not required",
    "[E]": "excluded by the regulator",
}


def describe_code(code: str) -> str:
    if code == NO_BASE:
        return "no cases to measure (denominator is 0)"
    return MISSING_CODES.get(code, "not published")


class TsmDataset(models.Model):
    """One year's published dataset. Importing the same year again replaces it."""

    reporting_year = models.PositiveSmallIntegerField(
        unique=True, help_text="The year the reporting year ends: 2024 is 1 April 2023 to 31 March 2024."
    )
    source_name = models.CharField(max_length=255)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    landlord_count = models.PositiveIntegerField(default=0)
    result_count = models.PositiveIntegerField(default=0)
    sheets = models.JSONField(default=list, help_text="The sheets read, and what each was read as.")
    problems = models.JSONField(default=list, help_text="What could not be read.")
    notes = models.JSONField(default=list, help_text="What was read but adjusted, and why.")

    class Meta:
        ordering = ["-reporting_year"]

    def __str__(self) -> str:
        return f"TSM dataset {self.period}"

    @property
    def period(self) -> str:
        return f"{self.reporting_year - 1}/{str(self.reporting_year)[-2:]}"


class TsmLandlord(models.Model):
    class Type(models.TextChoices):
        PRP = "PRP", "Private registered provider"
        LARP = "LARP", "Local authority"

    dataset = models.ForeignKey(TsmDataset, on_delete=models.CASCADE, related_name="landlords")
    code = models.CharField(max_length=20, help_text="The regulator's registered provider code.")
    name = models.CharField(max_length=255)
    landlord_type = models.CharField(max_length=10, blank=True)
    size_band = models.CharField(max_length=40, blank=True)
    region = models.CharField(max_length=40, blank=True)
    supported_housing = models.BooleanField(null=True, help_text="More than 30% of LCRA homes are supported housing")
    publication_url = models.TextField(blank=True)
    notes = models.TextField(blank=True, help_text="The regulator's notes, such as why data was left out.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["dataset", "code"], name="tsm_landlord_unique_code")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def type_label(self) -> str:
        return dict(self.Type.choices).get(self.landlord_type, self.landlord_type or "Unknown type")


TENURE_CHOICES = [(t.value, TENURE_LABELS[t]) for t in Tenure]


class TsmSurvey(models.Model):
    """A landlord's perception survey for one tenure, with the regulator's accuracy estimates."""

    landlord = models.ForeignKey(TsmLandlord, on_delete=models.CASCADE, related_name="surveys")
    tenure = models.CharField(max_length=10, choices=TENURE_CHOICES)
    population = models.PositiveIntegerField(null=True)
    minimum_sample = models.PositiveIntegerField(null=True)
    sample_achieved = models.PositiveIntegerField(null=True)
    margin_of_error = models.DecimalField(max_digits=12, decimal_places=8, null=True)
    sample_or_census = models.CharField(max_length=40, blank=True)
    weighted = models.BooleanField(null=True)
    codes = models.JSONField(default=dict, help_text="Field name → missing-value code, for fields not published.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["landlord", "tenure"], name="tsm_survey_unique_tenure")]


class TsmResult(models.Model):
    """One measure of one landlord for one tenure, as published."""

    landlord = models.ForeignKey(TsmLandlord, on_delete=models.CASCADE, related_name="results")
    measure = models.CharField(max_length=10, choices=[(code, code) for code in BY_CODE])
    tenure = models.CharField(max_length=10, choices=TENURE_CHOICES)
    value = models.DecimalField(max_digits=24, decimal_places=14, null=True)
    value_code = models.CharField(max_length=10, blank=True)
    numerator = models.DecimalField(max_digits=20, decimal_places=8, null=True)
    numerator_code = models.CharField(max_length=10, blank=True)
    denominator = models.DecimalField(max_digits=20, decimal_places=8, null=True)
    denominator_code = models.CharField(max_length=10, blank=True)
    counts = models.JSONField(
        default=dict, blank=True, help_text="Perception only: answer → count, or its missing-value code."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["landlord", "measure", "tenure"], name="tsm_result_unique_measure")
        ]
        indexes = [models.Index(fields=["measure", "tenure"])]


class TsmProfile(models.Model):
    """Which dataset landlord this organisation is, by the regulator's registered provider code
    (kept as a code, so it still matches after next year's dataset is imported)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="tsm_profile")
    provider_code = models.CharField(max_length=20, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.organisation}: {self.provider_code or 'no landlord chosen'}"
