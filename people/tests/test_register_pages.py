"""The register pages: filters, htmx partial, query counts, editing, matching and consent."""

from __future__ import annotations

import pytest

from accounts.models import Role
from people.models import Consent, Interest, Resident
from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory, TenancyFactory


@pytest.fixture
def register(org):
    north, south = AreaFactory(organisation=org, name="North"), AreaFactory(organisation=org, name="South")
    repairs = Interest.objects.get(code="repairs")
    for i in range(30):
        home = HomeFactory(
            organisation=org, area=north if i % 3 else south, postcode="OX4 1AA" if i == 0 else "OX1 2BB"
        )
        r = ResidentFactory(
            organisation=org,
            tenancy=TenancyFactory(
                organisation=org, home=home, tenure="leaseholder" if i % 5 == 0 else "secure_assured"
            ),
            last_name=f"Person{i:02d}",
            involvement_level="armchair" if i % 2 else "",
        )
        if i % 4 == 0:
            r.interests.add(repairs)
    return north, south


def _count(page: str) -> str:
    return page.split('govuk-table__caption--m">')[1].split("<")[0]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", "30 residents"),
        ("tenure=leaseholder", "6 residents"),
        ("interest=repairs", "8 residents"),
        ("level=armchair", "15 residents"),
        ("q=Person0", "10 residents"),
        ("q=ox4 1aa", "1 resident"),
        ("q=ox41", "1 resident"),
    ],
)
def test_filters(client, officer, register, query, expected):
    client.force_login(officer)
    assert _count(client.get(f"/staff/residents/?{query}").content.decode()) == expected


@pytest.mark.django_db
def test_area_filter_and_bad_values_do_not_crash(client, officer, register):
    north, _ = register
    client.force_login(officer)
    assert _count(client.get(f"/staff/residents/?area={north.pk}").content.decode()) == "20 residents"
    assert client.get("/staff/residents/?area=banana&page=999").status_code == 200


@pytest.mark.django_db
def test_htmx_request_gets_only_the_results(client, officer, register):
    client.force_login(officer)
    response = client.get("/staff/residents/?tenure=leaseholder", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body


@pytest.mark.django_db
def test_list_query_count_is_constant(client, officer, register, django_assert_max_num_queries):
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        client.get("/staff/residents/")


@pytest.mark.django_db
def test_detail_query_count_is_constant(client, officer, register, django_assert_max_num_queries):
    client.force_login(officer)
    resident = Resident.objects.first()
    with django_assert_max_num_queries(16):
        assert client.get(f"/staff/residents/{resident.pk}/").status_code == 200


@pytest.mark.django_db
def test_preferences_validation_and_save(client, officer, org):
    resident = ResidentFactory(organisation=org, email="", preferred_channel="post", contact_by_post=True)
    client.force_login(officer)
    bad = client.post(f"/staff/residents/{resident.pk}/preferences/", {"preferred_channel": "email"})
    assert "Enter an email address, or choose another way" in bad.content.decode()
    ok = client.post(
        f"/staff/residents/{resident.pk}/preferences/",
        {"preferred_channel": "email", "email": "a@example.org", "interests": [Interest.objects.get(code="asb").pk]},
    )
    assert ok.status_code == 302
    resident.refresh_from_db()
    assert resident.contact_by_email and resident.email == "a@example.org"
    assert list(resident.interests.values_list("code", flat=True)) == ["asb"]


@pytest.mark.django_db
def test_match_pending_resident_to_tenancy(client, officer, org, other_org):
    tenancy = TenancyFactory(organisation=org, reference="T-100")
    TenancyFactory(organisation=other_org, reference="T-200")
    pending = Resident.objects.create(
        organisation=org,
        status="pending",
        source="web",
        first_name="Joan",
        last_name="Clarke",
        stated_postcode="OX2 6AA",
    )
    client.force_login(officer)
    wrong = client.post(f"/staff/residents/{pending.pk}/match/", {"tenancy_reference": "T-200"})
    assert "There is no tenancy with reference T-200" in wrong.content.decode()
    client.post(f"/staff/residents/{pending.pk}/match/", {"tenancy_reference": "T-100"})
    pending.refresh_from_db()
    assert pending.status == "active" and pending.tenancy == tenancy and pending.home == tenancy.home


@pytest.mark.django_db
def test_consent_record_and_withdraw_keeps_history(client, officer, org):
    resident = ResidentFactory(organisation=org)
    client.force_login(officer)
    client.post(f"/staff/residents/{resident.pk}/consent/", {"purpose": "photographs", "method": "paper"})
    client.post(f"/staff/residents/{resident.pk}/consent/", {"purpose": "photographs", "method": "paper"})
    consent = Consent.objects.get(resident=resident)
    client.post(f"/staff/residents/{resident.pk}/consent/", {"consent": consent.pk, "method": "phone"})
    consent.refresh_from_db()
    assert consent.withdrawn_at is not None and consent.withdrawn_method == "phone"


@pytest.mark.django_db
def test_manager_can_read_but_not_edit(client, make_user, org):
    manager = make_user(Role.MANAGER, username="mgr")
    resident = ResidentFactory(organisation=org)
    client.force_login(manager)
    assert client.get(f"/staff/residents/{resident.pk}/").status_code == 200
    assert client.post(f"/staff/residents/{resident.pk}/preferences/", {"preferred_channel": "post"}).status_code == 403


@pytest.mark.django_db
def test_calendar_page_adds_and_removes_closure_days(client, admin_user, officer, org):
    client.force_login(admin_user)
    page = client.get("/staff/calendar/?year=2026").content.decode()
    assert "Fri 25 December" in page and "Mon 28 December" in page  # Boxing Day falls on a Saturday
    response = client.post("/staff/calendar/closures/", {"date": "2026-12-29", "reason": "Christmas shutdown"})
    assert response.status_code == 302
    assert "Christmas shutdown" in client.get("/staff/calendar/?year=2026").content.decode()
    weekend = client.post("/staff/calendar/closures/", {"date": "2026-12-26", "reason": "x"})
    assert "is a weekend" in weekend.content.decode()
    client.force_login(officer)
    assert client.post("/staff/calendar/closures/", {"date": "2026-12-30", "reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_administrator_changes_the_receipt_rule(client, admin_user, org):
    client.force_login(admin_user)
    bad = client.post(
        "/staff/calendar/office-hours/",
        {"office_opens": "17:00", "office_closes": "09:00", "receipt_day_is_day_zero": "True"},
    )
    assert "must close after it opens" in bad.content.decode()
    client.post(
        "/staff/calendar/office-hours/",
        {"office_opens": "08:30", "office_closes": "16:30", "receipt_day_is_day_zero": "False"},
    )
    org.refresh_from_db()
    assert str(org.office_closes) == "16:30:00" and org.receipt_day_is_day_zero is False


@pytest.mark.django_db
def test_calendar_changes_are_audited(client, admin_user, org):
    from auditlog.models import LogEntry

    client.force_login(admin_user)
    LogEntry.objects.all().delete()  # setting up the organisation was logged too, with no actor
    client.post("/staff/calendar/closures/", {"date": "2026-12-29", "reason": "Christmas shutdown"})
    client.post(
        "/staff/calendar/office-hours/",
        {"office_opens": "08:30", "office_closes": "16:30", "receipt_day_is_day_zero": "True"},
    )
    actors = set(
        LogEntry.objects.filter(content_type__model__in=["closureday", "organisation"]).values_list(
            "actor_id", flat=True
        )
    )
    assert actors == {admin_user.pk}
