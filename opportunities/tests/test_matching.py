"""Who Involve proposes for an opportunity, in what order, and why."""

from __future__ import annotations

import datetime

import pytest
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from opportunities.models import InvolvementSettings
from opportunities.selectors import match_residents
from opportunities.tests.factories import (
    InvitationFactory,
    OpportunityFactory,
    TrainingCourseFactory,
    involved_resident,
    trained,
)
from people.models import Area, Consent, FormatNeed, Interest, Resident
from people.tests.factories import AreaFactory, HomeFactory, TenancyFactory

pytestmark = pytest.mark.django_db


def _in(org, area, **kwargs):
    home = HomeFactory(organisation=org, area=area)
    return involved_resident(org, tenancy=TenancyFactory(organisation=org, home=home), **kwargs)


@pytest.fixture
def world(org, other_org):
    repairs, complaints = Interest.objects.get(code="repairs"), Interest.objects.get(code="complaints")
    large, bsl = FormatNeed.objects.get(code="large-print"), FormatNeed.objects.get(code="bsl")
    north, south = AreaFactory(organisation=org, name="North"), AreaFactory(organisation=org, name="South")
    course = TrainingCourseFactory(organisation=org, name="Mystery shopping")
    opportunity = OpportunityFactory(
        organisation=org,
        title="Mystery shop the repairs line",
        levels=["involved"],
        time_needed="month",
        interests=[repairs, complaints],
        areas=[north],
        training_required=[course],
        format_support=[large],
    )
    best = {"interests": [repairs, complaints], "last_name": "Best"}
    people = {
        "alice": _in(org, north, first_name="Alice", format_needs=[large], **best),
        "bob": _in(org, north, first_name="Bob", interests=[repairs], last_name="Best"),
        "carol": _in(org, north, first_name="Carol", **best),
        "dan": _in(org, north, first_name="Dan", consent=False, **best),
        "eve": _in(org, north, first_name="Eve", **best),
        "fay": _in(org, north, first_name="Fay", status=Resident.Status.FORMER, **best),
        "gus": _in(org, north, first_name="Gus", involvement_level="informed", **best),
        "hal": _in(org, north, first_name="Hal", **best),
        "ivy": _in(org, north, first_name="Ivy", **best),
        "jo": _in(org, north, first_name="Jo", format_needs=[bsl], **best),
        "kit": _in(org, south, first_name="Kit", **best),
        "lee": _in(org, north, first_name="Lee", **best),
        "northgate": involved_resident(other_org, first_name="Nell", **best),
    }
    for name in ("alice", "bob", "dan", "eve", "fay", "gus", "hal", "ivy", "jo", "kit", "lee", "northgate"):
        trained(people[name], course)
    # Carol's training has lapsed.
    trained(people["carol"], course, completed_on=datetime.date(2020, 1, 1), expires_on=datetime.date(2021, 1, 1))
    Consent.objects.filter(resident=people["eve"]).update(withdrawn_at=timezone.now())
    # Hal was asked twice lately (the default limit), Ivy once; Kit once, but long ago.
    recent = timezone.now() - datetime.timedelta(days=3)
    for _ in range(2):
        InvitationFactory(opportunity=OpportunityFactory(organisation=org), resident=people["hal"], invited_at=recent)
    InvitationFactory(opportunity=OpportunityFactory(organisation=org), resident=people["ivy"], invited_at=recent)
    InvitationFactory(
        opportunity=OpportunityFactory(organisation=org),
        resident=people["kit"],
        invited_at=timezone.now() - datetime.timedelta(days=90),
    )
    # Lee is already invited to this one.
    InvitationFactory(opportunity=opportunity, resident=people["lee"])
    return opportunity, people


def test_ranking_who_comes_first_and_why(world, officer):
    opportunity, people = world
    result = match_residents(user=officer, opportunity=opportunity)
    order = [m.resident.first_name for m in result.matches]
    # Alice has everything. Jo and Ivy tie on points; Jo was not asked lately, so comes first.
    # Bob shares one interest but is trained; Carol shares two but her training has lapsed.
    # Kit has everything but lives in South.
    assert order == ["Alice", "Jo", "Ivy", "Bob", "Carol", "Kit"]
    scores = {m.resident.first_name: m.score for m in result.matches}
    assert scores == {"Alice": 90, "Jo": 85, "Ivy": 85, "Bob": 80, "Carol": 75, "Kit": 70}

    alice = result.matches[0]
    assert alice.reasons == [
        "Interested in Complaints and service quality, Repairs and maintenance",
        "Lives in North",
        "Wants to: work with you on tasks and reviews",
        "Has a few hours a month",
        "Trained: Mystery shopping",
        "Needs large print, which we can provide",
        "Not asked in the last 28 days",
    ]
    assert alice.cautions == []
    by_name = {m.resident.first_name: m for m in result.matches}
    assert "Needs british sign language, which is not offered" in by_name["Jo"].cautions
    assert "Asked once in the last 28 days" in by_name["Ivy"].cautions
    assert "Not yet trained: Mystery shopping" in by_name["Carol"].cautions  # lapsed training is not current
    assert "Lives in North" not in by_name["Kit"].reasons
    assert "Interested in Repairs and maintenance" in by_name["Bob"].reasons

    assert result.total == 6
    assert result.asked_too_often == 1  # Hal
    assert result.already_invited == 1  # Lee


def test_only_consenting_active_residents_who_want_tasks(world, officer):
    opportunity, people = world
    shown = {m.resident.pk for m in match_residents(user=officer, opportunity=opportunity).matches}
    for name in ("dan", "eve", "fay", "gus", "hal", "lee", "northgate"):
        assert people[name].pk not in shown, name


def test_landlord_setting_for_asked_too_often(world, officer, org):
    opportunity, people = world
    InvolvementSettings.objects.create(organisation=org, rest_days=28, max_recent_invitations=3, award_hours=[10])
    names = [m.resident.first_name for m in match_residents(user=officer, opportunity=opportunity).matches]
    assert "Hal" in names and names.index("Hal") > names.index("Ivy")  # asked twice, ranked after once
    InvolvementSettings.objects.filter(organisation=org).update(rest_days=120, max_recent_invitations=1)
    names = [m.resident.first_name for m in match_residents(user=officer, opportunity=opportunity).matches]
    assert "Kit" not in names and "Ivy" not in names and "Hal" not in names


def test_area_only_leaves_out_people_elsewhere(world, officer):
    opportunity, _ = world
    opportunity.area_only = True
    opportunity.save()
    names = [m.resident.first_name for m in match_residents(user=officer, opportunity=opportunity).matches]
    assert "Kit" not in names and "Alice" in names


def test_estate_of_an_opportunity_matches_residents_living_there(org, officer):
    area = AreaFactory(organisation=org, name="East")
    hood = Area.objects.create(organisation=org, name="Kingsway", level=Area.Level.NEIGHBOURHOOD, parent=area)
    estate = Area.objects.create(organisation=org, name="Jubilee", level=Area.Level.ESTATE, parent=hood)
    home = HomeFactory(organisation=org, area=area, estate=estate)
    on_estate = involved_resident(org, tenancy=TenancyFactory(organisation=org, home=home))
    elsewhere = involved_resident(org)
    opportunity = OpportunityFactory(organisation=org, areas=[hood])  # a neighbourhood covers its estates
    result = match_residents(user=officer, opportunity=opportunity)
    assert result.matches[0].resident == on_estate
    assert "Lives on Jubilee estate" in result.matches[0].reasons
    assert elsewhere in [m.resident for m in result.matches]


def test_another_landlords_opportunity_is_404(other_org, officer):
    with pytest.raises(Http404):
        match_residents(user=officer, opportunity=OpportunityFactory(organisation=other_org))


def test_query_count_does_not_grow_with_residents(org, officer, django_assert_max_num_queries):
    repairs = Interest.objects.get(code="repairs")
    course = TrainingCourseFactory(organisation=org)
    opportunity = OpportunityFactory(organisation=org, interests=[repairs], training_required=[course])
    for _ in range(5):
        involved_resident(org, interests=[repairs])
    with django_assert_max_num_queries(13):
        small = match_residents(user=officer, opportunity=opportunity)
    for _ in range(40):
        involved_resident(org, interests=[repairs], format_needs=[FormatNeed.objects.get(code="audio")])
    with django_assert_max_num_queries(13):
        big = match_residents(user=officer, opportunity=opportunity, limit=25)
    assert small.total == 5 and big.total == 45 and len(big.matches) == 25


def test_matches_page_shows_reasons_and_query_count(client, world, officer, django_assert_max_num_queries):
    opportunity, _ = world
    client.force_login(officer)
    url = reverse("opportunities:opportunity-matches", args=[opportunity.pk])
    with django_assert_max_num_queries(30):
        page = client.get(url)
    text = page.content.decode()
    assert page.status_code == 200
    assert text.index("Alice") < text.index("Bob")
    assert "Trained: Mystery shopping" in text and "Not yet trained: Mystery shopping" in text


def test_matches_page_is_for_managing_roles_only(client, world, make_user):
    opportunity, _ = world
    client.force_login(make_user(Role.MANAGER, username="m"))
    assert client.get(reverse("opportunities:opportunity-matches", args=[opportunity.pk])).status_code == 403
