"""Reads of the resident register, always scoped by the permission policy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
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
        term = filters.q.strip()
        postcode = normalise_postcode(term)
        condition = (
            Q(last_name__istartswith=term)
            | Q(first_name__istartswith=term)
            | Q(person_ref=term)
            | Q(email__iexact=term)
            | Q(postcode_key__startswith=postcode)
        )
        if " " in term:
            first, _, last = term.partition(" ")
            condition |= Q(first_name__istartswith=first, last_name__istartswith=last.strip())
        qs = qs.filter(condition)
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
        qs = qs.filter(
            Exists(Consent.objects.filter(resident=OuterRef("pk"), purpose=filters.consent, withdrawn_at__isnull=True))
        )
    return qs.select_related("area", "home").order_by("last_name", "first_name", "id")


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
