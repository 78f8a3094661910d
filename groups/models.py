"""The involvement structure: groups and their members, documents, elections, recognition of
residents' associations, venues and meetings to standard.

Sources: seed 003 (Poole: recognition standard, standards for meetings, halo groups), seed 001
(Oxford: Independent Tenant Scrutiny Panel, Standards Task Teams, TRAs, Area Forums, Choice
Working Group) and seed 000 (topic panels, the IMP constitution and code of conduct, AGMs).
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from people.models import Area, Resident


def new_token() -> str:
    return secrets.token_urlsafe(24)


class GroupSettings(models.Model):
    """A landlord's rules for its involvement structure (one row per organisation, made on first use)."""

    organisation = models.OneToOneField(Organisation, on_delete=models.CASCADE, related_name="group_settings")
    publicity_days = models.PositiveSmallIntegerField(
        "days' notice of a meeting",
        default=10,
        help_text="How long before a meeting it must be publicised. Seed 003: 'publicised effectively and in good time'.",
    )
    publicity_in_working_days = models.BooleanField(
        "count working days",
        default=True,
        help_text="Count only working days (leaving out weekends, bank holidays and closure days).",
    )

    class Meta:
        verbose_name_plural = "group settings"

    def __str__(self) -> str:
        unit = "working days" if self.publicity_in_working_days else "days"
        return f"{self.organisation}: meetings publicised {self.publicity_days} {unit} ahead"


class GroupKind(models.TextChoices):
    SCRUTINY_PANEL = "scrutiny_panel", "Scrutiny panel"
    STANDARDS_TASK_TEAM = "standards_task_team", "Standards task team"
    TRA = "tra", "Tenants' and residents' association"
    AREA_FORUM = "area_forum", "Area forum"
    TOPIC_PANEL = "topic_panel", "Topic panel"
    WORKING_GROUP = "working_group", "Working group"
    HALO_GROUP = "halo_group", "Halo group (no meetings: papers and comments by post or online)"
    BOARD = "board", "Board or committee"
    SHELTERED_FORUM = "sheltered_forum", "Sheltered housing forum"
    LEASEHOLDER_PANEL = "leaseholder_panel", "Leaseholder panel"
    CHAT = "chat", "Community housing action team"
    OTHER = "other", "Another type"


class CustomGroupType(models.Model):
    """A type of group a landlord names itself, e.g. 'Editorial group' or 'Youth panel'."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="custom_group_types")
    name = models.CharField(max_length=100)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="custom_group_type_unique")]

    def __str__(self) -> str:
        return self.name


class Group(models.Model):
    class Privacy(models.TextChoices):
        NAMES_AND_ROLES = "names_and_roles", "Show members' names and roles"
        ROLES_ONLY = "roles_only", "Show roles only, not names"
        HIDDEN = "hidden", "Do not show members"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        CLOSED = "closed", "Closed"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="involvement_groups")
    name = models.CharField(max_length=200)
    kind = models.CharField("type", max_length=30, choices=GroupKind.choices)
    custom_type = models.ForeignKey(
        CustomGroupType, null=True, blank=True, on_delete=models.SET_NULL, related_name="groups"
    )
    area = models.ForeignKey(
        Area,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="involvement_groups",
        help_text="The area, neighbourhood or estate the group serves. Leave blank for the whole landlord.",
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="halo_groups",
        verbose_name="halo around",
        help_text="For a halo group: the group whose papers its members read and comment on.",
    )
    purpose = models.TextField(help_text="What the group is for, in plain English. Shown on its public page.")
    quorum = models.PositiveSmallIntegerField(
        default=3, help_text="How many members must be present before the meeting can make decisions."
    )
    privacy = models.CharField(
        "members shown on the public page", max_length=20, choices=Privacy.choices, default=Privacy.ROLES_ONLY
    )
    is_published = models.BooleanField("show a public page", default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    support_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supported_groups",
        help_text="The member of staff who supports the group.",
    )
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="group_name_unique")]
        indexes = [models.Index(fields=["organisation", "kind"], name="group_org_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def type_label(self) -> str:
        if self.kind == GroupKind.OTHER and self.custom_type_id is not None and self.custom_type is not None:
            return self.custom_type.name
        return str(GroupKind(self.kind).label).split(" (")[0]

    @property
    def is_association(self) -> bool:
        return self.kind == GroupKind.TRA

    @property
    def meets(self) -> bool:
        return self.kind != GroupKind.HALO_GROUP


class MemberRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    SECRETARY = "secretary", "Secretary"
    TREASURER = "treasurer", "Treasurer"
    MEMBER = "member", "Member"
    HALO = "halo", "Halo member"
    CO_OPTED = "co_opted", "Co-opted member"
    OFFICER_SUPPORT = "officer_support", "Officer support"


# Roles that count towards a meeting's quorum: halo members take part without attending, and
# officer support is there to help, not to decide.
VOTING_ROLES = frozenset(
    {
        MemberRole.CHAIR,
        MemberRole.VICE_CHAIR,
        MemberRole.SECRETARY,
        MemberRole.TREASURER,
        MemberRole.MEMBER,
        MemberRole.CO_OPTED,
    }
)
# Officer roles shown first, in this order.
ROLE_ORDER = {role: i for i, role in enumerate(MemberRole.values)}


class MembershipQuerySet(models.QuerySet["Membership"]):
    def open(self) -> MembershipQuerySet:
        return self.filter(ended_on__isnull=True)

    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        day = on or timezone.localdate()
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), starts_on__lte=day)


class Membership(models.Model):
    """A resident's place in a group. A term has a start and, for elected roles, an end; the
    membership stays open until staff end it (ended_on), so a lapsed term is flagged, not hidden."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="group_memberships")
    role = models.CharField(max_length=20, choices=MemberRole.choices, default=MemberRole.MEMBER)
    starts_on = models.DateField("term starts")
    term_ends_on = models.DateField("term ends", null=True, blank=True)
    ended_on = models.DateField("left the group on", null=True, blank=True)
    elected_in = models.ForeignKey(
        "Election", null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["group", "ended_on", "role", "resident__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "resident"], condition=Q(ended_on__isnull=True), name="membership_one_open_per_group"
            ),
        ]
        indexes = [models.Index(fields=["resident", "ended_on"], name="membership_resident_idx")]

    def __str__(self) -> str:
        return f"{self.resident} — {self.get_role_display()} of {self.group}"

    @property
    def term_has_ended(self) -> bool:
        return self.ended_on is None and self.term_ends_on is not None and self.term_ends_on < timezone.localdate()


class GroupDocument(models.Model):
    """A governing or reference document of a group. Its versions are kept; the newest is current."""

    class Kind(models.TextChoices):
        TERMS_OF_REFERENCE = "terms_of_reference", "Terms of reference"
        CODE_OF_CONDUCT = "code_of_conduct", "Code of conduct"
        CONSTITUTION = "constitution", "Constitution"
        EQUAL_OPPORTUNITIES = "equal_opportunities", "Equal opportunities policy"
        ANNUAL_ACCOUNTS = "annual_accounts", "Annual accounts"
        OTHER = "other", "Other document"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    is_public = models.BooleanField("show on the public page", default=True)

    class Meta:
        ordering = ["kind", "title"]
        constraints = [models.UniqueConstraint(fields=["group", "kind", "title"], name="group_document_unique")]

    def __str__(self) -> str:
        return self.title


def _document_path(instance: DocumentVersion, filename: str) -> str:
    return f"groups/{instance.document.group_id}/documents/{filename}"


class DocumentVersion(models.Model):
    document = models.ForeignKey(GroupDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=_document_path, max_length=300)
    original_name = models.CharField(max_length=255)
    agreed_on = models.DateField("date agreed")
    notes = models.CharField("what changed", max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["document", "-number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")]

    def __str__(self) -> str:
        return f"{self.document} (version {self.number})"


class Election(models.Model):
    """An election or AGM: positions, candidates and the votes each received."""

    class Kind(models.TextChoices):
        AGM = "agm", "Annual general meeting"
        ELECTION = "election", "Election"
        BY_ELECTION = "by_election", "By-election"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="elections")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.AGM)
    held_on = models.DateField()
    meeting = models.ForeignKey("Meeting", null=True, blank=True, on_delete=models.SET_NULL, related_name="elections")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.group}, {self.held_on:%-d %B %Y}"


class ElectionPosition(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="positions")
    role = models.CharField(max_length=20, choices=MemberRole.choices)
    seats = models.PositiveSmallIntegerField(default=1)
    term_months = models.PositiveSmallIntegerField("term in months", default=12)
    declared_at = models.DateTimeField(null=True, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["election", "role"]
        constraints = [models.UniqueConstraint(fields=["election", "role"], name="election_position_unique")]

    def __str__(self) -> str:
        return self.get_role_display()


class Candidate(models.Model):
    position = models.ForeignKey(ElectionPosition, on_delete=models.CASCADE, related_name="candidates")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="candidacies")
    votes = models.PositiveIntegerField(null=True, blank=True)
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "-votes", "resident__last_name"]
        constraints = [models.UniqueConstraint(fields=["position", "resident"], name="candidate_once_per_position")]

    def __str__(self) -> str:
        return f"{self.resident} for {self.position}"


class Criterion(models.TextChoices):
    """The recognition standard for residents' groups, seed 003 (Poole), in its order."""

    CONSTITUTION = "constitution", "A written constitution"
    EQUAL_OPPORTUNITIES = "equal_opportunities", "Equal opportunities policies that are complied with"
    ELECTIONS = "elections", "Regular elections"
    FINANCES = "finances", "Open financial records and annual accounts"
    MEETINGS = "meetings", "Regular meetings and an AGM with a quorum and minutes"
    ACTIVE_MEMBERSHIP = "active_membership", "A level of active membership agreed with us"
    INFORMATION = "information", "Information about the group given to all residents"
    OPEN_MEMBERSHIP = "open_membership", "Membership open to all residents"
    NEWSLETTERS = "newsletters", "Regular newsletters or other written communication with members"


class RecognitionReview(models.Model):
    """One round of checking an association against the standard, ending in a manager's decision."""

    class Decision(models.TextChoices):
        RECOGNISED = "recognised", "Recognised"
        NOT_RECOGNISED = "not_recognised", "Not recognised"
        LAPSED = "lapsed", "Lapsed"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="recognition_reviews")
    opened_at = models.DateTimeField(default=timezone.now)
    decision = models.CharField(max_length=20, choices=Decision.choices, blank=True)
    reasons = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    renewal_due = models.DateField("renewal date", null=True, blank=True)

    class Meta:
        ordering = ["group", "-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(decision=""), name="recognition_one_open_review_per_group"
            )
        ]
        indexes = [models.Index(fields=["decision", "renewal_due"], name="recognition_renewal_idx")]

    def __str__(self) -> str:
        return f"Recognition of {self.group}: {self.get_decision_display() or 'in progress'}"


def _evidence_path(instance: RecognitionEvidence, filename: str) -> str:
    return f"groups/{instance.review.group_id}/recognition/{filename}"


class RecognitionEvidence(models.Model):
    review = models.ForeignKey(RecognitionReview, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(max_length=30, choices=Criterion.choices)
    meets = models.BooleanField("meets the standard", default=False)
    note = models.TextField(blank=True)
    file = models.FileField(upload_to=_evidence_path, max_length=300, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["review", "criterion"]
        constraints = [models.UniqueConstraint(fields=["review", "criterion"], name="evidence_once_per_criterion")]

    def __str__(self) -> str:
        return f"{self.get_criterion_display()}: {'met' if self.meets else 'not met'}"


class RecognitionReminder(models.Model):
    """A renewal reminder that went out, so a daily run never sends the same one twice."""

    review = models.ForeignKey(RecognitionReview, on_delete=models.CASCADE, related_name="reminders")
    renewal_due = models.DateField()
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "renewal_due", "days_before"], name="recognition_reminder_once")
        ]


class Venue(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="venues")
    name = models.CharField(max_length=200)
    address = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    step_free = models.BooleanField("step-free access", default=False)
    hearing_loop = models.BooleanField("hearing loop", default=False)
    accessible_toilet = models.BooleanField("accessible toilet", default=False)
    parking = models.BooleanField("parking, including for blue badge holders", default=False)
    accessibility_notes = models.TextField(
        "other access information", blank=True, help_text="For example, the nearest bus stop or a lift's size."
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="venue_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def access_features(self) -> list[str]:
        return [
            label
            for label, present in (
                ("Step-free access", self.step_free),
                ("Hearing loop", self.hearing_loop),
                ("Accessible toilet", self.accessible_toilet),
                ("Parking", self.parking),
            )
            if present
        ]


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Meeting"
        AGM = "agm", "Annual general meeting"
        SPECIAL = "special", "Special meeting"

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    venue = models.ForeignKey(Venue, null=True, blank=True, on_delete=models.SET_NULL, related_name="meetings")
    online_link = models.URLField("online meeting link", blank=True, max_length=500)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    publicised_on = models.DateField(null=True, blank=True)
    others_present = models.TextField(
        "others present", blank=True, help_text="Staff, councillors and guests, one to a line."
    )
    minutes = models.TextField(blank=True)
    summary = models.TextField(
        "what happened, for residents",
        blank=True,
        help_text="A few sentences in plain English for the public page: what was discussed and decided.",
    )
    minutes_recorded_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["starts_at"]
        indexes = [models.Index(fields=["group", "starts_at"], name="meeting_group_start_idx")]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{self.group} {self.get_kind_display().lower()}, {local:%-d %B %Y}"

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    presenter = models.CharField("who will introduce it", max_length=120, blank=True)

    class Meta:
        ordering = ["meeting", "order"]

    def __str__(self) -> str:
        return self.title


def _paper_path(instance: Paper, filename: str) -> str:
    return f"groups/meetings/{instance.meeting_id}/{filename}"


class Paper(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to=_paper_path, max_length=300)
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="meeting_attendance")
    status = models.CharField(max_length=20, choices=Status.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "resident"], name="attendance_once_per_meeting")]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField("what was decided")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    """Something a meeting asked someone to do. Open actions carry to every later meeting of the
    group until they are done or dropped."""

    class Status(models.TextChoices):
        OPEN = "open", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "No longer needed"

    CLOSED = (Status.DONE, Status.DROPPED)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions_raised")
    description = models.TextField("what needs doing")
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_actions"
    )
    owner_resident = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="group_actions"
    )
    due_on = models.DateField("due by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField("progress", blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["group", "status"], name="action_group_status_idx")]

    def __str__(self) -> str:
        return self.description[:80]

    @property
    def owner_name(self) -> str:
        if self.owner_user_id and self.owner_user is not None:
            return self.owner_user.get_full_name() or self.owner_user.username
        if self.owner_resident_id and self.owner_resident is not None:
            return self.owner_resident.full_name
        return "No one yet"

    @property
    def is_overdue(self) -> bool:
        return self.status not in self.CLOSED and self.due_on < timezone.localdate()


class PaperComment(models.Model):
    """A member's comment on a meeting's papers, sent before the meeting (halo members' way of
    taking part). Comments appear in the meeting pack."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="comments")
    paper = models.ForeignKey(Paper, null=True, blank=True, on_delete=models.SET_NULL, related_name="comments")
    resident = models.ForeignKey(Resident, on_delete=models.CASCADE, related_name="paper_comments")
    text = models.TextField("comment")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.resident} on {self.meeting}"


class PersonalCalendar(models.Model):
    """The secret address of a resident's own meetings calendar."""

    resident = models.OneToOneField(Resident, on_delete=models.CASCADE, related_name="group_calendar")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
