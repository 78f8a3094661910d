"""The demo landlord's involvement structure: populated, deterministic and linked to the demo sign-ins."""

from __future__ import annotations

import pytest
from django.utils import timezone

from groups.models import Action, Attendance, Group, GroupKind, Meeting, MemberRole, Membership, Paper
from groups.selectors import is_recognised, resident_can_read_papers
from people.demo import build_demo, delete_demo
from people.models import Resident

SMALL = 600


def _shape() -> list[tuple[str, int, int]]:
    return [
        (g.name, g.memberships.count(), g.meetings.count())
        for g in Group.objects.filter(organisation__slug="riverside-homes").order_by("name")
    ]


@pytest.mark.django_db
def test_demo_has_a_populated_structure_with_a_year_of_meetings():
    build_demo(residents=SMALL, seed=11)
    groups = Group.objects.filter(organisation__slug="riverside-homes")
    kinds = set(groups.values_list("kind", flat=True))
    assert {
        GroupKind.SCRUTINY_PANEL,
        GroupKind.STANDARDS_TASK_TEAM,
        GroupKind.TRA,
        GroupKind.AREA_FORUM,
        GroupKind.HALO_GROUP,
        GroupKind.LEASEHOLDER_PANEL,
        GroupKind.OTHER,
    } <= kinds
    assert groups.filter(kind=GroupKind.STANDARDS_TASK_TEAM).count() == 4
    now = timezone.now()
    past = Meeting.objects.filter(group__in=groups, starts_at__lt=now)
    future = Meeting.objects.filter(group__in=groups, starts_at__gte=now)
    assert past.filter(starts_at__lt=now - timezone.timedelta(days=300)).exists()
    assert not past.filter(minutes="").exists()
    assert Attendance.objects.filter(meeting__in=past).count() > past.count() * 3
    assert Action.objects.filter(group__in=groups).exclude(status__in=Action.CLOSED).exists()
    assert Paper.objects.filter(meeting__in=future).exists()
    # Members are drawn from residents who told us they want to be involved.
    assert not Membership.objects.filter(group__in=groups, resident__involvement_level="").exists()
    tras = groups.filter(kind=GroupKind.TRA)
    assert [is_recognised(g) for g in tras.order_by("name")].count(True) == 2


@pytest.mark.django_db
def test_demo_panel_user_is_a_halo_member_of_one_group_and_a_member_of_another():
    build_demo(residents=SMALL, seed=11)
    panel = Resident.objects.get(user__username="panel")
    roles = dict(Membership.objects.open().filter(resident=panel).values_list("group__name", "role"))
    assert roles["Independent Tenant Scrutiny Panel"] == MemberRole.HALO
    assert roles["Safety and Quality Standards Task Team"] == MemberRole.MEMBER
    upcoming = Meeting.objects.filter(group__name="Independent Tenant Scrutiny Panel", starts_at__gt=timezone.now())
    first = upcoming.order_by("starts_at").first()
    assert first is not None and first.papers.exists()
    assert resident_can_read_papers(resident=panel, meeting=first)


@pytest.mark.django_db
def test_demo_is_deterministic_and_deletes_cleanly():
    build_demo(residents=SMALL, seed=11)
    first = _shape()
    delete_demo()
    assert not Group.objects.exists()
    build_demo(residents=SMALL, seed=11)
    assert _shape() == first
