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
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from complaints import letters
from complaints.models import (
    Case,
    CaseAttachment,
    CaseEvent,
    CaseStage,
    CodeAssessment,
    CodeAssessmentItem,
    ComplaintSettings,
    LetterTemplate,
    Procedure,
    Stage,
)
from complaints.presets import PRESETS
from core.calendar import WorkingCalendar, calendar_for, shift_months
from core.notifications import notify, staff_card
from core.permissions import can_act_on, has_permission
from core.services import submit_once
from core.uploads import check_attachment


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
                tsm_stage=s.tsm_stage,
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
    case_stage.agenda_item = _agenda_item(case_stage, meeting)
    return True


def _agenda_item(case_stage: CaseStage, meeting: Any) -> Any:
    """Put the case on the panel meeting's agenda: its reference and theme, never the resident."""
    from django.db.models import Max

    from groups.models import AgendaItem

    case = case_stage.case
    theme = ", ".join(part for part in (case.service_area, case.category) if part) or "no theme recorded"
    last = meeting.agenda_items.aggregate(last=Max("order"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting,
        order=last + 1,
        title=f"{case.get_kind_display()} {case.reference} referred to the panel"[:200],
        description=f"{case_stage.stage.name}. Theme: {theme}. The papers leave out the resident's personal details.",
    )


def stages_attach_meetings(*, group: Any) -> int:
    """Give the stages waiting for this panel's next meeting their meeting and due date (called
    when one of its meetings is scheduled, moved or cancelled). A stage still waiting for an answer
    whose meeting was cancelled waits again, for the panel's next one. How many stages it gave one."""
    from groups.models import Meeting

    CaseStage.objects.filter(
        stage__handler_group=group, meeting__status=Meeting.Status.CANCELLED, responded_at__isnull=True
    ).update(meeting=None, respond_due=None, agenda_item=None)
    waiting = list(
        CaseStage.objects.filter(
            stage__handler_group=group,
            stage__respond_from=Stage.Clock.MEETING,
            meeting__isnull=True,
            responded_at__isnull=True,
        ).select_related("stage", "organisation", "case")
    )
    if not waiting:
        return 0
    calendar = calendar_for(waiting[0].organisation)
    attached = [cs for cs in waiting if _attach_meeting(cs, calendar)]
    CaseStage.objects.bulk_update(attached, ["meeting", "respond_due", "agenda_item"])
    return len(attached)


# --- Letters and alerts ----------------------------------------------------------------------------


def _settings(organisation_id: int) -> ComplaintSettings:
    found = ComplaintSettings.objects.filter(organisation_id=organisation_id).first()
    return found or ComplaintSettings(organisation_id=organisation_id)


def _d(day: datetime.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else "a date we will tell you"


def _next_step(case_stage: CaseStage, settings: ComplaintSettings) -> str:
    routes = list(case_stage.stage.next_stages.all())
    internal = [s.name for s in routes if not s.external]
    if internal:
        return (
            "If you are unhappy with this answer, you can ask us to take it further ("
            + " or ".join(internal)
            + "). You can do this in your account, or by contacting us. You do not need to say why."
        )
    if routes:
        return f"This is our final answer. If you are still unhappy, you can contact the Housing Ombudsman: {settings.ombudsman_details}"
    return ""


def _letter(case: Case, kind: str, case_stage: CaseStage | None = None, **extra: str) -> None:
    """Write to the resident (in the way they asked to be contacted) through the notification
    service: recorded with the case in this transaction, sent after it commits, retried if the
    mail or text service is down. A case with no known resident gets no letter."""
    resident = case.resident
    if resident is None:
        return
    from people.services import contact_card

    settings = _settings(case.organisation_id)
    values = {
        "name": resident.full_name,
        "reference": case.reference,
        "kind": case.get_kind_display().lower(),
        "landlord": case.organisation.name,
        "ombudsman": settings.ombudsman_details,
        "acknowledge_line": "",
    }
    if case_stage is not None:
        values |= {
            "stage": case_stage.stage.name,
            "handler": case_stage.stage.handler,
            "received": _d(case_stage.started_at.date()),
            "acknowledge_by": _d(case_stage.acknowledge_due),
            "respond_by": _d(case_stage.due),
            "reason": case_stage.extension_reason,
            "outcome": case_stage.get_outcome_display(),
            "reasons": case_stage.reasons,
            "remedy": case_stage.remedy or "No further action",
            "compensation": f"£{case_stage.compensation:,.2f}" if case_stage.compensation else "None",
            "next_step": _next_step(case_stage, settings),
        }
        if case_stage.acknowledge_due:
            values["acknowledge_line"] = (
                f"We will contact you by {_d(case_stage.acknowledge_due)} to say who is looking into it."
            )
        elif case_stage.respond_due:
            values["acknowledge_line"] = f"We will answer by {_d(case_stage.respond_due)}."
    values |= extra
    subject, body = letters.template_for(case.organisation_id, kind)
    notify(
        recipient=resident,
        card=contact_card(resident),
        template="complaint_letter",
        context={
            "letter_subject": letters.fill(subject, values),
            "letter_body": letters.fill(body, values),
            "reference": case.reference,
            "organisation": case.organisation.name,
        },
        because=case,
    )


def _event(case: Case, kind: str, actor: Any, text: str = "", at: datetime.datetime | None = None, **kw: Any) -> None:
    CaseEvent.objects.create(
        case=case,
        organisation_id=case.organisation_id,
        kind=kind,
        at=at or _now(),
        actor=actor if getattr(actor, "pk", None) else None,
        text=text,
        **kw,
    )


def _managers(organisation_id: int) -> list[Any]:
    from accounts.models import Role, User

    return list(User.objects.filter(organisation_id=organisation_id, role=Role.MANAGER, is_active=True).order_by("pk"))


def _alert_head_of_service(case: Case, why: str) -> None:
    """Tell the Head of Service (or, with none named, the managers) that a resident is unhappy."""
    settings = _settings(case.organisation_id)
    people: list[Any] = [settings.head_of_service] if settings.head_of_service_id else _managers(case.organisation_id)
    for person in people:
        notify(
            recipient=person,
            card=staff_card(person),
            template="complaint_alert",
            context={"case": case, "why": why, "organisation": case.organisation.name},
            because=case,
        )
    names = ", ".join(p.get_full_name() or p.username for p in people) or "nobody (no Head of Service or manager)"
    _event(case, CaseEvent.Kind.ALERT, None, f"{why} Told: {names}.")


# --- Cases -----------------------------------------------------------------------------------------

LCHO_TENURES = frozenset({"shared_owner"})
# Each file a resident or officer attaches to a case (photos, letters): the form says so too.
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


def _check_attachments(files: Sequence[UploadedFile]) -> list[tuple[UploadedFile, Any]]:
    checked, problems = [], []
    if len(files) > 5:
        problems.append("Attach up to 5 files")
    for upload in files:
        try:
            checked.append((upload, check_attachment(upload, max_bytes=ATTACHMENT_MAX_BYTES)))
        except ValidationError as exc:
            problems.extend(f"{upload.name}: {m}" for m in exc.messages)
    if problems:
        raise ValidationError({"attachments": problems})
    return checked


def _attach(case: Case, checked: list[tuple[UploadedFile, Any]], actor: Any) -> None:
    for upload, info in checked:
        attachment = CaseAttachment(
            case=case,
            organisation_id=case.organisation_id,
            original_name=(upload.name or "file")[:255],
            content_type=info.content_type,
            size=info.size,
            uploaded_by=actor if getattr(actor, "pk", None) else None,
        )
        upload.seek(0)
        attachment.file.save(f"attachment{info.extension}", upload, save=False)
        attachment.save()


def _receive(
    *,
    organisation: Any,
    actor: Any,
    kind: str,
    summary: str,
    received_at: datetime.datetime,
    channel: str,
    procedure: Procedure | None,
    resident: Any,
    representative: str,
    issue_date: datetime.date | None,
    service_area: str,
    category: str,
    wanted_outcome: str,
    accepted_late_reason: str,
    attachments: Sequence[UploadedFile],
    submission_key: str,
    handler: Any,
) -> Case:
    errors: dict[str, Any] = {}
    summary = summary.strip()
    if kind not in Case.Kind.values:
        errors["kind"] = "Choose what kind of case it is"
    if channel not in Case.Channel.values:
        errors["channel"] = "Choose how it was received"
    if not summary:
        errors["summary"] = "Say what it is about"
    elif len(summary) > 10_000:
        errors["summary"] = "Say what it is about in 10,000 characters or fewer"
    if len(wanted_outcome) > 5_000:
        errors["wanted_outcome"] = "Say what should happen in 5,000 characters or fewer"
    if channel == Case.Channel.REPRESENTATIVE and not representative.strip():
        errors["representative"] = "Say who the representative is"
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
        and not accepted_late_reason.strip()
    ):
        limit = shift_months(_local_day(received_at, calendar), -procedure.accept_within_months)
        if issue_date < limit:
            errors["issue_date"] = (
                f"A complaint is accepted within {procedure.accept_within_months} months of what it is about "
                "(or of the resident finding out). Record why it is accepted late, or record it as a comment"
            )
    try:
        checked = _check_attachments(attachments)
    except ValidationError as exc:
        errors |= exc.message_dict
    if errors:
        raise ValidationError(errors)

    def make() -> Case:
        tenure = getattr(resident, "tenure", "") or ""
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
            accepted_late_reason=accepted_late_reason.strip(),
            stock="lcho" if tenure in LCHO_TENURES else "lcra",
            handler=handler,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        case.reference = f"{Case.PREFIXES[Case.Kind(kind)]}-{case.pk:06d}"
        case.save(update_fields=["reference"])
        _attach(case, checked, actor)
        _event(case, CaseEvent.Kind.RECEIVED, actor, f"{case.get_channel_display()}", at=received_at)
        first = None
        if case.procedure is not None and calendar is not None:
            first = _begin(case, case.procedure.first_stage(), received_at, calendar)
        else:
            case.status = Case.Status.CLOSED if kind != Case.Kind.SERVICE_REQUEST else Case.Status.OPEN
            case.closed_at = received_at if case.status == Case.Status.CLOSED else None
            case.save(update_fields=["status", "closed_at"])
        _letter(case, LetterTemplate.Kind.RECEIVED, first)
        return case

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="complaints", make=make)


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
    accepted_late_reason: str = "",
    attachments: Sequence[UploadedFile] = (),
    submission_key: str = "",
    handler: Any = None,
) -> Case:
    """Staff record a case however it came in: saved first, given its reference, its first stage
    started with its due dates, and the resident sent the reference. Compliments, comments and
    service requests follow no procedure."""
    _require(actor, "complaints.handle", Case(organisation=organisation))
    return _receive(
        organisation=organisation,
        actor=actor,
        kind=kind,
        summary=summary,
        received_at=received_at,
        channel=channel,
        procedure=procedure,
        resident=resident,
        representative=representative,
        issue_date=issue_date,
        service_area=service_area,
        category=category,
        wanted_outcome=wanted_outcome,
        accepted_late_reason=accepted_late_reason,
        attachments=attachments,
        submission_key=submission_key,
        handler=handler if handler is not None else (actor if getattr(actor, "pk", None) else None),
    )


def _own_resident(actor: Any, organisation_id: int | None = None) -> Any:
    from people.models import Resident

    if not has_permission(actor, "complaints.own"):
        raise PermissionDenied
    resident = Resident.objects.filter(user=actor, organisation_id=actor.organisation_id).first()
    if resident is None or (organisation_id is not None and resident.organisation_id != organisation_id):
        raise PermissionDenied
    return resident


def procedure_for(*, organisation: Any, kind: str) -> Procedure | None:
    """The procedure a case of this kind raised online follows: the landlord's first of that kind."""
    wanted = Procedure.Kind.CONCERNS if kind == Case.Kind.CONCERN else Procedure.Kind.COMPLAINTS
    return Procedure.objects.filter(organisation=organisation, kind=wanted).order_by("pk").first()


def case_raise(
    *,
    actor: Any,
    kind: str,
    summary: str,
    wanted_outcome: str = "",
    issue_date: datetime.date | None = None,
    service_area: str = "",
    attachments: Sequence[UploadedFile] = (),
    submission_key: str = "",
) -> Case:
    """A signed-in resident raises a complaint, concern, compliment or comment online."""
    resident = _own_resident(actor)
    organisation = resident.organisation
    if kind == Case.Kind.SERVICE_REQUEST:
        raise ValidationError({"kind": "Report a repair or ask for a service through your landlord's usual ways"})
    procedure = None
    if kind in (Case.Kind.COMPLAINT, Case.Kind.CONCERN):
        procedure = procedure_for(organisation=organisation, kind=kind)
        if procedure is None:
            raise ValidationError(
                {"kind": "This cannot be raised online yet. Please phone or write to us and we will record it."}
            )
    return _receive(
        organisation=organisation,
        actor=actor,
        kind=kind,
        summary=summary,
        received_at=_now(),
        channel=Case.Channel.WEB,
        procedure=procedure,
        resident=resident,
        representative="",
        issue_date=issue_date,
        service_area=service_area,
        category="",
        wanted_outcome=wanted_outcome,
        accepted_late_reason="",
        attachments=attachments,
        submission_key=submission_key,
        handler=None,
    )


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


def _locked(case: Case) -> Case:
    """The case row locked for this transaction, so two people acting at once act one after the other."""
    # of=("self",): PostgreSQL cannot lock the nullable side of the outer join to the resident.
    return Case.objects.select_for_update(of=("self",)).select_related("organisation", "resident").get(pk=case.pk)


def case_assign(*, case: Case, actor: Any, handler: Any) -> Case:
    _require(actor, "complaints.handle", case)
    if handler is not None and (
        handler.organisation_id != case.organisation_id or not has_permission(handler, "complaints.handle")
    ):
        raise ValidationError({"handler": "Choose someone in your organisation who handles complaints"})
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        case.handler = handler
        case.save(update_fields=["handler"])
    return case


def case_acknowledge(*, case: Case, actor: Any, at: datetime.datetime | None = None) -> CaseStage:
    """Record that the current stage was acknowledged; a clock that runs from the
    acknowledgement starts now (the day it was sent is day 0)."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        case_stage = _open_stage(case)
        if case_stage.acknowledged_at is not None:
            raise ValidationError("This stage has already been acknowledged.")
        if at < case_stage.started_at:
            raise ValidationError("It cannot be acknowledged before it was received.")
        if at > _now() + datetime.timedelta(minutes=5):
            raise ValidationError("It cannot be acknowledged in the future.")
        calendar = calendar_for(case.organisation)
        case_stage.acknowledged_at = at
        if case_stage.acknowledge_due is not None:
            case_stage.acknowledged_in_time = _local_day(at, calendar) <= case_stage.acknowledge_due
        stage = case_stage.stage
        if stage.respond_from == Stage.Clock.ACKNOWLEDGEMENT and stage.respond_days is not None:
            case_stage.respond_due = calendar.add_working_days(_local_day(at, calendar), stage.respond_days)
        case_stage.save(update_fields=["acknowledged_at", "acknowledged_in_time", "respond_due"])
        _event(case, CaseEvent.Kind.ACKNOWLEDGED, actor, stage.name, at=at)
        _letter(case, LetterTemplate.Kind.ACKNOWLEDGED, case_stage)
    return case_stage


def case_extend(
    *, case: Case, actor: Any, working_days: int, reason: str, at: datetime.datetime | None = None
) -> CaseStage:
    """Extend the current stage's response date by up to the stage's allowance, with a reason;
    where the resident must be told why, only before the original deadline has passed. The
    resident is written to with the reason and the new date."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
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
        _event(
            case,
            CaseEvent.Kind.EXTENDED,
            actor,
            f"By {working_days} working days to {_d(case_stage.extended_due)}: {case_stage.extension_reason}",
            at=at,
        )
        _letter(case, LetterTemplate.Kind.EXTENDED, case_stage)
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
    """Record the current stage's decision and send the response letter. A stage that must be
    decided by someone new refuses whoever decided the stage before."""
    _require(actor, "complaints.handle", case)
    at = at or _now()
    if outcome not in CaseStage.Outcome.values:
        raise ValidationError({"outcome": "Choose whether it was upheld, partly upheld or not upheld"})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the decision"})
    if len(reasons) > 20_000 or len(remedy) > 20_000:
        raise ValidationError({"reasons": "Keep the reasons and the remedy to 20,000 characters each"})
    if compensation is not None and compensation < 0:
        raise ValidationError({"compensation": "Compensation cannot be less than nothing"})
    if at > _now() + datetime.timedelta(minutes=5):
        raise ValidationError("It cannot be answered in the future.")
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
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
        calendar = calendar_for(case.organisation)
        day = _local_day(at, calendar)
        T = CaseStage.Timeliness
        if case_stage.respond_due is not None:
            case_stage.timeliness = (
                T.IN_TIME
                if day <= case_stage.respond_due
                else T.EXTENDED
                if case_stage.extended_due is not None and day <= case_stage.extended_due
                else T.LATE
            )
        case_stage.responded_at = at
        case_stage.outcome = outcome
        case_stage.reasons = reasons.strip()
        case_stage.remedy = remedy.strip()
        case_stage.compensation = compensation
        case_stage.decided_by = actor if getattr(actor, "pk", None) else None
        case_stage.save()
        _event(
            case, CaseEvent.Kind.RESPONDED, actor, f"{case_stage.stage.name}: {case_stage.get_outcome_display()}", at=at
        )
        _letter(case, LetterTemplate.Kind.RESPONDED, case_stage)
    return case_stage


def _escalate(case: Case, actor: Any, to: Stage | None, at: datetime.datetime, reason: str) -> CaseStage:
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
        raise ValidationError({"to": f"From {current.stage.name} it can go to " + " or ".join(r.name for r in routes)})
    case_stage = _begin(case, to, at, calendar_for(case.organisation))
    _event(case, CaseEvent.Kind.ESCALATED, actor, f"To {to.name}. {reason}".strip(), at=at)
    if not to.external:
        _letter(case, LetterTemplate.Kind.ESCALATED, case_stage)
    # The Head of Service hears of a case escalated twice (seed 001's trigger).
    if case.stages.count() == 3:
        _alert_head_of_service(case, f"{case.reference} has been escalated a second time, to {to.name}.")
    return case_stage


def case_escalate(
    *, case: Case, actor: Any, to: Stage | None = None, at: datetime.datetime | None = None, reason: str = ""
) -> CaseStage:
    """Move the case on at the resident's request, once its current stage has been answered,
    to the next stage (or, where there are routes to choose from, to the one given)."""
    _require(actor, "complaints.handle", case)
    with transaction.atomic(), set_actor(actor):
        return _escalate(_locked(case), actor, to, at or _now(), reason.strip())


def case_request_escalation(*, case: Case, actor: Any, to: Stage | None = None, reason: str = "") -> CaseStage:
    """The resident asks, in their account, to take their own case further. They need not say why."""
    resident = _own_resident(actor, case.organisation_id)
    if case.resident_id != resident.pk:
        raise PermissionDenied
    if len(reason) > 5_000:
        raise ValidationError({"reason": "Say why in 5,000 characters or fewer"})
    with transaction.atomic(), set_actor(actor):
        return _escalate(_locked(case), actor, to, _now(), reason.strip())


def case_record_dissatisfaction(*, case: Case, actor: Any, details: str) -> Case:
    """The resident has said they are unhappy (with a response, or how it is going): recorded,
    and the Head of Service is told."""
    _require(actor, "complaints.handle", case)
    if not details.strip():
        raise ValidationError({"details": "Say what the resident is unhappy about"})
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        _event(case, CaseEvent.Kind.DISSATISFIED, actor, details.strip())
        _alert_head_of_service(case, f"The resident has said they are dissatisfied with {case.reference}.")
    return case


def case_refer(*, case: Case, actor: Any, to: str, note: str = "") -> Case:
    """Refer to mediation, a designated person, the Ombudsman or independent advice."""
    _require(actor, "complaints.handle", case)
    if to not in CaseEvent.Referral.values:
        raise ValidationError({"to": "Choose who it is referred to"})
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        _event(case, CaseEvent.Kind.REFERRED, actor, note.strip(), referred_to=to)
    return case


def case_record_learning(*, case: Case, actor: Any, learning: str, publish: bool) -> Case:
    """What will change because of this case. Published learning appears, without personal
    details, in "you said, we did" and the annual report."""
    _require(actor, "complaints.handle", case)
    learning = learning.strip()
    if publish and not learning:
        raise ValidationError({"learning": "Say what will change before publishing it"})
    if len(learning) > 2_000:
        raise ValidationError({"learning": "Say what will change in 2,000 characters or fewer"})
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        case.learning = learning
        case.learning_published = publish
        case.save(update_fields=["learning", "learning_published"])
        _event(case, CaseEvent.Kind.LEARNING, actor, learning)
    return case


def case_close(*, case: Case, actor: Any, at: datetime.datetime | None = None) -> Case:
    _require(actor, "complaints.handle", case)
    with transaction.atomic(), set_actor(actor):
        case = _locked(case)
        if case.status == Case.Status.CLOSED:
            return case
        current = case.current_stage
        if current is not None and current.open and not current.stage.external:
            raise ValidationError("Answer the current stage before closing the case.")
        case.status = Case.Status.CLOSED
        case.closed_at = at or _now()
        case.save(update_fields=["status", "closed_at"])
        _event(case, CaseEvent.Kind.CLOSED, actor, at=case.closed_at)
        if case.kind in (Case.Kind.COMPLAINT, Case.Kind.CONCERN):
            _letter(case, LetterTemplate.Kind.CLOSED, current)
    return case


# --- Settings, letters and procedures ------------------------------------------------------------


def settings_update(
    *,
    organisation: Any,
    actor: Any,
    head_of_service: Any,
    oversight_group: Any,
    remind_days_before: int,
    ombudsman_details: str,
) -> ComplaintSettings:
    _require(actor, "complaints.manage", Case(organisation=organisation))
    errors = {}
    if head_of_service is not None and head_of_service.organisation_id != organisation.pk:
        errors["head_of_service"] = "Choose someone in your organisation"
    if oversight_group is not None and oversight_group.organisation_id != organisation.pk:
        errors["oversight_group"] = "Choose one of your groups"
    if not 0 <= remind_days_before <= 20:
        errors["remind_days_before"] = "Remind between 0 and 20 working days before"
    if not ombudsman_details.strip():
        errors["ombudsman_details"] = "Give the Ombudsman's contact details: residents are told them"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        settings, _ = ComplaintSettings.objects.select_for_update().get_or_create(organisation=organisation)
        settings.head_of_service = head_of_service
        settings.oversight_group = oversight_group
        settings.remind_days_before = remind_days_before
        settings.ombudsman_details = ombudsman_details.strip()
        settings.save()
    return settings


def letter_template_save(*, organisation: Any, actor: Any, kind: str, subject: str, body: str) -> LetterTemplate:
    _require(actor, "complaints.manage", Case(organisation=organisation))
    errors = {}
    if kind not in LetterTemplate.Kind.values:
        errors["kind"] = "Choose a kind of letter"
    if not subject.strip():
        errors["subject"] = "Enter a subject"
    elif len(subject) > 200:
        errors["subject"] = "Keep the subject to 200 characters or fewer"
    if not body.strip():
        errors["body"] = "Enter the letter"
    elif len(body) > 20_000:
        errors["body"] = "Keep the letter to 20,000 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        template, _ = LetterTemplate.objects.update_or_create(
            organisation=organisation, kind=kind, defaults={"subject": subject.strip(), "body": body.strip()}
        )
    return template


STAGE_FIELDS = (
    "name",
    "handler",
    "handler_group",
    "acknowledge_days",
    "respond_days",
    "respond_from",
    "extension_days",
    "extension_needs_reasons",
    "different_decider",
    "tsm_stage",
)


def stage_update(*, stage: Stage, actor: Any, values: dict[str, Any]) -> Stage:
    """Change a stage's handler, timescales or TSM counting. Stages already started keep the
    dates they were given: the new timescales apply to stages that start from now on."""
    _require(actor, "complaints.manage", stage.procedure)
    errors = {}
    group = values.get("handler_group")
    if group is not None and group.organisation_id != stage.procedure.organisation_id:
        errors["handler_group"] = "Choose one of your groups"
    if values.get("respond_from") == Stage.Clock.MEETING and group is None:
        errors["handler_group"] = "Choose the group whose meeting the clock runs from"
    if not str(values.get("name", "")).strip():
        errors["name"] = "Enter the stage's name"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        for name in STAGE_FIELDS:
            if name in values:
                setattr(stage, name, values[name])
        stage.save()
    return stage


def assessment_save(
    *,
    organisation: Any,
    actor: Any,
    year_starting: int,
    items: dict[str, tuple[str, str, str]],
    approved_on: datetime.date | None = None,
    governing_body_response: str = "",
) -> CodeAssessment:
    """Save the landlord's self-assessment against the Code: for each requirement, whether it is
    met, the evidence and what will be done."""
    from complaints.code import BY_CODE

    _require(actor, "complaints.manage", Case(organisation=organisation))
    errors: dict[str, Any] = {}
    for code, (meets, _evidence, action) in items.items():
        if code not in BY_CODE:
            errors["__all__"] = f"{code} is not a requirement of the Code"
        elif meets and meets not in CodeAssessmentItem.Meets.values:
            errors[f"meets_{code}"] = "Choose whether it is met"
        elif meets in ("partly", "no") and not action.strip():
            errors[f"action_{code}"] = f"Say what you will do to meet {code}"
    if approved_on is not None and approved_on > timezone.localdate(_now()):
        errors["approved_on"] = "The date approved cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        assessment, _ = CodeAssessment.objects.get_or_create(organisation=organisation, year_starting=year_starting)
        assessment.approved_on = approved_on
        assessment.governing_body_response = governing_body_response.strip()
        assessment.save()
        for code, (meets, evidence, action) in items.items():
            CodeAssessmentItem.objects.update_or_create(
                assessment=assessment,
                requirement=code,
                defaults={"meets": meets, "evidence": evidence.strip(), "action": action.strip()},
            )
    return assessment


# --- Reminders -----------------------------------------------------------------------------------


def _deadline(cs: CaseStage) -> datetime.date | None:
    """The next date the landlord owes the resident something: the acknowledgement while it is
    not sent, then the response (the extended date when extended)."""
    if cs.acknowledged_at is None and cs.acknowledge_due is not None:
        return cs.acknowledge_due
    return cs.due


def reminders_send(*, today: datetime.date | None = None) -> tuple[int, int]:
    """Remind each handler of their cases with a deadline coming up (the landlord's
    `remind_days_before` working days ahead, or today), and tell the managers of deadlines
    that have passed. One message per person per run, listing the cases; each stage is
    reminded once and reported late once, so the job is safe to run as often as wanted.
    Returns (stages reminded, stages reported late)."""
    from django.db.models import Q

    from accounts.models import Organisation

    today = today or timezone.localdate(_now())
    reminded = late = 0
    orgs = Organisation.objects.filter(
        pk__in=CaseStage.objects.filter(responded_at__isnull=True).values("organisation_id").distinct()
    )
    for organisation in orgs:
        calendar = calendar_for(organisation)
        settings = _settings(organisation.pk)
        horizon = calendar.add_working_days(today, settings.remind_days_before)
        soon = (
            Q(acknowledged_at__isnull=True, acknowledge_due__lte=horizon)
            | Q(extended_due__lte=horizon)
            | Q(extended_due__isnull=True, respond_due__lte=horizon)
        )
        stages = list(
            CaseStage.objects.filter(
                soon,
                Q(reminded_on__isnull=True) | Q(late_alerted_on__isnull=True),
                organisation=organisation,
                responded_at__isnull=True,
                case__status=Case.Status.OPEN,
                stage__external=False,
            ).select_related("case", "case__handler", "case__created_by", "stage")
        )
        to_remind: dict[Any, list[CaseStage]] = defaultdict(list)
        to_report: list[CaseStage] = []
        for cs in stages:
            deadline = _deadline(cs)
            if deadline is None:
                continue
            if deadline < today:
                if cs.late_alerted_on is None:
                    to_report.append(cs)
            elif deadline <= horizon and cs.reminded_on is None:
                person = cs.case.handler or cs.case.created_by
                if person is not None and person.is_active:
                    to_remind[person].append(cs)
        with transaction.atomic():
            for person, mine in to_remind.items():
                notify(
                    recipient=person,
                    card=staff_card(person),
                    template="complaint_reminder",
                    context={"rows": [(cs, _deadline(cs)) for cs in mine], "organisation": organisation.name},
                )
                CaseStage.objects.filter(pk__in=[cs.pk for cs in mine]).update(reminded_on=today)
                reminded += len(mine)
            if to_report:
                managers = _managers(organisation.pk) or (
                    [settings.head_of_service] if settings.head_of_service_id else []
                )
                for manager in managers:
                    notify(
                        recipient=manager,
                        card=staff_card(manager),
                        template="complaint_late",
                        context={"rows": [(cs, _deadline(cs)) for cs in to_report], "organisation": organisation.name},
                    )
                CaseStage.objects.filter(pk__in=[cs.pk for cs in to_report]).update(late_alerted_on=today)
                CaseEvent.objects.bulk_create(
                    CaseEvent(
                        case_id=cs.case_id,
                        organisation_id=organisation.pk,
                        kind=CaseEvent.Kind.LATE,
                        at=_now(),
                        text=f"{cs.stage.name}: due {_d(_deadline(cs))}.",
                    )
                    for cs in to_report
                )
                late += len(to_report)
    return reminded, late
