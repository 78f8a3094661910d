"""Writes about training. Keyword-only, each owns its transaction and audit actor."""

from __future__ import annotations

import datetime
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.permissions import can_act_on
from people.models import Resident
from resources.models import TrainingCourse, TrainingRecord


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def training_record_add(
    *, resident: Resident, course: TrainingCourse, completed_on: datetime.date, actor: Any
) -> TrainingRecord:
    """Record that a resident completed a course. Recording the same course on the same day twice
    returns the first record."""
    if not can_act_on(actor, "resident.edit", resident):
        raise PermissionDenied
    if course.organisation_id != resident.organisation_id:
        raise ValidationError("That course belongs to another landlord.")
    if completed_on > timezone.localdate():
        raise ValidationError("The date the course was completed must be today or in the past.")
    expires_on = _add_months(completed_on, course.valid_for_months) if course.valid_for_months else None
    with transaction.atomic(), set_actor(actor):
        record, _ = TrainingRecord.objects.get_or_create(
            resident=resident,
            course=course,
            completed_on=completed_on,
            defaults={"expires_on": expires_on, "recorded_by": actor if getattr(actor, "pk", None) else None},
        )
    return record
