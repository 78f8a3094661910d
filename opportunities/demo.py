"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist.

The standard menu loaded, the landlord's settings (thank people at 10, 25 and 50 hours), a few
opportunities in the past (attendance and time recorded) and coming up (invitations answered,
unanswered and on a waiting list), other time given, and the awards those hours have reached.
Rows are written with bulk_create from a few hundred residents, so it takes well under a second
whatever the size of the register. Deterministic for a given seed and `now`.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.utils import timezone

from people.models import Area, Consent, FormatNeed, Interest, InvolvementLevel, Resident
from resources.models import TrainingCourse, TrainingRecord

from .models import Invitation, InvolvementSettings, MenuItem, Opportunity, TimeAward, TimeEntry
from .services import menu_load_presets

AWARD_HOURS = [10, 25, 50]
S = Invitation.Status

# (days from now, title, menu preset, hours, capacity, interests, area or estate, online, status,
#  who it suits, time it asks for, training course code, what people will do)
OPPORTUNITIES: tuple[tuple[Any, ...], ...] = (
    (
        -75,
        "Repairs focus group: getting it right first time",
        "focus-groups",
        "2",
        10,
        ["repairs", "complaints"],
        None,
        False,
        Opportunity.Status.CLOSED,
        ["consulted", "involved", "decision_making"],
        "year",
        None,
        "Tell us what happened the last time you reported a repair, and help us choose what to change first.",
    ),
    (
        -40,
        "Estate walkabout: Ashfield",
        "walkabouts",
        "1.5",
        12,
        ["estate-services", "asb"],
        "Ashfield",
        False,
        Opportunity.Status.CLOSED,
        ["consulted", "involved", "decision_making"],
        "year",
        "walkabouts",
        "Walk the estate with your housing officer and a caretaker. Point out what needs doing: lighting, "
        "bins, paths, anything that feels unsafe. We write it all down and tell you what we did.",
    ),
    (
        -12,
        "Recruitment panel: new repairs contractor",
        "working-groups",
        "4",
        4,
        ["repairs", "value-for-money"],
        None,
        False,
        Opportunity.Status.CLOSED,
        ["involved", "decision_making"],
        "month",
        None,
        "Read the three shortlisted bids, hear each company present and score them alongside staff.",
    ),
    (
        9,
        "Standards task team: review our complaints letters",
        "editorial-group",
        "3",
        6,
        ["complaints", "communications", "transparency"],
        None,
        True,
        Opportunity.Status.OPEN,
        ["armchair", "consulted", "involved"],
        "year",
        None,
        "A task and finish job. Read ten anonymised complaint replies at home and tell us which are clear, "
        "which are not and why. One online meeting to agree what we change.",
    ),
    (
        21,
        "Mystery shop the repairs phone line",
        "mystery-shopping",
        "3",
        8,
        ["repairs", "safety-quality"],
        None,
        False,
        Opportunity.Status.OPEN,
        ["armchair", "involved", "decision_making"],
        "year",
        "mystery-shopping",
        "Phone the repairs line three times over two weeks with a made-up repair, then fill in a short form "
        "about how you were treated. We pay for your calls.",
    ),
    (
        30,
        "Estate walkabout: Canal Side",
        "walkabouts",
        "1.5",
        10,
        ["estate-services", "neighbourhood"],
        "Canal Side",
        False,
        Opportunity.Status.OPEN,
        ["consulted", "involved", "decision_making"],
        "year",
        None,
        "Walk the estate with your housing officer, the police community support officer and a councillor.",
    ),
    (
        45,
        "Leaseholder service charge workshop",
        "leaseholder-panel",
        "2",
        15,
        ["leaseholders", "rents"],
        None,
        False,
        Opportunity.Status.DRAFT,
        ["consulted", "involved", "decision_making"],
        "year",
        None,
        "Help us explain next year's service charges in plain English before the estimates go out.",
    ),
)
PLACES = (
    "Mill Lane Community Centre, Mill Lane, Riverton (step-free, hearing loop)",
    "Meet outside the Ashfield shops",
    "Riverside Homes office, Quay Street, Riverton (step-free)",
    "Online on Microsoft Teams; we send the link the day before",
)
OTHER_TIME = (
    ("working-groups", "Repairs working group meeting", "2"),
    ("residents-associations", "Residents' association committee", "3"),
    ("halo-groups", "Read and commented on papers", "1"),
    ("strategy-panel", "Housing strategy panel", "4"),
    ("editorial-group", "Checked the residents' magazine", "2"),
    ("estate-improvement-grants", "Planted the community garden", "5"),
)


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    """Add this app's demo records for `organisation`. Deterministic for a given seed."""
    rng = random.Random(f"opportunities-{seed}")
    officer = users["officer"]
    menu_load_presets(organisation=organisation, actor=officer)
    menu = {m.preset_code: m for m in MenuItem.objects.filter(organisation=organisation)}
    InvolvementSettings.objects.update_or_create(
        organisation=organisation,
        defaults={"rest_days": 28, "max_recent_invitations": 2, "award_hours": AWARD_HOURS},
    )
    courses = {
        "walkabouts": TrainingCourse.objects.get_or_create(
            organisation=organisation,
            code="walkabouts",
            defaults={
                "name": "Estate walkabouts and inspections",
                "description": "What to look for on an estate walkabout, staying safe, and recording what you find.",
            },
        )[0],
        # Shared with the inspections demo, which trains its mystery shoppers on the same course.
        "mystery-shopping": TrainingCourse.objects.get_or_create(
            organisation=organisation,
            code="mystery-shopping",
            defaults={
                "name": "Mystery shopping",
                "description": "What a mystery shopper does, how to follow a script and how to fill in the assessment.",
            },
        )[0],
    }
    interests = {i.code: i for i in Interest.objects.all()}
    formats = list(FormatNeed.objects.filter(code__in=["large-print", "interpreter", "translation"]))
    areas = {a.name: a for a in Area.objects.filter(organisation=organisation)}

    # The people who could be asked: active, consenting, wanting more than information. A few
    # hundred, taken evenly through the register so every area is represented.
    pool = list(
        Resident.objects.filter(organisation=organisation, status=Resident.Status.ACTIVE, user__isnull=True)
        .filter(
            involvement_level__in=[
                InvolvementLevel.CONSULTED,
                InvolvementLevel.INVOLVED,
                InvolvementLevel.DECISION_MAKING,
                InvolvementLevel.ARMCHAIR,
            ]
        )
        .filter(
            pk__in=Consent.objects.filter(
                purpose=Consent.Purpose.INVOLVEMENT_CONTACT, withdrawn_at__isnull=True
            ).values("resident_id")
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pool:
        return
    step = max(1, len(pool) // 400)
    pool = pool[::step][:400]
    panel = Resident.objects.filter(organisation=organisation, user=users.get("panel")).first()

    # Walkabout training for some, some of it lapsed (matching counts only current training).
    records = []
    for pk in rng.sample(pool, min(40, len(pool))):
        completed = timezone.localdate(now) - datetime.timedelta(days=rng.randint(60, 700))
        expires = completed + datetime.timedelta(days=730)
        records.append(
            TrainingRecord(
                resident_id=pk,
                course=courses["walkabouts"],
                completed_on=completed,
                expires_on=expires,
                recorded_by=officer,
            )
        )
    TrainingRecord.objects.bulk_create(records, ignore_conflicts=True)

    invitations: list[Invitation] = []
    entries: list[TimeEntry] = []
    created: list[Opportunity] = []
    used = 0
    for n, (days, title, preset, hours, capacity, codes, area, online, status, levels, time, course, what) in enumerate(
        OPPORTUNITIES
    ):
        starts = (now + datetime.timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
        starts = starts.replace(hour=18 if n % 2 else 10)
        opportunity = Opportunity.objects.create(
            organisation=organisation,
            menu_item=menu.get(preset),
            title=title,
            description=what,
            starts_at=starts,
            hours=Decimal(hours),
            is_online=online,
            place=PLACES[3] if online else PLACES[n % 3],
            accessibility="" if online else "Step-free access. Tell us if you need a lift or a taxi.",
            capacity=capacity,
            answer_by=starts - datetime.timedelta(days=3),
            levels=levels,
            time_needed=time,
            status=status,
            area_only=area is not None,
            created_by=officer,
            created_at=starts - datetime.timedelta(days=28),
        )
        opportunity.interests.set([interests[c] for c in codes if c in interests])
        if area and area in areas:
            opportunity.areas.set([areas[area]])
        if course:
            opportunity.training_required.set([courses[course]])
        opportunity.format_support.set(formats[: 1 + n % 3])
        created.append(opportunity)
        if status == Opportunity.Status.DRAFT:
            continue
        # A slice of the pool each, overlapping a little, as matching would spread the asking.
        invited_count = min(capacity + 4 + n, len(pool))
        chosen = [pool[(used + i) % len(pool)] for i in range(invited_count)]
        used += invited_count - 3
        if panel is not None and n in (1, 3) and panel.pk not in chosen:
            chosen[0] = panel.pk
        invited_at = opportunity.created_at + datetime.timedelta(days=1)
        past = days < 0
        coming = 0
        for position, resident_id in enumerate(chosen):
            state, waiting_since, attended = _answer(
                rng, past=past, position=position, is_panel=(panel is not None and resident_id == panel.pk)
            )
            if state == S.ACCEPTED and coming >= capacity:
                state, waiting_since = (
                    (S.WAITING, invited_at + datetime.timedelta(hours=position))
                    if not past
                    else (
                        S.DECLINED,
                        None,
                    )
                )
            if state == S.ACCEPTED:
                coming += 1
            if not past:
                attended = None
            answered = None if state == S.INVITED else invited_at + datetime.timedelta(hours=2 + position)
            invitation = Invitation(
                organisation=organisation,
                opportunity=opportunity,
                resident_id=resident_id,
                status=state,
                key=f"{rng.getrandbits(128):032x}",
                invited_at=invited_at,
                invited_by=officer,
                answered_at=answered,
                waiting_since=waiting_since if state == S.WAITING else None,
                match_score=max(40, 95 - 3 * position),
                match_reasons=["Interested in " + ", ".join(interests[c].label for c in codes[:2] if c in interests)],
                attended=attended if state == S.ACCEPTED else None,
            )
            invitations.append(invitation)
    Invitation.objects.bulk_create(invitations)
    saved = Invitation.objects.filter(opportunity__in=created, attended=True).select_related("opportunity")
    for invitation in saved:
        opportunity = invitation.opportunity
        entries.append(
            TimeEntry(
                organisation=organisation,
                resident_id=invitation.resident_id,
                invitation=invitation,
                menu_item_id=opportunity.menu_item_id,
                date=timezone.localtime(opportunity.starts_at).date(),
                hours=opportunity.hours,
                description=opportunity.title[:200],
                recorded_by=officer,
            )
        )
    # Other involvement: a core of regulars who give time every month, so some reach the awards.
    regulars = rng.sample(pool, min(30, len(pool)))
    if panel is not None:
        regulars.append(panel.pk)
    for i, resident_id in enumerate(regulars):
        months = 2 + (i * 7) % 12
        for month in range(months):
            preset, description, hours = OTHER_TIME[(i + month) % len(OTHER_TIME)]
            entries.append(
                TimeEntry(
                    organisation=organisation,
                    resident_id=resident_id,
                    menu_item=menu.get(preset),
                    date=timezone.localdate(now) - datetime.timedelta(days=14 + 30 * month),
                    hours=Decimal(hours) + (Decimal(i % 3) if preset == "strategy-panel" else 0),
                    description=description,
                    recorded_by=officer,
                )
            )
    TimeEntry.objects.bulk_create(entries)

    totals: dict[int, Decimal] = defaultdict(Decimal)
    for entry in entries:
        totals[entry.resident_id] += entry.hours
    TimeAward.objects.bulk_create(
        [
            TimeAward(
                organisation=organisation,
                resident_id=resident_id,
                hours=threshold,
                awarded_at=now - datetime.timedelta(days=7),
            )
            for resident_id, total in sorted(totals.items())
            for threshold in AWARD_HOURS
            if total >= threshold
        ],
        ignore_conflicts=True,  # given once each, even if the demo is added to again
    )


def _answer(
    rng: random.Random, *, past: bool, position: int, is_panel: bool
) -> tuple[str, datetime.datetime | None, bool | None]:
    """A plausible answer: most say yes, some no, some never reply; most who said yes came."""
    if is_panel:
        return (S.ACCEPTED, None, True) if past else (S.INVITED, None, None)
    roll = rng.random()
    if roll < 0.55:
        return S.ACCEPTED, None, rng.random() < 0.85
    if roll < 0.8:
        return S.DECLINED, None, None
    return (S.DECLINED if past else S.INVITED), None, None
