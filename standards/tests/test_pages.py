"""The staff pages of the local offer."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from inspections.tests.factories import ExerciseFactory, ScenarioFactory
from standards import services
from standards.demo import build
from standards.models import Measure, MeasureVersion, MilestoneEvidence
from standards.selectors import milestone_list
from standards.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db


def test_the_local_offer_page_in_a_fixed_number_of_queries(client, org, manager, django_assert_max_num_queries):
    services.local_offer_load_preset(organisation=org, actor=manager)
    client.force_login(manager)
    with django_assert_max_num_queries(10):
        page = client.get("/staff/local-offer/").content.decode()
    assert "“We will respond and make the situation safe within 24 hours”" in page
    assert "99.6%" in page and "24 hours, reported to made safe" in page
    assert "28 working days, reported to completed" in page
    assert "Done by 31 October 2014" in page


def test_a_manager_changes_a_target_from_a_date(client, org, manager, officer):
    services.local_offer_load_preset(organisation=org, actor=manager)
    measure = Measure.objects.get(organisation=org, code="rep-cat2")
    url = f"/staff/local-offer/measures/{measure.pk}/change/"
    client.force_login(officer)
    assert client.get(url).status_code == 403
    client.force_login(manager)
    form = client.get(url).content.decode()
    assert 'value="99"' in form and 'value="3"' in form
    base = {"timescale_amount": "3", "timescale_unit": "working_days", "start_event": "reported",
            "end_event": "completed", "timescale_rule": "within", "reason": "Agreed at the Local Offer Group"}  # fmt: skip
    bad = client.post(url, {**base, "effective_from": "1/4/2015", "target": "120"}).content.decode()
    assert "A percentage target must be between 0 and 100" in bad and "govuk-error-summary" in bad
    missing = client.post(url, {**base, "effective_from": "1/4/2015", "target": "98", "timescale_amount": ""})
    assert "Enter the timescale, for example 3" in missing.content.decode()
    early = client.post(url, {**base, "effective_from": "1/6/2014", "target": "98"}).content.decode()
    assert "A change must take effect after the version in force from 1 July 2014" in early
    response = client.post(url, {**base, "effective_from": "1/4/2015", "target": "98"})
    assert response.status_code == 302
    assert list(measure.versions.values_list("number", "target")) == [(1, Decimal("99.00")), (2, Decimal("98.00"))]
    page = client.get(f"/staff/local-offer/measures/{measure.pk}/").content.decode()
    assert "Agreed at the Local Offer Group" in page and "1 Apr 2015" in page


def test_another_landlords_records_are_not_found(client, other_org, manager):
    theirs = MeasureFactory(organisation=other_org)
    milestone = MeasureFactory(organisation=other_org, kind=Measure.Kind.MILESTONE)
    client.force_login(manager)
    for url in (
        f"/staff/local-offer/measures/{theirs.pk}/",
        f"/staff/local-offer/measures/{theirs.pk}/change/",
        f"/staff/local-offer/commitments/{theirs.commitment_id}/change/",
        f"/staff/local-offer/milestones/{milestone.pk}/done/",
        f"/staff/local-offer/milestones/{milestone.pk}/evidence/",
    ):
        assert client.get(url).status_code == 404, url


def test_loading_the_preset_from_the_page_twice(client, org, manager):
    client.force_login(manager)
    assert client.post("/staff/local-offer/load/", {"preset": "oxford-2014"}).status_code == 302
    second = client.post("/staff/local-offer/load/", {"preset": "oxford-2014"}, follow=True).content.decode()
    assert "nothing was added" in second
    assert Measure.objects.filter(organisation=org).count() == 41


def test_an_officer_records_a_milestone_with_evidence(client, org, manager, officer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    services.local_offer_load_preset(organisation=org, actor=manager)
    leaflet = Measure.objects.get(organisation=org, code="asb-leaflet")
    client.force_login(officer)
    url = f"/staff/local-offer/milestones/{leaflet.pk}/done/"
    fake = SimpleUploadedFile("leaflet.pdf", b"\x89 not a pdf at all" * 20)
    refused = client.post(url, {"done_on": "20/10/2014", "evidence_note": "Published", "file": fake})
    assert refused.status_code == 200 and "govuk-error-summary" in refused.content.decode()
    pdf = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n%%EOF\n")
    assert client.post(url, {"done_on": "20/10/2014", "evidence_note": "Published", "file": pdf}).status_code == 302
    evidence = MilestoneEvidence.objects.get(measure=leaflet)
    assert evidence.done_on == datetime.date(2014, 10, 20)
    download = client.get(f"/staff/local-offer/milestones/{leaflet.pk}/evidence/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    listing = client.get("/staff/local-offer/milestones/?status=done").content.decode()
    assert "Service standard leaflet published" in listing and "Done (2)" in listing


def test_the_measure_page_shows_the_mystery_shopping_that_tests_it(client, org, officer):
    measure = MeasureFactory(organisation=org, name="Appointments made")
    scenario = ScenarioFactory(organisation=org, title="Book a repair by phone", measure=measure)
    ScenarioFactory(organisation=org, title="Not linked")
    for score in (60, 80):
        ExerciseFactory(scenario=scenario, status="submitted", score=Decimal(score),
                        carried_out_on=datetime.date(2025, 5, score // 10))  # fmt: skip
    client.force_login(officer)
    page = client.get(f"/staff/local-offer/measures/{measure.pk}/").content.decode()
    assert "Book a repair by phone" in page and "70.0%" in page and "8 May 2025" in page
    assert "Not linked" not in page


def test_the_categories_page_classifies_a_description(client, org, manager):
    services.local_offer_load_preset(organisation=org, actor=manager)
    client.force_login(manager)
    page = client.get("/staff/local-offer/asb-categories/?q=barking+dog").content.decode()
    assert "<strong>Category 3 ASB: contact within five working days</strong>" in page
    assert "Pet and animal nuisance" in page


def test_the_demo_offer_runs_up_to_now_with_done_overdue_and_due_soon_milestones(org, manager, officer):
    now = datetime.datetime(2026, 11, 23, 12, 0, tzinfo=datetime.UTC)
    build(organisation=org, users={"manager": manager, "officer": officer}, seed=1, now=now)
    rep = Measure.objects.get(organisation=org, code="rep-cat1")
    assert (rep.starts_on, rep.ends_on) == (datetime.date(2025, 3, 1), datetime.date(2026, 11, 30))
    milestones, counts = milestone_list(user=manager, today=now.date())
    assert (counts.done, counts.overdue, counts.due) == (13, 1, 1)
    due = next(m for m in milestones if m.status == "due")
    assert due.code == "asb-victim-support" and due.due_soon and due.version_count == 2
    assert MeasureVersion.objects.filter(measure__code="rep-post-inspect").count() == 2
    assert all(m.evidence.done_on <= now.date() for m in milestones if m.status == "done")
