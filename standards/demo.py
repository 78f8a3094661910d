"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist.

Riverside Homes gets the structure of seeds 001 and 003: an Independent Tenant Scrutiny Panel with
a halo group, four Standards Task Teams (one per consumer standard), tenants' and residents'
associations with recognition records, six area forums, a leaseholder panel, a sheltered housing
forum, the Choice Working Group, a topic panel, a resident board committee and an editorial group
(a type the landlord named itself), with a year of meetings: past ones with attendance, minutes,
decisions and actions; coming ones with agendas and papers. Everything is made up and
deterministic for a seed; rows are written with bulk_create so it stays fast at any register size.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

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
    RecognitionEvidence,
    RecognitionReview,
    Venue,
)
from people.models import Area, Resident, Tenure

VENUES = (
    (
        "Riverside Community Hub",
        "12 Wharf Road, Riverton",
        "RV1 2QT",
        True,
        True,
        True,
        True,
        "Lift to the first floor. Bus 4 stops outside.",
    ),
    ("Ashfield Estate Hall", "Ashfield Close, Riverton", "RV3 4LB", True, False, True, False, "Ramp at the side door."),
    (
        "Town Hall, Committee Room 2",
        "Market Square, Riverton",
        "RV1 1AA",
        True,
        True,
        True,
        True,
        "Blue badge bays in Market Street.",
    ),
    ("Canal Side Library", "Towpath Lane, Riverton", "RV5 8HD", True, True, False, False, ""),
    (
        "St Mark's Church Hall",
        "St Mark's Road, Riverton",
        "RV2 6JP",
        False,
        False,
        False,
        True,
        "Three steps at the entrance; a portable ramp is available on request.",
    ),
)

# name, kind, quorum, size, meetings a year, venue index (None: online), published, privacy
STRUCTURE: tuple[tuple[str, str, int, int, int, int | None, bool, str], ...] = (
    ("Independent Tenant Scrutiny Panel", GroupKind.SCRUTINY_PANEL, 4, 9, 12, 0, True, Group.Privacy.NAMES_AND_ROLES),
    (
        "Safety and Quality Standards Task Team",
        GroupKind.STANDARDS_TASK_TEAM,
        3,
        7,
        6,
        0,
        True,
        Group.Privacy.ROLES_ONLY,
    ),
    (
        "Transparency, Influence and Accountability Task Team",
        GroupKind.STANDARDS_TASK_TEAM,
        3,
        6,
        6,
        None,
        True,
        Group.Privacy.ROLES_ONLY,
    ),
    (
        "Neighbourhood and Community Standards Task Team",
        GroupKind.STANDARDS_TASK_TEAM,
        3,
        7,
        6,
        3,
        True,
        Group.Privacy.ROLES_ONLY,
    ),
    ("Tenancy Standards Task Team", GroupKind.STANDARDS_TASK_TEAM, 3, 6, 6, 0, True, Group.Privacy.ROLES_ONLY),
    ("Choice Working Group", GroupKind.WORKING_GROUP, 3, 6, 4, 2, True, Group.Privacy.ROLES_ONLY),
    ("Leaseholder Panel", GroupKind.LEASEHOLDER_PANEL, 3, 6, 4, 2, True, Group.Privacy.NAMES_AND_ROLES),
    ("Sheltered Housing Forum", GroupKind.SHELTERED_FORUM, 4, 8, 4, 4, True, Group.Privacy.ROLES_ONLY),
    ("Repairs and Improvements Topic Panel", GroupKind.TOPIC_PANEL, 3, 6, 6, 3, True, Group.Privacy.ROLES_ONLY),
    ("Resident Involvement Committee", GroupKind.BOARD, 4, 7, 6, 2, True, Group.Privacy.NAMES_AND_ROLES),
    ("At Home Editorial Group", GroupKind.OTHER, 2, 5, 4, None, False, Group.Privacy.HIDDEN),
)
# Associations: name, estate, recognition story
ASSOCIATIONS = (
    ("Ashfield Tenants' and Residents' Association", "Ashfield", "renewal_soon"),
    ("Canal Side Residents' Association", "Canal Side", "recognised"),
    ("Jubilee Estate Tenants' Association", "Jubilee", "in_review"),
    ("Oakwood Residents' Association", "Oakwood", "lapsed"),
)
PURPOSES: dict[str, str] = {
    GroupKind.SCRUTINY_PANEL: "Checks how well Riverside Homes delivers its services, on behalf of all tenants and leaseholders, and recommends improvements to the board.",
    GroupKind.STANDARDS_TASK_TEAM: "Residents interested in one of the consumer standards. We only ask for your time when there is a specific task: reviewing a policy, testing a service or checking performance.",
    GroupKind.WORKING_GROUP: "Monitors and reviews our local offers, and works on reaching residents who are not often heard.",
    GroupKind.LEASEHOLDER_PANEL: "Leaseholders meeting the leasehold services team about service charges, major works and leasehold management.",
    GroupKind.SHELTERED_FORUM: "Residents of our sheltered schemes discussing what matters to older people and how to improve their homes and communities.",
    GroupKind.TOPIC_PANEL: "Looks in detail at repairs, planned works and home improvements, and helps set and check the standards.",
    GroupKind.BOARD: "The board's resident involvement committee: makes decisions and recommendations about how residents are involved.",
    GroupKind.OTHER: "Reads and improves the At Home magazine and our leaflets before they go out, so they are clear and jargon-free.",
    GroupKind.TRA: "Represents everyone who lives on the estate, works with us and other agencies to improve the area, and runs community events. Membership is open to all residents.",
    GroupKind.AREA_FORUM: "A quarterly meeting where residents, councillors and staff discuss priorities for the area and agree actions.",
    GroupKind.HALO_GROUP: "For residents who want a say without going to meetings: you get the Scrutiny Panel's agenda, reports and minutes and send your comments before each meeting.",
}
AGENDAS = (
    ("Repairs performance report", "Head of Repairs"),
    ("Complaints: what we learned this quarter", "Complaints Manager"),
    ("Anti-social behaviour policy review", "Neighbourhoods Manager"),
    ("Tenant satisfaction measures: latest results", "Performance Officer"),
    ("Damp and mould: progress on the action plan", "Asset Manager"),
    ("Estate services and grounds maintenance", "Estate Services Lead"),
    ("Service charges for next year", "Leasehold Services Officer"),
    ("Local offers: are we keeping our promises?", "Involvement Officer"),
    ("Budget for estate improvements", "Involvement Officer"),
    ("Draft annual report to tenants", "Communications Officer"),
)
ACTIONS = (
    "Send the panel the breakdown of missed repair appointments by contractor",
    "Arrange a walkabout of the estate with the caretaking team",
    "Find out why the lift has been out of order three times this quarter",
    "Draft a plain-English version of the anti-social behaviour leaflet",
    "Invite the head of repairs to the next meeting",
    "Check that complaint responses are sent within 10 working days",
    "Share the satisfaction survey results by area",
    "Cost the new bin store for the estate improvement budget",
    "Write to all residents about the change to bulky waste collections",
    "Ask the contractor for the damp and mould inspection figures",
)
DECISIONS = (
    "The panel agreed to review the repairs appointment process as its next scrutiny project.",
    "Members recommended that complaint letters use plain English and say who to contact.",
    "The group agreed the draft anti-social behaviour policy, subject to the changes noted.",
    "Members agreed to hold the annual general meeting in May.",
    "The group asked for quarterly performance figures to be shared in advance of meetings.",
    "Members agreed to fund two estate improvement bids from the budget.",
)
SUMMARIES = (
    "We looked at how repairs are going. Most repairs are done on time, but appointments are still being missed. We have asked for more figures and will look at this again next time.",
    "We talked about complaints and what Riverside Homes has learned from them. We asked for clearer letters to residents.",
    "We reviewed the anti-social behaviour policy and suggested changes so it is easier to report problems.",
    "We heard how satisfied residents are with their homes and services, area by area, and agreed what to look at next.",
    "We checked progress on fixing damp and mould. We will visit some homes with staff to see the work for ourselves.",
)
COMMENTS = (
    "Could the report say how many repairs were done right first time? That matters more to me than the average time.",
    "I cannot get to meetings, but I would like the panel to ask about the lift on our block: it broke down again last week.",
    "The figures on page 2 are hard to follow. A simple chart would help.",
)


@dataclass
class _Pool:
    ids: list[int]
    by_area: dict[int | None, list[int]]
    leaseholders: list[int]


def _pool(organisation: Any) -> _Pool:
    rows = list(
        Resident.objects.filter(organisation=organisation, status=Resident.Status.ACTIVE)
        .exclude(involvement_level="")
        .order_by("pk")
        .values_list("pk", "area_id", "tenure")
    )
    by_area: dict[int | None, list[int]] = {}
    for pk, area_id, _ in rows:
        by_area.setdefault(area_id, []).append(pk)
    return _Pool(
        ids=[r[0] for r in rows],
        by_area=by_area,
        leaseholders=[r[0] for r in rows if r[2] in (Tenure.LEASEHOLDER, Tenure.SHARED_OWNER)],
    )


def _at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _weekday_on_or_after(day: datetime.date, weekday: int) -> datetime.date:
    return day + datetime.timedelta(days=(weekday - day.weekday()) % 7)


def _demo_file(name: str, text: str) -> str:
    """A small text file in MEDIA_ROOT, written once and reused by later builds."""
    path = f"groups/demo/{name}"
    if not default_storage.exists(path):
        path = default_storage.save(path, ContentFile(text.encode()))
    return path


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    """Add this app's demo records for `organisation`. Deterministic for a given seed."""
    rng = random.Random(seed * 7 + 3)
    today = timezone.localtime(now).date()
    officer, manager = users.get("officer"), users.get("manager")
    pool = _pool(organisation)
    if len(pool.ids) < 20:
        return
    panel = Resident.objects.filter(user=users.get("panel")).values_list("pk", flat=True).first()

    GroupSettings.objects.create(organisation=organisation, publicity_days=10, publicity_in_working_days=True)
    venues = Venue.objects.bulk_create(
        Venue(
            organisation=organisation,
            name=name,
            address=address,
            postcode=postcode,
            step_free=step_free,
            hearing_loop=loop,
            accessible_toilet=toilet,
            parking=parking,
            accessibility_notes=notes,
        )
        for name, address, postcode, step_free, loop, toilet, parking, notes in VENUES
    )
    editorial = CustomGroupType.objects.create(organisation=organisation, name="Editorial group")
    areas = {a.name: a for a in Area.objects.filter(organisation=organisation)}
    top_areas = [a for a in areas.values() if a.level == Area.Level.AREA]
    top_areas.sort(key=lambda a: a.name)

    # --- Groups ---------------------------------------------------------------------------
    specs: list[dict[str, Any]] = []
    for name, kind, quorum, size, per_year, venue, published, privacy in STRUCTURE:
        specs.append(
            {
                "group": Group(
                    organisation=organisation,
                    name=name,
                    kind=kind,
                    custom_type=editorial if kind == GroupKind.OTHER else None,
                    purpose=PURPOSES[kind],
                    quorum=quorum,
                    is_published=published,
                    privacy=privacy,
                    support_officer=officer,
                ),
                "size": size,
                "per_year": per_year,
                "venue": venues[venue] if venue is not None else None,
                "candidates": pool.leaseholders
                if kind == GroupKind.LEASEHOLDER_PANEL and len(pool.leaseholders) > 8
                else pool.ids,
            }
        )
    for name, estate, story in ASSOCIATIONS:
        area = areas.get(estate)
        top = area.top_area if area is not None else None
        local = pool.by_area.get(top.pk if top else None) or pool.ids
        specs.append(
            {
                "group": Group(
                    organisation=organisation,
                    name=name,
                    kind=GroupKind.TRA,
                    area=area,
                    purpose=PURPOSES[GroupKind.TRA],
                    quorum=5,
                    is_published=True,
                    privacy=Group.Privacy.NAMES_AND_ROLES,
                    support_officer=officer,
                ),
                "size": 7,
                "per_year": 4,
                "venue": venues[1] if estate == "Ashfield" else venues[4],
                "candidates": local if len(local) >= 10 else pool.ids,
                "story": story,
            }
        )
    for i, area in enumerate(top_areas):
        local = pool.by_area.get(area.pk) or pool.ids
        specs.append(
            {
                "group": Group(
                    organisation=organisation,
                    name=f"{area.name} Area Forum",
                    kind=GroupKind.AREA_FORUM,
                    area=area,
                    purpose=PURPOSES[GroupKind.AREA_FORUM],
                    quorum=4,
                    is_published=True,
                    privacy=Group.Privacy.ROLES_ONLY,
                    support_officer=officer,
                ),
                "size": 8,
                "per_year": 4,
                "venue": venues[i % len(venues)],
                "candidates": local if len(local) >= 12 else pool.ids,
            }
        )
    groups = Group.objects.bulk_create([s["group"] for s in specs])
    for spec, group in zip(specs, groups, strict=True):
        spec["group"] = group
    scrutiny = groups[0]
    safety_team = groups[1]
    halo = Group.objects.create(
        organisation=organisation,
        name="Scrutiny Panel Halo Group",
        kind=GroupKind.HALO_GROUP,
        parent=scrutiny,
        purpose=PURPOSES[GroupKind.HALO_GROUP],
        quorum=1,
        is_published=True,
        privacy=Group.Privacy.HIDDEN,
        support_officer=officer,
    )

    # --- Members --------------------------------------------------------------------------
    memberships: list[Membership] = []
    members_of: dict[int, list[tuple[int, str]]] = {}
    role: str
    officer_roles = [MemberRole.CHAIR, MemberRole.VICE_CHAIR, MemberRole.SECRETARY, MemberRole.TREASURER]
    for spec in specs:
        group = spec["group"]
        chosen = rng.sample(spec["candidates"], min(spec["size"], len(spec["candidates"])))
        if panel is not None:
            chosen = [pk for pk in chosen if pk != panel]
        if group.pk == safety_team.pk and panel is not None:
            chosen = [panel, *chosen[: spec["size"] - 1]]
        rows = []
        for i, resident_id in enumerate(chosen):
            if group.kind == GroupKind.TRA:
                role = officer_roles[i] if i < 4 else MemberRole.MEMBER
            elif resident_id == panel:
                role = MemberRole.MEMBER
            else:
                role = (
                    officer_roles[i]
                    if i < 2
                    else (MemberRole.CO_OPTED if i == len(chosen) - 1 and i > 4 else MemberRole.MEMBER)
                )
            elected = role in officer_roles
            starts = today - datetime.timedelta(days=rng.randint(60, 900))
            memberships.append(
                Membership(
                    group=group,
                    resident_id=resident_id,
                    role=role,
                    starts_on=starts,
                    term_ends_on=starts + datetime.timedelta(days=730) if elected else None,
                )
            )
            rows.append((resident_id, role))
        members_of[group.pk] = rows
    # The scrutiny panel's halo: the panel member (demo sign-in "panel") reads its papers without
    # going to meetings, along with a group of others.
    halo_members = rng.sample([pk for pk in pool.ids if pk != panel], min(10, len(pool.ids) - 1))
    if panel is not None:
        memberships.append(
            Membership(
                group=scrutiny, resident_id=panel, role=MemberRole.HALO, starts_on=today - datetime.timedelta(days=120)
            )
        )
    for resident_id in halo_members:
        memberships.append(
            Membership(
                group=halo,
                resident_id=resident_id,
                role=MemberRole.HALO,
                starts_on=today - datetime.timedelta(days=rng.randint(30, 400)),
            )
        )
    # A former member, so the history shows.
    former = rng.choice(pool.ids)
    if all(m.resident_id != former for m in memberships if m.group_id == scrutiny.pk):
        memberships.append(
            Membership(
                group=scrutiny,
                resident_id=former,
                role=MemberRole.MEMBER,
                starts_on=today - datetime.timedelta(days=800),
                ended_on=today - datetime.timedelta(days=90),
            )
        )
    Membership.objects.bulk_create(memberships)

    # --- Documents ------------------------------------------------------------------------
    tor_v1 = _demo_file("terms-of-reference-v1.txt", "Terms of reference (version 1). Demo document.\n")
    tor_v2 = _demo_file(
        "terms-of-reference-v2.txt", "Terms of reference (version 2): quorum raised to four. Demo document.\n"
    )
    conduct = _demo_file("code-of-conduct.txt", "Code of conduct for involved residents. Demo document.\n")
    constitution = _demo_file(
        "constitution.txt", "Model constitution for a tenants' and residents' association. Demo document.\n"
    )
    documents = []
    for group in [*groups, halo]:
        documents.append(
            GroupDocument(group=group, kind=GroupDocument.Kind.TERMS_OF_REFERENCE, title="Terms of reference")
        )
        documents.append(GroupDocument(group=group, kind=GroupDocument.Kind.CODE_OF_CONDUCT, title="Code of conduct"))
        if group.kind == GroupKind.TRA:
            documents.append(GroupDocument(group=group, kind=GroupDocument.Kind.CONSTITUTION, title="Constitution"))
    documents = GroupDocument.objects.bulk_create(documents)
    versions = []
    for document in documents:
        agreed = today - datetime.timedelta(days=rng.randint(200, 700))
        if document.kind == GroupDocument.Kind.TERMS_OF_REFERENCE:
            versions.append(
                DocumentVersion(
                    document=document,
                    number=1,
                    file=tor_v1,
                    original_name="terms-of-reference.txt",
                    agreed_on=agreed - datetime.timedelta(days=365),
                )
            )
            versions.append(
                DocumentVersion(
                    document=document,
                    number=2,
                    file=tor_v2,
                    original_name="terms-of-reference.txt",
                    agreed_on=agreed,
                    notes="Quorum and meeting frequency updated",
                    uploaded_by=officer,
                )
            )
        else:
            path = constitution if document.kind == GroupDocument.Kind.CONSTITUTION else conduct
            versions.append(
                DocumentVersion(
                    document=document,
                    number=1,
                    file=path,
                    original_name=path.rsplit("/", 1)[-1],
                    agreed_on=agreed,
                    uploaded_by=officer,
                )
            )
    DocumentVersion.objects.bulk_create(versions)

    # --- A year of meetings ---------------------------------------------------------------
    meetings: list[Meeting] = []
    start_of_year = today - datetime.timedelta(days=330)
    for spec in specs:
        group, per_year = spec["group"], spec["per_year"]
        step = 365 // per_year
        weekday = rng.choice([0, 1, 2, 3])
        hour = 14 if group.kind == GroupKind.SHELTERED_FORUM else rng.choice([18, 18, 19])
        day = _weekday_on_or_after(start_of_year + datetime.timedelta(days=rng.randint(0, step - 1)), weekday)
        end = today + datetime.timedelta(days=100)
        number = 0
        while day <= end:
            starts = _at(day, hour)
            number += 1
            is_agm = group.kind == GroupKind.TRA and number == 2
            online = spec["venue"] is None
            publicised = day - datetime.timedelta(days=rng.choice([16, 18, 21, 21, 25, 9]))
            meetings.append(
                Meeting(
                    group=group,
                    kind=Meeting.Kind.AGM if is_agm else Meeting.Kind.ORDINARY,
                    starts_at=starts,
                    ends_at=starts + datetime.timedelta(hours=2),
                    venue=spec["venue"],
                    online_link="https://meet.example.com/riverside-" + str(group.pk) if online else "",
                    publicised_on=publicised if publicised <= today else None,
                )
            )
            day = _weekday_on_or_after(day + datetime.timedelta(days=step), weekday)
    # The scrutiny panel's next meeting is soon, so the halo journey has papers to read.
    next_scrutiny = _weekday_on_or_after(today + datetime.timedelta(days=12), 2)
    meetings = [
        m for m in meetings if not (m.group_id == scrutiny.pk and abs((m.starts_at.date() - next_scrutiny).days) < 20)
    ]
    meetings.append(
        Meeting(
            group=scrutiny,
            starts_at=_at(next_scrutiny, 18),
            ends_at=_at(next_scrutiny, 20),
            venue=venues[0],
            publicised_on=today - datetime.timedelta(days=2),
        )
    )
    meetings = Meeting.objects.bulk_create(meetings)
    past = [m for m in meetings if m.starts_at < now]
    future = sorted((m for m in meetings if m.starts_at >= now), key=lambda m: m.starts_at)

    staff_owners = [u for u in (officer, manager) if u is not None]
    attendance: list[Attendance] = []
    decisions: list[Decision] = []
    actions: list[Action] = []
    for meeting in past:
        present = 0
        for resident_id, _role in members_of.get(meeting.group_id, []):
            roll = rng.random()
            status = (
                Attendance.Status.PRESENT
                if roll < 0.75
                else Attendance.Status.APOLOGIES
                if roll < 0.9
                else Attendance.Status.ABSENT
            )
            present += status == Attendance.Status.PRESENT
            attendance.append(Attendance(meeting=meeting, resident_id=resident_id, status=status))
        items = rng.sample(AGENDAS, 3)
        meeting.minutes = "\n\n".join(
            [
                f"Present: {present} members. Apologies were received and noted.",
                "1. Minutes of the last meeting were agreed as a true record. Matters arising were covered under actions.",
                *(
                    f"{i}. {title} ({who}). The report was presented and members asked questions."
                    for i, (title, who) in enumerate(items, start=2)
                ),
                f"{len(items) + 2}. Any other business: none.",
            ]
        )
        meeting.summary = rng.choice(SUMMARIES)
        meeting.minutes_recorded_at = meeting.ends_at + datetime.timedelta(days=3)
        meeting.others_present = "Involvement Officer\nHead of Repairs"
        for text in rng.sample(DECISIONS, rng.randint(1, 2)):
            decisions.append(Decision(meeting=meeting, text=text, created_at=meeting.ends_at))
        members = members_of.get(meeting.group_id, [])
        for text in rng.sample(ACTIONS, rng.randint(1, 3)):
            due = timezone.localtime(meeting.starts_at).date() + datetime.timedelta(days=rng.choice([14, 28, 42, 60]))
            age = (today - due).days
            if age > 30:
                action_status = rng.choice(
                    [Action.Status.DONE, Action.Status.DONE, Action.Status.DONE, Action.Status.DROPPED]
                )
            elif age > 0:
                action_status = rng.choice([Action.Status.DONE, Action.Status.IN_PROGRESS, Action.Status.OPEN])
            else:
                action_status = rng.choice([Action.Status.OPEN, Action.Status.IN_PROGRESS])
            owner_resident = rng.choice(members)[0] if members and rng.random() < 0.4 else None
            actions.append(
                Action(
                    group_id=meeting.group_id,
                    meeting=meeting,
                    description=text,
                    owner_user=None if owner_resident else rng.choice(staff_owners) if staff_owners else None,
                    owner_resident_id=owner_resident,
                    due_on=due,
                    status=action_status,
                    closed_on=min(due, today) if action_status in Action.CLOSED else None,
                    progress_note="Done and reported back to the group." if action_status == Action.Status.DONE else "",
                    created_at=meeting.ends_at,
                )
            )
    Meeting.objects.bulk_update(past, ["minutes", "summary", "minutes_recorded_at", "others_present"])
    Attendance.objects.bulk_create(attendance)
    Decision.objects.bulk_create(decisions)
    Action.objects.bulk_create(actions)

    # Agendas and papers for the meetings in the next six weeks.
    soon = [m for m in future if m.starts_at <= now + datetime.timedelta(days=42)]
    agenda_items = []
    for meeting in soon:
        for order, (title, who) in enumerate(
            [("Minutes of the last meeting and matters arising", "Chair"), *rng.sample(AGENDAS, 3)], start=1
        ):
            agenda_items.append(AgendaItem(meeting=meeting, order=order, title=title, presenter=who))
    agenda_items = AgendaItem.objects.bulk_create(agenda_items)
    papers = []
    for item in agenda_items:
        if item.order == 1:
            continue
        slug = "".join(c if c.isalnum() else "-" for c in item.title.lower()).strip("-")
        path = _demo_file(f"{slug}.txt", f"{item.title}\n\nDemo paper for Involve. Figures are made up.\n")
        papers.append(
            Paper(
                meeting=item.meeting,
                agenda_item=item,
                title=item.title,
                file=path,
                original_name=f"{slug}.txt",
                uploaded_by=officer,
            )
        )
    papers = Paper.objects.bulk_create(papers)
    scrutiny_next = next((m for m in soon if m.group_id == scrutiny.pk), None)
    if scrutiny_next is not None:
        first_paper = next((p for p in papers if p.meeting_id == scrutiny_next.pk), None)
        PaperComment.objects.bulk_create(
            PaperComment(
                meeting=scrutiny_next, paper=first_paper if i != 1 else None, resident_id=resident_id, text=COMMENTS[i]
            )
            for i, resident_id in enumerate(halo_members[:2])
        )

    # --- Associations: AGM elections and recognition -------------------------------------
    by_group = {s["group"].pk: s for s in specs}
    for spec in specs:
        group = spec["group"]
        if group.kind != GroupKind.TRA:
            continue
        agm = next((m for m in past if m.group_id == group.pk and m.kind == Meeting.Kind.AGM), None)
        held = timezone.localtime(agm.starts_at).date() if agm else today - datetime.timedelta(days=200)
        election = Election.objects.create(group=group, kind=Election.Kind.AGM, held_on=held, meeting=agm)
        officers = [m for m in members_of[group.pk] if m[1] in officer_roles]
        others = [m for m in members_of[group.pk] if m[1] == MemberRole.MEMBER]
        for resident_id, role in officers:
            position = ElectionPosition.objects.create(
                election=election, role=role, term_months=24, declared_at=_at(held, 21), declared_by=officer
            )
            winner = Candidate(position=position, resident_id=resident_id, votes=rng.randint(14, 30), elected=True)
            candidates: list[Candidate] = [winner]
            if role == MemberRole.CHAIR and others:
                candidates.append(
                    Candidate(position=position, resident_id=others[0][0], votes=rng.randint(3, 12), elected=False)
                )
            Candidate.objects.bulk_create(candidates)
        Membership.objects.filter(group=group, role__in=officer_roles).update(
            elected_in=election, starts_on=held, term_ends_on=held + datetime.timedelta(days=730)
        )
        _recognition(group, by_group[group.pk]["story"], today, rng, officer, manager)


def _recognition(
    group: Group, story: str, today: datetime.date, rng: random.Random, officer: Any, manager: Any
) -> None:
    notes = {
        Criterion.CONSTITUTION: "Constitution adopted at the founding meeting; copy on file.",
        Criterion.EQUAL_OPPORTUNITIES: "Equal opportunities policy adopted and reviewed at the AGM.",
        Criterion.ELECTIONS: "Officers elected at the AGM; results recorded in Involve.",
        Criterion.FINANCES: "Accounts independently examined; bank statements seen.",
        Criterion.MEETINGS: "Quarterly meetings and an AGM; quorum met; minutes seen.",
        Criterion.ACTIVE_MEMBERSHIP: "Over 20 households are members, as agreed.",
        Criterion.INFORMATION: "Notice boards on every block and a page on the landlord's website.",
        Criterion.OPEN_MEMBERSHIP: "Constitution opens membership to every resident of the estate.",
        Criterion.NEWSLETTERS: "Newsletter delivered to every home three times a year.",
    }

    def review(decided_on: datetime.date | None, decision: str, renewal: datetime.date | None, met: int = 9) -> None:
        r = RecognitionReview.objects.create(
            group=group,
            decision=decision,
            decided_on=decided_on,
            decided_by=manager if decision else None,
            renewal_due=renewal,
            reasons={
                "recognised": "Meets every part of the recognition standard.",
                "lapsed": "The association did not send its accounts or AGM minutes for renewal.",
                "": "",
            }[decision],
        )
        codes = list(Criterion.values)
        RecognitionEvidence.objects.bulk_create(
            RecognitionEvidence(
                review=r,
                criterion=code,
                meets=i < met,
                note=str(notes[Criterion(code)]) if i < met else "Not yet seen: asked the secretary.",
                recorded_by=officer,
            )
            for i, code in enumerate(codes[: met + (1 if met < 9 else 0)])
        )

    if story == "renewal_soon":
        decided = today - datetime.timedelta(days=365 - 40)
        review(decided, RecognitionReview.Decision.RECOGNISED, decided + datetime.timedelta(days=365))
    elif story == "recognised":
        decided = today - datetime.timedelta(days=rng.randint(60, 150))
        review(decided, RecognitionReview.Decision.RECOGNISED, decided + datetime.timedelta(days=365))
    elif story == "in_review":
        review(None, "", None, met=6)
    else:
        first = today - datetime.timedelta(days=500)
        review(first, RecognitionReview.Decision.RECOGNISED, first + datetime.timedelta(days=365))
        review(first + datetime.timedelta(days=400), RecognitionReview.Decision.LAPSED, None)
