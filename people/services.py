"""Writes to the resident register. Keyword-only, each owns its transaction; personal-data
changes are logged by django-auditlog (its middleware records the acting user)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Organisation
from core.models import SubmissionKey
from core.notifications import ContactCard, notify
from core.permissions import can_act_on
from people.models import (
    PREFERENCE_FIELDS,
    Consent,
    EqualityAccessLog,
    EqualityProfile,
    FormatNeed,
    Interest,
    Resident,
    Tenancy,
    normalise_postcode,
)


def contact_card(resident: Resident) -> ContactCard:
    return ContactCard(
        name=resident.full_name,
        organisation_id=resident.organisation_id,
        preferred_channel=resident.preferred_channel,
        allowed_channels=resident.allowed_channels,
        email=resident.email,
        mobile=resident.mobile,
        phone=resident.phone,
        postal_address=resident.home.address if resident.home_id and resident.home else resident.stated_address,
        formats=[f.code for f in resident.format_needs.all()],
        language=resident.preferred_language,
    )


def resident_update_preferences(
    *,
    resident: Resident,
    actor: Any,
    values: dict[str, Any],
    interests: Iterable[Interest] | None = None,
    format_needs: Iterable[FormatNeed] | None = None,
) -> Resident:
    if not can_act_on(actor, "resident.edit", resident):
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        for name, value in values.items():
            if name not in PREFERENCE_FIELDS:
                raise ValueError(f"{name} is not a preference")
            setattr(resident, name, value)
        resident.full_clean()
        resident.save()
        if interests is not None:
            resident.interests.set(interests)
        if format_needs is not None:
            resident.format_needs.set(format_needs)
    return resident


def expression_of_interest_submit(
    *,
    organisation: Organisation,
    submission_key: str,
    values: dict[str, Any],
    interests: Iterable[Interest],
    format_needs: Iterable[FormatNeed],
) -> Resident:
    """A resident asks to get involved from the public page. Creates a pending resident for
    staff to match to a tenancy, records consent, and acknowledges by their chosen channel.

    The submission key makes a double-submitted form return the first record, not a second."""
    existing = SubmissionKey.objects.filter(key=submission_key).first()
    if existing is not None and isinstance(existing.result, Resident):
        return existing.result
    try:
        with transaction.atomic():
            key = SubmissionKey.objects.create(key=submission_key)
            resident = Resident(
                organisation=organisation,
                status=Resident.Status.PENDING,
                source=Resident.Source.WEB,
                first_name=values["first_name"],
                last_name=values["last_name"],
                email=values.get("email", ""),
                mobile=values.get("mobile", ""),
                phone=values.get("phone", ""),
                stated_address=values["address"],
                stated_postcode=values["postcode"],
                preferred_channel=values["preferred_channel"],
                contact_by_email=values["preferred_channel"] == "email" or bool(values.get("email")),
                contact_by_text=values["preferred_channel"] == "text",
                contact_by_post=values["preferred_channel"] == "post",
                contact_by_phone=values["preferred_channel"] == "phone",
                involvement_level=values["involvement_level"],
                time_available=values.get("time_available", ""),
                preferred_language=values.get("preferred_language", ""),
                tenure=values.get("tenure", ""),
            )
            resident.save()
            resident.interests.set(interests)
            resident.format_needs.set(format_needs)
            Consent.objects.create(
                resident=resident, purpose=Consent.Purpose.INVOLVEMENT_CONTACT, method=Consent.Method.ONLINE
            )
            key.result = resident
            key.save()
            notify(
                recipient=resident,
                card=contact_card(resident),
                template="expression_of_interest_received",
                context={"organisation": organisation.name, "resident": resident},
                because=resident,
            )
    except IntegrityError:
        # Two identical submissions raced; the other one won. Return its record.
        key = SubmissionKey.objects.get(key=submission_key)
        if isinstance(key.result, Resident):
            return key.result
        raise
    return resident


def resident_match_to_tenancy(*, resident: Resident, tenancy_reference: str, actor: Any) -> Resident:
    """Link a pending resident (from the public form) to their tenancy in the register."""
    if not can_act_on(actor, "resident.match", resident):
        raise PermissionDenied
    tenancy = (
        Tenancy.objects.select_related("home")
        .filter(organisation_id=resident.organisation_id, reference=tenancy_reference.strip())
        .first()
    )
    if tenancy is None:
        raise ValidationError({"tenancy_reference": f"There is no tenancy with reference {tenancy_reference}."})
    with transaction.atomic(), set_actor(actor):
        resident.tenancy = tenancy
        resident.home = tenancy.home
        resident.area_id = tenancy.home.area_id
        resident.tenure = tenancy.tenure
        resident.status = Resident.Status.ACTIVE
        resident.postcode_key = normalise_postcode(tenancy.home.postcode)
        resident.save()
    return resident


def consent_record(*, resident: Resident, purpose: str, method: str, actor: Any) -> Consent:
    if not can_act_on(actor, "resident.edit", resident):
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        current = resident.consents.filter(purpose=purpose, withdrawn_at__isnull=True).first()
        if current is not None:
            return current
        return Consent.objects.create(resident=resident, purpose=purpose, method=method, recorded_by=actor)


def consent_withdraw(*, consent: Consent, method: str, actor: Any) -> Consent:
    if not can_act_on(actor, "resident.edit", consent.resident):
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        if consent.withdrawn_at is None:
            consent.withdrawn_at = timezone.now()
            consent.withdrawn_method = method
            consent.save()
    return consent


def equality_profile_read(*, resident: Resident, actor: Any, path: str) -> EqualityProfile | None:
    """Return a resident's equality profile, logging the read. The only way to read one."""
    if not can_act_on(actor, "equality.view", resident):
        raise PermissionDenied
    EqualityAccessLog.objects.create(user=actor, resident=resident, path=path[:300])
    return EqualityProfile.objects.filter(resident=resident).first()


def equality_profile_update(*, resident: Resident, actor: Any, values: dict[str, Any]) -> EqualityProfile:
    if not can_act_on(actor, "equality.edit", resident):
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        profile, _ = EqualityProfile.objects.get_or_create(resident=resident)
        for name, value in values.items():
            if name not in EqualityProfile.COMPLETENESS_FIELDS:
                raise ValueError(f"{name} is not part of the equality profile")
            setattr(profile, name, value)
        profile.save()
        EqualityAccessLog.objects.create(user=actor, resident=resident, path="", purpose="update")
    return profile
