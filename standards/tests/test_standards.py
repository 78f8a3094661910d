"""The local-offer catalogue: the Oxford preset, versions, timescales, ASB categories and milestones."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Role
from core.calendar import LONDON, package_calendar
from standards import selectors, services
from standards.models import (
    CaseType,
    Category,
    Commitment,
    Measure,
    MeasureVersion,
    MilestoneEvidence,
    milestone_status,
)
from standards.tests.factories import MeasureFactory

pytestmark = pytest.mark.django_db
D = datetime.date
SEED_START = D(2014, 7, 1)


@pytest.fixture
def offer(org, manager):
    services.local_offer_load_preset(organisation=org, actor=manager)
    return {m.code: m for m in Measure.objects.filter(organisation=org).prefetch_related("versions", "categories")}


def _v(measure: Measure, on: datetime.date = SEED_START) -> MeasureVersion:
    version = selectors.measure_version_on(measure, on)
    assert version is not None
    return version


def _timescale(measure: Measure) -> tuple:
    v = _v(measure)
    return (v.target, v.timescale_amount, v.timescale_unit, v.start_event, v.end_event)


# --- The preset ----------------------------------------------------------------------------------


def test_the_oxford_preset_has_every_number_in_the_seed(offer):
    m = offer
    assert _timescale(m["rep-cat1"]) == (Decimal("99.6"), 24, "hours", "reported", "made_safe")
    assert _timescale(m["rep-cat2"]) == (Decimal("99"), 3, "working_days", "reported", "completed")
    assert _timescale(m["rep-cat3"]) == (Decimal("96.5"), 28, "working_days", "reported", "completed")
    assert [c.code for c in m["rep-cat1"].categories.all()] == ["1"]
    assert [c.code for c in m["rep-cat3"].categories.all()] == ["3"]
    assert _v(m["rep-post-inspect"]).target == Decimal("13")
    assert _v(m["rep-appointment-made"]).target == Decimal("95")
    assert _v(m["rep-appointment-kept"]).target == Decimal("99")
    assert sorted(c.code for c in m["rep-appointment-made"].categories.all()) == ["2", "3"]
    assert _v(m["rep-text-confirmation"]).target == Decimal("100")
    assert _timescale(m["rep-letter"]) == (Decimal("100"), 4, "calendar_days", "reported", "letter_sent")
    assert _v(m["rep-satisfaction-responses"]).target == Decimal("25")
    assert _timescale(m["pm-hhsrs"]) == (Decimal("100"), 30, "calendar_days", "identified", "fixed")
    visit = _v(m["pm-visit-notice"])
    assert (visit.target, visit.timescale_amount, visit.timescale_unit, visit.timescale_rule) == (
        Decimal("100"), 7, "calendar_days", "at_least"
    )  # fmt: skip
    assert _timescale(m["asb-cat1"]) == (Decimal("100"), 1, "working_days", "reported", "first_contact")
    assert _timescale(m["asb-cat2"]) == (Decimal("90"), 4, "working_days", "reported", "first_contact")
    assert _timescale(m["asb-cat3"]) == (Decimal("90"), 5, "working_days", "reported", "first_contact")
    assert _v(m["asb-cat2"]).target_text == "two - four working days"
    visits = _v(m["asb-neighbourhood-visits"])
    assert (visits.target, visits.times, visits.per_period) == (Decimal("100"), 2, "week")
    meetings = _v(m["asb-champions-meetings"])
    assert (meetings.target, meetings.per_period, m["asb-champions-meetings"].kind) == (
        Decimal("1"),
        "quarter",
        "count",
    )
    # Every dated milestone, due at the end of the month the seed names.
    milestones = {code: _v(measure, D(2016, 1, 1)).due_on for code, measure in m.items() if measure.is_milestone}
    assert milestones == {
        "rep-first-visit-model": D(2015, 4, 30),
        "rep-satisfaction-plan": D(2015, 4, 30),
        "rep-case-tracking-train": D(2014, 12, 31),
        "rep-case-tracking-live": D(2015, 1, 31),
        "rep-evening-feasibility": D(2014, 10, 31),
        "rep-gas-take-up": D(2015, 3, 31),
        "pm-stock-survey": D(2014, 3, 31),
        "pm-visit-contracts": D(2014, 4, 30),
        "pm-programme": D(2015, 4, 30),
        "pm-satisfaction-plan": D(2015, 4, 30),
        "asb-leaflet": D(2014, 10, 31),
        "asb-diary": D(2014, 10, 31),
        "asb-tenant-inspections": D(2014, 12, 31),
        "asb-action-plans": D(2014, 10, 31),
        "asb-victim-support": D(2015, 3, 31),
    }
    # The seed reports the stock condition survey as already done.
    assert MilestoneEvidence.objects.get().measure.code == "pm-stock-survey"
    assert {measure.ends_on for measure in m.values()} == {D(2016, 3, 31)}
    assert {measure.starts_on for measure in m.values() if not measure.is_milestone} == {SEED_START}
    assert Commitment.objects.get(code="rep-emergency").promise == (
        "We will respond and make the situation safe within 24 hours"
    )
    assert {m.kind for m in offer.values()} == {"within_timescale", "population", "count", "milestone", "sample"}


def test_loading_the_preset_again_adds_nothing_and_keeps_changes(org, manager, offer):
    counts = (
        Commitment.objects.count(),
        Measure.objects.count(),
        MeasureVersion.objects.count(),
        CaseType.objects.count(),
    )
    assert counts == (34, 41, 41, 33)  # 15 + 9 + 10 commitments; 18 + 11 + 12 measures
    commitment = Commitment.objects.get(organisation=org, code="rep-urgent")
    services.commitment_update(commitment=commitment, actor=manager, values={"promise": "We will fix it in 2 days"})
    services.measure_version_add(
        measure=offer["rep-cat2"],
        actor=manager,
        effective_from=D(2015, 4, 1),
        values={**_fields(_v(offer["rep-cat2"])), "target": Decimal("98")},
        reason="Agreed by the Local Offer Group",
    )
    again = services.local_offer_load_preset(organisation=org, actor=manager)
    assert again.total == 0
    assert Measure.objects.count() == 41 and CaseType.objects.count() == 33 and Category.objects.count() == 8
    assert MeasureVersion.objects.count() == 42
    commitment.refresh_from_db()
    assert commitment.promise == "We will fix it in 2 days"
    assert _v(Measure.objects.get(code="rep-cat2"), D(2015, 5, 1)).target == Decimal("98")


def test_the_preset_can_be_moved_to_start_in_another_month(org, manager):
    services.local_offer_load_preset(organisation=org, actor=manager, starts_on=D(2024, 7, 1))
    leaflet = Measure.objects.get(code="asb-leaflet")
    assert _v(leaflet, D(2030, 1, 1)).due_on == D(2024, 10, 31)
    assert Measure.objects.get(code="rep-cat1").ends_on == D(2026, 3, 31)
    assert services.shift_months(D(2015, 2, 28), 12) == D(2016, 2, 29)
    assert services.shift_months(D(2014, 1, 31), 1) == D(2014, 2, 28)


def test_only_managers_and_administrators_load_the_preset(org, officer, make_user):
    with pytest.raises(PermissionDenied):
        services.local_offer_load_preset(organisation=org, actor=officer)
    partnership = make_user(Role.PARTNERSHIP_VIEWER, username="viewer")
    with pytest.raises(PermissionDenied):
        services.local_offer_load_preset(organisation=org, actor=partnership)
    admin = make_user(Role.ADMINISTRATOR, username="boss")
    with pytest.raises(ValidationError):
        services.local_offer_load_preset(organisation=org, actor=admin, preset="nowhere-1999")
    assert not Measure.objects.exists()


# --- Versions and timescales ------------------------------------------------------------------------


def _fields(version: MeasureVersion) -> dict:
    return {name: getattr(version, name) for name in services.VERSION_FIELDS}


def test_a_change_from_a_date_leaves_earlier_dates_on_the_old_version(org, manager, offer):
    urgent = offer["rep-cat2"]
    services.measure_version_add(
        measure=urgent,
        actor=manager,
        effective_from=D(2015, 4, 1),
        values={**_fields(_v(urgent)), "target": Decimal("98.5"), "timescale_amount": 5},
        reason="Contractor change agreed with the Tenants' Review Group",
    )
    urgent = Measure.objects.get(pk=urgent.pk)
    assert _v(urgent, D(2015, 3, 31)).target == Decimal("99")
    assert _v(urgent, D(2015, 4, 1)).target == Decimal("98.5")
    assert selectors.measure_version_on(urgent, D(2014, 6, 30)) is None
    before = selectors.timescale_for(organisation=org, subject="repair", category="2", on=D(2015, 3, 31))
    after = selectors.timescale_for(organisation=org, subject="repair", category="2", on=D(2015, 4, 1))
    assert (before.amount, after.amount) == (3, 5)
    assert [v.number for v in urgent.versions.order_by("effective_from")] == [1, 2]


def test_timescale_for_each_category_and_the_due_moment_around_bank_holidays(org, offer):
    def ts(subject, category, on=None, **kw):
        on = on or D(2014, 12, 1)
        return selectors.timescale_for(organisation=org, subject=subject, category=category, on=on, **kw)

    assert (ts("repair", "1").amount, ts("repair", "1").unit) == (24, "hours")
    assert (ts("repair", "3").amount, ts("repair", "3").end_event) == (28, "completed")
    assert ts("repair", "3", end_event="letter_sent").amount == 4
    assert [ts("asb_case", c).amount for c in ("1", "2", "3")] == [1, 4, 5]
    assert ts("asb_case", Category.objects.get(subject="asb_case", code="2")).measure_code == "asb-cat2"
    # Only category 1 hazards must be fixed within 30 days; category 2 ones have no timescale.
    assert ts("hazard", "1").amount == 30
    assert ts("hazard", "2") is None
    assert ts("repair", "9") is None
    assert ts("repair", "2", on=D(2014, 6, 30)) is None  # before the offer
    assert ts("repair", "2", on=D(2016, 4, 1)) is None  # after it
    england = package_calendar("england-and-wales", years=range(2014, 2016))
    reported = datetime.datetime(2014, 12, 23, 10, 0, tzinfo=LONDON)
    # Day 0 is the 23rd; then 24th, 29th (25th, 26th bank holidays, 27th-28th weekend), 30th.
    assert ts("repair", "2").due_at(reported, england) == datetime.datetime(
        2014, 12, 30, 23, 59, 59, 999999, tzinfo=LONDON
    )
    assert ts("repair", "1").due_at(reported, england) == datetime.datetime(2014, 12, 24, 10, 0, tzinfo=LONDON)
    assert ts("hazard", "1").due_at(reported, england).date() == D(2015, 1, 22)


def test_timescale_of_another_landlord_is_not_used(org, other_org, offer):
    assert selectors.timescale_for(organisation=other_org, subject="repair", category="2", on=D(2015, 1, 1)) is None


@pytest.mark.parametrize(
    ("code", "change", "field"),
    [
        ("rep-cat2", {"target": Decimal("100.5")}, "target"),
        ("rep-cat2", {"target": Decimal("-1")}, "target"),
        ("rep-post-inspect", {"target": Decimal("101")}, "target"),
        ("rep-cat2", {"timescale_amount": None}, "timescale_amount"),
        ("rep-cat2", {"timescale_unit": ""}, "timescale_unit"),
        ("rep-cat2", {"end_event": "reported"}, "end_event"),
        ("rep-post-inspect", {"timescale_amount": 3, "timescale_unit": "hours"}, "timescale_amount"),
        ("asb-leaflet", {"due_on": None}, "due_on"),
        ("asb-leaflet", {"target": Decimal("50")}, "target"),
        ("asb-champions-meetings", {"per_period": ""}, "per_period"),
    ],
)
def test_a_version_that_does_not_fit_its_type_is_refused(manager, offer, code, change, field):
    measure = offer[code]
    with pytest.raises(ValidationError) as exc:
        services.measure_version_add(
            measure=measure,
            actor=manager,
            effective_from=D(2015, 6, 1),
            values={**_fields(_v(measure, D(2016, 1, 1))), **change},
            reason="Testing",
        )
    assert field in exc.value.message_dict
    assert measure.versions.count() == 1


def test_a_version_must_start_after_the_last_and_say_why(org, manager, offer):
    measure = offer["rep-cat1"]
    values = {**_fields(_v(measure)), "target": Decimal("99.8")}
    for day in (D(2014, 6, 1), SEED_START):
        with pytest.raises(ValidationError) as exc:
            services.measure_version_add(measure=measure, actor=manager, effective_from=day, values=values, reason="x")
        assert "effective_from" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.measure_version_add(
            measure=measure, actor=manager, effective_from=D(2016, 5, 1), values=values, reason="x"
        )
    assert "effective_from" in exc.value.message_dict  # after the offer ends
    with pytest.raises(ValidationError) as exc:
        services.measure_version_add(
            measure=measure, actor=manager, effective_from=D(2015, 1, 1), values=values, reason=" "
        )
    assert "reason" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.measure_version_add(
            measure=measure, actor=manager, effective_from=D(2015, 1, 1), values=_fields(_v(measure)), reason="Same"
        )
    assert measure.versions.count() == 1


def test_another_landlords_measure_cannot_be_changed(other_org, manager, officer):
    theirs = MeasureFactory(organisation=other_org)
    values = {**_fields(theirs.versions.get()), "target": Decimal("90")}
    with pytest.raises(PermissionDenied):
        services.measure_version_add(
            measure=theirs, actor=manager, effective_from=D(2025, 1, 1), values=values, reason="x"
        )
    mine = MeasureFactory(organisation=manager.organisation)
    with pytest.raises(PermissionDenied):  # officers record milestones but do not change targets
        services.measure_version_add(
            measure=mine, actor=officer, effective_from=D(2025, 1, 1), values=values, reason="x"
        )


# --- ASB categories --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("Racist graffiti sprayed on the front door", "1"),
        ("Neighbour suspected of drug dealing from the flat", "1"),
        ("Someone tried to set fire to the bin store", "1"),
        ("Loud music every night until 3am", "2"),
        ("Drunk and AGGRESSIVE in the car park", "2"),
        ("Dog barking all day", "3"),
        ("Graffiti on the garages", "3"),
        ("Fly-tipping behind the flats", "3"),
        ("Neighbour keeps parking across my drive", "3"),
    ],
)
def test_an_asb_case_is_classified_from_its_description(org, offer, text, category):
    found = selectors.category_for(organisation=org, text=text)
    assert found is not None and found.category.code == category, text
    assert selectors.asb_category_for(organisation=org, text=text).code == category


def test_an_asb_case_is_classified_from_a_chosen_type_and_lists_match_the_seed(org, other_org, offer):
    gardens = CaseType.objects.get(organisation=org, name="Untidy gardens")
    assert selectors.asb_category_for(organisation=org, case_type=gardens).code == "3"
    hate = CaseType.objects.get(organisation=org, name="Hate related incidents")
    assert selectors.category_for(organisation=org, case_type=hate.pk).by == "type"
    assert selectors.asb_category_for(organisation=org, text="Nothing to see here") is None
    assert selectors.asb_category_for(organisation=other_org, text="Racist graffiti") is None
    assert selectors.asb_category_for(organisation=other_org, case_type=gardens) is None
    counts = {c.code: c.case_types.count() for c in Category.objects.filter(organisation=org, subject="asb_case")}
    assert counts == {"1": 12, "2": 6, "3": 15}
    assert CaseType.objects.filter(category__code="1", name="Arson").exists()


# --- Milestones ------------------------------------------------------------------------------------------


def test_milestone_status_around_the_due_date():
    due = D(2025, 10, 31)
    assert milestone_status(due_on=due, done=False, today=D(2025, 10, 30)) == "due"
    assert milestone_status(due_on=due, done=False, today=due) == "due"
    assert milestone_status(due_on=due, done=False, today=D(2025, 11, 1)) == "overdue"
    assert milestone_status(due_on=due, done=True, today=D(2026, 1, 1)) == "done"


def test_milestone_list_statuses_and_completion(org, officer, make_user, offer):
    milestones, counts = selectors.milestone_list(user=officer, today=D(2014, 10, 31))
    assert (counts.done, counts.overdue, counts.due) == (1, 1, 13)  # stock survey done; contracts clause overdue
    leaflet = next(m for m in milestones if m.code == "asb-leaflet")
    assert leaflet.status == "due" and leaflet.due_soon and leaflet.days_left == 0
    _, counts = selectors.milestone_list(user=officer, today=D(2014, 11, 1))
    assert counts.overdue == 5  # the clause, the leaflet, the diary sheet, the study and the action plans

    pdf = SimpleUploadedFile("leaflet.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", content_type="application/pdf")
    services.milestone_complete(
        measure=offer["asb-leaflet"], actor=officer, done_on=D(2014, 11, 3), evidence_note="Published online", file=pdf
    )
    _, counts = selectors.milestone_list(user=officer, today=D(2014, 11, 4))
    assert (counts.done, counts.overdue) == (2, 4)
    late = selectors.milestone_get(user=officer, pk=offer["asb-leaflet"].pk)
    assert late.status == "done"
    assert late.evidence.original_name == "leaflet.pdf" and late.evidence.file.read().startswith(b"%PDF")


def test_bad_milestone_evidence_is_refused(org, other_org, officer, make_user, offer):
    measure = offer["asb-diary"]
    fake = SimpleUploadedFile("diary.pdf", b"\x00\x01\x02 not really a pdf \xff" * 10)
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(
            measure=measure, actor=officer, done_on=D(2014, 10, 1), evidence_note="x", file=fake
        )
    assert "file" in exc.value.message_dict
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        services.milestone_complete(measure=measure, actor=officer, done_on=tomorrow, evidence_note=" ")
    assert set(exc.value.message_dict) == {"done_on", "evidence_note"}
    with pytest.raises(ValidationError):
        services.milestone_complete(measure=offer["rep-cat1"], actor=officer, done_on=D(2015, 1, 1), evidence_note="x")
    with pytest.raises(ValidationError):  # already done
        services.milestone_complete(
            measure=offer["pm-stock-survey"], actor=officer, done_on=D(2015, 1, 1), evidence_note="x"
        )
    with pytest.raises(PermissionDenied):
        services.milestone_complete(
            measure=measure, actor=make_user(Role.PARTNERSHIP_VIEWER), done_on=D(2015, 1, 1), evidence_note="x"
        )
    theirs = MeasureFactory(organisation=other_org, kind=Measure.Kind.MILESTONE)
    with pytest.raises(PermissionDenied):
        services.milestone_complete(measure=theirs, actor=officer, done_on=D(2015, 1, 1), evidence_note="x")
    assert MilestoneEvidence.objects.count() == 1
