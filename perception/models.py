"""The Tenant Satisfaction Measures perception survey: one a year per landlord, run to the
regulator's Tenant Survey Requirements.

A `PerceptionSurvey` holds what the landlord must publish about how the survey was done (who
did it, when, how, incentives, weighting, anything that affects comparison with last year). It
has one `Population` per stock type: low-cost rental (LCRA) and low-cost home ownership (LCHO)
are separate populations with separate samples, minimum sample sizes and results. Each
population's questionnaire is an ordinary survey (`surveys.Survey`), so invitations, answering
online or by link, paper and telephone entry, the tally and exports all work as for any survey.

The sample is drawn from the register: the population is the active lead tenants of that stock
type (one per household, as the regulator counts tenant households); residents excluded, with a
reason, are taken out of the frame first; the draw is stratified by area and reproducible from
its recorded seed (`SampleMember` keeps who was drawn and from which stratum).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation


class PerceptionSurvey(models.Model):
    class Weighting(models.TextChoices):
        NONE = "none", "No weighting"
        AREA = "area", "Cell weighting by area"
        AREA_AGE = "area_age", "Raking by area and age band"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="perception_surveys")
    # The TSM reporting year: 1 April year_starting to 31 March the year after.
    year_starting = models.PositiveSmallIntegerField()
    carried_out_by = models.CharField(
        max_length=200, blank=True, help_text="Leave blank if the landlord's own staff carried it out."
    )
    contractor_role = models.TextField(blank=True)
    incentives = models.TextField(blank=True, help_text="Any prize draw or reward offered for taking part.")
    weighting = models.CharField(max_length=10, choices=Weighting.choices, default=Weighting.NONE)
    methodological_issues = models.TextField(
        blank=True, help_text="Anything that affects comparing this year's results with last year's."
    )
    other_information = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")  # fmt: skip
    # The figures as published, so what residents read never changes afterwards.
    published_results = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "year_starting"], name="perception_one_a_year")]
        ordering = ["-year_starting"]

    def __str__(self) -> str:
        return f"Tenant satisfaction survey {self.period}"

    @property
    def period(self) -> str:
        return f"{self.year_starting}/{str(self.year_starting + 1)[-2:]}"


class Population(models.Model):
    class Stock(models.TextChoices):
        LCRA = "lcra", "Low-cost rental"
        LCHO = "lcho", "Low-cost home ownership"

    class Approach(models.TextChoices):
        SAMPLE = "sample", "A random sample"
        CENSUS = "census", "Everyone (a census)"

    perception_survey = models.ForeignKey(PerceptionSurvey, on_delete=models.CASCADE, related_name="populations")
    stock = models.CharField(max_length=4, choices=Stock.choices)
    # The questionnaire cannot be deleted on its own, only with its landlord.
    survey = models.OneToOneField("surveys.Survey", on_delete=models.RESTRICT, related_name="perception_population")
    approach = models.CharField(max_length=10, choices=Approach.choices, default=Approach.SAMPLE)
    # What share of those asked are expected to answer: it sets how many to draw.
    expected_response_rate = models.PositiveSmallIntegerField(default=25)
    # Recorded when the sample is drawn.
    population = models.PositiveIntegerField(null=True, blank=True)
    frame = models.PositiveIntegerField(null=True, blank=True)
    seed = models.BigIntegerField(null=True, blank=True)
    drawn = models.PositiveIntegerField(null=True, blank=True)
    allocation = models.JSONField(default=list, blank=True)  # [{stratum, label, frame, drawn}]
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["perception_survey", "stock"], name="perception_population_stock")
        ]
        ordering = ["-stock"]  # low-cost rental ("lcra") before home ownership ("lcho")

    def __str__(self) -> str:
        return f"{self.perception_survey}: {self.get_stock_display()}"


class SampleMember(models.Model):
    population = models.ForeignKey(Population, on_delete=models.CASCADE, related_name="members")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    stratum = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["population", "resident"], name="perception_member_once")]


class Exclusion(models.Model):
    """A household left out of the sampling frame, with the reason (the regulator asks how many
    and why). Recorded before the draw: after it, leaving someone out would change who could be chosen."""

    class Reason(models.TextChoices):
        SAFEGUARDING = "safeguarding", "A safeguarding or vulnerability concern"
        LEGAL = "legal", "Legal action or possession proceedings under way"
        BEREAVEMENT = "bereavement", "Recent bereavement"
        ASKED = "asked", "Asked not to be contacted for surveys"
        RECENTLY_SURVEYED = "recent", "Surveyed in the last three months"
        OTHER = "other", "Another exceptional reason"

    perception_survey = models.ForeignKey(PerceptionSurvey, on_delete=models.CASCADE, related_name="exclusions")
    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")  # fmt: skip

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["perception_survey", "resident"], name="perception_excluded_once")
        ]

    def __str__(self) -> str:
        return f"{self.resident_id}: {self.get_reason_display()}"
