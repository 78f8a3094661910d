"""Operational records a landlord loads from its housing systems, and the figures worked out
from them against its local offer (the `standards` app) and the Tenant Satisfaction Measures.

Each record keeps the source system's reference (unique per landlord, so loading the same file
again changes nothing), the home it is about and that home's area at the time of loading (kept
on the record so figures group by area without a join over a million rows), and the moments the
local offer measures between. A record's due moment is worked out once, when it is loaded, by
the landlord's working-day calendar from the timescale in force on the day it started
(`standards.selectors.TimescaleTable`), and stored with the measure version that set it, so a
later change of target never rewrites the past. Whether it was on time is stored too: figures
are counts of stored facts, not recomputed per page.

Times are stored as aware datetimes (UTC in the database); files give UK local time.
"""

from __future__ import annotations

import datetime
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from core.calendar import LONDON


def uk_month(moment: datetime.datetime | None) -> datetime.date | None:
    """The first day of the UK local month `moment` falls in."""
    if moment is None:
        return None
    return timezone.localtime(moment, LONDON).date().replace(day=1)


class Stock(models.TextChoices):
    """The regulator's split of homes for the TSM return."""

    LCRA = "lcra", "Low-cost rental"
    LCHO = "lcho", "Low-cost home ownership"


class _Record(models.Model):
    # These tables are loaded a million rows at a time, so their foreign keys have no database
    # constraint: on PostgreSQL each one is a look-up in the other table for every row written
    # (a third of the time of loading a million jobs, measured with psql's \copy). The importer
    # sets every pointer itself from what it has just read, and checks in the commit that the
    # homes and areas it points at still exist (performance.imports); Django still cascades and
    # sets null when what they point at is deleted, as on_delete says.
    # No index on organisation of its own: each table's unique (organisation, reference) starts
    # with it, and every index is another B-tree to update on every insert.
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    reference = models.CharField("reference in the housing system", max_length=60)
    home = models.ForeignKey(
        "people.Home", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", db_constraint=False
    )
    # The home's area when the record was loaded, a copy kept so figures group by area without a
    # join. Nothing looks records up by area, import batch or due rule (the indexes below that
    # name due_rule lead with organisation), so those have no index either.
    area = models.ForeignKey(
        "people.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    stock = models.CharField(max_length=4, choices=Stock.choices, default=Stock.LCRA)
    import_batch = models.ForeignKey(
        "core.ImportBatch",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    updated_at = models.DateTimeField(default=timezone.now)
    # A digest of the row as last loaded (performance.imports), so loading the same file again
    # compares one short value per record instead of every field.
    fingerprint = models.CharField(max_length=16, blank=True, editable=False)

    # {month field: the moment it is the UK local month of}. Figures are counted by month, and
    # working out a UK month inside the database is slow on SQLite (it has no time zones) and
    # not free on PostgreSQL, so each record stores the months it is counted in. The importer
    # writes them with the rest of the row; save() keeps them in step for anything else.
    MONTHS: ClassVar[dict[str, str]] = {}

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        for month, moment in self.MONTHS.items():
            setattr(self, month, uk_month(getattr(self, moment)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, *self.MONTHS}
        super().save(*args, **kwargs)


class RepairJob(_Record):
    """One responsive repairs job."""

    category = models.CharField(max_length=20, help_text="The priority as the housing system writes it, e.g. 1.")
    emergency = models.BooleanField(default=False, help_text="An emergency repair, for TSM RP02(2).")
    description = models.CharField(max_length=300, blank=True)
    reported_at = models.DateTimeField()
    # Worked out once from the timescale in force when it was reported (null: no measure covers it).
    due_at = models.DateTimeField(null=True, blank=True)
    due_rule = models.ForeignKey(
        "standards.MeasureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # see _Record
        db_index=False,
    )
    target_at = models.DateTimeField(
        null=True, blank=True, help_text="The target the housing system itself gave, if the file has one."
    )
    appointment_made = models.BooleanField(null=True, blank=True)
    appointment_kept = models.BooleanField(null=True, blank=True)
    letter_sent_at = models.DateTimeField(null=True, blank=True)
    # From the timescale ending when the appointment is confirmed in writing (null: none covers it).
    letter_due_at = models.DateTimeField(null=True, blank=True)
    # letter_sent_at <= letter_due_at; false when completed with no letter; null when cancelled or not covered.
    letter_on_time = models.BooleanField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    first_visit_fix = models.BooleanField(null=True, blank=True)
    cancelled = models.BooleanField(default=False)
    contractor = models.CharField(max_length=120, blank=True)
    post_inspected = models.BooleanField(null=True, blank=True)
    satisfied = models.BooleanField(null=True, blank=True)
    # completed_at <= due_at; null while open, when cancelled or when nothing sets a due moment.
    on_time = models.BooleanField(null=True, blank=True)
    reported_month = models.DateField(null=True, editable=False)
    completed_month = models.DateField(null=True, editable=False)

    MONTHS = {"reported_month": "reported_at", "completed_month": "completed_at"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_repair_reference_unique"),
            models.CheckConstraint(
                condition=models.Q(completed_at__isnull=True) | models.Q(completed_at__gte=models.F("reported_at")),
                name="perf_repair_completed_after_reported",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "reported_at"], name="perf_repair_org_reported"),
            # Small partial indexes for the measure page's lists: the jobs that missed (a few in a
            # hundred) and the open ones (a few weeks' worth), without reading a million rows.
            models.Index(
                fields=["organisation", "due_rule", "completed_at"],
                condition=models.Q(on_time=False),
                name="perf_repair_missed",
            ),
            models.Index(
                fields=["organisation", "due_rule", "due_at"],
                condition=models.Q(completed_at__isnull=True, cancelled=False),
                name="perf_repair_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Repair {self.reference}"


class AsbCase(_Record):
    """One anti-social behaviour case."""

    category = models.CharField(max_length=20, help_text="ASB category as the housing system writes it, e.g. 1.")
    hate_incident = models.BooleanField(default=False)
    description = models.CharField(max_length=300, blank=True)
    reported_at = models.DateTimeField()
    first_contact_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    contact_due_at = models.DateTimeField(null=True, blank=True)
    due_rule = models.ForeignKey(
        "standards.MeasureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # see _Record
        db_index=False,
    )
    contact_on_time = models.BooleanField(null=True, blank=True)
    reported_month = models.DateField(null=True, editable=False)
    contact_month = models.DateField(null=True, editable=False)

    MONTHS = {"reported_month": "reported_at", "contact_month": "first_contact_at"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_asb_reference_unique"),
        ]
        indexes = [
            models.Index(fields=["organisation", "reported_at"], name="perf_asb_org_reported"),
            models.Index(
                fields=["organisation", "due_rule", "first_contact_at"],
                condition=models.Q(contact_on_time=False),
                name="perf_asb_missed",
            ),
            models.Index(
                fields=["organisation", "due_rule", "contact_due_at"],
                condition=models.Q(first_contact_at__isnull=True),
                name="perf_asb_open",
            ),
        ]

    def __str__(self) -> str:
        return f"ASB case {self.reference}"


class PlannedWorkVisit(_Record):
    """A visit to a home before planned works start (the offer promises one 7 days before)."""

    programme = models.CharField(max_length=120, blank=True)
    works_start_on = models.DateField()
    visited_on = models.DateField(null=True, blank=True)
    enough_notice = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_visit_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"Planned works visit {self.reference}"


class Hazard(_Record):
    """A Housing Health and Safety Rating System hazard found in a home."""

    category = models.CharField(max_length=20, help_text="HHSRS category: 1 or 2.")
    hazard_type = models.CharField(max_length=120, blank=True)
    identified_at = models.DateTimeField()
    fixed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    due_rule = models.ForeignKey(
        "standards.MeasureVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        db_constraint=False,  # see _Record
        db_index=False,
    )
    on_time = models.BooleanField(null=True, blank=True)
    identified_month = models.DateField(null=True, editable=False)
    fixed_month = models.DateField(null=True, editable=False)

    MONTHS = {"identified_month": "identified_at", "fixed_month": "fixed_at"}

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_hazard_reference_unique"),
        ]
        indexes = [
            models.Index(
                fields=["organisation", "due_rule", "fixed_at"],
                condition=models.Q(on_time=False),
                name="perf_hazard_missed",
            ),
            models.Index(
                fields=["organisation", "due_rule", "due_at"],
                condition=models.Q(fixed_at__isnull=True),
                name="perf_hazard_open",
            ),
        ]

    def __str__(self) -> str:
        return f"Hazard {self.reference}"


class SampleCheck(_Record):
    """One check of a promise on a sample of the work: a post-inspection, a mystery shop, a
    question in a satisfaction survey ("Did they leave the work area clean and tidy?"). A measure
    of kind "percentage of a sample" is the share of its checks that passed."""

    measure = models.ForeignKey("standards.Measure", on_delete=models.CASCADE, related_name="+")
    checked_on = models.DateField()
    passed = models.BooleanField()
    method = models.CharField("how it was checked", max_length=60, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_sample_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"Sample check {self.reference}"


class NeighbourhoodVisit(_Record):
    """A visit by a housing officer to one of the landlord's neighbourhoods ("we will visit each
    neighbourhood twice a week"). Its area is the neighbourhood's top-level area; it has no home."""

    neighbourhood = models.ForeignKey(
        "people.Area",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,  # see _Record
    )
    visited_on = models.DateField()
    officer = models.CharField(max_length=120, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "reference"], name="perf_patrol_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"Neighbourhood visit {self.reference}"


class StockCount(models.Model):
    """A count as at a date that the TSM return needs and no record-by-record file gives: homes
    owned, homes failing the Decent Homes Standard, and the building-safety checks (how many homes
    or buildings needed one, how many had it)."""

    class Item(models.TextChoices):
        HOMES = "homes", "Homes owned (the denominator of rates per 1,000 homes)"
        NOT_DECENT = "rp01", "RP01 homes that do not meet the Decent Homes Standard"
        GAS = "bs01", "BS01 gas safety checks"
        FIRE = "bs02", "BS02 fire risk assessments"
        ASBESTOS = "bs03", "BS03 asbestos management surveys or re-inspections"
        WATER = "bs04", "BS04 legionella risk assessments"
        LIFTS = "bs05", "BS05 communal passenger lift safety checks"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    as_at = models.DateField()
    item = models.CharField(max_length=10, choices=Item.choices)
    stock = models.CharField(max_length=4, choices=Stock.choices, default=Stock.LCRA)
    # For HOMES, `total` is the number of homes and `count` is unused (equal to total).
    total = models.PositiveIntegerField(help_text="Homes or buildings that needed it (the denominator).")
    count = models.PositiveIntegerField(help_text="How many had it, or failed (the numerator).")
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-as_at", "item", "stock"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "as_at", "item", "stock"], name="perf_count_unique"),
            models.CheckConstraint(condition=models.Q(count__lte=models.F("total")), name="perf_count_within_total"),
        ]

    def __str__(self) -> str:
        return f"{self.get_item_display()} at {self.as_at}"


class ComplaintCount(models.Model):
    """Complaints received and answered in a reporting year, for TSM CH01 and CH02, until the
    complaints capability records each case (then its figures come from the cases)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    year_starting = models.PositiveSmallIntegerField(help_text="The year the reporting year starts: 2024 is 2024/25.")
    stock = models.CharField(max_length=4, choices=Stock.choices, default=Stock.LCRA)
    stage = models.PositiveSmallIntegerField(choices=[(1, "Stage 1"), (2, "Stage 2")])
    received = models.PositiveIntegerField()
    answered = models.PositiveIntegerField(help_text="Complaints answered in the year.")
    in_time = models.PositiveIntegerField(help_text="Answered within the Code's timescale without an extension.")
    in_time_extended = models.PositiveIntegerField(default=0, help_text="Answered in time only with an extension.")
    import_batch = models.ForeignKey(
        "core.ImportBatch", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year_starting", "stock", "stage"], name="perf_complaint_count_unique"
            ),
        ]


class Figure(models.Model):
    """One measure's numerator and denominator for one month, area and category: the stored
    result of `performance_refresh`. Any period (quarter, year, custom months) is a sum of months,
    so pages read a few hundred of these rows, never the records. Area null is "no area known"."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey("standards.Measure", on_delete=models.CASCADE, related_name="figures")
    month = models.DateField(help_text="The first day of the month.")
    area = models.ForeignKey("people.Area", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20, blank=True)
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["organisation", "measure", "month"], name="perf_figure_lookup")]


class RagThresholds(models.Model):
    """When a result is green, amber or red. Green: at or above target. Amber: within
    `amber_points` percentage points below it. Red: further below."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="+")
    amber_points = models.DecimalField(max_digits=5, decimal_places=2, default=5)


class MeasureComment(models.Model):
    """A comment by a tenant review group member, scrutiny panel member or officer on one
    measure's result for one period."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey("standards.Measure", on_delete=models.CASCADE, related_name="comments")
    period_start = models.DateField()
    period_end = models.DateField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    group = models.ForeignKey("groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]


class RemedialAction(models.Model):
    """What the landlord will do about a measure below target."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        DONE = "done", "Done"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    measure = models.ForeignKey("standards.Measure", on_delete=models.CASCADE, related_name="remedial_actions")
    period_start = models.DateField()
    period_end = models.DateField()
    description = models.TextField()
    owner = models.CharField(max_length=120)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    done_note = models.TextField(blank=True)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]
