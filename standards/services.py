"""Writes for local offers. Keyword-only; each checks the one permission policy, owns its
transaction and records the acting user in the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from core.calendar import shift_months
from core.permissions import can_act_on
from core.uploads import check_attachment
from standards.models import (
    CaseType,
    Category,
    Commitment,
    Measure,
    MeasureVersion,
    MilestoneEvidence,
    ServiceArea,
)
from standards.presets import PRESETS, MeasureSpec

# What a version holds; everything else about a measure stays the same across versions.
VERSION_FIELDS = (
    "target",
    "target_text",
    "timescale_amount",
    "timescale_unit",
    "start_event",
    "end_event",
    "timescale_rule",
    "times",
    "per_period",
    "due_on",
)
TIMESCALE_FIELDS = ("timescale_amount", "timescale_unit", "start_event", "end_event")
COMMITMENT_FIELDS = ("theme", "promise")


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


# --- Checking what a version asks for ------------------------------------------------------------


def check_version_values(kind: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The version's fields, cleaned, or a ValidationError naming each field that is wrong for
    this type of measure."""
    v: dict[str, Any] = {name: values.get(name) for name in VERSION_FIELDS}
    for name in ("target_text", "timescale_unit", "start_event", "end_event", "timescale_rule", "per_period"):
        v[name] = (v[name] or "").strip()
    errors: dict[str, str] = {}
    target: Decimal | None = v["target"]
    has_timescale = any(v[name] for name in TIMESCALE_FIELDS)

    if kind == Measure.Kind.MILESTONE:
        if v["due_on"] is None:
            errors["due_on"] = "Enter the date the milestone is due"
        if target is not None:
            errors["target"] = "A milestone has a due date, not a number to reach: leave the target blank"
    else:
        if v["due_on"] is not None:
            errors["due_on"] = "Only a milestone has a due date"
        if target is None and not v["target_text"]:
            errors["target"] = "Enter the target"
        elif target is not None and kind in Measure.PERCENTAGE_KINDS and not (0 <= target <= 100):
            errors["target"] = "A percentage target must be between 0 and 100"
        elif target is not None and target < 0:
            errors["target"] = "The target cannot be less than 0"

    if kind == Measure.Kind.WITHIN_TIMESCALE:
        if not v["timescale_amount"]:
            errors["timescale_amount"] = "Enter the timescale, for example 3"
        elif v["timescale_amount"] < 1:
            errors["timescale_amount"] = "The timescale must be at least 1"
        if not v["timescale_unit"]:
            errors["timescale_unit"] = "Choose hours, working days or calendar days"
        if not v["start_event"]:
            errors["start_event"] = "Choose when the timescale starts"
        if not v["end_event"]:
            errors["end_event"] = "Choose when the timescale ends"
        elif v["end_event"] == v["start_event"]:
            errors["end_event"] = "The timescale must end at a different moment from the one it starts at"
        v["timescale_rule"] = v["timescale_rule"] or "within"
    elif has_timescale:
        errors["timescale_amount"] = "Only a percentage of cases within a timescale has a timescale: leave it blank"
    else:
        v["timescale_rule"] = ""

    if kind in (Measure.Kind.COUNT, Measure.Kind.RATE) and target is not None and not v["per_period"]:
        errors["per_period"] = "Choose the period the count is over, for example a quarter"
    if v["times"] and not v["per_period"]:
        errors["per_period"] = "Choose how often, for example a week"
    if errors:
        raise ValidationError(errors)
    return v


# --- The preset -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PresetResult:
    service_areas: int
    commitments: int
    measures: int
    categories: int
    case_types: int

    @property
    def total(self) -> int:
        return self.service_areas + self.commitments + self.measures + self.categories + self.case_types


def local_offer_load_preset(
    *, organisation: Any, actor: Any, preset: str = "oxford-2014", starts_on: datetime.date | None = None
) -> PresetResult:
    """Add a ready-made local offer to the organisation's catalogue. Only what is missing is
    added (matched by code), so loading twice adds nothing and never overwrites a change made
    since. `starts_on` moves every date of the preset by whole months so the offer starts in
    that month (the demo uses it); by default the preset keeps its own dates."""
    _require(actor, "standards.manage", ServiceArea(organisation=organisation))
    spec = PRESETS.get(preset)
    if spec is None:
        raise ValidationError({"preset": "Choose a local offer to load"})
    shift = 0
    if starts_on is not None:
        shift = (starts_on.year - spec.starts_on.year) * 12 + starts_on.month - spec.starts_on.month

    def moved(day: datetime.date | None) -> datetime.date | None:
        return None if day is None else shift_months(day, shift)

    counts = {"service_areas": 0, "commitments": 0, "measures": 0, "categories": 0, "case_types": 0}
    recorder = actor if getattr(actor, "pk", None) else None
    with transaction.atomic(), set_actor(actor):
        categories: dict[tuple[str, str], Category] = {
            (c.subject, c.code): c for c in Category.objects.filter(organisation=organisation)
        }
        for cat in spec.categories:
            category = categories.get((cat.subject, cat.code))
            if category is None:
                category = Category.objects.create(
                    organisation=organisation, subject=cat.subject, code=cat.code, name=cat.name
                )
                categories[(cat.subject, cat.code)] = category
                counts["categories"] += 1
            known = set(category.case_types.values_list("name", flat=True))
            for position, (name, keywords) in enumerate(cat.types, start=1):
                if name not in known:
                    CaseType.objects.create(
                        organisation=organisation, category=category, name=name, keywords=keywords, position=position
                    )
                    counts["case_types"] += 1

        areas = {a.code: a for a in ServiceArea.objects.filter(organisation=organisation)}
        commitments = {c.code: c for c in Commitment.objects.filter(organisation=organisation)}
        measure_codes = set(Measure.objects.filter(organisation=organisation).values_list("code", flat=True))
        for area_position, area_spec in enumerate(spec.areas, start=1):
            area = areas.get(area_spec.code)
            if area is None:
                area = ServiceArea.objects.create(
                    organisation=organisation, code=area_spec.code, name=area_spec.name, position=area_position
                )
                counts["service_areas"] += 1
            for c_position, c_spec in enumerate(area_spec.commitments, start=1):
                commitment = commitments.get(c_spec.code)
                if commitment is None:
                    commitment = Commitment.objects.create(
                        organisation=organisation,
                        service_area=area,
                        code=c_spec.code,
                        theme=c_spec.theme,
                        promise=c_spec.promise,
                        position=c_position,
                    )
                    counts["commitments"] += 1
                for m_position, m_spec in enumerate(c_spec.measures, start=1):
                    if m_spec.code in measure_codes:
                        continue
                    _create_preset_measure(
                        organisation=organisation,
                        commitment=commitment,
                        spec=m_spec,
                        position=m_position,
                        starts_on=moved(spec.starts_on),  # type: ignore[arg-type]
                        ends_on=moved(spec.ends_on),
                        moved=moved,
                        categories=categories,
                        preset_title=spec.title,
                        recorder=recorder,
                    )
                    measure_codes.add(m_spec.code)
                    counts["measures"] += 1
    return PresetResult(**counts)


def _create_preset_measure(
    *,
    organisation: Any,
    commitment: Commitment,
    spec: MeasureSpec,
    position: int,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    moved: Any,
    categories: dict[tuple[str, str], Category],
    preset_title: str,
    recorder: Any,
) -> Measure:
    due_on = moved(spec.due)
    # A milestone due before the offer began (the seed's stock survey) runs from its due date.
    measure_start = min(starts_on, due_on) if due_on else starts_on
    measure = Measure.objects.create(
        organisation=organisation,
        commitment=commitment,
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        subject=spec.subject,
        sets_due=spec.sets_due,
        how_measured=spec.how,
        starts_on=measure_start,
        ends_on=ends_on,
        position=position,
    )
    if spec.categories:
        measure.categories.set([categories[(spec.subject, code)] for code in spec.categories])
    values = check_version_values(
        spec.kind,
        {
            "target": spec.target,
            "target_text": spec.target_text,
            "timescale_amount": spec.amount,
            "timescale_unit": spec.unit,
            "start_event": spec.start,
            "end_event": spec.end,
            "timescale_rule": spec.rule,
            "times": spec.times,
            "per_period": spec.per,
            "due_on": due_on,
        },
    )
    MeasureVersion.objects.create(
        measure=measure,
        number=1,
        effective_from=measure_start,
        reason=f"Loaded from the {preset_title}.",
        created_by=recorder,
        **values,
    )
    if spec.done is not None:
        done_on, note = spec.done
        MilestoneEvidence.objects.create(measure=measure, done_on=moved(done_on), note=note, recorded_by=recorder)
    return measure


# --- Changing the catalogue -----------------------------------------------------------------------


def commitment_update(*, commitment: Commitment, actor: Any, values: Mapping[str, Any]) -> Commitment:
    """Change a commitment's wording or heading. The audit log keeps the earlier words."""
    _require(actor, "standards.manage", commitment)
    promise = " ".join(str(values.get("promise") or "").split())
    if not promise:
        raise ValidationError({"promise": "Enter the promise as residents were given it"})
    with transaction.atomic(), set_actor(actor):
        commitment.theme = str(values.get("theme") or "").strip()
        commitment.promise = promise
        commitment.full_clean()
        commitment.save()
    return commitment


def measure_version_add(
    *,
    measure: Measure,
    actor: Any,
    effective_from: datetime.date,
    values: Mapping[str, Any],
    reason: str,
) -> MeasureVersion:
    """A new target, timescale or due date for a measure, in force from `effective_from`.
    Earlier versions stay as they were, so figures for earlier periods keep using them."""
    _require(actor, "standards.manage", measure)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the measure is changing, for example who agreed it and when"})
    cleaned = check_version_values(measure.kind, values)
    if measure.ends_on is not None and effective_from > measure.ends_on:
        raise ValidationError(
            {"effective_from": f"The measure ends on {measure.ends_on:%-d %B %Y}: a change must start by then"}
        )
    with transaction.atomic(), set_actor(actor):
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        latest = locked.versions.order_by("-effective_from").first()
        if latest is not None:
            if effective_from <= latest.effective_from:
                raise ValidationError(
                    {
                        "effective_from": "A change must take effect after the version in force from "
                        f"{latest.effective_from:%-d %B %Y}"
                    }
                )
            if all(getattr(latest, name) == cleaned[name] for name in VERSION_FIELDS):
                raise ValidationError("Nothing has changed: change the target, the timescale or the due date")
        return MeasureVersion.objects.create(
            measure=locked,
            number=(latest.number + 1) if latest else 1,
            effective_from=effective_from,
            reason=reason,
            created_by=actor if getattr(actor, "pk", None) else None,
            **cleaned,
        )


# --- Milestones -------------------------------------------------------------------------------------


def milestone_complete(
    *,
    measure: Measure,
    actor: Any,
    done_on: datetime.date,
    evidence_note: str,
    file: UploadedFile | None = None,
) -> MilestoneEvidence:
    """Record a dated commitment as delivered, with what shows it was (a note, and a file if
    there is one, checked by what it is rather than what it is called)."""
    _require(actor, "milestone.update", measure)
    if measure.kind != Measure.Kind.MILESTONE:
        raise ValidationError("Only a milestone can be recorded as done")
    note = evidence_note.strip()
    errors: dict[str, str] = {}
    if not note:
        errors["evidence_note"] = "Say what shows the milestone was delivered"
    if done_on > timezone.localdate():
        errors["done_on"] = "The date it was done must be today or in the past"
    if file is not None:
        try:
            check_attachment(file)
        except ValidationError as exc:
            errors["file"] = " ".join(exc.messages)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if MilestoneEvidence.objects.filter(measure=locked).exists():
            raise ValidationError("This milestone is already recorded as done")
        evidence = MilestoneEvidence(
            measure=locked,
            done_on=done_on,
            note=note,
            recorded_by=actor if getattr(actor, "pk", None) else None,
        )
        if file is not None:
            evidence.original_name = (file.name or "evidence")[:255]
            evidence.file.save(file.name or "evidence", file, save=False)
        evidence.save()
    return evidence
