"""Who can see what in the register: organisation isolation, the partnership view, and the
special-category equality profile (restricted, audited, aggregated with suppression)."""

from __future__ import annotations

import pytest

from accounts.models import Role
from people import selectors
from people.models import EqualityAccessLog, EqualityProfile
from people.tests.factories import ResidentFactory


@pytest.fixture
def two_landlords(org, other_org):
    return ResidentFactory(organisation=org, last_name="Ours"), ResidentFactory(
        organisation=other_org, last_name="Theirs"
    )


@pytest.mark.django_db
def test_staff_never_see_another_landlords_residents(client, officer, two_landlords):
    ours, theirs = two_landlords
    client.force_login(officer)
    assert client.get(f"/staff/residents/{ours.pk}/").status_code == 200
    assert client.get(f"/staff/residents/{theirs.pk}/").status_code == 404
    assert client.get(f"/staff/residents/{theirs.pk}/preferences/").status_code == 404
    listing = client.get("/staff/residents/?q=Theirs").content.decode()
    assert "0 residents" in listing and f"/staff/residents/{theirs.pk}/" not in listing
    assert list(selectors.resident_list(user=officer, filters=selectors.ResidentFilters())) == [ours]


@pytest.mark.django_db
def test_partnership_viewer_sees_across_members_but_not_equality_details(make_user, partnership, two_landlords, org):
    viewer = make_user(Role.PARTNERSHIP_VIEWER, username="partner")
    assert set(selectors.resident_list(user=viewer, filters=selectors.ResidentFilters())) == set(two_landlords)
    from django.test import Client

    client = Client()
    client.force_login(viewer)
    ours, theirs = two_landlords
    assert client.get(f"/staff/residents/{theirs.pk}/").status_code == 200
    assert client.get(f"/staff/residents/{theirs.pk}/equality/").status_code == 403
    assert client.get(f"/staff/residents/{ours.pk}/preferences/").status_code == 403


@pytest.mark.django_db
def test_partnership_viewer_without_a_partnership_sees_only_their_own(make_user, two_landlords):
    viewer = make_user(Role.PARTNERSHIP_VIEWER, username="partner")
    assert list(selectors.resident_list(user=viewer, filters=selectors.ResidentFilters())) == [two_landlords[0]]


@pytest.mark.django_db
def test_equality_profile_reads_are_logged(client, manager, org):
    resident = ResidentFactory(organisation=org)
    EqualityProfile.objects.create(resident=resident, sex="female", ethnicity="white_irish")
    client.force_login(manager)
    response = client.get(f"/staff/residents/{resident.pk}/equality/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert "White: Irish" in response.content.decode()
    log = EqualityAccessLog.objects.get()
    assert log.user == manager and log.resident == resident and log.path.endswith("/equality/")


@pytest.mark.django_db
def test_officers_cannot_open_equality_profiles(client, officer, org):
    resident = ResidentFactory(organisation=org)
    client.force_login(officer)
    assert client.get(f"/staff/residents/{resident.pk}/equality/").status_code == 403
    assert (
        f"/staff/residents/{resident.pk}/equality/"
        not in client.get(f"/staff/residents/{resident.pk}/").content.decode()
    )
    assert EqualityAccessLog.objects.count() == 0


@pytest.mark.django_db
def test_equality_updates_are_audited_and_completeness_is_stored(client, manager, org):
    from auditlog.models import LogEntry

    resident = ResidentFactory(organisation=org, involvement_level="involved")
    client.force_login(manager)
    answers = {
        "date_of_birth": "1960-05-01",
        "sex": "female",
        "gender_identity_same_as_sex": "yes",
        "ethnicity": "black_caribbean",
        "disability": "no",
        "religion": "christian",
        "sexual_orientation": "prefer_not",
        "caring_responsibilities": "no",
        "first_language": "English",
    }
    response = client.post(f"/staff/residents/{resident.pk}/equality/edit/", answers)
    assert response.status_code == 302
    profile = EqualityProfile.objects.get(resident=resident)
    assert profile.is_complete
    assert LogEntry.objects.filter(content_type__model="equalityprofile", actor=manager).exists()
    assert selectors.equality_completeness(user=manager) == (1, 100.0)


@pytest.mark.django_db
def test_equality_breakdown_suppresses_small_numbers(manager, org):
    for _ in range(7):
        EqualityProfile.objects.create(
            resident=ResidentFactory(organisation=org, involvement_level="involved"), religion="christian"
        )
    for _ in range(2):
        EqualityProfile.objects.create(
            resident=ResidentFactory(organisation=org, involvement_level="involved"), religion="sikh"
        )
    cells, total = selectors.equality_breakdown(user=manager, field="religion")
    shown = {c.label: c.count for c in cells}
    assert shown.get("Sikh") is None  # 2 people: suppressed
    # Secondary suppression: with only one small cell the total would reveal it.
    assert total is None or shown.get("Christian") is None


@pytest.mark.django_db
def test_history_shows_who_changed_what(client, admin_user, org):
    resident = ResidentFactory(organisation=org, preferred_channel="post", contact_by_post=True)
    client.force_login(admin_user)
    client.post(
        f"/staff/residents/{resident.pk}/preferences/",
        {
            "preferred_channel": "email",
            "email": "new@example.org",
            "contact_by_email": "on",
            "first_name": resident.first_name,
        },
    )
    page = client.get(f"/staff/residents/{resident.pk}/history/").content.decode()
    assert "new@example.org" in page
