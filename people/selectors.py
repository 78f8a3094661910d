"""Reads of the resident register, always scoped by the permission policy."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from core.models import ImportBatch
from core.permissions import scope
from core.privacy import Cell, suppress
from people.models import Consent, EqualityProfile, Resident, normalise_postcode


@dataclass(frozen=True)
class ResidentFilters:
    q: str = ""
    area: int | None = None
    tenure: str = ""
    interest: str = ""
    level: str = ""
    format_need: str = ""
    consent: str = ""
    status: str = ""


def resident_list(*, user: Any, filters: ResidentFilters) -> QuerySet[Resident]:
    qs = scope(Resident.objects.all(), user, "resident.view")
    if filters.q:
        qs = qs.filter(_search(filters.q.strip(), within=qs))
    if filters.area:
        qs = qs.filter(area_id=filters.area)
    if filters.tenure:
        qs = qs.filter(tenure=filters.tenure)
    if filters.level:
        qs = qs.filter(involvement_level=filters.level)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.interest:
        qs = qs.filter(interests__code=filters.interest)
    if filters.format_need:
        qs = qs.filter(format_needs__code=filters.format_need)
    if filters.consent:
        # IN rather than a correlated EXISTS: SQLite then reads the few thousand consents from their
        # index instead of running the subquery once for each of 100,000 residents.
        qs = qs.filter(
            pk__in=Consent.objects.filter(purpose=filters.consent, withdrawn_at__isnull=True).values("resident_id")
        )
    return qs.select_related("area", "home").order_by("last_name", "first_name", "id")


POSTCODE_KEY_LENGTH = Resident._meta.get_field("postcode_key").max_length or 10


# A full or partial UK postcode once spaces are taken out: "OX4", "OX41", "OX41AA", "SW1A2".
POSTCODE_LIKE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]?(\d[A-Z]{0,2})?$")


def _search(term: str, *, within: QuerySet[Resident]) -> Q:
    """Name, postcode, person reference or email, each asked in a form the indexes can answer.

    A term shaped like a postcode is looked up by postcode key and person reference only, and an
    email by email only, so those use the (organisation, postcode_key) and person reference
    indexes instead of reading every resident (at 100,000 residents a postcode search went from
    about 400 ms to 30 ms on SQLite). See docs/performance.md for the name search."""
    keyed = Q(person_ref=term)
    if "@" in term:
        return keyed | Q(email__iexact=term)
    postcode = normalise_postcode(term)
    if 0 < len(postcode) <= POSTCODE_KEY_LENGTH:
        # The prefix as a range as well, so the index is used whatever the database's collation;
        # postcode keys are upper-case letters and digits, which all sort at or below "Z".
        pad = "Z" * (POSTCODE_KEY_LENGTH - len(postcode))
        keyed |= Q(postcode_key__gte=postcode, postcode_key__lte=postcode + pad, postcode_key__startswith=postcode)
    if POSTCODE_LIKE.match(postcode):
        return keyed
    names = [Q(last_name__istartswith=term), Q(first_name__istartswith=term)]
    if " " in term:
        first, _, last = term.partition(" ")
        names.append(Q(first_name__istartswith=first, last_name__istartswith=last.strip()))
    # A union of one condition each, not one OR across columns, and the matches first, then the
    # page: SQLite (which has no index for a case-insensitive LIKE) reads only resident_name_idx
    # instead of every row (surname search at 100,000 residents: 275 ms to 140 ms), and
    # PostgreSQL, given indexes on UPPER(name), answers each part from its index and sorts only
    # the matches (it otherwise walks the name index in order looking for them).
    ids = [within.filter(condition).order_by().values("pk") for condition in (*names, keyed)]
    return Q(pk__in=ids[0].union(*ids[1:], all=True))


def resident_get(*, user: Any, pk: int) -> Resident:
    resident = (
        scope(Resident.objects.all(), user, "resident.view")
        .select_related("organisation", "home", "area", "tenancy", "home__estate")
        .prefetch_related("interests", "format_needs", "consents")
        .filter(pk=pk)
        .first()
    )
    if resident is None:
        # Same answer for "not there" and "not yours", so ids of other landlords' residents leak nothing.
        raise Http404("No resident found")
    return resident


def household_members(*, resident: Resident) -> QuerySet[Resident]:
    if resident.tenancy_id is None:
        return Resident.objects.none()
    return Resident.objects.filter(tenancy_id=resident.tenancy_id).exclude(pk=resident.pk)


@dataclass(frozen=True)
class DashboardFigures:
    residents: int
    involved: int
    pending: int
    profiles_complete: int
    completeness_percent: float
    completeness_goal: int
    recent_imports: list[ImportBatch]


def dashboard_figures(*, user: Any) -> DashboardFigures:
    from django.conf import settings

    residents = scope(Resident.objects.all(), user, "staff.dashboard")
    counts = residents.aggregate(
        total=Count("id", filter=Q(status=Resident.Status.ACTIVE)),
        involved=Count("id", filter=Q(status=Resident.Status.ACTIVE) & ~Q(involvement_level="")),
        pending=Count("id", filter=Q(status=Resident.Status.PENDING)),
    )
    complete = equality_completeness(user=user)
    imports = list(scope(ImportBatch.objects.all(), user, "staff.dashboard").select_related("created_by")[:5])
    return DashboardFigures(
        residents=counts["total"],
        involved=counts["involved"],
        pending=counts["pending"],
        profiles_complete=complete[0],
        completeness_percent=complete[1],
        completeness_goal=settings.EQUALITY_PROFILE_COMPLETENESS_GOAL,
        recent_imports=imports,
    )


def equality_completeness(*, user: Any) -> tuple[int, float]:
    """How many involved residents have a complete equality profile (the seed's goal is 95%).

    A count of completed profiles reveals nothing about anyone, so staff without equality access
    may see it."""
    involved = scope(Resident.objects.active().involved(), user, "staff.dashboard")
    total = involved.count()
    complete = EqualityProfile.objects.filter(resident__in=involved, is_complete=True).count()
    return complete, (round(100 * complete / total, 1) if total else 0.0)


EQUALITY_BREAKDOWN_FIELDS = (
    "sex",
    "ethnicity",
    "disability",
    "religion",
    "sexual_orientation",
    "caring_responsibilities",
)


def equality_breakdown(*, user: Any, field: str, involved_only: bool = True) -> tuple[list[Cell], int | None]:
    """Counts by one equality characteristic, with small numbers suppressed."""
    if field not in EQUALITY_BREAKDOWN_FIELDS:
        raise ValueError(field)
    base = Resident.objects.active()
    residents = scope(base.involved() if involved_only else base, user, "equality.aggregate")
    rows = (
        EqualityProfile.objects.filter(resident__in=residents)
        .exclude(**{field: ""})
        .values(field)
        .annotate(n=Count("id"))
        .order_by(field)
    )
    labels = dict(getattr(EqualityProfile._meta.get_field(field), "choices", None) or [])
    counts = {str(labels.get(r[field], r[field])): r["n"] for r in rows}
    return suppress(counts)


def neighbourhoods(*, organisation: Any) -> dict[int, tuple[str, int]]:
    """The landlord's neighbourhoods: {id: (name, id of the top-level area holding it)}."""
    from people.models import Area

    areas = {
        pk: (parent, level, name)
        for pk, parent, level, name in Area.objects.filter(organisation=organisation).values_list(
            "pk", "parent_id", "level", "name"
        )
    }

    def top(pk: int) -> int:
        seen = {pk}
        while (parent := areas[pk][0]) is not None and parent in areas and parent not in seen:
            seen.add(parent)
            pk = parent
        return pk

    return {pk: (name, top(pk)) for pk, (_, level, name) in areas.items() if level == Area.Level.NEIGHBOURHOOD}
