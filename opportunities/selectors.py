"""Reads for the menu of involvement, opportunities, invitations and time given.

Staff reads are scoped with core.permissions.scope: another landlord's record is a 404.
`match_residents` proposes who to invite to an opportunity, ranked, with the reasons.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation
from core.permissions import scope
from people.models import Area, Consent, InvolvementLevel, Resident, TimeAvailable
from resources.models import TrainingRecord

from .models import (
    TIME_ORDER,
    Invitation,
    InvolvementSettings,
    MenuItem,
    Opportunity,
    TimeAward,
    TimeEntry,
)

# Menu ----------------------------------------------------------------------------------------


def menu_for_staff(*, user: Any) -> QuerySet[MenuItem]:
    return scope(MenuItem.objects.all(), user, "opportunity.view").annotate(opportunity_count=Count("opportunities"))


def menu_item_get(*, user: Any, pk: int, action: str = "menu.manage") -> MenuItem:
    item = scope(MenuItem.objects.all(), user, action).filter(pk=pk).first()
    if item is None:
        raise Http404("No such way to get involved")
    return item


@dataclass(frozen=True)
class MenuFilters:
    no_meetings: bool = False
    time: str = ""  # a TimeAvailable value: show what fits into this much time
    level: str = ""  # a people.InvolvementLevel value


def public_menu(*, organisation: Organisation, filters: MenuFilters) -> list[MenuItem]:
    """The published menu of one landlord, from informing to decision-making, filtered."""
    items = MenuItem.objects.filter(organisation=organisation, is_published=True)
    if filters.no_meetings:
        items = items.filter(involves_meetings=False)
    if filters.time in TIME_ORDER:
        fits = [t for t, n in TIME_ORDER.items() if n <= TIME_ORDER[TimeAvailable(filters.time)]]
        items = items.filter(time_commitment__in=fits)
    from .presets import LEVEL_ORDER

    rows = sorted(items, key=lambda i: (LEVEL_ORDER.get(i.level, 99), i.position, i.name))
    if filters.level:
        rows = [i for i in rows if filters.level in i.suits_levels]
    return rows


def public_organisation(*, slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug, kind=Organisation.Kind.LANDLORD).first()
    if organisation is None:
        raise Http404("No such landlord")
    return organisation


# Settings ------------------------------------------------------------------------------------


def settings_for(*, organisation_id: int) -> InvolvementSettings:
    """The landlord's settings, or the defaults (unsaved) when they have set none."""
    found = InvolvementSettings.objects.filter(organisation_id=organisation_id).first()
    return found or InvolvementSettings(
        organisation_id=organisation_id, award_hours=list(InvolvementSettings.DEFAULT_AWARD_HOURS)
    )


# Opportunities -------------------------------------------------------------------------------


def opportunity_list(*, user: Any, when: str = "upcoming") -> QuerySet[Opportunity]:
    qs = scope(Opportunity.objects.all(), user, "opportunity.view").select_related("menu_item")
    now = timezone.now()
    qs = (
        qs.filter(starts_at__gte=now).order_by("starts_at", "id")
        if when == "upcoming"
        else qs.filter(starts_at__lt=now).order_by("-starts_at", "-id")
    )
    status = Invitation.Status
    return qs.annotate(
        invited=Count("invitations", filter=~Q(invitations__status=status.WITHDRAWN)),
        coming=Count("invitations", filter=Q(invitations__status=status.ACCEPTED)),
        waiting=Count("invitations", filter=Q(invitations__status=status.WAITING)),
        came=Count("invitations", filter=Q(invitations__attended=True)),
    )


def opportunity_get(*, user: Any, pk: int, action: str = "opportunity.view") -> Opportunity:
    opportunity = (
        scope(Opportunity.objects.all(), user, action)
        .select_related("menu_item", "organisation")
        .prefetch_related("interests", "areas", "training_required", "format_support")
        .filter(pk=pk)
        .first()
    )
    if opportunity is None:
        raise Http404("No such opportunity")
    return opportunity


def invitations_for(*, opportunity: Opportunity) -> list[Invitation]:
    """Everyone asked, for the opportunity's page: coming, waiting (in order), no answer, not coming."""
    order = {
        Invitation.Status.ACCEPTED: 0,
        Invitation.Status.WAITING: 1,
        Invitation.Status.INVITED: 2,
        Invitation.Status.DECLINED: 3,
        Invitation.Status.WITHDRAWN: 4,
    }
    rows = list(
        opportunity.invitations.select_related("resident", "resident__area", "time_entry").order_by(
            "waiting_since", "invited_at", "id"
        )
    )
    return sorted(rows, key=lambda i: order.get(Invitation.Status(i.status), 9))


def invitation_get(*, user: Any, pk: int) -> Invitation:
    invitation = (
        scope(Invitation.objects.all(), user, "opportunity.manage")
        .select_related("resident", "opportunity")
        .filter(pk=pk)
        .first()
    )
    if invitation is None:
        raise Http404("No such invitation")
    return invitation


def resident_by_reference(*, user: Any, reference: str) -> Resident | None:
    return scope(Resident.objects.all(), user, "opportunity.manage").filter(person_ref=reference.strip()).first()


# Matching ------------------------------------------------------------------------------------

# Points for each thing a resident has in common with the opportunity (at most 100 in all).
POINTS_PER_INTEREST = 10
MAX_INTEREST_POINTS = 30
POINTS_AREA = 20
POINTS_LEVEL = 15
POINTS_TIME = 10
POINTS_TRAINING = 15
POINTS_FORMATS = 5
POINTS_RESTED = 5
# People who asked only to be kept informed (or said nothing) are never asked to do a task. Named
# positively so the (organisation, involvement_level) index answers it.
FOR_TASKS = [level for level in InvolvementLevel.values if level != InvolvementLevel.INFORMED]


# (resident id, area id, estate id, involvement level, time available): what matching reads of each.
Row = tuple[int, int | None, int | None, str, str]


@dataclass
class Match:
    resident: Resident
    score: int
    reasons: list[str] = field(default_factory=list)
    cautions: list[str] = field(default_factory=list)
    recent_invitations: int = 0


@dataclass
class MatchList:
    matches: list[Match]
    total: int
    asked_too_often: int
    already_invited: int
    rest_days: int
    max_recent: int


def _area_scope(opportunity: Opportunity) -> tuple[set[int], set[int], dict[int, str]]:
    """(top-level area ids, estate ids, names) an opportunity's areas cover."""
    tops: set[int] = set()
    estates: set[int] = set()
    names: dict[int, str] = {}
    neighbourhoods = []
    for area in opportunity.areas.all():
        names[area.pk] = area.name
        if area.level == Area.Level.AREA:
            tops.add(area.pk)
        elif area.level == Area.Level.ESTATE:
            estates.add(area.pk)
        else:
            neighbourhoods.append(area.pk)
    if neighbourhoods:
        for pk, name in Area.objects.filter(parent_id__in=neighbourhoods).values_list("pk", "name"):
            estates.add(pk)
            names[pk] = name
    return tops, estates, names


def match_residents(*, user: Any, opportunity: Opportunity, limit: int = 50) -> MatchList:
    """Residents to invite, best first, with why each matched.

    Only active residents with current consent to be contacted about involvement, who have not
    been invited to this opportunity, who want more than to be kept informed, and who have had
    fewer invitations than the landlord's limit in the landlord's look-back period. They are
    scored on interests in common, where they live, how involved they want to be, the time they
    have, training held, format needs the opportunity can meet and how recently they were asked;
    ties go to whoever was asked least lately.

    Reads each table once for the whole landlord (about ten queries whatever the size) and scores
    in Python; only the residents shown are loaded as objects. See bench/match_opportunity.py."""
    if not scope(Opportunity.objects.filter(pk=opportunity.pk), user, "opportunity.manage").exists():
        raise Http404("No such opportunity")
    org_id = opportunity.organisation_id
    setting = settings_for(organisation_id=org_id)
    cutoff = timezone.now() - datetime.timedelta(days=setting.rest_days)

    interest_labels = {i.pk: i.label for i in opportunity.interests.all()}
    tops, estates, area_names = _area_scope(opportunity)
    level_labels = dict(InvolvementLevel.choices)
    wanted_levels = set(opportunity.levels)
    courses = {c.pk: c.name for c in opportunity.training_required.all()}
    support = {f.pk for f in opportunity.format_support.all()}
    need_labels: dict[int, str] = {}
    needed_time = TIME_ORDER.get(TimeAvailable(opportunity.time_needed), 1) if opportunity.time_needed else 1
    time_labels = dict(TimeAvailable.choices)

    consenting = Consent.objects.filter(purpose=Consent.Purpose.INVOLVEMENT_CONTACT, withdrawn_at__isnull=True).values(
        "resident_id"
    )
    candidates = (
        Resident.objects.filter(organisation_id=org_id, status=Resident.Status.ACTIVE)
        .filter(involvement_level__in=FOR_TASKS)
        .filter(pk__in=consenting)
    )
    if opportunity.area_only and (tops or estates):
        candidates = candidates.filter(Q(area_id__in=tops) | Q(home__estate_id__in=estates))
    rows: list[Row] = list(
        candidates.order_by().values_list("pk", "area_id", "home__estate_id", "involvement_level", "time_available")
    )

    invited = set(Invitation.objects.filter(opportunity=opportunity).order_by().values_list("resident_id", flat=True))
    recent = dict(
        Invitation.objects.filter(organisation_id=org_id, invited_at__gte=cutoff)
        .order_by()
        .values("resident_id")
        .annotate(n=Count("id"))
        .values_list("resident_id", "n")
    )
    shared: dict[int, list[int]] = defaultdict(list)
    if interest_labels:
        through = Resident.interests.through
        for resident_id, interest_id in (
            # No join to the resident table (that read all 100,000 on PostgreSQL): rows of people who
            # are not candidates are simply never looked up.
            through.objects.filter(interest_id__in=list(interest_labels))
            .order_by()
            .values_list("resident_id", "interest_id")
        ):
            shared[resident_id].append(interest_id)
    needs: dict[int, list[int]] = defaultdict(list)
    for resident_id, need_id, label in Resident.format_needs.through.objects.order_by().values_list(
        "resident_id", "formatneed_id", "formatneed__label"
    ):
        needs[resident_id].append(need_id)
        need_labels[need_id] = label
    trained: dict[int, set[int]] = defaultdict(set)
    if courses:
        for resident_id, course_id in (
            TrainingRecord.objects.current()
            .filter(course_id__in=list(courses))
            .order_by()
            .values_list("resident_id", "course_id")
        ):
            trained[resident_id].add(course_id)

    def judge(row: Row, asked: int, explain: bool) -> tuple[int, list[str], list[str]]:
        """Points for one resident, and (when explaining) why, in words staff can check."""
        pk, area_id, estate_id, level, time_available = row
        score = 0
        reasons: list[str] = []
        cautions: list[str] = []
        common = shared.get(pk)
        if common:
            score += min(MAX_INTEREST_POINTS, POINTS_PER_INTEREST * len(common))
            if explain:
                reasons.append("Interested in " + ", ".join(sorted(interest_labels[i] for i in common)))
        if estate_id in estates:
            score += POINTS_AREA
            if explain:
                reasons.append(f"Lives on {area_names[estate_id]} estate")
        elif area_id in tops:
            score += POINTS_AREA
            if explain:
                reasons.append(f"Lives in {area_names[area_id]}")
        if level in wanted_levels:
            score += POINTS_LEVEL
            if explain:
                reasons.append(f"Wants to: {str(level_labels[level]).lower()}")
        if time_available:
            if TIME_ORDER[TimeAvailable(time_available)] >= needed_time:
                score += POINTS_TIME
                if explain:
                    reasons.append(f"Has {str(time_labels[time_available]).lower()}")
            elif explain:
                cautions.append(f"Has only {str(time_labels[time_available]).lower()}")
        if courses:
            held = trained.get(pk, set())
            missing = [courses[c] for c in courses if c not in held]
            if not missing:
                score += POINTS_TRAINING
                if explain:
                    reasons.append("Trained: " + ", ".join(courses[c] for c in courses))
            elif explain:
                cautions.append("Not yet trained: " + ", ".join(missing))
        needed = needs.get(pk, ())
        unmet = [n for n in needed if n not in support]
        if unmet:
            if explain:
                cautions.append("Needs " + ", ".join(need_labels[n] for n in unmet).lower() + ", which is not offered")
        else:
            score += POINTS_FORMATS
            if explain and needed:
                reasons.append("Needs " + ", ".join(need_labels[n] for n in needed).lower() + ", which we can provide")
        if asked == 0:
            score += POINTS_RESTED
            if explain:
                reasons.append(f"Not asked in the last {setting.rest_days} days")
        elif explain:
            cautions.append(f"Asked {_times(asked)} in the last {setting.rest_days} days")
        return score, reasons, cautions

    # Score everyone (numbers only), then put into words just the residents shown.
    scored: list[tuple[int, int, int, Row]] = []
    asked_too_often = 0
    already = 0
    for row in rows:
        pk = row[0]
        if pk in invited:
            already += 1
            continue
        asked = recent.get(pk, 0)
        if asked >= setting.max_recent_invitations:
            asked_too_often += 1
            continue
        scored.append((-judge(row, asked, False)[0], asked, pk, row))

    scored.sort(key=lambda item: item[:3])
    shown = scored[:limit]
    people = Resident.objects.select_related("area").in_bulk([item[2] for item in shown])
    top = []
    for _, asked, pk, row in shown:
        score, reasons, cautions = judge(row, asked, True)
        top.append(
            Match(resident=people[pk], score=score, reasons=reasons, cautions=cautions, recent_invitations=asked)
        )
    return MatchList(
        matches=top,
        total=len(scored),
        asked_too_often=asked_too_often,
        already_invited=already,
        rest_days=setting.rest_days,
        max_recent=setting.max_recent_invitations,
    )


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


# Time given ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeGiven:
    resident: Resident
    hours: Decimal
    awards: list[int]


def time_given_list(*, user: Any, limit: int = 100) -> list[TimeGiven]:
    """Residents who have given most time, with their awards."""
    totals = (
        scope(TimeEntry.objects.all(), user, "opportunity.view")
        .values("resident_id")
        .annotate(total=Sum("hours"))
        .order_by("-total", "resident_id")[:limit]
    )
    rows = list(totals)
    people = Resident.objects.select_related("area").in_bulk([r["resident_id"] for r in rows])
    awards: dict[int, list[int]] = defaultdict(list)
    for resident_id, hours in TimeAward.objects.filter(resident_id__in=list(people)).values_list(
        "resident_id", "hours"
    ):
        awards[resident_id].append(hours)
    return [TimeGiven(people[r["resident_id"]], r["total"], sorted(awards[r["resident_id"]])) for r in rows]


# A signed-in resident's own involvement ------------------------------------------------------


@dataclass
class OwnInvolvement:
    resident: Resident | None
    invitations: list[Invitation]
    entries: list[TimeEntry]
    total_hours: Decimal
    awards: list[TimeAward]
    next_award: int | None


def own_involvement(*, user: Any) -> OwnInvolvement:
    """The signed-in resident's invitations, time given and awards (their own record only)."""
    resident = (
        Resident.objects.filter(user=user, organisation_id=user.organisation_id).select_related("organisation").first()
        if getattr(user, "pk", None)
        else None
    )
    if resident is None:
        return OwnInvolvement(None, [], [], Decimal(0), [], None)
    return resident_involvement(resident=resident)


def resident_involvement(*, resident: Resident) -> OwnInvolvement:
    """One resident's invitations, time given and awards. The caller has checked who may see them."""
    invitations = list(
        resident.invitations.exclude(status=Invitation.Status.WITHDRAWN)
        .select_related("opportunity")
        .order_by("-opportunity__starts_at")
    )
    entries = list(resident.time_entries.select_related("menu_item").order_by("-date", "-id"))
    total = sum((e.hours for e in entries), Decimal(0))
    awards = list(resident.time_awards.all())
    thresholds = settings_for(organisation_id=resident.organisation_id).award_hours
    given = {a.hours for a in awards}
    upcoming = [h for h in sorted(thresholds) if h not in given and h > total]
    return OwnInvolvement(
        resident,
        invitations,
        entries,
        total.normalize() if total else Decimal(0),
        awards,
        upcoming[0] if upcoming else None,
    )
