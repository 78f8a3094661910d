"""Writes to the involvement structure. Keyword-only, typed, named <entity>_<action>; each owns its
transaction, checks permission for the object and sets the audit actor."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from auditlog.context import set_actor
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from accounts.models import Organisation, User
from core.models import Message
from core.notifications import ContactCard, notify, staff_card
from core.permissions import can_act_on
from core.services import submit_once
from core.uploads import check_attachment
from groups.models import (
    Action,
    AgendaItem,
    Attendance,
    Candidate,
    Criterion,
    CustomGroupType,
    Decision,
    DocumentVersion,
    Election,
    ElectionPosition,
    Group,
    GroupDocument,
    GroupKind,
    GroupSettings,
    Meeting,
    MemberRole,
    Membership,
    Paper,
    PaperComment,
    PersonalCalendar,
    RecognitionEvidence,
    RecognitionReminder,
    RecognitionReview,
    Venue,
    new_token,
)
from people.models import Resident
from people.services import contact_card

M = TypeVar("M", bound=models.Model)

# Reminders go out this many days before a recognition's renewal date (0: on the day it runs out).
REMINDER_DAYS = (60, 30, 7, 0)
# A reminder that recognition has run out is only sent this long after the date, not for ever.
LAPSED_REMINDER_WINDOW = 30
RECOGNITION_TERM_DAYS = 365


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def _once(key: str, make: Callable[[], M]) -> M:
    """Run `make` once per submission key, so a double-submitted form makes one record."""
    return submit_once(key=key, namespace="groups", make=make)


def _same_landlord(obj: Any, organisation_id: int, message: str, field: str) -> None:
    if obj is not None and getattr(obj, "organisation_id", None) != organisation_id:
        raise ValidationError({field: message})


# --- Settings ---------------------------------------------------------------------------------


class _Within:
    """can_act_on asks an object for its organisation_id; this stands for "something new in this
    organisation" before the record exists."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation_id = organisation.pk


def group_settings_update(
    *, organisation: Organisation, actor: Any, publicity_days: int, publicity_in_working_days: bool
) -> GroupSettings:
    _require(actor, "group.manage", _Within(organisation))
    if publicity_days > 60:
        raise ValidationError({"publicity_days": "Enter 60 days or fewer"})
    with transaction.atomic(), set_actor(actor):
        row, _ = GroupSettings.objects.get_or_create(organisation=organisation)
        row.publicity_days = publicity_days
        row.publicity_in_working_days = publicity_in_working_days
        row.save()
    return row


# --- Groups -----------------------------------------------------------------------------------


def _custom_type(organisation: Organisation, kind: str, other_type: str) -> CustomGroupType | None:
    if kind != GroupKind.OTHER:
        return None
    name = " ".join(other_type.split())
    if not name:
        raise ValidationError({"other_type": "Enter the name of the type of group"})
    found = CustomGroupType.objects.filter(organisation=organisation, name__iexact=name).first()
    return found or CustomGroupType.objects.create(organisation=organisation, name=name[:100])


GROUP_FIELDS = (
    "name",
    "kind",
    "area",
    "parent",
    "purpose",
    "quorum",
    "privacy",
    "is_published",
    "support_officer",
)


def _apply_group_values(group: Group, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        if name not in GROUP_FIELDS:
            raise ValueError(f"{name} is not a group field")
        setattr(group, name, value)
    org_id = group.organisation_id
    _same_landlord(group.area, org_id, "Choose an area of your own organisation", "area")
    _same_landlord(group.parent, org_id, "Choose a group of your own organisation", "parent")
    _same_landlord(group.support_officer, org_id, "Choose a member of your own staff", "support_officer")
    if group.parent is not None and group.kind != GroupKind.HALO_GROUP:
        raise ValidationError({"parent": "Only a halo group sits around another group"})
    if group.parent is not None and group.pk is not None and group.parent.pk == group.pk:
        raise ValidationError({"parent": "A group cannot be a halo around itself"})
    if Group.objects.filter(organisation_id=org_id, name__iexact=group.name).exclude(pk=group.pk).exists():
        raise ValidationError({"name": f"There is already a group called {group.name}"})


def group_create(*, organisation: Organisation, actor: Any, values: Mapping[str, Any], other_type: str = "") -> Group:
    _require(actor, "group.manage", _Within(organisation))
    with transaction.atomic(), set_actor(actor):
        group = Group(organisation=organisation)
        _apply_group_values(group, values)
        group.custom_type = _custom_type(organisation, group.kind, other_type)
        group.save()
    return group


def group_update(*, group: Group, actor: Any, values: Mapping[str, Any], other_type: str = "") -> Group:
    _require(actor, "group.manage", group)
    with transaction.atomic(), set_actor(actor):
        _apply_group_values(group, values)
        group.custom_type = _custom_type(group.organisation, group.kind, other_type)
        group.save()
    return group


def group_calendar_reset(*, group: Group, actor: Any) -> Group:
    """A new secret calendar address; the old one stops working."""
    _require(actor, "group.manage", group)
    with transaction.atomic(), set_actor(actor):
        group.calendar_token = new_token()
        group.save(update_fields=["calendar_token"])
    return group


# --- Members ----------------------------------------------------------------------------------


def membership_add(
    *,
    group: Group,
    actor: Any,
    resident: Resident,
    role: str,
    starts_on: datetime.date,
    term_ends_on: datetime.date | None = None,
) -> Membership:
    _require(actor, "group.manage", group)
    if resident.organisation_id != group.organisation_id:
        raise ValidationError({"resident": f"{resident.full_name} is not a resident of {group.organisation}."})
    if term_ends_on is not None and term_ends_on <= starts_on:
        raise ValidationError({"term_ends_on": "The term must end after it starts"})
    existing = Membership.objects.open().filter(group=group, resident=resident).first()
    if existing is not None:
        raise ValidationError(
            {
                "resident": f"{resident.full_name} is already a member of {group.name} "
                f"({existing.get_role_display().lower()} since {existing.starts_on:%-d %B %Y}). "
                "Change their role instead of adding them again."
            }
        )
    try:
        with transaction.atomic(), set_actor(actor):
            return Membership.objects.create(
                group=group, resident=resident, role=role, starts_on=starts_on, term_ends_on=term_ends_on
            )
    except IntegrityError:
        raise ValidationError({"resident": f"{resident.full_name} is already a member of {group.name}."}) from None


def membership_update(
    *,
    membership: Membership,
    actor: Any,
    role: str,
    starts_on: datetime.date,
    term_ends_on: datetime.date | None,
    ended_on: datetime.date | None = None,
) -> Membership:
    _require(actor, "group.manage", membership.group)
    if term_ends_on is not None and term_ends_on <= starts_on:
        raise ValidationError({"term_ends_on": "The term must end after it starts"})
    if ended_on is not None and ended_on < starts_on:
        raise ValidationError({"ended_on": "The date they left must be on or after the date their term started"})
    with transaction.atomic(), set_actor(actor):
        membership.role = role
        membership.starts_on = starts_on
        membership.term_ends_on = term_ends_on
        membership.ended_on = ended_on
        membership.save()
    return membership


# --- Documents --------------------------------------------------------------------------------

MAX_FILE_BYTES = 20 * 1024 * 1024


def _check_file(file: UploadedFile, field: str) -> None:
    """By content, the one way (core.uploads): a renamed file is refused, whatever its name says."""
    try:
        check_attachment(file, max_bytes=MAX_FILE_BYTES)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from None


def document_upload(
    *,
    group: Group,
    actor: Any,
    kind: str,
    title: str,
    file: UploadedFile,
    agreed_on: datetime.date,
    notes: str = "",
    is_public: bool = True,
) -> DocumentVersion:
    """Add a version of a document. Earlier versions are kept; the newest is the current one."""
    _require(actor, "group.manage", group)
    _check_file(file, "file")
    if agreed_on > timezone.localdate():
        raise ValidationError({"agreed_on": "The date agreed must be today or in the past"})
    title = " ".join(title.split()) or str(GroupDocument.Kind(kind).label)
    with transaction.atomic(), set_actor(actor):
        document, _ = GroupDocument.objects.get_or_create(group=group, kind=kind, title=title)
        if document.is_public != is_public:
            document.is_public = is_public
            document.save(update_fields=["is_public"])
        latest = document.versions.select_for_update().order_by("-number").first()
        version = DocumentVersion(
            document=document,
            number=(latest.number + 1) if latest else 1,
            original_name=(file.name or "document")[:255],
            agreed_on=agreed_on,
            notes=notes,
            uploaded_by=actor,
        )
        version.file.save(file.name or "document", file, save=False)
        version.save()
    return version


# --- Elections and AGMs -----------------------------------------------------------------------


def election_create(
    *,
    group: Group,
    actor: Any,
    kind: str,
    held_on: datetime.date,
    meeting: Meeting | None = None,
    notes: str = "",
    submission_key: str = "",
) -> Election:
    _require(actor, "group.manage", group)
    if meeting is not None and meeting.group_id != group.pk:
        raise ValidationError({"meeting": "Choose one of this group's meetings"})

    def make() -> Election:
        with transaction.atomic(), set_actor(actor):
            return Election.objects.create(group=group, kind=kind, held_on=held_on, meeting=meeting, notes=notes)

    return _once(submission_key, make)


def election_position_add(
    *, election: Election, actor: Any, role: str, seats: int, term_months: int
) -> ElectionPosition:
    _require(actor, "group.manage", election.group)
    if seats < 1:
        raise ValidationError({"seats": "There must be at least 1 seat"})
    if ElectionPosition.objects.filter(election=election, role=role).exists():
        raise ValidationError({"role": f"This election already has a {MemberRole(role).label.lower()} position"})
    with transaction.atomic(), set_actor(actor):
        return ElectionPosition.objects.create(election=election, role=role, seats=seats, term_months=term_months)


def candidate_add(*, position: ElectionPosition, actor: Any, resident: Resident) -> Candidate:
    group = position.election.group
    _require(actor, "group.manage", group)
    if resident.organisation_id != group.organisation_id:
        raise ValidationError({"resident": f"{resident.full_name} is not a resident of {group.organisation}."})
    if position.declared_at is not None:
        raise ValidationError({"resident": "The result for this position has been recorded; no more candidates"})
    if Candidate.objects.filter(position=position, resident=resident).exists():
        raise ValidationError({"resident": f"{resident.full_name} is already standing for {position}"})
    try:
        with transaction.atomic(), set_actor(actor):
            return Candidate.objects.create(position=position, resident=resident)
    except IntegrityError:
        raise ValidationError({"resident": f"{resident.full_name} is already standing for {position}"}) from None


def _add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return datetime.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def election_record_votes(
    *,
    position: ElectionPosition,
    actor: Any,
    votes: Mapping[int, int],
    tie_winners: list[int] | None = None,
) -> list[Candidate]:
    """Record the votes for each candidate, declare who was elected and give them the role and
    term. A result is recorded once: a second attempt (a double-submitted form, or a second
    person) is refused, so votes are never counted twice."""
    election = position.election
    group = election.group
    _require(actor, "group.manage", group)
    with transaction.atomic(), set_actor(actor):
        locked = ElectionPosition.objects.select_for_update().get(pk=position.pk)
        if locked.declared_at is not None:
            when = timezone.localtime(locked.declared_at)
            raise ValidationError(
                f"The result for {locked} was already recorded on {when:%-d %B %Y at %H:%M}. "
                "It cannot be recorded twice."
            )
        candidates = list(locked.candidates.select_related("resident"))
        if not candidates:
            raise ValidationError("Add the candidates before recording the result")
        missing = [c.resident.full_name for c in candidates if c.pk not in votes]
        if missing:
            raise ValidationError(f"Enter the votes for {', '.join(missing)}")
        if any(v < 0 for v in votes.values()):
            raise ValidationError("Votes cannot be fewer than 0")
        for c in candidates:
            c.votes = votes[c.pk]
        ranked = sorted(candidates, key=lambda c: -(c.votes or 0))
        elected = ranked[: locked.seats]
        if len(ranked) > locked.seats:
            cut = ranked[locked.seats - 1].votes
            tied = [c for c in ranked if c.votes == cut]
            safe = [c for c in elected if (c.votes or 0) > (cut or 0)]
            open_seats = locked.seats - len(safe)
            if len(tied) > open_seats:
                chosen = [c for c in tied if c.pk in set(tie_winners or [])]
                if len(chosen) != open_seats:
                    names = " and ".join(c.resident.full_name for c in tied)
                    raise ValidationError(
                        f"{names} tied with {cut} votes. Choose who was elected by the tie-break "
                        f"your constitution sets out ({open_seats} to choose)."
                    )
                elected = safe + chosen
        starts = election.held_on
        term_end = _add_months(starts, locked.term_months)
        for c in candidates:
            c.elected = c in elected
        Candidate.objects.bulk_update(candidates, ["votes", "elected"])
        _give_roles(locked, [c.resident for c in elected], starts, term_end, election)
        locked.declared_at = timezone.now()
        locked.declared_by = actor
        locked.save(update_fields=["declared_at", "declared_by"])
    return candidates


def _give_roles(
    position: ElectionPosition,
    winners: list[Resident],
    starts: datetime.date,
    term_end: datetime.date,
    election: Election,
) -> None:
    group = position.election.group
    single_office = position.role in (
        MemberRole.CHAIR,
        MemberRole.VICE_CHAIR,
        MemberRole.SECRETARY,
        MemberRole.TREASURER,
    )
    if single_office:
        # The outgoing office holder stays on as a member unless re-elected.
        for previous in Membership.objects.open().filter(group=group, role=position.role).exclude(resident__in=winners):
            previous.role = MemberRole.MEMBER
            previous.save()
    for resident in winners:
        membership = Membership.objects.open().filter(group=group, resident=resident).first()
        if membership is None:
            membership = Membership(group=group, resident=resident)
        membership.role = position.role
        membership.starts_on = starts
        membership.term_ends_on = term_end
        membership.elected_in = election
        membership.save()


# --- Recognition ------------------------------------------------------------------------------


def recognition_review_open(*, group: Group, actor: Any) -> RecognitionReview:
    """The review in progress for a group, started if there is none."""
    _require(actor, "group.manage", group)
    with transaction.atomic(), set_actor(actor):
        review = RecognitionReview.objects.filter(group=group, decision="").first()
        if review is not None:
            return review
        try:
            with transaction.atomic():
                return RecognitionReview.objects.create(group=group)
        except IntegrityError:
            return RecognitionReview.objects.get(group=group, decision="")


def recognition_evidence_record(
    *,
    group: Group,
    actor: Any,
    criterion: str,
    meets: bool,
    note: str,
    file: UploadedFile | None = None,
) -> RecognitionEvidence:
    _require(actor, "group.manage", group)
    if criterion not in Criterion.values:
        raise ValidationError({"criterion": "Choose one of the recognition criteria"})
    if file is not None:
        _check_file(file, "file")
    if meets and not note.strip() and file is None:
        raise ValidationError({"note": "Say what shows the group meets this, or attach the evidence"})
    review = recognition_review_open(group=group, actor=actor)
    with transaction.atomic(), set_actor(actor):
        evidence = RecognitionEvidence.objects.filter(review=review, criterion=criterion).first()
        evidence = evidence or RecognitionEvidence(review=review, criterion=criterion)
        evidence.meets = meets
        evidence.note = note.strip()
        evidence.recorded_by = actor
        evidence.recorded_at = timezone.now()
        if file is not None:
            evidence.original_name = (file.name or "evidence")[:255]
            evidence.file.save(file.name or "evidence", file, save=False)
        evidence.save()
    return evidence


def recognition_decide(
    *,
    group: Group,
    actor: Any,
    decision: str,
    reasons: str,
    decided_on: datetime.date | None = None,
    renewal_due: datetime.date | None = None,
) -> RecognitionReview:
    """A manager's decision on the review in progress. Recognition needs every criterion met."""
    _require(actor, "group.recognise", group)
    today = timezone.localdate()
    decided_on = decided_on or today
    if decided_on > today:
        raise ValidationError({"decided_on": "The date of the decision must be today or in the past"})
    if not reasons.strip():
        raise ValidationError({"reasons": "Give the reasons for the decision"})
    if decision not in RecognitionReview.Decision.values:
        raise ValidationError({"decision": "Choose a decision"})
    with transaction.atomic(), set_actor(actor):
        review = RecognitionReview.objects.select_for_update().filter(group=group, decision="").first()
        if review is None:
            if decision != RecognitionReview.Decision.LAPSED:
                raise ValidationError("Record the evidence for each criterion before making a decision")
            review = RecognitionReview.objects.create(group=group)
        if decision == RecognitionReview.Decision.RECOGNISED:
            met = set(review.evidence.filter(meets=True).values_list("criterion", flat=True))
            unmet = [str(label) for code, label in Criterion.choices if code not in met]
            if unmet:
                raise ValidationError(
                    {
                        "decision": "The group cannot be recognised until it meets every criterion. Not yet met: "
                        + "; ".join(unmet)
                    }
                )
            renewal_due = renewal_due or decided_on + datetime.timedelta(days=RECOGNITION_TERM_DAYS)
            if renewal_due <= decided_on:
                raise ValidationError({"renewal_due": "The renewal date must be after the decision"})
        else:
            renewal_due = None
        review.decision = decision
        review.reasons = reasons.strip()
        review.decided_on = decided_on
        review.decided_by = actor
        review.renewal_due = renewal_due
        review.save()
    return review


def _staff_card(user: User) -> ContactCard:
    return staff_card(user)


def recognition_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each recognised association (its chair and secretary) and its support officer
    that recognition is due for renewal: 60, 30 and 7 days before, and on the day it runs out.
    Safe to run daily and more often: each reminder is recorded and never sent twice, and a run
    that was missed sends only the most urgent reminder, not every one it skipped."""
    from groups.selectors import latest_decisions

    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(REMINDER_DAYS))
    oldest = today - datetime.timedelta(days=LAPSED_REMINDER_WINDOW)
    sent = 0
    for review in latest_decisions(renewal_between=(oldest, horizon)):
        assert review.renewal_due is not None
        days_left = (review.renewal_due - today).days
        stage = min(d for d in REMINDER_DAYS if d >= max(days_left, 0))
        if RecognitionReminder.objects.filter(
            review=review, renewal_due=review.renewal_due, days_before__lte=stage
        ).exists():
            continue
        try:
            with transaction.atomic():
                RecognitionReminder.objects.create(review=review, renewal_due=review.renewal_due, days_before=stage)
                _send_recognition_reminder(review, days_left)
        except IntegrityError:
            continue  # another run sent it a moment ago
        sent += 1
    return sent


def _send_recognition_reminder(review: RecognitionReview, days_left: int) -> None:
    group = review.group
    context = {
        "group": group.name,
        "organisation": group.organisation.name,
        "renewal_due": review.renewal_due,
        "days_left": days_left,
        "lapsed": days_left <= 0,
    }
    officers = (
        Membership.objects.open()
        .filter(group=group, role__in=[MemberRole.CHAIR, MemberRole.SECRETARY])
        .select_related("resident", "resident__home")
        .prefetch_related("resident__format_needs")
    )
    for membership in officers:
        notify(
            recipient=membership.resident,
            card=contact_card(membership.resident),
            template="group_recognition_renewal",
            context=context,
            because=review,
        )
    if group.support_officer is not None:
        notify(
            recipient=group.support_officer,
            card=_staff_card(group.support_officer),
            template="group_recognition_renewal",
            context={**context, "for_staff": True},
            because=review,
        )


# --- Venues -----------------------------------------------------------------------------------

VENUE_FIELDS = (
    "name",
    "address",
    "postcode",
    "step_free",
    "hearing_loop",
    "accessible_toilet",
    "parking",
    "accessibility_notes",
)


def venue_save(
    *, organisation: Organisation, actor: Any, values: Mapping[str, Any], venue: Venue | None = None
) -> Venue:
    venue = venue or Venue(organisation=organisation)
    _require(actor, "meeting.manage", venue)
    if Venue.objects.filter(organisation=organisation, name__iexact=values["name"]).exclude(pk=venue.pk).exists():
        raise ValidationError({"name": f"There is already a venue called {values['name']}"})
    with transaction.atomic(), set_actor(actor):
        for name, value in values.items():
            if name not in VENUE_FIELDS:
                raise ValueError(f"{name} is not a venue field")
            setattr(venue, name, value)
        venue.save()
    return venue


# --- Meetings ---------------------------------------------------------------------------------


def _check_times(group: Group, starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    if starts_at <= timezone.now():
        raise ValidationError(
            {"date": "The meeting must be in the future. Choose a date and start time that have not passed yet."}
        )
    if ends_at <= starts_at:
        raise ValidationError({"end_time": "The meeting must end after it starts"})
    if ends_at - starts_at > datetime.timedelta(hours=12):
        raise ValidationError({"end_time": "A meeting cannot last more than 12 hours"})


def _check_place(group: Group, venue: Venue | None, online_link: str) -> None:
    _same_landlord(venue, group.organisation_id, "Choose one of your own venues", "venue")
    if venue is None and not online_link:
        raise ValidationError({"venue": "Choose a venue, or give a link for an online meeting"})


def meeting_schedule(
    *,
    group: Group,
    actor: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str = Meeting.Kind.ORDINARY,
    venue: Venue | None = None,
    online_link: str = "",
    submission_key: str = "",
) -> Meeting:
    _require(actor, "meeting.manage", group)
    _check_times(group, starts_at, ends_at)
    _check_place(group, venue, online_link)
    if group.status == Group.Status.CLOSED:
        raise ValidationError("This group has closed; reopen it before scheduling a meeting")

    def make() -> Meeting:
        with transaction.atomic(), set_actor(actor):
            return Meeting.objects.create(
                group=group, kind=kind, starts_at=starts_at, ends_at=ends_at, venue=venue, online_link=online_link
            )

    return _once(submission_key, make)


def meeting_reschedule(
    *,
    meeting: Meeting,
    actor: Any,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    kind: str,
    venue: Venue | None,
    online_link: str,
) -> Meeting:
    group = meeting.group
    _require(actor, "meeting.manage", group)
    if meeting.has_started:
        raise ValidationError("This meeting has already started, so it cannot be moved")
    _check_times(group, starts_at, ends_at)
    _check_place(group, venue, online_link)
    with transaction.atomic(), set_actor(actor):
        moved = starts_at.date() != meeting.starts_at.date()
        meeting.starts_at, meeting.ends_at = starts_at, ends_at
        meeting.kind, meeting.venue, meeting.online_link = kind, venue, online_link
        if moved:
            meeting.publicised_on = None  # a new date must be publicised again
        meeting.save()
    return meeting


def meeting_mark_publicised(*, meeting: Meeting, actor: Any, on: datetime.date | None = None) -> Meeting:
    _require(actor, "meeting.manage", meeting.group)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"publicised_on": "The date it was publicised must be today or in the past"})
    with transaction.atomic(), set_actor(actor):
        meeting.publicised_on = on
        meeting.save(update_fields=["publicised_on"])
    return meeting


def meeting_cancel(*, meeting: Meeting, actor: Any) -> Meeting:
    _require(actor, "meeting.manage", meeting.group)
    if meeting.has_started:
        raise ValidationError("This meeting has already started, so it cannot be cancelled")
    with transaction.atomic(), set_actor(actor):
        meeting.status = Meeting.Status.CANCELLED
        meeting.save(update_fields=["status"])
    return meeting


def agenda_item_add(
    *, meeting: Meeting, actor: Any, title: str, description: str = "", presenter: str = "", submission_key: str = ""
) -> AgendaItem:
    _require(actor, "meeting.manage", meeting.group)

    def make() -> AgendaItem:
        with transaction.atomic(), set_actor(actor):
            last = meeting.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
            return AgendaItem.objects.create(
                meeting=meeting, order=last + 1, title=title, description=description, presenter=presenter
            )

    return _once(submission_key, make)


def paper_upload(
    *,
    meeting: Meeting,
    actor: Any,
    title: str,
    file: UploadedFile,
    agenda_item: AgendaItem | None = None,
    submission_key: str = "",
) -> Paper:
    _require(actor, "meeting.manage", meeting.group)
    _check_file(file, "file")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValidationError({"agenda_item": "Choose an item on this meeting's agenda"})

    def make() -> Paper:
        with transaction.atomic(), set_actor(actor):
            paper = Paper(
                meeting=meeting,
                agenda_item=agenda_item,
                title=title,
                original_name=(file.name or "paper")[:255],
                uploaded_by=actor,
            )
            paper.file.save(file.name or "paper", file, save=False)
            paper.save()
            return paper

    return _once(submission_key, make)


def meeting_send_papers(*, meeting: Meeting, actor: Any) -> int:
    """Tell every member (halo members too, and members of its halo groups) that the papers are
    ready, each in the way they prefer. A member already told about this meeting is not told again."""
    from groups.selectors import paper_readers

    _require(actor, "meeting.manage", meeting.group)
    if meeting.has_started:
        raise ValidationError("This meeting has already started")
    if not meeting.papers.exists() and not meeting.agenda_items.exists():
        raise ValidationError("Add the agenda or papers before sending them to members")
    resident_type = ContentType.objects.get_for_model(Resident)
    told = set(
        Message.objects.filter(
            template="group_meeting_papers",
            because_type=ContentType.objects.get_for_model(Meeting),
            because_id=str(meeting.pk),
            recipient_type=resident_type,
        ).values_list("recipient_id", flat=True)
    )
    local = timezone.localtime(meeting.starts_at)
    context = {
        "group": meeting.group.name,
        "organisation": meeting.group.organisation.name,
        "starts_at": local,
        "meeting": meeting,
    }
    sent = 0
    with transaction.atomic(), set_actor(actor):
        for resident in paper_readers(meeting=meeting):
            if str(resident.pk) in told:
                continue
            notify(
                recipient=resident,
                card=contact_card(resident),
                template="group_meeting_papers",
                context=context,
                because=meeting,
            )
            sent += 1
    return sent


def _require_started(meeting: Meeting, what: str) -> None:
    if not meeting.has_started:
        raise ValidationError(f"{what} can be recorded once the meeting has started")
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled")


def attendance_record(
    *, meeting: Meeting, actor: Any, statuses: Mapping[int, str], others_present: str = ""
) -> list[Attendance]:
    """Who was there, who sent apologies and who was absent, by resident id. Apologies may be
    recorded before the meeting; who was present only once it has started."""
    _require(actor, "meeting.manage", meeting.group)
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError("This meeting was cancelled")
    if not meeting.has_started and any(s != Attendance.Status.APOLOGIES for s in statuses.values() if s):
        raise ValidationError("Before the meeting starts you can only record apologies")
    members = set(Membership.objects.filter(group=meeting.group).values_list("resident_id", flat=True))
    strangers = [pk for pk in statuses if pk not in members]
    if strangers:
        raise ValidationError("Attendance can only be recorded for members of the group")
    with transaction.atomic(), set_actor(actor):
        rows = []
        for resident_id, status in statuses.items():
            if not status:
                Attendance.objects.filter(meeting=meeting, resident_id=resident_id).delete()
                continue
            row, _ = Attendance.objects.update_or_create(
                meeting=meeting, resident_id=resident_id, defaults={"status": status}
            )
            rows.append(row)
        if meeting.others_present != others_present:
            meeting.others_present = others_present
            meeting.save(update_fields=["others_present"])
    return rows


def minutes_record(*, meeting: Meeting, actor: Any, minutes: str, summary: str) -> Meeting:
    _require(actor, "meeting.manage", meeting.group)
    _require_started(meeting, "Minutes")
    if not minutes.strip():
        raise ValidationError({"minutes": "Enter the minutes"})
    with transaction.atomic(), set_actor(actor):
        meeting.minutes = minutes.strip()
        meeting.summary = summary.strip()
        meeting.minutes_recorded_at = meeting.minutes_recorded_at or timezone.now()
        meeting.save(update_fields=["minutes", "summary", "minutes_recorded_at"])
    return meeting


def decision_add(*, meeting: Meeting, actor: Any, text: str, submission_key: str = "") -> Decision:
    _require(actor, "meeting.manage", meeting.group)
    _require_started(meeting, "Decisions")

    def make() -> Decision:
        with transaction.atomic(), set_actor(actor):
            return Decision.objects.create(meeting=meeting, text=text.strip())

    return _once(submission_key, make)


def action_add(
    *,
    meeting: Meeting,
    actor: Any,
    description: str,
    due_on: datetime.date,
    owner_user: User | None = None,
    owner_resident: Resident | None = None,
    submission_key: str = "",
) -> Action:
    group = meeting.group
    _require(actor, "meeting.manage", group)
    _require_started(meeting, "Actions")
    _same_landlord(owner_user, group.organisation_id, "Choose someone from your own organisation", "owner")
    _same_landlord(owner_resident, group.organisation_id, "Choose someone from your own organisation", "owner")
    if due_on < timezone.localtime(meeting.starts_at).date():
        raise ValidationError({"due_on": "The due date must be on or after the meeting"})

    def make() -> Action:
        with transaction.atomic(), set_actor(actor):
            return Action.objects.create(
                group=group,
                meeting=meeting,
                description=description.strip(),
                due_on=due_on,
                owner_user=owner_user,
                owner_resident=owner_resident,
            )

    return _once(submission_key, make)


def action_update(*, action: Action, actor: Any, status: str, progress_note: str, due_on: datetime.date) -> Action:
    _require(actor, "meeting.manage", action.group)
    with transaction.atomic(), set_actor(actor):
        was_closed = action.status in Action.CLOSED
        action.status = status
        action.progress_note = progress_note.strip()
        action.due_on = due_on
        if status in Action.CLOSED and not was_closed:
            action.closed_on = timezone.localdate()
        elif status not in Action.CLOSED:
            action.closed_on = None
        action.save()
    return action


# --- Members reading papers -------------------------------------------------------------------


def paper_comment_add(
    *, meeting: Meeting, actor: Any, text: str, paper: Paper | None = None, submission_key: str = ""
) -> PaperComment:
    """A member's comment on the papers, before the meeting. Only members (halo members too) of
    the meeting's group, or of a halo group around it, may comment."""
    from groups.selectors import resident_can_read_papers

    _require(actor, "group.papers", meeting.group)
    resident = Resident.objects.filter(user=actor).first() if getattr(actor, "pk", None) else None
    if resident is None or not resident_can_read_papers(resident=resident, meeting=meeting):
        raise PermissionDenied
    if paper is not None and paper.meeting_id != meeting.pk:
        raise ValidationError({"paper": "Choose one of this meeting's papers"})
    if meeting.has_started:
        raise ValidationError({"text": "This meeting has started, so comments on its papers have closed"})
    if meeting.status == Meeting.Status.CANCELLED:
        raise ValidationError({"text": "This meeting was cancelled"})
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Enter your comment"})

    def make() -> PaperComment:
        with transaction.atomic(), set_actor(actor):
            return PaperComment.objects.create(meeting=meeting, paper=paper, resident=resident, text=text)

    return _once(submission_key, make)


def personal_calendar_get_or_create(*, resident: Resident, actor: Any, reset: bool = False) -> PersonalCalendar:
    """A resident's secret calendar address (a new one if `reset`, which stops the old one)."""
    if getattr(actor, "pk", None) is None or resident.user_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        calendar, created = PersonalCalendar.objects.get_or_create(resident=resident)
        if reset and not created:
            calendar.token = new_token()
            calendar.save(update_fields=["token"])
    return calendar
