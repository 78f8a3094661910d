"""Core write services live here: every change to core records goes through a function in this
module, so validation and transactions are in one place. Functions take keyword arguments only.

Reads and date arithmetic are in core.calendar.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, TypeVar

from auditlog.context import set_actor
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model

from accounts.models import Nation
from core.calendar import holidays_for
from core.models import BankHoliday, ClosureDay, SubmissionKey

if TYPE_CHECKING:
    from accounts.models import Organisation, User

M = TypeVar("M", bound=Model)


LINK_MAX = 500


def link_problem(link: str) -> str:
    """What is wrong with a link a member of staff or a resident typed (to show against the field),
    or "" when it is fine: a web address (http or https) or a page of this site ("/…"), never a
    `javascript:` or other scheme that would run when clicked."""
    link = link.strip()
    if link and not (link.startswith(("https://", "http://")) or (link.startswith("/") and not link.startswith("//"))):
        return "Enter a web address starting with https:// or a page of this site starting with /"
    if len(link) > LINK_MAX:
        return f"The web address must be {LINK_MAX} characters or fewer"
    return ""


def submit_once(*, key: str, namespace: str, make: Callable[[], M]) -> M:
    """Run `make` once per form submission key, so a double-submitted form makes one record.
    Call it inside the service's transaction; a second copy of the form (even one racing the
    first) gets the record the first made."""
    if not key:
        return make()
    key = f"{namespace}:{key}"[:64]
    existing = SubmissionKey.objects.filter(key=key).first()
    if existing is not None and existing.result is not None:
        return existing.result  # type: ignore[no-any-return]
    try:
        with transaction.atomic():
            record = SubmissionKey.objects.create(key=key)
            result = make()
            record.result = result
            record.save()
            return result
    except IntegrityError:
        existing = SubmissionKey.objects.filter(key=key).first()
        if existing is not None and existing.result is not None:
            return existing.result  # type: ignore[no-any-return]
        raise


_NAME_LENGTH = BankHoliday._meta.get_field("name").max_length or 120


# --- Bank holidays and closure days --------------------------------------------------------------


def bank_holidays_sync(*, years: Iterable[int], nations: Iterable[str] | None = None) -> int:
    """Load bank holidays from the `holidays` package into BankHoliday. Returns how many were added.

    Safe to run again: existing rows are kept. A row added or edited by staff (added_by_staff)
    is never changed; the name of a package-loaded row is refreshed if the package renamed it.
    Rows are never deleted, because a holiday staff relied on must not silently disappear.
    """
    years = list(years)
    nations = list(nations) if nations is not None else list(Nation.values)
    created = 0
    with transaction.atomic():
        for nation in nations:
            wanted = {day: name[:_NAME_LENGTH] for day, name in holidays_for(nation, years).items()}
            existing = {row.date: row for row in BankHoliday.objects.filter(nation=nation, date__in=list(wanted))}
            new = [
                BankHoliday(nation=nation, date=day, name=name) for day, name in wanted.items() if day not in existing
            ]
            # ignore_conflicts covers a concurrent sync adding the same row between the read and the write.
            BankHoliday.objects.bulk_create(new, ignore_conflicts=True)
            created += len(new)
            renamed = []
            for day, row in existing.items():
                if not row.added_by_staff and row.name != wanted[day]:
                    row.name = wanted[day]
                    renamed.append(row)
            if renamed:
                BankHoliday.objects.bulk_update(renamed, ["name"])
    return created


def closure_day_add(*, organisation: Organisation, date: datetime.date, reason: str, actor: User | None) -> ClosureDay:
    """Mark a day the landlord's offices are shut, so it stops counting as a working day.

    Raises ValidationError if the date is already a closure day, a weekend or a bank holiday
    (none of which would change any deadline, so adding it is almost certainly a mistake).
    """
    reason = reason.strip()
    when = f"{date:%A} {date.day} {date:%B %Y}"
    if not reason:
        raise ValidationError("Give a reason for the closure, for example 'Christmas shutdown'.")
    if date.weekday() >= 5:
        raise ValidationError(f"{when} is a weekend, so it is already a non-working day.")
    with transaction.atomic():
        holiday = BankHoliday.objects.filter(nation=organisation.nation, date=date).first()
        if holiday is not None:
            raise ValidationError(f"{when} is already a bank holiday ({holiday.name}).")
        if ClosureDay.objects.filter(organisation=organisation, date=date).exists():
            raise ValidationError(f"{when} is already a closure day.")
        try:
            # Savepoint, so a concurrent duplicate becomes a ValidationError without breaking the transaction.
            with transaction.atomic(), set_actor(actor):
                return ClosureDay.objects.create(organisation=organisation, date=date, reason=reason, created_by=actor)
        except IntegrityError:
            raise ValidationError(f"{when} is already a closure day.") from None


def closure_day_remove(*, closure_day: ClosureDay, actor: User | None) -> None:
    """Reopen a closure day; it counts as a working day again (unless it is a bank holiday).

    `actor` is recorded by django-auditlog (its middleware, or set_actor below) with the deletion.
    """
    with transaction.atomic(), set_actor(actor):
        closure_day.delete()


def receipt_rule_update(
    *,
    organisation: Organisation,
    office_opens: datetime.time,
    office_closes: datetime.time,
    receipt_day_is_day_zero: bool,
    actor: User | None,
) -> Organisation:
    """Change when the landlord's working day starts and ends, and whether the day a report is
    received counts as day 0. Applies to deadlines computed from now on; stored deadlines stay."""
    if office_opens >= office_closes:
        raise ValidationError("The office must close after it opens.")
    with transaction.atomic(), set_actor(actor):
        organisation.office_opens = office_opens
        organisation.office_closes = office_closes
        organisation.receipt_day_is_day_zero = receipt_day_is_day_zero
        organisation.save(update_fields=["office_opens", "office_closes", "receipt_day_is_day_zero"])
    return organisation
