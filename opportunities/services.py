"""Writes for the menu of involvement, opportunities, invitations, attendance and time given.

Keyword-only, each owns its transaction, checks permission with can_act_on for staff actions and
sets the audit actor. Messages go through core.notifications.notify, which sends after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation
from core.notifications import notify
from core.permissions import can_act_on
from people.models import Area, Consent, FormatNeed, Interest, Resident
from people.services import contact_card
from resources.models import TrainingCourse

from .models import Invitation, InvolvementSettings, MenuItem, Opportunity, TimeAward, TimeEntry
from .presets import PRESETS
from .tokens import make_token, read_token, same_key

MENU_FIELDS = (
    "name",
    "level",
    "summary",
    "what_it_involves",
    "time_needed",
    "time_commitment",
    "involves_meetings",
    "how_to_join",
    "suits_levels",
    "is_published",
    "position",
)
OPPORTUNITY_FIELDS = (
    "menu_item",
    "title",
    "description",
    "starts_at",
    "hours",
    "is_online",
    "place",
    "accessibility",
    "capacity",
    "answer_by",
    "area_only",
    "levels",
    "time_needed",
    "status",
)


def _check(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "pk", None) else None


def invitation_link(invitation: Invitation, *, site_url: str = "") -> str:
    """The full address of the page where the resident answers. SITE_URL wins when it is set, so
    links in messages never depend on the Host header of whoever caused them."""
    base = (getattr(settings, "SITE_URL", "") or site_url).rstrip("/")
    return base + reverse("opportunities:invitation-answer", args=[make_token(invitation)])


# Menu of involvement -------------------------------------------------------------------------


def menu_load_presets(*, organisation: Organisation, actor: Any) -> int:
    """Add the standard menu (Poole's 21 ways and Oxford's tool box) to a landlord's menu.
    Adds only presets the landlord does not have yet and never changes an existing item, so
    running it again adds nothing and keeps staff's edits. Returns how many were added."""
    _check(actor, "menu.manage", _OrgRef(organisation))
    with transaction.atomic(), set_actor(actor):
        have = set(
            MenuItem.objects.select_for_update()
            .filter(organisation=organisation)
            .exclude(preset_code="")
            .values_list("preset_code", flat=True)
        )
        added = 0
        for position, preset in enumerate(PRESETS, start=1):
            if preset["code"] in have:
                continue
            values = {k: v for k, v in preset.items() if k != "code"}
            values["suits_levels"] = [str(v) for v in values["suits_levels"]]
            MenuItem.objects.create(
                organisation=organisation, preset_code=preset["code"], position=position * 10, **values
            )
            added += 1
    return added


class _OrgRef:
    """Lets can_act_on check an action against an organisation itself."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation_id = organisation.pk


def menu_item_create(*, organisation: Organisation, actor: Any, values: Mapping[str, Any]) -> MenuItem:
    _check(actor, "menu.manage", _OrgRef(organisation))
    item = MenuItem(organisation=organisation)
    return _menu_item_save(item=item, actor=actor, values=values)


def menu_item_update(*, item: MenuItem, actor: Any, values: Mapping[str, Any]) -> MenuItem:
    _check(actor, "menu.manage", item)
    return _menu_item_save(item=item, actor=actor, values=values)


def _menu_item_save(*, item: MenuItem, actor: Any, values: Mapping[str, Any]) -> MenuItem:
    with transaction.atomic(), set_actor(actor):
        for name, value in values.items():
            if name not in MENU_FIELDS:
                raise ValueError(f"{name} cannot be set on a menu item")
            setattr(item, name, value)
        item.full_clean()
        item.save()
    return item


# Settings ------------------------------------------------------------------------------------


def settings_update(*, organisation: Organisation, actor: Any, values: Mapping[str, Any]) -> InvolvementSettings:
    _check(actor, "opportunity.manage", _OrgRef(organisation))
    with transaction.atomic(), set_actor(actor):
        current, _ = InvolvementSettings.objects.get_or_create(
            organisation=organisation, defaults={"award_hours": list(InvolvementSettings.DEFAULT_AWARD_HOURS)}
        )
        hours = sorted({int(h) for h in values.get("award_hours", current.award_hours)})
        if any(h <= 0 for h in hours):
            raise ValidationError({"award_hours": "Enter hours of 1 or more"})
        current.rest_days = values.get("rest_days", current.rest_days)
        current.max_recent_invitations = values.get("max_recent_invitations", current.max_recent_invitations)
        current.award_hours = hours
        current.full_clean()
        current.save()
    return current


# Opportunities -------------------------------------------------------------------------------


def _same_landlord(organisation_id: int, rows: Iterable[Any], what: str) -> None:
    for row in rows:
        if getattr(row, "organisation_id", organisation_id) != organisation_id:
            raise ValidationError(f"{row} belongs to another landlord, so it cannot be used for {what}.")


def _validate_opportunity(opportunity: Opportunity, *, creating: bool) -> None:
    errors: dict[str, str] = {}
    if opportunity.capacity is None or opportunity.capacity < 1:
        errors["capacity"] = "Enter the number of places, 1 or more"
    if opportunity.hours is None or opportunity.hours <= 0:
        errors["hours"] = "Enter the hours each person gives, more than 0"
    if creating and opportunity.starts_at and opportunity.starts_at <= timezone.now():
        errors["starts_at"] = "The date and time must be in the future"
    if opportunity.answer_by and opportunity.starts_at and opportunity.answer_by > opportunity.starts_at:
        errors["answer_by"] = "The reply-by date must be on or before the day it starts"
    if opportunity.menu_item_id and opportunity.menu_item.organisation_id != opportunity.organisation_id:  # type: ignore[union-attr]
        errors["menu_item"] = "Choose one of your own ways to get involved"
    if errors:
        raise ValidationError(errors)


def _set_relations(
    opportunity: Opportunity,
    *,
    interests: Iterable[Interest] | None,
    areas: Iterable[Area] | None,
    training: Iterable[TrainingCourse] | None,
    formats: Iterable[FormatNeed] | None,
) -> None:
    if areas is not None:
        areas = list(areas)
        _same_landlord(opportunity.organisation_id, areas, "this opportunity")
        opportunity.areas.set(areas)
    if training is not None:
        training = list(training)
        _same_landlord(opportunity.organisation_id, training, "this opportunity")
        opportunity.training_required.set(training)
    if interests is not None:
        opportunity.interests.set(interests)
    if formats is not None:
        opportunity.format_support.set(formats)


def opportunity_create(
    *,
    organisation: Organisation,
    actor: Any,
    values: Mapping[str, Any],
    interests: Iterable[Interest] = (),
    areas: Iterable[Area] = (),
    training: Iterable[TrainingCourse] = (),
    formats: Iterable[FormatNeed] = (),
) -> Opportunity:
    _check(actor, "opportunity.manage", _OrgRef(organisation))
    opportunity = Opportunity(organisation=organisation, created_by=_user_or_none(actor))
    for name, value in values.items():
        if name not in OPPORTUNITY_FIELDS:
            raise ValueError(f"{name} cannot be set on an opportunity")
        setattr(opportunity, name, value)
    _validate_opportunity(opportunity, creating=True)
    with transaction.atomic(), set_actor(actor):
        opportunity.full_clean()
        opportunity.save()
        _set_relations(opportunity, interests=interests, areas=areas, training=training, formats=formats)
    return opportunity


def opportunity_update(
    *,
    opportunity: Opportunity,
    actor: Any,
    values: Mapping[str, Any],
    interests: Iterable[Interest] | None = None,
    areas: Iterable[Area] | None = None,
    training: Iterable[TrainingCourse] | None = None,
    formats: Iterable[FormatNeed] | None = None,
    site_url: str = "",
) -> Opportunity:
    """Change an opportunity. More places fill from the waiting list, first come first served;
    fewer places than people already coming is refused."""
    _check(actor, "opportunity.manage", opportunity)
    with transaction.atomic(), set_actor(actor):
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        was_cancelled = locked.status == Opportunity.Status.CANCELLED
        for name, value in values.items():
            if name not in OPPORTUNITY_FIELDS:
                raise ValueError(f"{name} cannot be set on an opportunity")
            setattr(locked, name, value)
        _validate_opportunity(locked, creating=False)
        coming = locked.invitations.filter(status=Invitation.Status.ACCEPTED).count()
        if locked.capacity < coming:
            raise ValidationError(
                {
                    "capacity": f"{coming} people are already coming. Enter {coming} places or more, or remove people first."
                }
            )
        locked.full_clean()
        locked.save()
        _set_relations(locked, interests=interests, areas=areas, training=training, formats=formats)
        if locked.is_accepting_answers():
            _fill_from_waiting_list(locked, site_url=site_url)
        if locked.status == Opportunity.Status.CANCELLED and not was_cancelled:
            _tell_cancelled(locked, site_url=site_url)
    opportunity.refresh_from_db()
    return opportunity


def _tell_cancelled(opportunity: Opportunity, *, site_url: str) -> int:
    """Tell everyone still expecting it (coming, waiting for a place, or not yet answered) that it
    is not happening, each in the way they prefer. Those who said no or were removed hear nothing."""
    expecting = (
        opportunity.invitations.filter(
            status__in=[Invitation.Status.ACCEPTED, Invitation.Status.WAITING, Invitation.Status.INVITED]
        )
        .select_related("resident", "opportunity__organisation")
        .order_by("id")
    )
    told = 0
    for invitation in expecting:
        notify(
            recipient=invitation.resident,
            card=contact_card(invitation.resident),
            template="opportunity_cancelled",
            context=_message_context(invitation, site_url=site_url),
            because=invitation,
        )
        told += 1
    return told


# Invitations ---------------------------------------------------------------------------------


def _has_consent(resident: Resident) -> bool:
    return Consent.objects.filter(
        resident=resident, purpose=Consent.Purpose.INVOLVEMENT_CONTACT, withdrawn_at__isnull=True
    ).exists()


def _message_context(invitation: Invitation, *, site_url: str) -> dict[str, Any]:
    opportunity = invitation.opportunity
    return {
        "organisation": opportunity.organisation.name,
        "opportunity": opportunity,
        "starts_at": timezone.localtime(opportunity.starts_at),
        "answer_by": timezone.localtime(opportunity.answers_close_at),
        "support": [f.label for f in opportunity.format_support.all()],
        "link": invitation_link(invitation, site_url=site_url),
    }


def invitation_send(
    *,
    opportunity: Opportunity,
    residents: Iterable[Resident],
    actor: Any,
    site_url: str = "",
    scores: Mapping[int, tuple[int, list[str]]] | None = None,
) -> list[Invitation]:
    """Invite residents to an opportunity, each in the way they prefer. All or none: a resident
    of another landlord, without consent to be contacted, no longer active, or already invited
    to this opportunity stops the whole batch with a message saying who and why."""
    _check(actor, "opportunity.manage", opportunity)
    residents = list(residents)
    if not residents:
        raise ValidationError("Choose at least one person to invite.")
    if not opportunity.is_accepting_answers():
        raise ValidationError("This opportunity is not open for replies, so no one can be invited to it.")
    problems = []
    for resident in residents:
        if resident.organisation_id != opportunity.organisation_id:
            problems.append(f"{resident.full_name} is not one of your residents.")
        elif resident.status != Resident.Status.ACTIVE:
            problems.append(f"{resident.full_name} is not an active resident.")
        elif not _has_consent(resident):
            problems.append(f"{resident.full_name} has not agreed to be contacted about getting involved.")
    already = Invitation.objects.filter(opportunity=opportunity, resident__in=residents).select_related("resident")
    problems.extend(f"{i.resident.full_name} has already been invited to this opportunity." for i in already)
    if problems:
        raise ValidationError(problems)
    scores = scores or {}
    invitations = []
    try:
        with transaction.atomic(), set_actor(actor):
            for resident in residents:
                score, reasons = scores.get(resident.pk, (None, []))
                invitation = Invitation.objects.create(
                    organisation_id=opportunity.organisation_id,
                    opportunity=opportunity,
                    resident=resident,
                    key=Invitation.new_key(),
                    invited_by=_user_or_none(actor),
                    match_score=score,
                    match_reasons=reasons,
                )
                notify(
                    recipient=resident,
                    card=contact_card(resident),
                    template="opportunity_invitation",
                    context=_message_context(invitation, site_url=site_url),
                    because=invitation,
                )
                invitations.append(invitation)
    except IntegrityError as exc:
        # Someone else invited one of them at the same moment (double submit): nothing was sent.
        raise ValidationError("One of these people has already been invited to this opportunity.") from exc
    return invitations


def invitation_send_again(*, invitation: Invitation, actor: Any, site_url: str = "") -> Invitation:
    """Send the invitation again with a new link; the old link stops working."""
    _check(actor, "opportunity.manage", invitation)
    with transaction.atomic(), set_actor(actor):
        invitation.key = Invitation.new_key()
        invitation.save(update_fields=["key"])
        notify(
            recipient=invitation.resident,
            card=contact_card(invitation.resident),
            template="opportunity_invitation",
            context=_message_context(invitation, site_url=site_url),
            because=invitation,
        )
    return invitation


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link is for, or None if the link is not one of ours or has been replaced."""
    found = read_token(token)
    if found is None:
        return None
    pk, key = found
    invitation = (
        Invitation.objects.select_related("opportunity", "opportunity__organisation", "resident").filter(pk=pk).first()
    )
    if invitation is None or not same_key(invitation.key, key):
        return None
    return invitation


def invitation_answer(*, token: str, accept: bool, site_url: str = "") -> Invitation:
    """A resident says yes or no at their link. Giving the same answer again changes nothing.
    Yes when every place is taken puts them on the waiting list. No from someone coming frees
    their place, which goes to the first on the waiting list (who is told)."""
    invitation = invitation_for_token(token)
    if invitation is None:
        raise Invitation.DoesNotExist
    with transaction.atomic():
        # Lock the opportunity so two answers at once cannot both take the last place.
        opportunity = Opportunity.objects.select_for_update().get(pk=invitation.opportunity_id)
        invitation = Invitation.objects.select_for_update().select_related("resident").get(pk=invitation.pk)
        invitation.opportunity = opportunity
        status = Invitation.Status
        if invitation.status == status.WITHDRAWN:
            raise ValidationError("This invitation has been withdrawn, so it can no longer be answered.")
        wanted_already = {True: (status.ACCEPTED, status.WAITING), False: (status.DECLINED,)}[accept]
        if invitation.status in wanted_already:
            return invitation
        cancelling = not accept and invitation.status in (status.ACCEPTED, status.WAITING)
        if not (opportunity.is_accepting_cancellations() if cancelling else opportunity.is_accepting_answers()):
            raise ValidationError("Replies for this have closed.")
        was_coming = invitation.status == status.ACCEPTED
        now = timezone.now()
        invitation.answered_at = now
        if accept:
            if _places_left(opportunity) > 0:
                invitation.status = status.ACCEPTED
                invitation.waiting_since = None
            else:
                invitation.status = status.WAITING
                invitation.waiting_since = now
        else:
            invitation.status = status.DECLINED
            invitation.waiting_since = None
        invitation.save(update_fields=["status", "answered_at", "waiting_since"])
        if was_coming:
            # Until it starts: a place freed after the reply-by date still goes to the waiting list.
            _fill_from_waiting_list(opportunity, site_url=site_url)
    return invitation


def invitation_remove(*, invitation: Invitation, actor: Any, site_url: str = "") -> Invitation:
    """Staff take someone off an opportunity. A place they held goes to the waiting list."""
    _check(actor, "opportunity.manage", invitation)
    with transaction.atomic(), set_actor(actor):
        opportunity = Opportunity.objects.select_for_update().get(pk=invitation.opportunity_id)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.status == Invitation.Status.WITHDRAWN:
            return invitation
        was_coming = invitation.status == Invitation.Status.ACCEPTED
        invitation.status = Invitation.Status.WITHDRAWN
        invitation.waiting_since = None
        invitation.save(update_fields=["status", "waiting_since"])
        if was_coming and opportunity.is_accepting_cancellations():
            _fill_from_waiting_list(opportunity, site_url=site_url)
    return invitation


def _places_left(opportunity: Opportunity) -> int:
    return opportunity.capacity - opportunity.invitations.filter(status=Invitation.Status.ACCEPTED).count()


def _fill_from_waiting_list(opportunity: Opportunity, *, site_url: str) -> list[Invitation]:
    """Give free places to the longest waiting, in order, and tell each. Caller holds the lock."""
    free = _places_left(opportunity)
    if free <= 0:
        return []
    promoted = list(
        opportunity.invitations.filter(status=Invitation.Status.WAITING)
        .select_related("resident", "opportunity__organisation")
        .order_by("waiting_since", "id")[:free]
    )
    for invitation in promoted:
        invitation.status = Invitation.Status.ACCEPTED
        invitation.waiting_since = None
        invitation.save(update_fields=["status", "waiting_since"])
        notify(
            recipient=invitation.resident,
            card=contact_card(invitation.resident),
            template="opportunity_place_offered",
            context=_message_context(invitation, site_url=site_url),
            because=invitation,
        )
    return promoted


# Attendance, time given and awards -----------------------------------------------------------


def attendance_record(
    *, opportunity: Opportunity, actor: Any, attendance: Mapping[int, tuple[bool, Decimal | None]]
) -> int:
    """Record who came (invitation id -> (came, hours)). Each person who came is credited the
    hours given (the opportunity's hours unless staff say otherwise), once; correcting a record
    changes the hours. Returns how many people were recorded as coming."""
    _check(actor, "opportunity.manage", opportunity)
    if opportunity.starts_at > timezone.now():
        raise ValidationError("You can record who came once it has started.")
    came = 0
    with transaction.atomic(), set_actor(actor):
        invitations = {
            i.pk: i
            for i in opportunity.invitations.select_for_update()
            .filter(pk__in=list(attendance), status=Invitation.Status.ACCEPTED)
            .select_related("resident")
        }
        unknown = set(attendance) - set(invitations)
        if unknown:
            raise ValidationError("Attendance can only be recorded for people who said they were coming.")
        day = timezone.localtime(opportunity.starts_at).date()
        touched: list[Resident] = []
        for pk, (attended, hours) in attendance.items():
            invitation = invitations[pk]
            if hours is not None and hours <= 0:
                raise ValidationError(f"Enter hours for {invitation.resident.full_name} of more than 0.")
            invitation.attended = attended
            invitation.save(update_fields=["attended"])
            entry = TimeEntry.objects.filter(invitation=invitation).first()
            if attended:
                came += 1
                given = hours if hours is not None else opportunity.hours
                if entry is None:
                    TimeEntry.objects.create(
                        organisation_id=opportunity.organisation_id,
                        resident=invitation.resident,
                        invitation=invitation,
                        menu_item_id=opportunity.menu_item_id,
                        date=day,
                        hours=given,
                        description=opportunity.title[:200],
                        recorded_by=_user_or_none(actor),
                    )
                elif entry.hours != given:
                    entry.hours = given
                    entry.save(update_fields=["hours"])
                touched.append(invitation.resident)
            elif entry is not None:
                entry.delete()
        for resident in touched:
            _give_awards(resident)
    return came


def time_record(
    *,
    resident: Resident,
    actor: Any,
    hours: Decimal,
    date: datetime.date,
    description: str,
    menu_item: MenuItem | None = None,
) -> TimeEntry:
    """Record time a resident gave to involvement outside an opportunity (a panel, a grant project…)."""
    _check(actor, "opportunity.manage", resident)
    errors = {}
    if hours is None or hours <= 0:
        errors["hours"] = "Enter the hours given, more than 0"
    elif hours > 24:
        errors["hours"] = "Enter the hours given on one day, 24 or fewer"
    if date > timezone.localdate():
        errors["date"] = "The date must be today or in the past"
    if menu_item is not None and menu_item.organisation_id != resident.organisation_id:
        errors["menu_item"] = "Choose one of your own ways to get involved"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        entry = TimeEntry.objects.create(
            organisation_id=resident.organisation_id,
            resident=resident,
            menu_item=menu_item,
            date=date,
            hours=hours,
            description=description,
            recorded_by=_user_or_none(actor),
        )
        _give_awards(resident)
    return entry


def _give_awards(resident: Resident) -> list[TimeAward]:
    """Thank a resident for each threshold their total time has reached, once each."""
    setting = InvolvementSettings.objects.filter(organisation_id=resident.organisation_id).first()
    thresholds = setting.award_hours if setting else list(InvolvementSettings.DEFAULT_AWARD_HOURS)
    total = TimeEntry.objects.filter(resident=resident).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    given = set(TimeAward.objects.filter(resident=resident).values_list("hours", flat=True))
    awards = []
    for hours in sorted(thresholds):
        if hours > total or hours in given:
            continue
        try:
            with transaction.atomic():
                award = TimeAward.objects.create(
                    organisation_id=resident.organisation_id, resident=resident, hours=hours
                )
        except IntegrityError:
            continue  # given by a concurrent request
        notify(
            recipient=resident,
            card=contact_card(resident),
            template="opportunity_time_award",
            context={
                "organisation": resident.organisation.name,
                "hours": hours,
                "total": total.normalize(),
            },
            because=award,
        )
        awards.append(award)
    return awards
