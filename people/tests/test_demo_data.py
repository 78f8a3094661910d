"""The demo landlord: deterministic, complete enough to click through, and safe to run twice."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Organisation, Role, User
from people.demo import DEMO_PASSWORD, DemoRefused, build_demo, delete_demo
from people.models import Area, Consent, EqualityProfile, Home, Resident, Tenancy, Tenure, normalise_postcode

SMALL = 600


def _snapshot() -> list[tuple[str | None, str, str, str, str]]:
    return list(
        Resident.objects.filter(organisation__slug="riverside-homes")
        .order_by("person_ref", "last_name", "first_name")
        .values_list("person_ref", "first_name", "last_name", "home__reference", "postcode_key")
    )


@pytest.fixture
def demo(db):
    return build_demo(residents=SMALL, seed=11)


@pytest.mark.django_db
def test_same_seed_gives_same_people_and_references(demo):
    first = _snapshot()
    delete_demo()
    assert not Resident.objects.exists()
    build_demo(residents=SMALL, seed=11)
    assert _snapshot() == first
    delete_demo()
    build_demo(residents=SMALL, seed=12)
    assert _snapshot() != first


@pytest.mark.django_db
def test_builds_the_number_of_residents_asked_for(demo):
    main = Organisation.objects.get(slug="riverside-homes")
    assert Resident.objects.filter(organisation=main).count() == SMALL
    tenancies = Tenancy.objects.filter(organisation=main).count()
    assert Home.objects.filter(organisation=main).count() == tenancies
    # About 1.4 residents to a tenancy (the 20 pending residents have no tenancy yet).
    assert 1.25 < (SMALL - 20) / tenancies < 1.55
    northgate = Organisation.objects.get(slug="northgate")
    assert northgate.partnership_id == main.partnership_id is not None
    assert Resident.objects.filter(organisation=northgate).exists()


@pytest.mark.django_db
def test_main_landlord_has_six_areas_each_with_neighbourhoods_and_estates(demo):
    main = Organisation.objects.get(slug="riverside-homes")
    areas = Area.objects.filter(organisation=main, level=Area.Level.AREA)
    assert sorted(areas.values_list("name", flat=True)) == [
        "Central",
        "East",
        "North",
        "Riverside Village",
        "South",
        "West",
    ]
    for area in areas:
        hoods = Area.objects.filter(parent=area, level=Area.Level.NEIGHBOURHOOD)
        assert hoods.count() == 2
        assert 2 <= Area.objects.filter(parent__in=hoods, level=Area.Level.ESTATE).count() <= 4
    # Homes and residents carry their top-level area, and every home is on an estate.
    assert not Home.objects.filter(organisation=main, estate__isnull=True).exists()
    assert not Home.objects.filter(organisation=main).exclude(area__level=Area.Level.AREA).exists()
    active = Resident.objects.filter(organisation=main, status=Resident.Status.ACTIVE)
    assert not active.filter(area__isnull=True).exists()


@pytest.mark.django_db
def test_rows_written_in_bulk_are_what_save_would_have_written(demo):
    for resident in Resident.objects.select_related("home", "tenancy").filter(status=Resident.Status.ACTIVE)[:200]:
        assert resident.home is not None and resident.tenancy is not None
        assert resident.postcode_key == normalise_postcode(resident.home.postcode)
        assert resident.tenure == resident.tenancy.tenure
        assert resident.created_at is not None and resident.updated_at is not None
    for profile in EqualityProfile.objects.all():
        assert profile.is_complete == profile.compute_is_complete()
    # A new row after the bulk write gets a fresh id (the id sequence was moved on).
    extra = Resident.objects.create(
        organisation=Organisation.objects.get(slug="northgate"), first_name="A", last_name="B"
    )
    assert extra.pk > Resident.objects.exclude(pk=extra.pk).order_by("-pk").values_list("pk", flat=True)[0]


@pytest.mark.django_db
def test_tenure_mix_is_mostly_secure_or_assured(demo):
    mix = Counter(Tenancy.objects.filter(organisation__slug="riverside-homes").values_list("tenure", flat=True))
    assert mix.most_common(1)[0][0] == Tenure.SECURE_OR_ASSURED
    assert mix[Tenure.SECURE_OR_ASSURED] / sum(mix.values()) > 0.6
    assert mix[Tenure.LEASEHOLDER] > 0


@pytest.mark.django_db
def test_involved_residents_have_preferences_profiles_and_consents(demo):
    involved = Resident.objects.filter(organisation__slug="riverside-homes", status=Resident.Status.ACTIVE).involved()
    assert involved.count() >= 10
    assert involved.filter(interests__isnull=False).distinct().count() == involved.count()
    assert EqualityProfile.objects.filter(resident__in=involved).exists()
    assert EqualityProfile.objects.filter(resident__in=involved, is_complete=True).exists()
    assert EqualityProfile.objects.filter(resident__in=involved, is_complete=False).exists()
    assert Consent.objects.filter(resident__in=involved, purpose=Consent.Purpose.INVOLVEMENT_CONTACT).count() == (
        involved.count()
    )


@pytest.mark.django_db
def test_pending_residents_wait_to_be_matched(demo):
    pending = Resident.objects.filter(organisation__slug="riverside-homes", status=Resident.Status.PENDING)
    assert pending.count() == 20
    for resident in pending:
        assert resident.source == Resident.Source.WEB
        assert resident.tenancy_id is None and resident.home_id is None
        assert resident.stated_address and resident.stated_postcode
        assert resident.postcode_key == normalise_postcode(resident.stated_postcode)
        assert resident.person_ref is None


@pytest.mark.django_db
def test_one_sign_in_per_role_and_resident_accounts_are_linked(demo):
    main_users = User.objects.filter(organisation__slug="riverside-homes")
    assert set(main_users.values_list("role", flat=True)) == set(Role.values)
    assert set(main_users.values_list("username", flat=True)) == {
        "admin",
        "officer",
        "manager",
        "partnership",
        "panel",
        "resident",
    }
    northgate = User.objects.get(username="northgate-officer")
    assert northgate.organisation is not None and northgate.organisation.slug == "northgate"
    assert northgate.role == Role.INVOLVEMENT_OFFICER
    for user in User.objects.filter(organisation__slug__in=["riverside-homes", "northgate"]):
        assert user.check_password(DEMO_PASSWORD)
    assert Resident.objects.get(user__username="panel").involvement_level
    assert Resident.objects.get(user__username="resident").organisation.slug == "riverside-homes"


@pytest.mark.django_db
def test_second_run_without_reset_adds_nothing(demo):
    before = demo.counts
    ids = set(Resident.objects.values_list("pk", flat=True))
    again = build_demo(residents=SMALL, seed=11)
    assert not again.created
    assert again.counts == before
    assert set(Resident.objects.values_list("pk", flat=True)) == ids
    assert Organisation.objects.filter(slug="riverside-homes").count() == 1


@pytest.mark.django_db
def test_reset_rebuilds_without_duplicates(demo):
    old_ids = set(Resident.objects.values_list("pk", flat=True))
    again = build_demo(residents=SMALL, seed=11, reset=True)
    assert again.created
    assert again.counts == demo.counts
    assert not old_ids & set(Resident.objects.values_list("pk", flat=True))
    assert User.objects.filter(username="officer").count() == 1


@pytest.mark.django_db
def test_command_prints_summary_and_is_idempotent():
    out = io.StringIO()
    call_command("demo_data", residents=200, seed=3, stdout=out)
    text = out.getvalue()
    assert "Residents" in text and "officer" in text and DEMO_PASSWORD in text
    out = io.StringIO()
    call_command("demo_data", residents=200, seed=3, stdout=out)
    assert "already exist" in out.getvalue()
    assert Resident.objects.filter(organisation__slug="riverside-homes").count() == 200


@pytest.mark.django_db
def test_refuses_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        build_demo(residents=100)
    with pytest.raises(CommandError):
        call_command("demo_data", residents=100, stdout=io.StringIO())
    assert not Organisation.objects.filter(slug="riverside-homes").exists()


@pytest.mark.django_db
def test_refuses_to_take_over_an_existing_username():
    User.objects.create_user(username="admin", password="x" * 20)
    with pytest.raises(DemoRefused, match="admin"):
        build_demo(residents=100)
    assert not Organisation.objects.filter(slug="riverside-homes").exists()
