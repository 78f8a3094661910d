"""Monitoring by residents: members of a scrutiny panel, standards task team or topic panel
(tenant review group) see their landlord's performance pages and comment on a result; staff
open and close remedial actions on a measure below target."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from groups.models import GroupKind, MemberRole
from groups.tests.factories import GroupFactory, MembershipFactory
from people.tests.factories import ResidentFactory
from performance import selectors, services
from performance.models import MeasureComment, RemedialAction
from performance.tests.conftest import MAY

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def member(org, make_user):
    """An involved resident on the scrutiny panel, signed in through their own account."""
    user = make_user(Role.INVOLVED_RESIDENT)
    resident = ResidentFactory(organisation=org, user=user)
    panel = GroupFactory(organisation=org, name="Scrutiny Panel", kind=GroupKind.SCRUTINY_PANEL)
    MembershipFactory(group=panel, resident=resident)
    user.panel = panel
    user.resident_record = resident
    return user


def test_a_panel_member_sees_results_but_not_the_records(client, member, offer):
    client.force_login(member)
    page = client.get(f"/your-groups/performance/?{MAY}").content.decode()
    assert "as a member of Scrutiny Panel" in page and "60.0%" in page
    assert "Refresh figures" not in page
    page = client.get(f"/your-groups/performance/measures/{offer.cat2.pk}/?{MAY}").content.decode()
    assert "<svg" in page and "2 records in this period missed the timescale" in page
    assert "1 still open is already past due" in page
    assert "LATE0" not in page and "OPEN1" not in page  # record lists name homes: officers only
    assert "Open a remedial action" not in page
    # The staff pages stay closed to residents.
    assert client.get("/staff/performance/").status_code == 403


@pytest.mark.parametrize(
    "kind,role,ended",
    [
        (GroupKind.STANDARDS_TASK_TEAM, MemberRole.MEMBER, False),
        (GroupKind.TOPIC_PANEL, MemberRole.CHAIR, False),
        (GroupKind.SCRUTINY_PANEL, MemberRole.CO_OPTED, False),
    ],
)
def test_members_of_every_monitoring_group_type_get_in(client, org, make_user, offer, kind, role, ended):
    user = make_user(Role.INVOLVED_RESIDENT)
    resident = ResidentFactory(organisation=org, user=user)
    MembershipFactory(group=GroupFactory(organisation=org, kind=kind), resident=resident, role=role)
    client.force_login(user)
    assert client.get("/your-groups/performance/").status_code == 200


@pytest.mark.parametrize("case", ["tra", "ended", "officer_support", "closed_group", "not_started"])
def test_other_residents_are_refused(client, org, make_user, offer, case):
    user = make_user(Role.INVOLVED_RESIDENT)
    resident = ResidentFactory(organisation=org, user=user)
    group = GroupFactory(organisation=org, kind=GroupKind.TRA if case == "tra" else GroupKind.SCRUTINY_PANEL)
    membership = MembershipFactory(group=group, resident=resident)
    if case == "ended":
        membership.ended_on = D(2025, 1, 1)
    elif case == "officer_support":
        membership.role = MemberRole.OFFICER_SUPPORT
    elif case == "not_started":
        membership.starts_on = datetime.date.today() + datetime.timedelta(days=5)
    membership.save()
    if case == "closed_group":
        group.status = "closed"
        group.save()
    client.force_login(user)
    assert client.get("/your-groups/performance/").status_code == 403
    assert client.get(f"/your-groups/performance/measures/{offer.cat2.pk}/").status_code == 403
    assert client.post(f"/staff/performance/measures/{offer.cat2.pk}/comment/?{MAY}", {"text": "Hi"}).status_code == 403
    assert not MeasureComment.objects.exists()


def test_a_member_of_another_landlords_panel_is_refused(client, org, other_org, make_user, offer):
    user = make_user(Role.INVOLVED_RESIDENT)
    resident = ResidentFactory(organisation=org, user=user)
    MembershipFactory(group=GroupFactory(organisation=other_org), resident=resident)
    client.force_login(user)
    assert client.get("/your-groups/performance/").status_code == 403


def test_an_account_not_linked_to_a_resident_is_not_found(client, make_user, offer):
    client.force_login(make_user(Role.INVOLVED_RESIDENT))
    assert client.get("/your-groups/performance/").status_code == 404


def test_a_member_comments_on_a_measure_for_a_period(client, member, offer):
    client.force_login(member)
    url = f"/staff/performance/measures/{offer.cat2.pk}/comment/?{MAY}"
    empty = client.post(url, {"text": "  ", "group": member.panel.pk}).content.decode()
    assert "Enter your comment" in empty
    response = client.post(url, {"text": "Why were two jobs late?", "group": member.panel.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(f"/your-groups/performance/measures/{offer.cat2.pk}/?")
    comment = MeasureComment.objects.get()
    assert (comment.period_start, comment.period_end) == (D(2025, 5, 1), D(2025, 5, 31))
    assert comment.group == member.panel and comment.author == member
    assert LogEntry.objects.get_for_object(comment).get().actor == member
    page = client.get(response["Location"]).content.decode()
    assert "Why were two jobs late?" in page and "Scrutiny Panel" in page
    # Staff see it on their page too.


def test_a_member_of_two_groups_chooses_which_one_speaks(client, member, org, offer):
    team = GroupFactory(organisation=org, name="Repairs Review Group", kind=GroupKind.TOPIC_PANEL)
    MembershipFactory(group=team, resident=member.resident_record)
    client.force_login(member)
    url = f"/staff/performance/measures/{offer.cat2.pk}/comment/?{MAY}"
    page = client.get(url).content.decode()
    assert "Which group are you commenting for?" in page and "Repairs Review Group" in page
    assert "Choose the group you are commenting for" in client.post(url, {"text": "x"}).content.decode()
    other = GroupFactory(organisation=org, kind=GroupKind.SCRUTINY_PANEL)
    assert client.post(url, {"text": "x", "group": other.pk}).status_code == 200  # not one of theirs
    assert client.post(url, {"text": "x", "group": team.pk}).status_code == 302
    assert MeasureComment.objects.get().group == team


def test_service_refuses_a_comment_for_someone_elses_group(org, member, offer, make_user):
    other = GroupFactory(organisation=org, kind=GroupKind.SCRUTINY_PANEL)
    kwargs = {"measure": offer.cat2, "period_start": D(2025, 5, 1), "period_end": D(2025, 5, 31), "text": "x"}
    with pytest.raises(ValidationError):
        services.measure_comment_add(actor=member, group=other, **kwargs)
    with pytest.raises(PermissionDenied):
        services.measure_comment_add(actor=make_user(Role.RESIDENT), **kwargs)
    officer_comment = services.measure_comment_add(actor=make_user(Role.INVOLVEMENT_OFFICER), **kwargs)
    assert officer_comment.group is None


def test_an_officer_opens_and_closes_a_remedial_action(client, officer, member, offer):
    client.force_login(officer)
    url = f"/staff/performance/measures/{offer.cat2.pk}/remedial-action/?{MAY}"
    assert "Enter what will be done" in client.post(url, {"owner": "x", "due_on": "31/7/2025"}).content.decode()
    response = client.post(
        url, {"description": "Chase every late job", "owner": "Repairs manager", "due_on": "31/7/2025"}
    )
    assert response.status_code == 302
    action = RemedialAction.objects.get()
    assert (action.measure, action.period_start, action.status) == (offer.cat2, D(2025, 5, 1), "open")
    assert action.opened_by == officer
    close = f"/staff/performance/remedial-actions/{action.pk}/close/"
    assert "Enter what was done" in client.post(close, {"note": ""}).content.decode()
    assert client.post(close, {"note": "All called back"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_note) == ("done", "All called back")
    assert LogEntry.objects.get_for_object(action).count() == 2
    # Residents see the actions on their page.
    client.force_login(member)
    page = client.get(f"/your-groups/performance/measures/{offer.cat2.pk}/?{MAY}").content.decode()
    assert "Chase every late job" in page and "All called back" in page


def test_no_remedial_action_on_a_measure_that_met_its_target(client, officer, offer):
    kwargs = {"actor": officer, "description": "x", "owner": "y", "due_on": D(2025, 7, 1)}
    with pytest.raises(ValidationError, match="below target"):
        services.remedial_action_open(
            measure=offer.cat3, period_start=D(2025, 5, 1), period_end=D(2025, 5, 31), **kwargs
        )
    with pytest.raises(ValidationError, match="below target"):  # no figures at all
        services.remedial_action_open(
            measure=offer.cat2, period_start=D(2025, 8, 1), period_end=D(2025, 8, 31), **kwargs
        )
    client.force_login(officer)
    page = client.get(f"/staff/performance/measures/{offer.cat3.pk}/?{MAY}").content.decode()
    assert "Open a remedial action" not in page


def test_residents_and_viewers_cannot_open_actions(offer, member, make_user):
    kwargs = {
        "description": "x",
        "owner": "y",
        "due_on": D(2025, 7, 1),
        "period_start": D(2025, 5, 1),
        "period_end": D(2025, 5, 31),
    }
    for user in (member, make_user(Role.PARTNERSHIP_VIEWER)):
        with pytest.raises(PermissionDenied):
            services.remedial_action_open(measure=offer.cat2, actor=user, **kwargs)


def test_monitoring_groups_selector(member, org):
    assert [g.name for g in selectors.monitoring_groups(user=member)] == ["Scrutiny Panel"]
