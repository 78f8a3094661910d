"""Reads for concerns and complaints: what is due, at risk and late; a case and its history; a
resident's own cases; the panel's quarterly report; the annual report; CH01 and CH02.

Reports count stored facts (each stage's due dates, and whether it was acknowledged and answered
in time, worked out by the calendar when it happened), grouped in the database: a year's report
is a handful of `GROUP BY` queries whatever the number of cases.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from complaints.models import Case, CaseStage, ComplaintSettings, Procedure, Stage
from core.models import Message
from core.permissions import scope

LONDON = ZoneInfo("Europe/London")
LIST_LIMIT = 50


# --- What is due ---------------------------------------------------------------------------------


T = TypeVar("T")


class DueList(list[T]):
    """The first rows of a list, knowing how many there are in all."""

    def __init__(self, rows: list[T], total: int) -> None:
        super().__init__(rows)
        self.total = total


@dataclass
class DueLists:
    """Open stages of cases, by when their response is due (the extended date when extended).
    Each list holds its first `LIST_LIMIT` (50) rows and knows how many there are in all."""

    late: DueList[CaseStage]
    due_today: DueList[CaseStage]
    due_this_week: DueList[CaseStage]
    # Acknowledgements overdue, whatever the response date.
    acknowledgement_late: DueList[CaseStage]
    # Waiting for the meeting of the panel that considers them (no due date yet).
    waiting_for_meeting: DueList[CaseStage]


def open_stages(*, user: Any) -> QuerySet[CaseStage]:
    return (
        scope(CaseStage.objects.all(), user, "complaints.view")
        .filter(responded_at__isnull=True, case__status=Case.Status.OPEN, stage__external=False)
        .select_related("case", "stage", "case__resident", "case__handler", "meeting")
    )


def due_lists(*, user: Any, today: datetime.date) -> DueLists:
    """Late, due today and due in the rest of this week (to Sunday), in due-date order. The five
    totals come from one aggregate query; each list reads its first rows only."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    # The response date in force: the extended one when there is one. Only what the lists show
    # is read (a resident row alone has 35 columns).
    stages = (
        open_stages(user=user)
        .select_related(None)
        .select_related("case", "stage", "case__handler")
        .only(
            "case__reference",
            "case__kind",
            "case__service_area",
            "case__handler",
            "stage__name",
            "stage__respond_from",
            "started_at",
            "acknowledge_due",
            "acknowledged_at",
            "respond_due",
            "extended_due",
            "case__handler__first_name",
            "case__handler__last_name",
            "case__handler__username",
        )  # fmt: skip
        .annotate(due_on=Coalesce("extended_due", "respond_due"))
    )
    conditions = {
        "late": (Q(due_on__lt=today), ("due_on", "pk")),
        "due_today": (Q(due_on=today), ("due_on", "pk")),
        "due_this_week": (Q(due_on__gt=today, due_on__lte=week_end), ("due_on", "pk")),
        "acknowledgement_late": (Q(acknowledged_at__isnull=True, acknowledge_due__lt=today), ("acknowledge_due", "pk")),
        "waiting_for_meeting": (Q(stage__respond_from=Stage.Clock.MEETING, meeting__isnull=True), ("started_at", "pk")),
    }
    totals = stages.aggregate(**{name: Count("pk", filter=q) for name, (q, _) in conditions.items()})
    lists: dict[str, Any] = {
        name: DueList(list(stages.filter(q).order_by(*order)[:LIST_LIMIT]) if totals[name] else [], totals[name])
        for name, (q, order) in conditions.items()
    }
    return DueLists(**lists)


def letters_not_sent(*, user: Any) -> DueList[Message]:
    """Letters about cases that could not go: failed, still retrying, or no way to reach the
    resident, so the handler can send them another way."""
    failing = (Message.Status.FAILED, Message.Status.RETRYING, Message.Status.NO_CHANNEL)
    qs = scope(Message.objects.all(), user, "complaints.view").filter(
        because_type=ContentType.objects.get_for_model(Case), status__in=failing
    )
    rows = list(qs.order_by("-created_at", "-pk")[:LIST_LIMIT])
    cases = {str(c.pk): c for c in Case.objects.filter(pk__in=[int(m.because_id) for m in rows]).only("reference")}
    for m in rows:
        m.case = cases.get(m.because_id)  # type: ignore[attr-defined]
    return DueList(rows, qs.count())


# --- Cases ---------------------------------------------------------------------------------------


def case_list(*, user: Any, q: str = "", kind: str = "", status: str = "") -> QuerySet[Case]:
    cases = scope(Case.objects.all(), user, "complaints.view").select_related("resident", "handler")
    q = q.strip()
    if q:
        cases = cases.filter(Q(reference__iexact=q) | Q(resident__person_ref__iexact=q) | Q(summary__icontains=q))
    if kind:
        cases = cases.filter(kind=kind)
    if status:
        cases = cases.filter(status=status)
    return cases.order_by("-received_at", "-pk")


def case_get(*, user: Any, pk: int, action: str = "complaints.view") -> Case:
    case = (
        scope(Case.objects.all(), user, action)
        .select_related("organisation", "resident", "procedure", "handler", "created_by")
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_stages(case: Case) -> list[CaseStage]:
    return list(case.stages.select_related("stage", "meeting", "decided_by").order_by("started_at", "pk"))


def case_messages(case: Case) -> list[Message]:
    """The letters, emails and texts sent about the case, with how each went."""
    return list(
        Message.objects.filter(because_type=ContentType.objects.get_for_model(Case), because_id=str(case.pk))
        .select_related("recipient_type")
        .order_by("created_at", "pk")
    )


def escalation_routes(case: Case) -> list[Stage]:
    """Where the case can go next: none while its stage is still open or once it is closed."""
    current = case.current_stage
    if case.status != Case.Status.OPEN or current is None or current.open:
        return []
    return list(current.stage.next_stages.all())


def own_cases(*, resident: Any) -> QuerySet[Case]:
    return Case.objects.filter(resident=resident, organisation_id=resident.organisation_id).order_by(
        "-received_at", "-pk"
    )


def own_case_get(*, resident: Any, pk: int) -> Case:
    case = own_cases(resident=resident).select_related("organisation", "procedure").filter(pk=pk).first()
    if case is None:
        raise Http404
    return case


def settings_for(organisation: Any) -> ComplaintSettings:
    return ComplaintSettings.objects.filter(organisation=organisation).first() or ComplaintSettings(
        organisation=organisation
    )


def procedures(*, user: Any) -> QuerySet[Procedure]:
    return scope(Procedure.objects.all(), user, "complaints.view").prefetch_related("stages__next_stages")


# --- Reports -------------------------------------------------------------------------------------


def year_bounds(year_starting: int) -> tuple[datetime.datetime, datetime.datetime]:
    """1 April to 1 April in UK time."""
    return (
        datetime.datetime(year_starting, 4, 1, tzinfo=LONDON),
        datetime.datetime(year_starting + 1, 4, 1, tzinfo=LONDON),
    )


def quarter_bounds(year_starting: int, quarter: int) -> tuple[datetime.datetime, datetime.datetime]:
    """A financial quarter: April to June is quarter 1."""
    month = 4 + 3 * (quarter - 1)
    year = year_starting + (month - 1) // 12
    month = (month - 1) % 12 + 1
    end_month = month + 3
    end_year = year + (end_month - 1) // 12
    end_month = (end_month - 1) % 12 + 1
    return datetime.datetime(year, month, 1, tzinfo=LONDON), datetime.datetime(end_year, end_month, 1, tzinfo=LONDON)


@dataclass
class StageFigures:
    stage: Stage
    started: int = 0
    answered: int = 0
    in_time: int = 0
    extended: int = 0
    late: int = 0
    no_deadline: int = 0
    acknowledged: int = 0
    acknowledged_in_time: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    compensation: Decimal = Decimal(0)

    @property
    def in_time_percent(self) -> Decimal | None:
        timed = self.in_time + self.extended + self.late
        return (Decimal(100) * (self.in_time + self.extended) / timed).quantize(Decimal("0.1")) if timed else None

    @property
    def upheld(self) -> int:
        return self.outcomes["upheld"] + self.outcomes["partly_upheld"]


@dataclass
class Report:
    """Figures for a period, with no personal details: counts, themes, timeliness, outcomes."""

    start: datetime.datetime
    end: datetime.datetime
    received: dict[str, int]
    stages: list[StageFigures]
    themes: list[tuple[str, int]]
    open_at_end: int
    learning: list[Case]
    compensation: Decimal

    @property
    def received_rows(self) -> list[tuple[str, int]]:
        return [(label, self.received.get(kind, 0)) for kind, label in Case.Kind.choices]

    @property
    def received_total(self) -> int:
        return sum(self.received.values())

    @property
    def last_day(self) -> datetime.date:
        return (self.end - datetime.timedelta(days=1)).date()


def _report(*, organisation: Any, start: datetime.datetime, end: datetime.datetime, kinds: tuple[str, ...]) -> Report:
    org = organisation.pk
    cases = Case.objects.filter(organisation_id=org, received_at__gte=start, received_at__lt=end)
    received = dict(cases.values_list("kind").annotate(n=Count("pk")).order_by())
    stages_qs = CaseStage.objects.filter(organisation_id=org, case__kind__in=kinds)
    figures: dict[int, StageFigures] = {}
    stages = {s.pk: s for s in Stage.objects.filter(procedure__organisation_id=org).select_related("procedure")}

    def fig(stage_id: int) -> StageFigures:
        if stage_id not in figures:
            figures[stage_id] = StageFigures(stage=stages[stage_id])
        return figures[stage_id]

    for stage_id, n in (
        stages_qs.filter(started_at__gte=start, started_at__lt=end)
        .values_list("stage_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        fig(stage_id).started = n
    answered = (
        stages_qs.filter(responded_at__gte=start, responded_at__lt=end)
        .values_list("stage_id", "timeliness", "outcome")
        .annotate(n=Count("pk"), money=Sum("compensation"))
        .order_by()
    )
    for stage_id, timeliness, outcome, n, money in answered:
        f = fig(stage_id)
        f.answered += n
        f.outcomes[outcome] += n
        f.compensation += money or 0
        if timeliness == CaseStage.Timeliness.IN_TIME:
            f.in_time += n
        elif timeliness == CaseStage.Timeliness.EXTENDED:
            f.extended += n
        elif timeliness == CaseStage.Timeliness.LATE:
            f.late += n
        else:
            f.no_deadline += n
    for stage_id, in_time, n in (
        stages_qs.filter(acknowledged_at__gte=start, acknowledged_at__lt=end, acknowledged_in_time__isnull=False)
        .values_list("stage_id", "acknowledged_in_time")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        f = fig(stage_id)
        f.acknowledged += n
        if in_time:
            f.acknowledged_in_time += n
    themes: Counter[str] = Counter()
    for area, n in cases.filter(kind__in=kinds).values_list("service_area").annotate(n=Count("pk")).order_by():
        themes[area or "Not recorded"] += n
    open_at_end = (
        Case.objects.filter(organisation_id=org, kind__in=kinds, received_at__lt=end)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        .count()
    )
    learning = list(
        Case.objects.filter(
            organisation_id=org,
            kind__in=kinds,
            learning_published=True,
            stages__responded_at__gte=start,
            stages__responded_at__lt=end,
        )
        .distinct()
        .only("reference", "service_area", "learning", "kind")
        .order_by("service_area", "pk")[:200]
    )
    ordered = sorted(figures.values(), key=lambda f: (f.stage.procedure.name, f.stage.order))
    return Report(
        start=start,
        end=end,
        received=received,
        stages=ordered,
        themes=themes.most_common(10),
        open_at_end=open_at_end,
        learning=learning,
        compensation=sum((f.compensation for f in ordered), Decimal(0)),
    )


COMPLAINT_KINDS = (Case.Kind.COMPLAINT,)


def annual_report(*, organisation: Any, year_starting: int) -> Report:
    """The annual complaints performance and service-improvement report: numbers received of
    each kind, each stage's timeliness and outcomes, themes, compensation and learning."""
    start, end = year_bounds(year_starting)
    return _report(organisation=organisation, start=start, end=end, kinds=(Case.Kind.COMPLAINT, Case.Kind.CONCERN))


def concerns_report(*, organisation: Any, year_starting: int, quarter: int) -> Report:
    """The oversight panel's quarterly report of concerns about the compact: numbers, themes,
    timeliness and outcomes, and no resident's name, address or words."""
    start, end = quarter_bounds(year_starting, quarter)
    return _report(organisation=organisation, start=start, end=end, kinds=(Case.Kind.CONCERN,))


def concerns_list(*, organisation: Any, start: datetime.datetime, end: datetime.datetime) -> list[dict[str, Any]]:
    """The quarter's concerns one by one, for the panel: reference, theme, stage and outcome only."""
    rows = []
    cases = (
        Case.objects.filter(
            organisation=organisation, kind=Case.Kind.CONCERN, received_at__gte=start, received_at__lt=end
        )
        .prefetch_related("stages__stage")
        .order_by("received_at", "pk")[:500]
    )
    for case in cases:
        stages = sorted(case.stages.all(), key=lambda s: (s.started_at, s.pk))
        last = stages[-1] if stages else None
        rows.append(
            {
                "reference": case.reference,
                "received": case.received_at,
                "theme": case.service_area or case.category or "Not recorded",
                "stage": last.stage.name if last else "",
                "outcome": last.get_outcome_display() if last and last.outcome else "Not answered yet",
                "timeliness": last.get_timeliness_display() if last and last.timeliness else "",
            }
        )
    return rows


@dataclass
class TsmCount:
    """One stock type's complaints at one of the Code's stages in a reporting year, from the cases."""

    received: int = 0
    answered: int = 0
    in_time: int = 0
    in_time_extended: int = 0
    late: int = 0


def tsm_counts(*, organisation: Any, year_starting: int) -> dict[tuple[str, int], TsmCount] | None:
    """CH01 and CH02 from the cases: complaints received at each of the Code's stages in the year
    (stage 2 counts the escalation request), and of those answered in the year how many in time
    without an extension and how many only with one. None when this landlord records no
    complaints against a stage counted for the TSM, so the return uses its complaint counts."""
    base = CaseStage.objects.filter(
        organisation=organisation, case__kind=Case.Kind.COMPLAINT, stage__tsm_stage__isnull=False
    )
    if not base.exists():
        return None
    start, end = year_bounds(year_starting)
    counts: dict[tuple[str, int], TsmCount] = defaultdict(TsmCount)
    for stock, stage, n in (
        base.filter(started_at__gte=start, started_at__lt=end)
        .values_list("case__stock", "stage__tsm_stage")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[(stock, stage)].received += n
    for stock, stage, timeliness, n in (
        base.filter(responded_at__gte=start, responded_at__lt=end)
        .values_list("case__stock", "stage__tsm_stage", "timeliness")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        c = counts[(stock, stage)]
        c.answered += n
        if timeliness == CaseStage.Timeliness.IN_TIME:
            c.in_time += n
        elif timeliness == CaseStage.Timeliness.EXTENDED:
            c.in_time_extended += n
        else:
            c.late += n
    return dict(counts)


def code_evidence(*, organisation: Any, year_starting: int) -> dict[str, str]:
    """What Involve itself can show against some of the Code's requirements, in words."""
    report = annual_report(organisation=organisation, year_starting=year_starting)
    evidence: dict[str, str] = {}
    by_tsm: dict[int, list[StageFigures]] = defaultdict(list)
    for f in report.stages:
        if f.stage.tsm_stage:
            by_tsm[f.stage.tsm_stage].append(f)
    for n in (1, 2):
        figs = by_tsm.get(n, [])
        ack = sum(f.acknowledged for f in figs)
        ack_in = sum(f.acknowledged_in_time for f in figs)
        if ack:
            evidence[f"stage{n}_acknowledged"] = (
                f"{ack_in} of {ack} stage {n} complaints acknowledged in time this year."
            )
        timed = sum(f.in_time + f.extended + f.late for f in figs)
        if timed:
            evidence[f"stage{n}_answered"] = (
                f"{sum(f.in_time for f in figs)} of {timed} answered in time without an extension and "
                f"{sum(f.extended for f in figs)} with one."
            )
    cases = Case.objects.filter(organisation=organisation)
    start, end = year_bounds(year_starting)
    year = cases.filter(received_at__gte=start, received_at__lt=end)
    requests = year.filter(kind=Case.Kind.SERVICE_REQUEST).count()
    evidence["service_requests"] = f"{requests} service requests recorded separately from complaints this year."
    late = year.filter(kind=Case.Kind.COMPLAINT).exclude(accepted_late_reason="").count()
    evidence["accepted_late"] = f"{late} complaints accepted about issues older than 12 months, each with a reason."
    channels = year.values_list("channel").annotate(n=Count("pk")).order_by("-n")
    labels = dict(Case.Channel.choices)
    evidence["channels"] = "Received this year: " + (
        ", ".join(f"{labels.get(c, c).lower()} {n}" for c, n in channels) or "none yet"
    )
    procs = Procedure.objects.filter(organisation=organisation, kind=Procedure.Kind.COMPLAINTS).prefetch_related(
        "stages"
    )
    evidence["stages"] = "; ".join(
        f"{p.name}: " + ", ".join(s.name for s in p.stages.all() if not s.external) for p in procs
    )
    remedies = sum(f.upheld for f in report.stages)
    evidence["remedies"] = f"{remedies} stage decisions upheld or partly upheld; £{report.compensation:,.2f} offered."
    evidence["learning"] = f"{len(report.learning)} published changes made because of complaints this year."
    return evidence
