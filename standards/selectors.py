"""Reads for local offers. Staff reads are scoped by the one permission policy; the timescale
look-ups take the organisation explicitly, for importers that run without a signed-in user."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from core.calendar import WorkingCalendar
from core.permissions import scope
from standards.models import (
    CaseType,
    Category,
    Commitment,
    Measure,
    MeasureVersion,
    MilestoneEvidence,
    MilestoneStatus,
    ServiceArea,
    Subject,
    Unit,
    milestone_status,
)

# A milestone due within this many days is flagged as due soon.
DUE_SOON_DAYS = 30


def _get(queryset: QuerySet[Any], pk: int) -> Any:
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        # The same answer for "not there" and "another landlord's", so ids leak nothing.
        raise Http404
    return obj


# --- Versions ---------------------------------------------------------------------------------------


def _versions(measure: Measure) -> list[MeasureVersion]:
    cache = getattr(measure, "_prefetched_objects_cache", {})
    if "versions" in cache:
        return sorted(cache["versions"], key=lambda v: v.effective_from)
    return list(measure.versions.order_by("effective_from"))


def measure_version_on(measure: Measure, on: datetime.date) -> MeasureVersion | None:
    """The version in force on `on`: the latest that took effect on or before it. None before
    the measure's first version took effect. Uses prefetched versions when there are any."""
    found = None
    for version in _versions(measure):
        if version.effective_from <= on:
            found = version
        else:
            break
    return found


def current_version(measure: Measure, today: datetime.date | None = None) -> MeasureVersion | None:
    """The version in force today, or (for a measure not yet started) its first version."""
    day = today or timezone.localdate()
    versions = _versions(measure)
    return measure_version_on(measure, day) or (versions[0] if versions else None)


# --- Timescales for operational records ---------------------------------------------------------------


@dataclass(frozen=True)
class Timescale:
    amount: int
    unit: str
    start_event: str
    end_event: str
    rule: str
    measure_id: int
    measure_code: str
    version_id: int
    effective_from: datetime.date

    def due_at(self, started_at: datetime.datetime, calendar: WorkingCalendar) -> datetime.datetime:
        """The moment a record started at `started_at` is due, by the landlord's calendar:
        hours are elapsed hours; working days follow the calendar's receipt rule (day 0 or day 1,
        out-of-hours reports counted from the next working day) and end at midnight after the
        due day; calendar days count from the local date of `started_at`, ending at midnight."""
        if self.unit == Unit.HOURS:
            return calendar.add_hours(started_at, self.amount)
        if self.unit == Unit.WORKING_DAYS:
            day = calendar.due_date(started_at, self.amount)
        else:
            day = started_at.astimezone(calendar.tz).date() + datetime.timedelta(days=self.amount)
        end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0), tzinfo=calendar.tz)
        return end - datetime.timedelta(microseconds=1)


class TimescaleTable:
    """Every timescale of one kind of record for one landlord, read once and answered from
    memory, so an importer can ask for each of a million rows without a query each."""

    def __init__(self, measures: list[Measure]) -> None:
        self._entries: list[tuple[Measure, frozenset[str], list[MeasureVersion]]] = [
            (m, frozenset(c.code for c in m.categories.all()), _versions(m)) for m in measures
        ]

    def on(self, category: str, day: datetime.date, *, end_event: str | None = None) -> Timescale | None:
        code = str(category).strip()
        for measure, codes, versions in self._entries:
            if codes and code not in codes:
                continue
            if end_event is None and not measure.sets_due:
                continue
            if day < measure.starts_on or (measure.ends_on is not None and day > measure.ends_on):
                continue
            version = None
            for v in versions:
                if v.effective_from <= day:
                    version = v
            if version is None or not version.timescale_amount:
                continue
            if end_event is not None and version.end_event != end_event:
                continue
            return Timescale(
                amount=version.timescale_amount,
                unit=version.timescale_unit,
                start_event=version.start_event,
                end_event=version.end_event,
                rule=version.timescale_rule,
                measure_id=measure.pk,
                measure_code=measure.code,
                version_id=version.pk,
                effective_from=version.effective_from,
            )
        return None


def timescale_table(*, organisation: Any, subject: str) -> TimescaleTable:
    measures = (
        Measure.objects.filter(organisation=organisation, subject=subject, kind=Measure.Kind.WITHIN_TIMESCALE)
        .prefetch_related("categories", "versions")
        .order_by("-sets_due", "position", "id")
    )
    return TimescaleTable(list(measures))


def timescale_for(
    *,
    organisation: Any,
    subject: str,
    category: str | Category,
    on: datetime.date,
    end_event: str | None = None,
) -> Timescale | None:
    """The timescale that applies to a record of `subject` (e.g. "repair") in `category` (its
    code, e.g. "2") started on `on`: by default the one that sets the record's due moment (for
    repairs category 2, 3 working days from reported to completed); with `end_event` the one
    ending at that event (e.g. "letter_sent"). None when no measure covers it on that date."""
    code = category.code if isinstance(category, Category) else category
    return timescale_table(organisation=organisation, subject=subject).on(code, on, end_event=end_event)


# --- The catalogue ---------------------------------------------------------------------------------


def _measures_with_versions() -> QuerySet[Measure]:
    return Measure.objects.prefetch_related(
        Prefetch("versions", queryset=MeasureVersion.objects.order_by("effective_from")),
        Prefetch("categories", queryset=Category.objects.order_by("code")),
    ).select_related("evidence")


def local_offer(*, user: Any, today: datetime.date | None = None) -> list[ServiceArea]:
    """Service areas, their commitments and measures, each measure with `current` (the version
    in force today) and `version_count`. Five queries however large the offer."""
    return _offer(scope(ServiceArea.objects.all(), user, "standards.view"), today or timezone.localdate())


def published_local_offer(*, organisation: Any, today: datetime.date | None = None) -> list[ServiceArea]:
    """The same as `local_offer`, for anyone: a landlord's offer is a promise made in public, so
    the public performance pages and open data read it by organisation, without a user."""
    return _offer(ServiceArea.objects.filter(organisation=organisation), today or timezone.localdate())


def _offer(queryset: QuerySet[ServiceArea], day: datetime.date) -> list[ServiceArea]:
    areas = list(
        queryset.prefetch_related(
            Prefetch(
                "commitments",
                queryset=Commitment.objects.order_by("position", "id").prefetch_related(
                    Prefetch("measures", queryset=_measures_with_versions().order_by("position", "id"))
                ),
            )
        )
    )
    for area in areas:
        for commitment in area.commitments.all():
            for measure in commitment.measures.all():
                _annotate(measure, day)
    return areas


def _annotate(measure: Measure, day: datetime.date) -> Measure:
    versions = _versions(measure)
    measure.current = current_version(measure, day)  # type: ignore[attr-defined]
    measure.version_count = len(versions)  # type: ignore[attr-defined]
    if measure.kind == Measure.Kind.MILESTONE:
        evidence = _evidence(measure)
        due_on = measure.current.due_on if measure.current else None  # type: ignore[attr-defined]
        status = milestone_status(due_on=due_on, done=evidence is not None, today=day)
        late = 0
        if status == MilestoneStatus.OVERDUE and due_on:
            late = (day - due_on).days
        elif evidence is not None and due_on and evidence.done_on > due_on:
            late = (evidence.done_on - due_on).days
        measure.status = status  # type: ignore[attr-defined]
        measure.due_on = due_on  # type: ignore[attr-defined]
        measure.days_left = (due_on - day).days if due_on else None  # type: ignore[attr-defined]
        measure.due_soon = (  # type: ignore[attr-defined]
            status == MilestoneStatus.DUE and due_on is not None and (due_on - day).days <= DUE_SOON_DAYS
        )
        measure.days_late = late  # type: ignore[attr-defined]
    return measure


def _evidence(measure: Measure) -> MilestoneEvidence | None:
    try:
        return measure.evidence
    except MilestoneEvidence.DoesNotExist:
        return None


def measure_get(*, user: Any, pk: int, action: str = "standards.view", today: datetime.date | None = None) -> Measure:
    queryset = scope(_measures_with_versions(), user, action).select_related("commitment__service_area")
    return _annotate(_get(queryset, pk), today or timezone.localdate())


def published_measure_get(*, organisation: Any, pk: int, today: datetime.date | None = None) -> Measure:
    """One measure of a landlord's offer, for anyone (see `published_local_offer`)."""
    queryset = _measures_with_versions().filter(organisation=organisation).select_related("commitment__service_area")
    return _annotate(_get(queryset, pk), today or timezone.localdate())


def commitment_get(*, user: Any, pk: int, action: str = "standards.view") -> Commitment:
    return _get(scope(Commitment.objects.select_related("service_area"), user, action), pk)


def milestone_get(*, user: Any, pk: int, action: str = "standards.view") -> Measure:
    measure = measure_get(user=user, pk=pk, action=action)
    if measure.kind != Measure.Kind.MILESTONE:
        raise Http404
    return measure


@dataclass(frozen=True)
class MilestoneCounts:
    due: int
    done: int
    overdue: int


def milestone_list(
    *, user: Any, status: str = "", today: datetime.date | None = None
) -> tuple[list[Measure], MilestoneCounts]:
    """Every milestone with its status (due, done or overdue), soonest due first; and how many
    of each there are before filtering by `status`."""
    day = today or timezone.localdate()
    measures = [
        _annotate(m, day)
        for m in scope(_measures_with_versions(), user, "standards.view")
        .filter(kind=Measure.Kind.MILESTONE)
        .select_related("commitment__service_area")
    ]
    counts = MilestoneCounts(
        due=sum(m.status == MilestoneStatus.DUE for m in measures),  # type: ignore[attr-defined]
        done=sum(m.status == MilestoneStatus.DONE for m in measures),  # type: ignore[attr-defined]
        overdue=sum(m.status == MilestoneStatus.OVERDUE for m in measures),  # type: ignore[attr-defined]
    )
    if status:
        measures = [m for m in measures if m.status == status]  # type: ignore[attr-defined]
    measures.sort(key=lambda m: (m.due_on or datetime.date.max, m.pk))  # type: ignore[attr-defined]
    return measures, counts


def has_offer(*, user: Any) -> bool:
    return scope(ServiceArea.objects.all(), user, "standards.view").exists()


# --- Categories and classifying a case -------------------------------------------------------------------


def category_list(*, user: Any, subject: str = Subject.ASB_CASE) -> list[Category]:
    return list(
        scope(Category.objects.all(), user, "standards.view")
        .filter(subject=subject)
        .prefetch_related(Prefetch("case_types", queryset=CaseType.objects.order_by("position", "id")))
        .order_by("code")
    )


@dataclass(frozen=True)
class Classification:
    category: Category
    case_types: tuple[CaseType, ...]
    # "type" when a listed type was chosen; "keyword" when words of the description matched.
    by: str


def _matches(keyword: str, text: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(keyword)}(?!\w)", text) is not None


def category_for(
    *,
    organisation: Any,
    subject: str = Subject.ASB_CASE,
    case_type: CaseType | int | None = None,
    text: str = "",
) -> Classification | None:
    """Which category a case falls in: from a chosen type of the landlord's list, or else from
    words in its description matched against each type's name and keywords. When words match
    types in more than one category the most urgent category (the lowest number) wins, because
    a case treated as more urgent than it is does less harm; the matching types are returned so
    staff can check. None when nothing matches."""
    types = CaseType.objects.filter(organisation=organisation, category__subject=subject).select_related("category")
    if case_type is not None:
        pk = case_type.pk if isinstance(case_type, CaseType) else case_type
        chosen = types.filter(pk=pk).first()
        if chosen is None:
            return None
        return Classification(category=chosen.category, case_types=(chosen,), by="type")
    words = " ".join(text.lower().split())
    if not words:
        return None
    matched = [t for t in types if _matches(t.name.lower(), words) or any(_matches(k, words) for k in t.keyword_list)]
    if not matched:
        return None
    best = min(matched, key=lambda t: (t.category.code, t.position))
    return Classification(
        category=best.category,
        case_types=tuple(t for t in matched if t.category_id == best.category_id),
        by="keyword",
    )


def asb_category_for(*, organisation: Any, case_type: CaseType | int | None = None, text: str = "") -> Category | None:
    """The ASB category of a case (1, 2 or 3 in the Oxford offer): shorthand for category_for."""
    found = category_for(organisation=organisation, subject=Subject.ASB_CASE, case_type=case_type, text=text)
    return found.category if found else None
