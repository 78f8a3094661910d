"""Writes for local-offer performance: rebuilding the stored monthly figures from the records,
red/amber/green thresholds, residents' comments on a result, and remedial actions.

`performance_refresh` never loops over records in Python: each kind of record is read with one
GROUP BY query (month in UK local time, area, category and the measure version that set each
record's due moment) with conditional counts, and the few thousand grouped rows are shared out
to the measures they count for. See docs/architecture.md, "How performance figures are worked out".
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    DateField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Min,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from core.permissions import can_act_on
from performance import selectors
from performance.models import (
    AsbCase,
    Figure,
    Hazard,
    MeasureComment,
    PlannedWorkVisit,
    RagThresholds,
    RemedialAction,
    RepairJob,
    StockCount,
)
from standards.models import Event, Measure, MeasureVersion, Subject

UK = ZoneInfo("Europe/London")

# Percentage-of-a-population measures worked out from the facts stored on each completed repair.
# A measure is matched by its code (the Oxford preset's codes; a landlord adding a measure of
# the same meaning uses the same code): (numerator count, denominator count) of the grouped row.
REPAIR_POPULATIONS: dict[str, tuple[str, str]] = {
    "rep-post-inspect": ("post_inspected", "completed"),
    "rep-satisfaction-responses": ("satisfaction_response", "completed"),
    "rep-satisfied": ("satisfied", "satisfaction_response"),
    "rep-appointment-made": ("appointment_made", "appointment_known"),
    "rep-appointment-kept": ("appointment_kept", "appointment_kept_known"),
    "rep-text-confirmation": ("confirmation_sent", "appointment_made"),
    "rep-first-visit-fix": ("first_visit_fix", "first_visit_fix_known"),
}

# Records a count or rate measure counts, by subject: (model, the moment that puts it in a month).
COUNTED: dict[str, tuple[Any, str]] = {
    Subject.REPAIR: (RepairJob, "reported_at"),
    Subject.ASB_CASE: (AsbCase, "reported_at"),
    Subject.HAZARD: (Hazard, "identified_at"),
}


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def _month(queryset: QuerySet[Any], moment: Any) -> Any:
    """The UK-local month of `moment` (a field name or expression) for grouping `queryset`.

    PostgreSQL truncates in the time zone itself. SQLite has no time zones, so Django's
    TruncMonth(tzinfo=...) calls back into Python for every row (20 s at a million jobs). There
    the month is a CASE over the UTC instants at which each UK month starts, from the first to
    the last month in the data: the same answer, worked out inside the database."""
    if connection.vendor != "sqlite":
        return TruncMonth(moment, tzinfo=UK, output_field=DateField())
    expression = F(moment) if isinstance(moment, str) else moment
    span = queryset.aggregate(first=Min(expression), last=Max(expression))
    if span["first"] is None:
        return Value(None, output_field=DateField())
    month = span["first"].astimezone(UK).date().replace(day=1)
    last = span["last"].astimezone(UK).date().replace(day=1)
    starts = []
    while month <= last:
        starts.append(month)
        month = selectors.month_end(month) + datetime.timedelta(days=1)
    return _month_search(expression, starts)


def _month_search(expression: Any, starts: list[datetime.date]) -> Any:
    """A CASE that finds the month of `expression` among `starts` (ascending month starts) by
    halving: about five comparisons a row for two years of months, rather than one per month."""
    if len(starts) == 1:
        return Value(starts[0], output_field=DateField())
    middle = len(starts) // 2
    boundary = datetime.datetime.combine(starts[middle], datetime.time(0), tzinfo=UK)
    return Case(
        When(GreaterThanOrEqual(expression, boundary), then=_month_search(expression, starts[middle:])),
        default=_month_search(expression, starts[:middle]),
        output_field=DateField(),
    )


def _plain(field: str) -> Any:
    """A column as a value, so that SQLite's planner does not walk the table through that
    column's index to group by it (a random read per row: 1.6 s instead of 0.95 s for a million
    jobs); it reads the table in order and sorts the groups instead."""
    return ExpressionWrapper(F(field) + 0, output_field=IntegerField())


Key = tuple[int, datetime.date, int | None, str]  # measure, month, area, category


@dataclass(frozen=True)
class RefreshResult:
    figures: int
    measures: int
    seconds: float


class _Tally:
    """Numerators and denominators keyed by measure, month, area and category."""

    def __init__(self) -> None:
        self.rows: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
        self.measures: set[int] = set()

    def add(self, measure_id: int, month: datetime.date, area: int | None, category: str, n: int, d: int) -> None:
        if not d and not n:
            return
        row = self.rows[(measure_id, month, area, category)]
        row[0] += n
        row[1] += d
        self.measures.add(measure_id)


def _codes(measure: Measure) -> frozenset[str]:
    return frozenset(c.code for c in measure.categories.all())


def _in_force(measure: Measure, month: datetime.date) -> bool:
    """Whether the measure runs in any part of the month."""
    last = selectors.month_end(month)
    return measure.starts_on <= last and (measure.ends_on is None or measure.ends_on >= month)


def _repairs(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    version_measure = dict(
        MeasureVersion.objects.filter(measure__organisation=organisation).values_list("pk", "measure_id")
    )
    populations = [
        (m, REPAIR_POPULATIONS[m.code])
        for m in measures
        if m.subject == Subject.REPAIR and m.kind == Measure.Kind.POPULATION and m.code in REPAIR_POPULATIONS
    ]
    timed = {m.pk for m in measures if m.kind == Measure.Kind.WITHIN_TIMESCALE and m.sets_due}
    # "We will write within four days": judged on each job when it is completed, from the letter
    # moments the import stored (letter_on_time; false when no letter was recorded).
    letters = [
        m
        for m in measures
        if m.subject == Subject.REPAIR
        and m.kind == Measure.Kind.WITHIN_TIMESCALE
        and not m.sets_due
        and any(v.end_event == Event.LETTER_SENT for v in m.versions.all())
    ]
    completed = RepairJob.objects.filter(organisation=organisation, cancelled=False, completed_at__isnull=False)
    rows = (
        completed.annotate(month=_month(completed, "completed_at"), area_key=_plain("area_id"))
        .values("month", "area_key", "category", "due_rule_id")
        .annotate(
            n_completed=Count("id"),
            n_on_time=Count("id", filter=Q(on_time=True)),
            n_post_inspected=Count("id", filter=Q(post_inspected=True)),
            n_satisfaction_response=Count("id", filter=Q(satisfied__isnull=False)),
            n_satisfied=Count("id", filter=Q(satisfied=True)),
            n_appointment_made=Count("id", filter=Q(appointment_made=True)),
            n_appointment_known=Count("id", filter=Q(appointment_made__isnull=False)),
            n_appointment_kept=Count("id", filter=Q(appointment_made=True, appointment_kept=True)),
            n_appointment_kept_known=Count("id", filter=Q(appointment_made=True, appointment_kept__isnull=False)),
            n_confirmation_sent=Count("id", filter=Q(appointment_made=True, letter_sent_at__isnull=False)),
            n_first_visit_fix=Count("id", filter=Q(first_visit_fix=True)),
            n_first_visit_fix_known=Count("id", filter=Q(first_visit_fix__isnull=False)),
            n_letter_on_time=Count("id", filter=Q(letter_on_time=True)),
            n_letter_known=Count("id", filter=Q(letter_on_time__isnull=False)),
        )
        .order_by()
    )
    for found in rows:
        row: dict[str, Any] = dict(found)
        month, area, category = row["month"], row["area_key"], row["category"]
        measure_id = version_measure.get(row["due_rule_id"])
        if measure_id in timed:
            tally.add(measure_id, month, area, category, row["n_on_time"], row["n_completed"])
        for measure in letters:
            codes = _codes(measure)
            if (codes and category not in codes) or not _in_force(measure, month):
                continue
            tally.add(measure.pk, month, area, category, row["n_letter_on_time"], row["n_letter_known"])
        for measure, (num, den) in populations:
            codes = _codes(measure)
            if (codes and category not in codes) or not _in_force(measure, month):
                continue
            tally.add(measure.pk, month, area, category, row["n_" + num], row["n_" + den])


def _timed(
    organisation: Any,
    measures: list[Measure],
    tally: _Tally,
    queryset: QuerySet[Any],
    moment: Any,
    on_time: str,
) -> None:
    """Records whose due moment a measure set: denominator those judged (on time or not),
    numerator those on time, in the month of `moment`."""
    timed = {m.pk for m in measures if m.kind == Measure.Kind.WITHIN_TIMESCALE and m.sets_due}
    if not timed:
        return
    version_measure = dict(
        MeasureVersion.objects.filter(measure__organisation=organisation).values_list("pk", "measure_id")
    )
    judged = queryset.filter(organisation=organisation, **{f"{on_time}__isnull": False})
    rows = (
        judged.annotate(month=_month(judged, moment))
        .values("month", "area_id", "category", "due_rule_id")
        .annotate(d=Count("id"), n=Count("id", filter=Q(**{on_time: True})))
        .order_by()
    )
    for row in rows:
        measure_id = version_measure.get(row["due_rule_id"])
        if measure_id in timed:
            tally.add(measure_id, row["month"], row["area_id"], row["category"], row["n"], row["d"])


def _planned(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    """Homes visited with enough notice before works start, in the month the works start."""
    notice = [m for m in measures if m.subject == Subject.PLANNED_WORK and m.kind == Measure.Kind.WITHIN_TIMESCALE]
    if not notice:
        return
    rows = (
        PlannedWorkVisit.objects.filter(organisation=organisation, enough_notice__isnull=False)
        .annotate(month=TruncMonth("works_start_on"))
        .values("month", "area_id")
        .annotate(d=Count("id"), n=Count("id", filter=Q(enough_notice=True)))
        .order_by()
    )
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        for measure in notice:
            if _in_force(measure, month):
                tally.add(measure.pk, month, row["area_id"], "", row["n"], row["d"])


def _homes_by_month(organisation: Any) -> list[tuple[datetime.date, int]]:
    counts: dict[datetime.date, int] = defaultdict(int)
    for as_at, total in StockCount.objects.filter(organisation=organisation, item=StockCount.Item.HOMES).values_list(
        "as_at", "total"
    ):
        counts[as_at] += total
    return sorted(counts.items())


def _counts(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    """Count and rate measures: records started in the month (reported, identified). A rate's
    denominator is the homes owned as at the latest stock count on or before the month's end."""
    wanted = [m for m in measures if m.kind in (Measure.Kind.COUNT, Measure.Kind.RATE) and m.subject in COUNTED]
    homes = _homes_by_month(organisation) if any(m.kind == Measure.Kind.RATE for m in wanted) else []
    for subject in {m.subject for m in wanted}:
        model, moment = COUNTED[subject]
        qs = model.objects.filter(organisation=organisation)
        if subject == Subject.REPAIR:
            qs = qs.filter(cancelled=False)
        rows = list(
            qs.annotate(month=_month(qs, moment))
            .values("month", "area_id", "category")
            .annotate(n=Count("id"))
            .order_by()
        )
        for measure in (m for m in wanted if m.subject == subject):
            codes = _codes(measure)
            for row in rows:
                month, category = row["month"], row["category"]
                if (codes and category not in codes) or not _in_force(measure, month):
                    continue
                d = 0
                if measure.kind == Measure.Kind.RATE:
                    end = selectors.month_end(month)
                    before = [n for as_at, n in homes if as_at <= end]
                    d = before[-1] if before else 0
                tally.add(measure.pk, month, row["area_id"], category, row["n"], d)


def performance_refresh(*, organisation: Any, actor: Any = None) -> RefreshResult:
    """Rebuild every stored figure of `organisation` from its records, in one transaction (the
    old figures are replaced only when the new ones are all worked out). `actor`, when given,
    must be allowed to load records (performance.import); None is the importer or a command."""
    if actor is not None:
        _require(actor, "performance.import", Figure(organisation=organisation))
    started = time.perf_counter()
    with transaction.atomic():
        _tune_for_grouping()
        figures = _work_out(organisation)
        Figure.objects.filter(organisation=organisation).delete()
        _insert(figures)
    return RefreshResult(
        figures=len(figures),
        measures=len({f.measure_id for f in figures}),
        seconds=round(time.perf_counter() - started, 3),
    )


def _tune_for_grouping() -> None:
    """On PostgreSQL, for this transaction only: room to group a million rows in memory (a hash
    aggregate instead of a sort spilling to disk) and no JIT compilation, which costs more than
    it saves on queries this short."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")


FIGURE_COLUMNS = ("organisation_id", "measure_id", "month", "area_id", "category", "numerator", "denominator")


def _insert(figures: list[Figure]) -> None:
    """Store the new figures: PostgreSQL's COPY (a tenth of the time of INSERTs for thousands of
    rows), otherwise bulk_create."""
    if connection.vendor != "postgresql":
        Figure.objects.bulk_create(figures, batch_size=2000)
        return
    columns = ", ".join((*FIGURE_COLUMNS, "refreshed_at"))
    sql = f"COPY {Figure._meta.db_table} ({columns}) FROM STDIN"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        for f in figures:
            copy.write_row((*(getattr(f, c) for c in FIGURE_COLUMNS), f.refreshed_at))


def _work_out(organisation: Any) -> list[Figure]:
    measures = list(
        Measure.objects.filter(organisation=organisation)
        .exclude(kind=Measure.Kind.MILESTONE)
        .prefetch_related("categories", "versions")
    )
    tally = _Tally()
    _repairs(organisation, measures, tally)
    asb = [m for m in measures if m.subject == Subject.ASB_CASE]
    hazards = [m for m in measures if m.subject == Subject.HAZARD]
    _timed(
        organisation,
        asb,
        tally,
        AsbCase.objects.all(),
        Coalesce("first_contact_at", "closed_at", "reported_at"),
        "contact_on_time",
    )
    _timed(organisation, hazards, tally, Hazard.objects.all(), Coalesce("fixed_at", "identified_at"), "on_time")
    _planned(organisation, measures, tally)
    _counts(organisation, measures, tally)
    now = timezone.now()
    return [
        Figure(
            organisation=organisation,
            measure_id=measure_id,
            month=month,
            area_id=area,
            category=category or "",
            numerator=n,
            denominator=d,
            refreshed_at=now,
        )
        for (measure_id, month, area, category), (n, d) in tally.rows.items()
    ]


# --- Thresholds, comments and remedial actions ------------------------------------------------------


def rag_thresholds_set(*, organisation: Any, actor: Any, amber_points: Decimal) -> RagThresholds:
    """How far below target (in percentage points) a result is amber rather than red."""
    _require(actor, "standards.manage", RagThresholds(organisation=organisation))
    points = Decimal(amber_points)
    if points < 0 or points > 100:
        raise ValidationError({"amber_points": "Enter a number of percentage points from 0 to 100."})
    with transaction.atomic(), set_actor(actor):
        row, _ = RagThresholds.objects.select_for_update().get_or_create(organisation=organisation)
        row.amber_points = points
        row.save()
    return row


def _check_period(start: datetime.date, end: datetime.date) -> None:
    if start > end:
        raise ValidationError("The period must start before it ends.")


def measure_comment_add(
    *,
    measure: Measure,
    actor: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    text: str,
    group: Any = None,
) -> MeasureComment:
    """A comment on one measure's result for one period, by an officer or by a member of a
    monitoring group (the group they speak for must be one of theirs)."""
    _require(actor, "performance.monitor", measure)
    from accounts.models import Role

    if actor.role == Role.INVOLVED_RESIDENT:
        mine = {g.pk for g in selectors.monitoring_groups(user=actor)}
        if not mine:
            raise PermissionDenied
        if group is None or group.pk not in mine:
            raise ValidationError({"group": "Choose one of your groups."})
    elif group is not None and group.organisation_id != measure.organisation_id:
        raise ValidationError({"group": "Choose one of your groups."})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": "Enter your comment."})
    if len(text) > 5000:
        raise ValidationError({"text": "Comment must be 5,000 characters or fewer."})
    _check_period(period_start, period_end)
    with transaction.atomic(), set_actor(actor):
        return MeasureComment.objects.create(
            organisation_id=measure.organisation_id,
            measure=measure,
            period_start=period_start,
            period_end=period_end,
            author=actor,
            group=group,
            text=text,
        )


def remedial_action_open(
    *,
    measure: Measure,
    actor: Any,
    period_start: datetime.date,
    period_end: datetime.date,
    description: str,
    owner: str,
    due_on: datetime.date,
) -> RemedialAction:
    """What the landlord will do about a measure below target in a period. Only a result below
    target (met is False) can have one. (When the action plans capability exists, the action is
    to link to its plan; RemedialAction has no link yet.)"""
    _require(actor, "performance.remedy", measure)
    _check_period(period_start, period_end)
    result = next(
        r
        for r in selectors.measure_results(organisation=measure.organisation, start=period_start, end=period_end)
        if r.measure.pk == measure.pk
    )
    if result.met is not False:
        raise ValidationError("Only a measure below target in the period can have a remedial action.")
    errors = {}
    if not (description or "").strip():
        errors["description"] = "Enter what will be done."
    if not (owner or "").strip():
        errors["owner"] = "Enter who is responsible."
    if due_on < period_start:
        errors["due_on"] = "The due date must be after the start of the period."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        return RemedialAction.objects.create(
            organisation_id=measure.organisation_id,
            measure=measure,
            period_start=period_start,
            period_end=period_end,
            description=description.strip(),
            owner=owner.strip(),
            due_on=due_on,
            opened_by=actor,
        )


def remedial_action_close(*, action: RemedialAction, actor: Any, note: str) -> RemedialAction:
    """Mark a remedial action done, with a note of what was done."""
    _require(actor, "performance.remedy", action)
    if action.status == RemedialAction.Status.DONE:
        raise ValidationError("This action is already closed.")
    if not (note or "").strip():
        raise ValidationError({"note": "Enter what was done."})
    with transaction.atomic(), set_actor(actor):
        action.status = RemedialAction.Status.DONE
        action.done_note = note.strip()
        action.save(update_fields=["status", "done_note"])
    return action
