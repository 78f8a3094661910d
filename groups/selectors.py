"""Reads of the involvement structure, always scoped by the permission policy. Another landlord's
record answers 404, the same as one that does not exist."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Min, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from accounts.models import Organisation, User
from core.calendar import WorkingCalendar, calendar_for
from core.permissions import scope
from groups.models import (
    ROLE_ORDER,
    VOTING_ROLES,
    Action,
    Attendance,
    Candidate,
    Criterion,
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
)
from people.models import Resident

# --- Settings ---------------------------------------------------------------------------------


def group_settings_for(organisation: Organisation | int) -> GroupSettings:
    """The landlord's settings, or the defaults (10 working days' notice) if never changed."""
    org_id = organisation if isinstance(organisation, int) else organisation.pk
    found = GroupSettings.objects.filter(organisation_id=org_id).first()
    return found or GroupSettings(organisation_id=org_id)


# --- Groups -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class GroupFilters:
    q: str = ""
    kind: str = ""
    area: int | None = None
    status: str = Group.Status.ACTIVE


def group_list(*, user: Any, filters: GroupFilters | None = None) -> QuerySet[Group]:
    filters = filters or GroupFilters()
    qs = scope(Group.objects.all(), user, "group.view")
    if filters.q:
        qs = qs.filter(name__icontains=filters.q.strip())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.area:
        qs = qs.filter(
            Q(area_id=filters.area) | Q(area__parent_id=filters.area) | Q(area__parent__parent_id=filters.area)
        )
    if filters.status:
        qs = qs.filter(status=filters.status)
    now = timezone.now()
    next_meeting = (
        Meeting.objects.filter(group=OuterRef("pk"), starts_at__gt=now, status=Meeting.Status.SCHEDULED)
        .order_by("starts_at")
        .values("starts_at")[:1]
    )
    return (
        qs.select_related("area", "custom_type", "parent")
        .annotate(
            member_count=Count("memberships", filter=Q(memberships__ended_on__isnull=True), distinct=True),
            next_meeting_at=Subquery(next_meeting),
        )
        .order_by("name")
    )


def group_get(*, user: Any, pk: int, action: str = "group.view") -> Group:
    group = (
        scope(Group.objects.all(), user, action)
        .select_related("organisation", "area", "custom_type", "parent", "support_officer")
        .filter(pk=pk)
        .first()
    )
    if group is None:
        raise Http404("No group found")
    return group


def groups_for_choice(*, user: Any, exclude: Group | None = None) -> QuerySet[Group]:
    qs = scope(Group.objects.all(), user, "group.view").order_by("name")
    return qs.exclude(pk=exclude.pk) if exclude is not None else qs


def open_members(*, group: Group) -> list[Membership]:
    """Members who have not left, officers first (chair, vice-chair…), then by name."""
    rows = list(Membership.objects.open().filter(group=group).select_related("resident"))
    rows.sort(key=lambda m: (ROLE_ORDER.get(m.role, 99), m.resident.last_name, m.resident.first_name))
    return rows


def past_members(*, group: Group) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(group=group, ended_on__isnull=False)
        .select_related("resident")
        .order_by("-ended_on")[:50]
    )


def membership_get(*, group: Group, pk: int) -> Membership:
    membership = Membership.objects.filter(group=group, pk=pk).select_related("resident").first()
    if membership is None:
        raise Http404("No membership found")
    return membership


def resident_choices(*, user: Any, q: str = "", limit: int = 50) -> QuerySet[Resident]:
    """Residents to add to a group: involved residents first, searched by name or reference."""
    qs = scope(Resident.objects.filter(status=Resident.Status.ACTIVE), user, "group.view")
    term = q.strip()
    if term:
        if " " in term:
            first, _, last = term.partition(" ")
            qs = qs.filter(first_name__istartswith=first, last_name__istartswith=last.strip())
        else:
            qs = qs.filter(Q(last_name__istartswith=term) | Q(first_name__istartswith=term) | Q(person_ref=term))
    else:
        qs = qs.exclude(involvement_level="")
    return qs.select_related("area").order_by("last_name", "first_name", "id")[:limit]


def resident_in_scope(*, user: Any, pk: int | None) -> Resident | None:
    """A resident the user may see; None when the id is not theirs to use."""
    if pk is None:
        return None
    return scope(Resident.objects.all(), user, "group.view").filter(pk=pk).first()


def documents(*, group: Group, public_only: bool = False) -> list[GroupDocument]:
    qs = group.documents.prefetch_related(
        Prefetch("versions", queryset=DocumentVersion.objects.select_related("uploaded_by").order_by("-number"))
    )
    if public_only:
        qs = qs.filter(is_public=True)
    return [d for d in qs if d.versions.all()]


def document_version_get(*, group: Group, pk: int, public_only: bool = False) -> DocumentVersion:
    qs = DocumentVersion.objects.filter(document__group=group, pk=pk).select_related("document")
    if public_only:
        qs = qs.filter(document__is_public=True)
    version = qs.first()
    if version is None:
        raise Http404("No document found")
    return version


# --- Meetings ---------------------------------------------------------------------------------


def group_meetings(*, group: Group) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past), upcoming soonest first and past most recent first."""
    now = timezone.now()
    rows: list[Meeting] = list(
        group.meetings.select_related("venue").annotate(
            paper_count=Count("papers", distinct=True), comment_count=Count("comments", distinct=True)
        )
    )
    upcoming = [m for m in rows if m.ends_at > now]
    past = [m for m in reversed(rows) if m.ends_at <= now]
    return upcoming, past


def meeting_get(*, user: Any, pk: int, action: str = "group.view") -> Meeting:
    meeting = (
        Meeting.objects.filter(pk=pk, group__in=scope(Group.objects.all(), user, action))
        .select_related("group", "group__organisation", "group__area", "venue")
        .first()
    )
    if meeting is None:
        raise Http404("No meeting found")
    return meeting


def paper_get(*, meeting: Meeting, pk: int) -> Paper:
    paper = Paper.objects.filter(meeting=meeting, pk=pk).first()
    if paper is None:
        raise Http404("No paper found")
    return paper


@dataclass(frozen=True)
class Publicity:
    """Whether a meeting was (or can still be) publicised in good time."""

    deadline: datetime.date
    days: int
    working_days: bool
    state: str  # "done", "late", "due", "overdue", "past"

    @property
    def needs_warning(self) -> bool:
        return self.state in ("late", "overdue")

    @property
    def rule(self) -> str:
        return f"{self.days} {'working ' if self.working_days else ''}day{'s' if self.days != 1 else ''}"


def publicity_deadline(
    start: datetime.date, *, days: int, working_days: bool, calendar: WorkingCalendar | None
) -> datetime.date:
    """The last date a meeting on `start` can be publicised: `days` (working) days before it."""
    if not working_days or calendar is None:
        return start - datetime.timedelta(days=days)
    d, counted = start, 0
    while counted < days:
        d -= datetime.timedelta(days=1)
        if calendar.is_working_day(d):
            counted += 1
    return d


def publicity(
    meeting: Meeting, *, settings: GroupSettings | None = None, calendar: WorkingCalendar | None = None
) -> Publicity:
    settings = settings or group_settings_for(meeting.group.organisation_id)
    if settings.publicity_in_working_days and calendar is None:
        calendar = calendar_for(meeting.group.organisation)
    start = timezone.localtime(meeting.starts_at).date()
    deadline = publicity_deadline(
        start, days=settings.publicity_days, working_days=settings.publicity_in_working_days, calendar=calendar
    )
    today = timezone.localdate()
    if meeting.publicised_on is not None:
        state = "done" if meeting.publicised_on <= deadline else "late"
    elif meeting.has_started:
        state = "past"
    else:
        state = "due" if today <= deadline else "overdue"
    return Publicity(
        deadline=deadline, days=settings.publicity_days, working_days=settings.publicity_in_working_days, state=state
    )


def meetings_needing_publicity(*, user: Any, limit: int = 20) -> list[tuple[Meeting, Publicity]]:
    """Upcoming meetings not yet publicised whose deadline has passed or is within a week."""
    groups = scope(Group.objects.all(), user, "group.view")
    meetings = list(
        Meeting.objects.filter(
            group__in=groups,
            starts_at__gt=timezone.now(),
            publicised_on__isnull=True,
            status=Meeting.Status.SCHEDULED,
        )
        .select_related("group")
        .order_by("starts_at")[:200]
    )
    if not meetings:
        return []
    settings = group_settings_for(user.organisation_id)
    cal = calendar_for(user.organisation) if settings.publicity_in_working_days else None
    soon = timezone.localdate() + datetime.timedelta(days=7)
    rows = [(m, publicity(m, settings=settings, calendar=cal)) for m in meetings]
    return [(m, p) for m, p in rows if p.state == "overdue" or p.deadline <= soon][:limit]


@dataclass(frozen=True)
class Quorum:
    present: int
    needed: int

    @property
    def met(self) -> bool:
        return self.present >= self.needed


def quorum(meeting: Meeting) -> Quorum:
    """Members with a vote (not halo members or officer support) recorded as present."""
    present = Attendance.objects.filter(
        meeting=meeting,
        status=Attendance.Status.PRESENT,
        resident__group_memberships__group_id=meeting.group_id,
        resident__group_memberships__role__in=list(VOTING_ROLES),
    ).aggregate(n=Count("resident", distinct=True))["n"]
    return Quorum(present=present or 0, needed=meeting.group.quorum)


def attendance_rows(*, meeting: Meeting) -> list[tuple[Membership, str]]:
    """Each member expected at the meeting (members on the day, not halo members) and their status."""
    day = timezone.localtime(meeting.starts_at).date()
    members = list(
        Membership.objects.filter(group=meeting.group)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .exclude(role=MemberRole.HALO)
        .select_related("resident")
    )
    members.sort(key=lambda m: (ROLE_ORDER.get(m.role, 99), m.resident.last_name))
    statuses = dict(meeting.attendance.values_list("resident_id", "status"))
    return [(m, statuses.get(m.resident_id, "")) for m in members]


def carried_actions(*, meeting: Meeting) -> list[Action]:
    """Actions from the group's earlier meetings that were still open when this one began."""
    day = timezone.localtime(meeting.starts_at).date()
    return list(
        Action.objects.filter(group_id=meeting.group_id, meeting__starts_at__lt=meeting.starts_at)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gte=day))
        .select_related("meeting", "owner_user", "owner_resident")
        .order_by("due_on", "pk")
    )


def meeting_actions(*, meeting: Meeting) -> list[Action]:
    return list(meeting.actions_raised.select_related("owner_user", "owner_resident").order_by("due_on", "pk"))


def action_get(*, user: Any, pk: int) -> Action:
    action = (
        Action.objects.filter(pk=pk, group__in=scope(Group.objects.all(), user, "group.view"))
        .select_related("group", "meeting", "owner_user", "owner_resident")
        .first()
    )
    if action is None:
        raise Http404("No action found")
    return action


def open_actions(*, group: Group) -> list[Action]:
    return list(
        group.actions.exclude(status__in=Action.CLOSED)
        .select_related("meeting", "owner_user", "owner_resident")
        .order_by("due_on", "pk")
    )


def owner_choices(*, group: Group) -> list[tuple[str, str]]:
    """Who can own an action: the group's staff and its members. Values 'u<id>' or 'r<id>'."""
    staff = User.objects.filter(
        organisation_id=group.organisation_id,
        is_active=True,
        role__in=["administrator", "involvement_officer", "manager"],
    ).order_by("first_name", "last_name", "username")
    members = open_members(group=group)
    return [
        *((f"u{u.pk}", f"{u.get_full_name() or u.username} (staff)") for u in staff),
        *((f"r{m.resident_id}", f"{m.resident.full_name} ({m.get_role_display().lower()})") for m in members),
    ]


def comments(*, meeting: Meeting) -> list[PaperComment]:
    return list(meeting.comments.select_related("resident", "paper").order_by("created_at", "pk"))


def meeting_pack(*, meeting: Meeting) -> dict[str, Any]:
    """Everything for the meeting pack: agenda, papers, members' comments, actions carried."""
    items = list(meeting.agenda_items.prefetch_related("papers"))
    papers = list(meeting.papers.select_related("agenda_item"))
    all_comments = comments(meeting=meeting)
    by_paper: dict[int | None, list[PaperComment]] = {}
    for comment in all_comments:
        by_paper.setdefault(comment.paper_id, []).append(comment)
    halo_roles = {
        m.resident_id: m
        for m in Membership.objects.open().filter(
            Q(group=meeting.group) | Q(group__parent=meeting.group, group__kind=GroupKind.HALO_GROUP)
        )
    }
    for comment in all_comments:
        membership = halo_roles.get(comment.resident_id)
        comment.author_role = (  # type: ignore[attr-defined]
            "halo member"
            if membership is not None
            and (membership.role == MemberRole.HALO or membership.group_id != meeting.group_id)
            else "member"
        )
    return {
        "agenda": items,
        "papers": papers,
        "comments": all_comments,
        "general_comments": by_paper.get(None, []),
        "comments_by_paper": [(p, by_paper.get(p.pk, [])) for p in papers],
        "carried_actions": carried_actions(meeting=meeting),
    }


# --- Elections --------------------------------------------------------------------------------


def _candidates() -> QuerySet[Candidate]:
    return Candidate.objects.select_related("resident").order_by("-votes", "resident__last_name")


def elections(*, group: Group) -> list[Election]:
    return list(
        group.elections.prefetch_related(
            Prefetch(
                "positions",
                queryset=ElectionPosition.objects.prefetch_related(Prefetch("candidates", queryset=_candidates())),
            )
        )
    )


def election_get(*, user: Any, pk: int) -> Election:
    election = (
        Election.objects.filter(pk=pk, group__in=scope(Group.objects.all(), user, "group.view"))
        .select_related("group", "meeting")
        .prefetch_related(
            Prefetch(
                "positions",
                queryset=ElectionPosition.objects.prefetch_related(Prefetch("candidates", queryset=_candidates())),
            )
        )
        .first()
    )
    if election is None:
        raise Http404("No election found")
    return election


def position_get(*, election: Election, pk: int) -> ElectionPosition:
    position = ElectionPosition.objects.filter(election=election, pk=pk).select_related("election__group").first()
    if position is None:
        raise Http404("No position found")
    return position


# --- Recognition ------------------------------------------------------------------------------


def is_recognised(group: Group, on: datetime.date | None = None) -> bool:
    """Whether a group was a recognised association on a date (default today): its latest
    decision by then was "recognised" and the renewal date had not passed. Grants call this."""
    day = on or timezone.localdate()
    latest = (
        RecognitionReview.objects.filter(group=group, decided_on__lte=day)
        .exclude(decision="")
        .order_by("-decided_on", "-pk")
        .first()
    )
    return (
        latest is not None
        and latest.decision == RecognitionReview.Decision.RECOGNISED
        and (latest.renewal_due is None or day <= latest.renewal_due)
    )


@dataclass(frozen=True)
class RecognitionStatus:
    recognised: bool
    label: str
    latest: RecognitionReview | None
    open_review: RecognitionReview | None


def recognition_status(group: Group, on: datetime.date | None = None) -> RecognitionStatus:
    day = on or timezone.localdate()
    reviews = list(group.recognition_reviews.select_related("decided_by").order_by("-decided_on", "-pk"))
    open_review = next((r for r in reviews if not r.decision), None)
    decided = [r for r in reviews if r.decision and r.decided_on and r.decided_on <= day]
    latest = decided[0] if decided else None
    recognised = is_recognised(group, on=day)
    if recognised:
        label = "Recognised"
    elif latest is None:
        label = "Not yet decided"
    elif latest.decision == RecognitionReview.Decision.RECOGNISED:
        label = "Lapsed: renewal overdue"
    else:
        label = latest.get_decision_display()
    return RecognitionStatus(recognised=recognised, label=label, latest=latest, open_review=open_review)


def recognition_history(*, group: Group) -> list[RecognitionReview]:
    return list(
        group.recognition_reviews.exclude(decision="").select_related("decided_by").order_by("-decided_on", "-pk")
    )


def recognition_checklist(review: RecognitionReview | None) -> list[tuple[str, str, RecognitionEvidence | None]]:
    """The nine criteria of the standard with the evidence recorded for each so far."""
    found = {e.criterion: e for e in review.evidence.select_related("recorded_by")} if review is not None else {}
    return [(code, str(label), found.get(code)) for code, label in Criterion.choices]


def evidence_get(*, group: Group, pk: int) -> RecognitionEvidence:
    evidence = RecognitionEvidence.objects.filter(review__group=group, pk=pk).exclude(file="").first()
    if evidence is None:
        raise Http404("No evidence file found")
    return evidence


def latest_decisions(*, renewal_between: tuple[datetime.date, datetime.date]) -> list[RecognitionReview]:
    """For reminders (no user: a scheduled job): each group's latest decision, when it is
    "recognised" with a renewal date in the range."""
    start, end = renewal_between
    latest_pk = (
        RecognitionReview.objects.filter(group=OuterRef("group"))
        .exclude(decision="")
        .order_by("-decided_on", "-pk")
        .values("pk")[:1]
    )
    return list(
        RecognitionReview.objects.filter(
            decision=RecognitionReview.Decision.RECOGNISED,
            renewal_due__range=(start, end),
            pk=Subquery(latest_pk),
            group__status=Group.Status.ACTIVE,
        ).select_related("group", "group__organisation", "group__support_officer")
    )


# --- Residents reading their groups' papers --------------------------------------------------


def resident_for(user: Any) -> Resident | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Resident.objects.filter(user=user, organisation_id=user.organisation_id).first()


def _reader_groups(resident: Resident) -> Q:
    """Groups whose papers a resident reads: those they belong to, and those their halo groups surround."""
    mine = Membership.objects.open().filter(resident=resident).values("group_id")
    return Q(pk__in=mine) | Q(halo_groups__in=mine, halo_groups__kind=GroupKind.HALO_GROUP)


def resident_can_read_papers(*, resident: Resident, meeting: Meeting) -> bool:
    return Group.objects.filter(
        _reader_groups(resident), pk=meeting.group_id, organisation_id=resident.organisation_id
    ).exists()


def paper_readers(*, meeting: Meeting) -> list[Resident]:
    """Everyone who gets a meeting's papers: open members of the group (halo members too) and of
    any halo group around it."""
    ids = (
        Membership.objects.open()
        .filter(Q(group=meeting.group) | Q(group__parent=meeting.group, group__kind=GroupKind.HALO_GROUP))
        .exclude(role=MemberRole.OFFICER_SUPPORT)
        .values("resident_id")
    )
    return list(
        Resident.objects.filter(pk__in=ids, organisation_id=meeting.group.organisation_id)
        .select_related("home")
        .prefetch_related("format_needs")
        .order_by("last_name", "first_name", "pk")
    )


def my_memberships(*, resident: Resident) -> list[Membership]:
    return list(
        Membership.objects.open()
        .filter(resident=resident)
        .select_related("group", "group__parent", "group__area")
        .order_by("group__name")
    )


def my_meetings(*, resident: Resident, upcoming: bool = True) -> QuerySet[Meeting]:
    groups = Group.objects.filter(_reader_groups(resident), organisation_id=resident.organisation_id)
    qs = Meeting.objects.filter(group__in=groups).select_related("group", "venue")
    if upcoming:
        return qs.filter(ends_at__gt=timezone.now()).order_by("starts_at")
    return qs.order_by("-starts_at")


def resident_meeting_get(*, user: Any, pk: int) -> tuple[Resident, Meeting]:
    """A meeting whose papers the signed-in resident may read; 404 for any other (another
    group's meeting looks the same as one that does not exist)."""
    resident = resident_for(user)
    if resident is None:
        raise Http404("Your account is not linked to a resident")
    meeting = (
        Meeting.objects.filter(pk=pk, group__organisation_id=resident.organisation_id)
        .select_related("group", "group__organisation", "venue")
        .first()
    )
    if meeting is None or not resident_can_read_papers(resident=resident, meeting=meeting):
        raise Http404("No meeting found")
    return resident, meeting


def my_comments(*, resident: Resident, meeting: Meeting) -> list[PaperComment]:
    return list(meeting.comments.filter(resident=resident).select_related("paper").order_by("created_at"))


# --- Public pages and calendar feeds ----------------------------------------------------------


def public_group_list() -> QuerySet[Group]:
    now = timezone.now()
    return (
        Group.objects.filter(is_published=True, status=Group.Status.ACTIVE)
        .select_related("organisation", "area", "custom_type")
        .annotate(
            next_meeting_at=Min(
                "meetings__starts_at",
                filter=Q(meetings__starts_at__gt=now, meetings__status=Meeting.Status.SCHEDULED),
            )
        )
        .order_by("organisation__name", "name")
    )


def public_group_get(*, pk: int) -> Group:
    group = (
        Group.objects.filter(pk=pk, is_published=True, status=Group.Status.ACTIVE)
        .select_related("organisation", "area", "custom_type")
        .first()
    )
    if group is None:
        raise Http404("No group found")
    return group


def public_members(group: Group) -> list[tuple[str, str]]:
    """(name, role) as the group's privacy setting allows: names and roles, roles only, or none."""
    if group.privacy == Group.Privacy.HIDDEN:
        return []
    members = [m for m in open_members(group=group) if m.role != MemberRole.OFFICER_SUPPORT]
    if group.privacy == Group.Privacy.ROLES_ONLY:
        return [("", m.get_role_display()) for m in members]
    return [(m.resident.full_name, m.get_role_display()) for m in members]


def public_meetings(*, group: Group) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming, past with a summary for residents)."""
    now = timezone.now()
    upcoming = list(
        group.meetings.filter(ends_at__gt=now, status=Meeting.Status.SCHEDULED).select_related("venue")[:10]
    )
    past = list(group.meetings.filter(ends_at__lte=now).exclude(summary="").order_by("-starts_at")[:12])
    return upcoming, past


FEED_PAST_DAYS = 90


def feed_meetings_for_group(group: Group) -> list[Meeting]:
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(group.meetings.filter(starts_at__gte=since).select_related("group", "venue").order_by("starts_at"))


def group_by_calendar_token(token: str) -> Group:
    group = Group.objects.filter(calendar_token=token).select_related("organisation").first()
    if group is None or not token:
        raise Http404("No calendar found")
    return group


def resident_by_calendar_token(token: str) -> Resident:
    resident = Resident.objects.filter(group_calendar__token=token).first()
    if resident is None or not token:
        raise Http404("No calendar found")
    return resident


def feed_meetings_for_resident(resident: Resident) -> list[Meeting]:
    since = timezone.now() - datetime.timedelta(days=FEED_PAST_DAYS)
    return list(my_meetings(resident=resident, upcoming=False).filter(starts_at__gte=since).order_by("starts_at"))
