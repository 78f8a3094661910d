"""Writes for local-offer performance: rebuilding the stored monthly figures from the records,
red/amber/green thresholds, residents' comments on a result, and remedial actions.

`performance_refresh` never loops over records in Python: each kind of record is read with one
GROUP BY query (the UK local month stored on each record, area, category and the measure
version that set its due moment) with conditional counts, and the few thousand grouped rows are shared out
to the measures they count for. See docs/architecture.md, "How performance figures are worked out".
"""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    IntegerField,
    Q,
    QuerySet,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone

from core.machine import cores
from core.permissions import can_act_on
from people.selectors import neighbourhoods
from performance import selectors
from performance.models import (
    AsbCase,
    Figure,
    Hazard,
    MeasureComment,
    NeighbourhoodVisit,
    PlannedWorkVisit,
    RagThresholds,
    RemedialAction,
    RepairJob,
    SampleCheck,
    StockCount,
)
from standards.models import Event, Measure, MeasureVersion, Subject
from standards.selectors import measure_version_on

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

# Records a count or rate measure counts, by subject: (model, the stored month that puts it in a
# month: the one it was reported or found in).
COUNTED: dict[str, tuple[Any, str]] = {
    Subject.REPAIR: (RepairJob, "reported_month"),
    Subject.ASB_CASE: (AsbCase, "reported_month"),
    Subject.HAZARD: (Hazard, "identified_month"),
}


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def _plain(field: str) -> Any:
    """A column as a value, so that SQLite's planner does not walk the table through that
    column's index to group by it (a random read per row: 1.6 s instead of 0.95 s for a million
    jobs); it reads the table in order and sorts the groups instead."""
    return ExpressionWrapper(F(field) + 0, output_field=IntegerField())


# On SQLite a GROUP BY sorts its rows on one core, and sorting the 840,000 completed jobs of a
# million was most of a refresh. So a grouping over a table this big is run in id ranges by one
# thread per core, each on its own connection, and the grouped rows are added together (every
# figure is a sum of counts). Only outside a transaction: the threads see committed records only.
# PostgreSQL runs its own parallel workers.
SPLIT_GROUPING_ROWS = 200_000
MAX_GROUPING_THREADS = 4


def _threads() -> int:
    return min(cores(), MAX_GROUPING_THREADS)


def _can_split_groupings() -> bool:
    return connection.vendor == "sqlite" and not connection.in_atomic_block and _threads() > 1


def _grouped(
    queryset: QuerySet[Any], build: Callable[[QuerySet[Any]], QuerySet[Any]], keys: tuple[str, ...], *, split: bool
) -> list[dict[str, Any]]:
    """The rows of build(queryset), a query grouped by `keys` whose other columns are counts.
    With `split`, worked out in id ranges side by side when the table is big enough to gain from
    it, and the ranges' counts for the same group added up: the same rows either way."""
    if split:
        # Two look-ups, not one query with MIN and MAX: SQLite reads the whole table for that.
        ids = queryset.model._base_manager.order_by("pk").values_list("pk", flat=True)
        first, highest = ids.first(), ids.last()
        if first is not None and highest is not None and highest - first >= SPLIT_GROUPING_ROWS:
            last, threads = highest + 1, _threads()
            cuts = [first + (last - first) * k // threads for k in range(threads + 1)]

            def part(bounds: tuple[int, int]) -> list[Any]:
                try:
                    return list(build(queryset.filter(pk__gte=bounds[0], pk__lt=bounds[1])))
                finally:
                    connections[queryset.db].close()  # this thread's own connection

            with ThreadPoolExecutor(threads) as pool:
                parts = list(pool.map(part, zip(cuts, cuts[1:], strict=False)))
            merged: dict[tuple[Any, ...], dict[str, Any]] = {}
            for rows in parts:
                for row in rows:
                    group = tuple(row[k] for k in keys)
                    found = merged.get(group)
                    if found is None:
                        merged[group] = dict(row)
                    else:
                        for name, value in row.items():
                            if name not in keys:
                                found[name] += value
            return list(merged.values())
    return list(build(queryset))


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


def _repair_counts(completed: QuerySet[Any]) -> QuerySet[Any]:
    """Completed jobs grouped by the month they were completed in, area, category and due rule,
    with the counts every repairs measure is worked out from."""
    return (
        completed.annotate(month=F("completed_month"), area_key=_plain("area_id"))
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


def _repairs(organisation: Any, measures: list[Measure], tally: _Tally, *, split: bool = False) -> None:
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
    rows = _grouped(completed, _repair_counts, ("month", "area_key", "category", "due_rule_id"), split=split)
    for row in rows:
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
    month: str,
    on_time: str,
    *,
    split: bool = False,
) -> None:
    """Records whose due moment a measure set: denominator those judged (on time or not),
    numerator those on time, in their stored `month` (of the event that judged them)."""
    timed = {m.pk for m in measures if m.kind == Measure.Kind.WITHIN_TIMESCALE and m.sets_due}
    if not timed:
        return
    version_measure = dict(
        MeasureVersion.objects.filter(measure__organisation=organisation).values_list("pk", "measure_id")
    )
    judged = queryset.filter(organisation=organisation, **{f"{on_time}__isnull": False})
    keys = ("month", "area_id", "category", "due_rule_id")
    rows = _grouped(
        judged,
        lambda records: (
            records.annotate(month=F(month))
            .values(*keys)
            .annotate(d=Count("id"), n=Count("id", filter=Q(**{on_time: True})))
            .order_by()
        ),
        keys,
        split=split,
    )
    for row in rows:
        measure_id = version_measure.get(row["due_rule_id"])
        if measure_id in timed:
            tally.add(measure_id, row["month"], row["area_id"], row["category"], row["n"], row["d"])


def _by_month_of_day(records: QuerySet[Any], day: str, keys: tuple[str, ...], kept: Q) -> Iterator[dict[str, Any]]:
    """Records dated by a day (no time, so no time zone) grouped by its month and `keys`: `d`
    counts them all, `n` those matching `kept`."""
    rows = (
        records.annotate(month=TruncMonth(day))
        .values("month", *keys)
        .annotate(d=Count("id"), n=Count("id", filter=kept))
        .order_by()
    )
    for row in rows:
        if isinstance(row["month"], datetime.datetime):
            row["month"] = row["month"].date()
        yield row


def _planned(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    """Homes visited with enough notice before works start, in the month the works start."""
    notice = [m for m in measures if m.subject == Subject.PLANNED_WORK and m.kind == Measure.Kind.WITHIN_TIMESCALE]
    if not notice:
        return
    visits = PlannedWorkVisit.objects.filter(organisation=organisation, enough_notice__isnull=False)
    for row in _by_month_of_day(visits, "works_start_on", ("area_id",), Q(enough_notice=True)):
        month = row["month"]
        for measure in notice:
            if _in_force(measure, month):
                tally.add(measure.pk, month, row["area_id"], "", row["n"], row["d"])


def _samples(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    """Percentages of a sample: the checks of each such measure that passed, in the month checked."""
    sampled = {m.pk: m for m in measures if m.kind == Measure.Kind.SAMPLE}
    if not sampled:
        return
    checks = SampleCheck.objects.filter(organisation=organisation, measure__in=list(sampled))
    for row in _by_month_of_day(checks, "checked_on", ("area_id", "measure_id"), Q(passed=True)):
        month = row["month"]
        measure = sampled[row["measure_id"]]
        if _in_force(measure, month):
            tally.add(measure.pk, month, row["area_id"], "", row["n"], row["d"])


def _neighbourhood_visits(organisation: Any, measures: list[Measure], tally: _Tally) -> None:
    """ "We will visit each neighbourhood twice a week": of every neighbourhood-week (Monday to
    Sunday) from the first week with a visit on record to the last week that has ended, those with
    at least the promised number of visits (the version in force on the Monday). A week counts in
    the month of its Thursday, as ISO weeks do, and in its neighbourhood's top-level area; a
    neighbourhood nobody visited that week counts as missed."""
    wanted = [m for m in measures if m.subject == Subject.NEIGHBOURHOOD_VISIT and m.kind == Measure.Kind.POPULATION]
    places = neighbourhoods(organisation=organisation) if wanted else {}
    if not places:
        return
    visits: dict[tuple[int, datetime.date], int] = defaultdict(int)
    per_day = (
        NeighbourhoodVisit.objects.filter(organisation=organisation, neighbourhood__in=list(places))
        .values("neighbourhood_id", "visited_on")
        .annotate(n=Count("id"))
        .order_by()
    )
    for row in per_day:
        day = row["visited_on"]
        visits[(row["neighbourhood_id"], day - datetime.timedelta(days=day.weekday()))] += row["n"]
    if not visits:
        return
    week = min(monday for _, monday in visits)
    today = timezone.localdate()
    last = today - datetime.timedelta(days=today.weekday() + 7)  # the Monday of the last week that has ended
    while week <= last:
        month = (week + datetime.timedelta(days=3)).replace(day=1)
        for measure in wanted:
            version = measure_version_on(measure, week)
            if version is None or not _in_force(measure, month):
                continue
            times = version.times or 1
            for pk, (_, area) in places.items():
                tally.add(measure.pk, month, area, "", int(visits.get((pk, week), 0) >= times), 1)
        week += datetime.timedelta(days=7)


def _homes_by_month(organisation: Any) -> list[tuple[datetime.date, int]]:
    counts: dict[datetime.date, int] = defaultdict(int)
    for as_at, total in StockCount.objects.filter(organisation=organisation, item=StockCount.Item.HOMES).values_list(
        "as_at", "total"
    ):
        counts[as_at] += total
    return sorted(counts.items())


def _counted_by(month: str) -> Callable[[QuerySet[Any]], QuerySet[Any]]:
    def build(records: QuerySet[Any]) -> QuerySet[Any]:
        return (
            records.annotate(month=F(month)).values("month", "area_id", "category").annotate(n=Count("id")).order_by()
        )

    return build


def _counts(organisation: Any, measures: list[Measure], tally: _Tally, *, split: bool = False) -> None:
    """Count and rate measures: records started in the month (reported, identified). A rate's
    denominator is the homes owned as at the latest stock count on or before the month's end."""
    wanted = [m for m in measures if m.kind in (Measure.Kind.COUNT, Measure.Kind.RATE) and m.subject in COUNTED]
    homes = _homes_by_month(organisation) if any(m.kind == Measure.Kind.RATE for m in wanted) else []
    for subject in {m.subject for m in wanted}:
        model, month = COUNTED[subject]
        qs = model.objects.filter(organisation=organisation)
        if subject == Subject.REPAIR:
            qs = qs.filter(cancelled=False)
        rows = _grouped(qs, _counted_by(month), ("month", "area_id", "category"), split=split)
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
    split = _can_split_groupings()  # before the transaction: split groupings read committed records
    with transaction.atomic():
        _tune_for_grouping()
        figures = _work_out(organisation, split=split)
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


def _work_out(organisation: Any, *, split: bool = False) -> list[Figure]:
    measures = list(
        Measure.objects.filter(organisation=organisation)
        .exclude(kind=Measure.Kind.MILESTONE)
        .prefetch_related("categories", "versions")
    )
    tally = _Tally()
    _repairs(organisation, measures, tally, split=split)
    asb = [m for m in measures if m.subject == Subject.ASB_CASE]
    hazards = [m for m in measures if m.subject == Subject.HAZARD]
    _timed(
        organisation,
        asb,
        tally,
        AsbCase.objects.all(),
        "contact_month",  # judged at first contact: contact_on_time is null until then
        "contact_on_time",
        split=split,
    )
    _timed(
        organisation,
        hazards,
        tally,
        Hazard.objects.all(),
        "fixed_month",  # judged when fixed: on_time is null until then
        "on_time",
        split=split,
    )
    _planned(organisation, measures, tally)
    _samples(organisation, measures, tally)
    _neighbourhood_visits(organisation, measures, tally)
    _counts(organisation, measures, tally, split=split)
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
