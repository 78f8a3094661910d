"""Writes for concerns and complaints. Each function owns its transaction, checks the actor's
permission through the one policy, and records the acting user in the audit log.

Dates: a stage's acknowledgement is due `acknowledge_days` working days after it started (the
calendar's receipt rule: received after the office closed or on a non-working day counts from
the next working day). Its response is due `respond_days` working days after the event its clock
runs from: receipt (the same rule), the acknowledgement (the day it was sent is day 0), or the
meeting of the panel that considers it (the meeting's day is day 0; until a meeting of that panel
is scheduled, there is no due date, and the lists say the stage is waiting for one).
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from complaints.models import Case, CaseStage, Procedure, Stage
from complaints.presets import PRESETS
from core.calendar import WorkingCalendar, calendar_for, shift_months
from core.permissions import can_act_on


def _now() -> datetime.datetime:
    """Now, for "in the future" checks and default moments (tests replace it)."""
    return timezone.now()


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def procedure_load_preset(*, organisation: Any, actor: Any, preset: str) -> Procedure:
    """Add a ready-made procedure (complaints.presets) to the organisation, with its stages and
    routes. Loading one already loaded (same code) returns it unchanged, never overwriting edits."""
    _require(actor, "complaints.manage", Procedure(organisation=organisation))
    spec = PRESETS.get(preset)
    if spec is None:
        raise ValidationError({"preset": "Choose a procedure to load"})
    with transaction.atomic(), set_actor(actor):
        existing = Procedure.objects.filter(organisation=organisation, code=spec.code).first()
        if existing is not None:
            return existing
        procedure = Procedure.objects.create(
            organisation=organisation,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            preset=preset,
            accept_within_months=spec.accept_within_months,
        )
        from groups.models import Group

        stages: dict[str, Stage] = {}
        for order, s in enumerate(spec.stages, start=1):
            group = (
                Group.objects.filter(organisation=organisation, name__iexact=s.group_name).first()
                if s.group_name
                else None
            )
            stages[s.code] = Stage.objects.create(
                procedure=procedure,
                order=order,
                code=s.code,
                name=s.name,
                handler=s.handler,
                handler_group=group,
                acknowledge_days=s.acknowledge_days,
                respond_days=s.respond_days,
                respond_from=s.respond_from,
                extension_days=s.extension_days,
                extension_needs_reasons=s.extension_needs_reasons,
                different_decider=s.different_decider,
                external=s.external,
            )
        for s in spec.stages:
            stages[s.code].next_stages.set([stages[code] for code in s.next_stages])
    return procedure


# --- Dates -----------------------------------------------------------------------------------------


def _local_day(moment: datetime.datetime, calendar: WorkingCalendar) -> datetime.date:
    return moment.astimezone(calendar.tz).date()


def _start_clock(case_stage: CaseStage, calendar: WorkingCalendar) -> None:
    """Set the due dates a stage has from the moment it started."""
    stage = case_stage.stage
    if stage.acknowledge_days is not None:
        case_stage.acknowledge_due = calendar.due_date(case_stage.started_at, stage.acknowledge_days)
    if stage.respond_days is None:
        return
    if stage.respond_from == Stage.Clock.RECEIPT:
        case_stage.respond_due = calendar.due_date(case_stage.started_at, stage.respond_days)
    elif stage.respond_from == Stage.Clock.MEETING:
        _attach_meeting(case_stage, calendar)


def _attach_meeting(case_stage: CaseStage, calendar: WorkingCalendar) -> bool:
    """For a stage whose clock runs from a panel meeting: the panel's first scheduled meeting
    after the stage started, and the response date from it. False when there is none yet."""
    from groups.models import Meeting

    stage = case_stage.stage
    if stage.handler_group_id is None or stage.respond_days is None:
        return False
    meeting = (
        Meeting.objects.filter(
            group_id=stage.handler_group_id, status=Meeting.Status.SCHEDULED, starts_at__gte=case_stage.started_at
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return False
    case_stage.meeting = meeting
    case_stage.respond_due = calendar.add_working_days(_local_day(meeting.starts_at, calendar), stage.respond_days)
    return True


def stages_attach_meetings(*, group: Any) -> int:
    """Give the stages waiting for this panel's next meeting their meeting and due date (called
    when one of its meetings is scheduled, moved or cancelled). A stage still waiting for an answer
    whose meeting was cancelled waits again, for the panel's next one. How many stages it gave one."""
    from groups.models import Meeting

    CaseStage.objects.filter(
        stage__handler_group=group, meeting__status=Meeting.Status.CANCELLED, responded_at__isnull=True
    ).update(meeting=None, respond_due=None)
    waiting = list(
        CaseStage.objects.filter(
            stage__handler_group=group,
            stage__respond_from=Stage.Clock.MEETING,
            meeting__isnull=True,
            responded_at__isnull=True,
        ).select_related("stage", "organisation")
    )
    if not waiting:
        return 0
    calendar = calendar_for(waiting[0].organisation)
    attached = [cs for cs in waiting if _attach_meeting(cs, calendar)]
    CaseStage.objects.bulk_update(attached, ["meeting", "respond_due"])
    return len(attached)


# --- Cases -----------------------------------------------------------------------------------------


def case_receive(
    *,
    organisation: Any,
    actor: Any,
    kind: str,
    summary: str,
    received_at: datetime.datetime,
    channel: str,
    procedure: Procedure | None = None,
    resident: Any = None,
    representative: str = "",
    issue_date: datetime.date | None = None,
    service_area: str = "",
    category: str = "",
    wanted_outcome: str = "",
) -> Case:
    """Record a case, give it its reference and, when it follows a procedure, start its first
    stage with its due dates. Compliments, comments and service requests follow none."""
    _require(actor, "complaints.handle", Case(organisation=organisation))
    errors: dict[str, str] = {}
    summary = summary.strip()
    if not summary:
        errors["summary"] = "Say what it is about"
    elif len(summary) > 10_000:
        errors["summary"] = "Say what it is about in 10,000 characters or fewer"
    now = _now()
    if received_at > now + datetime.timedelta(minutes=5):
        errors["received_at"] = "The date received cannot be in the future"
    if issue_date is not None and issue_date > timezone.localdate(now):
        errors["issue_date"] = "The date it happened cannot be in the future"
    follows = kind in (Case.Kind.COMPLAINT, Case.Kind.CONCERN)
    calendar = calendar_for(organisation) if follows else None
    if follows and procedure is None:
        errors["procedure"] = "Choose the procedure it follows"
    if procedure is not None and procedure.organisation_id != organisation.pk:
        errors["procedure"] = "Choose one of your procedures"
    if resident is not None and resident.organisation_id != organisation.pk:
        errors["resident"] = "Choose one of your residents"
    if (
        kind == Case.Kind.COMPLAINT
        and procedure is not None
        and procedure.accept_within_months
        and issue_date
        and calendar
    ):
        limit = shift_months(_local_day(received_at, calendar), -procedure.accept_within_months)
        if issue_date < limit:
            errors["issue_date"] = (
                f"A complaint is accepted within {procedure.accept_within_months} months of what it is about "
                "(or of the resident finding out). Record why it is accepted late, or record it as a comment"
            )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        case = Case.objects.create(
            organisation=organisation,
            kind=kind,
            procedure=procedure if follows else None,
            resident=resident,
            received_at=received_at,
            channel=channel,
            representative=representative.strip()[:200],
            issue_date=issue_date,
            service_area=service_area[:120],
            category=category[:120],
            summary=summary,
            wanted_outcome=wanted_outcome.strip(),
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        case.reference = f"{Case.PREFIXES[Case.Kind(kind)]}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        if case.procedure is not None and calendar is not None:
            _begin(case, case.procedure.first_stage(), received_at, calendar)
        else:
            case.status = Case.Status.CLOSED if kind != Case.Kind.SERVICE_REQUEST else Case.Status.OPEN
            case.closed_at = received_at if case.status == Case.Status.CLOSED else None
            case.save(update_fields=["status", "closed_at"])
    return case


def _begin(case: Case, stage: Stage, started_at: datetime.datetime, calendar: WorkingCalendar) -> CaseStage:
    case_stage = CaseStage(case=case, stage=stage, organisation_id=case.organisation_id, started_at=started_at)
    _start_clock(case_stage, calendar)
    case_stage.save()
    return case_stage


def _open_stage(case: Case) -> CaseStage:
    current = case.current_stage
    if current is None or not current.open or case.status != Case.Status.OPEN:
        raise ValidationError("This case has no stage waiting for an answer.")
    return current


def case_acknowledge(*, case: Case, actor: Any, at: datetime.datetime | None = None) -> CaseStage:
    """Record that the current stage was acknowledged; a clock that runs from the
    acknowledgement starts now (the day it was sent is day 0)."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    with transaction.atomic(), set_actor(actor):
        case_stage = _open_stage(case)
        if case_stage.acknowledged_at is not None:
            raise ValidationError("This stage has already been acknowledged.")
        if at < case_stage.started_at:
            raise ValidationError("It cannot be acknowledged before it was received.")
        case_stage.acknowledged_at = at
        stage = case_stage.stage
        if stage.respond_from == Stage.Clock.ACKNOWLEDGEMENT and stage.respond_days is not None:
            calendar = calendar_for(case.organisation)
            case_stage.respond_due = calendar.add_working_days(_local_day(at, calendar), stage.respond_days)
        case_stage.save(update_fields=["acknowledged_at", "respond_due"])
    return case_stage


def case_extend(
    *, case: Case, actor: Any, working_days: int, reason: str, at: datetime.datetime | None = None
) -> CaseStage:
    """Extend the current stage's response date by up to the stage's allowance, with a reason;
    where the resident must be told why, only before the original deadline has passed."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    with transaction.atomic(), set_actor(actor):
        case_stage = _open_stage(case)
        stage = case_stage.stage
        calendar = calendar_for(case.organisation)
        if case_stage.respond_due is None:
            raise ValidationError("This stage has no response date to extend yet.")
        if case_stage.extended_due is not None:
            raise ValidationError("This stage has already been extended once.")
        if not 1 <= working_days <= stage.extension_days:
            allowance = f"up to {stage.extension_days} working days" if stage.extension_days else "no extension"
            raise ValidationError({"working_days": f"{stage.name} allows {allowance}."})
        if not reason.strip():
            raise ValidationError({"reason": "Say why more time is needed: the resident is told"})
        if stage.extension_needs_reasons and _local_day(at, calendar) > case_stage.respond_due:
            raise ValidationError("The deadline has passed: an extension must be agreed and explained before it.")
        case_stage.extended_due = calendar.add_working_days(case_stage.respond_due, working_days)
        case_stage.extension_reason = reason.strip()
        case_stage.extended_at = at
        case_stage.save(update_fields=["extended_due", "extension_reason", "extended_at"])
    return case_stage


def case_respond(
    *,
    case: Case,
    actor: Any,
    outcome: str,
    reasons: str,
    remedy: str = "",
    compensation: Decimal | None = None,
    at: datetime.datetime | None = None,
) -> CaseStage:
    """Record the current stage's decision. A stage that must be decided by someone new refuses
    whoever decided the stage before."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    if outcome not in CaseStage.Outcome.values:
        raise ValidationError({"outcome": "Choose whether it was upheld, partly upheld or not upheld"})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the decision"})
    if compensation is not None and compensation < 0:
        raise ValidationError({"compensation": "Compensation cannot be less than nothing"})
    with transaction.atomic(), set_actor(actor):
        case_stage = _open_stage(case)
        if at < case_stage.started_at:
            raise ValidationError("It cannot be answered before it was received.")
        if case_stage.stage.different_decider:
            earlier = (
                CaseStage.objects.filter(case=case, responded_at__isnull=False)
                .exclude(pk=case_stage.pk)
                .order_by("-responded_at")
                .first()
            )
            if earlier is not None and earlier.decided_by_id == getattr(actor, "pk", None):
                raise ValidationError(
                    f"{case_stage.stage.name} must be decided by someone who did not decide {earlier.stage.name}."
                )
        case_stage.responded_at = at
        case_stage.outcome = outcome
        case_stage.reasons = reasons.strip()
        case_stage.remedy = remedy.strip()
        case_stage.compensation = compensation
        case_stage.decided_by = actor if getattr(actor, "pk", None) else None
        case_stage.save()
    return case_stage


def case_escalate(*, case: Case, actor: Any, to: Stage | None = None, at: datetime.datetime | None = None) -> CaseStage:
    """Move the case on at the resident's request, once its current stage has been answered,
    to the next stage (or, where there are routes to choose from, to the one given)."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    with transaction.atomic(), set_actor(actor):
        current = case.current_stage
        if current is None or current.open or case.status != Case.Status.OPEN:
            raise ValidationError("Only a case whose current stage has been answered can be escalated.")
        routes = list(current.stage.next_stages.all())
        if not routes:
            raise ValidationError(f"{current.stage.name} is the last stage of this procedure.")
        if to is None:
            if len(routes) > 1:
                raise ValidationError({"to": "Choose where it goes next: " + " or ".join(r.name for r in routes)})
            to = routes[0]
        if to not in routes:
            raise ValidationError(
                {"to": f"From {current.stage.name} it can go to " + " or ".join(r.name for r in routes)}
            )
        return _begin(case, to, at, calendar_for(case.organisation))


def case_close(*, case: Case, actor: Any, at: datetime.datetime | None = None) -> Case:
    _require(actor, "complaints.handle", case)
    with transaction.atomic(), set_actor(actor):
        if case.status == Case.Status.CLOSED:
            return case
        current = case.current_stage
        if current is not None and current.open and not current.stage.external:
            raise ValidationError("Answer the current stage before closing the case.")
        case.status = Case.Status.CLOSED
        case.closed_at = at or _now()
        case.save(update_fields=["status", "closed_at"])
    return case
