"""CH01 and CH02 from the cases against a hand-worked example, and the annual report."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from accounts.models import Role
from complaints import selectors, services
from complaints.models import Case
from people.tests.factories import ResidentFactory
from tsm.measures import Tenure
from tsm.returns import tsm_return
from tsm.tests import return_records as rec

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
D = datetime.date
YEAR = 2025  # 1 April 2025 to 31 March 2026


def uk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UK)


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    monkeypatch.setattr(services, "_now", lambda: uk(2026, 5, 1, 12))


@pytest.fixture
def world(org, make_user):
    officer = make_user(Role.INVOLVEMENT_OFFICER, username="officer")
    manager = make_user(Role.MANAGER, username="manager")
    code = services.procedure_load_preset(organisation=org, actor=manager, preset="chc-2024")
    tenant = ResidentFactory(organisation=org, first_name="Zebedee", last_name="Quill")
    owner = ResidentFactory(organisation=org, tenancy__tenure="shared_owner")

    def complaint(received, ack, answer, *, who=tenant, extend=None, outcome="not_upheld"):
        case = services.case_receive(organisation=org, actor=officer, kind=Case.Kind.COMPLAINT, procedure=code,
                                     resident=who, summary="Zebedee's secret words", received_at=received,
                                     channel=Case.Channel.PHONE, service_area="Repairs")  # fmt: skip
        services.case_acknowledge(case=case, actor=officer, at=ack)
        if extend:
            services.case_extend(case=case, actor=officer, working_days=10, reason="Survey", at=extend)
        services.case_respond(case=case, actor=officer, outcome=outcome, reasons="Because.", at=answer)
        return case

    # Stage 1, low-cost rental
    complaint(uk(2025, 4, 1, 0, 30), uk(2025, 4, 2, 9), uk(2025, 4, 10, 9))  # A: in the year, in time
    b = complaint(
        uk(2025, 6, 10, 10), uk(2025, 6, 11, 9), uk(2025, 6, 30, 9), outcome="upheld"
    )  # B: late (due 25 June)
    c = complaint(uk(2025, 9, 1, 10), uk(2025, 9, 2, 9), uk(2025, 9, 25, 9), extend=uk(2025, 9, 10, 9))  # C: extended
    complaint(uk(2026, 3, 30, 10), uk(2026, 3, 31, 9), uk(2026, 4, 7, 9))  # D: received this year, answered next
    complaint(uk(2025, 3, 20, 10), uk(2025, 3, 21, 9), uk(2025, 4, 2, 9))  # E: received last year, answered this
    # Stage 2 (B escalated), in time: 20 working days from 2 October is 30 October
    services.case_escalate(case=b, actor=officer, at=uk(2025, 10, 1, 10))
    services.case_acknowledge(case=b, actor=officer, at=uk(2025, 10, 2, 9))
    services.case_respond(case=b, actor=manager, outcome="partly_upheld", reasons="x", at=uk(2025, 10, 10, 9))
    # Stage 1, low-cost home ownership: F in time
    complaint(uk(2026, 1, 5, 10), uk(2026, 1, 6, 9), uk(2026, 1, 8, 9), who=owner)
    # Not complaints under the Code: a concern about the compact, a comment
    oxford = services.procedure_load_preset(organisation=org, actor=manager, preset="oxford-concerns")
    services.case_receive(organisation=org, actor=officer, kind=Case.Kind.CONCERN, procedure=oxford, summary="x",
                          received_at=uk(2025, 5, 1, 10), channel=Case.Channel.EMAIL)  # fmt: skip
    services.case_receive(organisation=org, actor=officer, kind=Case.Kind.COMMENT, summary="x",
                          received_at=uk(2025, 5, 1, 10), channel=Case.Channel.EMAIL)  # fmt: skip
    services.case_record_learning(case=c, actor=officer, learning="Surveys are booked within a week.", publish=True)
    rec.stock_count(org, as_at=D(2026, 3, 31), item="homes", total=2000)
    rec.stock_count(org, as_at=D(2026, 3, 31), item="homes", total=400, stock="lcho")
    # Loaded counts are ignored once each case is recorded.
    rec.complaints(org, year=YEAR, stage=1, received=999, in_time=1)
    return {"officer": officer, "manager": manager, "b": b, "c": c}


def test_ch01_and_ch02_come_from_the_cases_as_worked_by_hand(org, world):
    ret = tsm_return(organisation=org, year_starting=YEAR)
    ch01_1 = ret.line("CH01_1", Tenure.LCRA)
    assert (ch01_1.numerator, ch01_1.denominator, ch01_1.value) == (4, 2000, Decimal(2))  # A, B, C, D
    assert ch01_1.source.startswith("Complaint cases for")
    ch02_1 = ret.line("CH02_1", Tenure.LCRA)
    assert (ch02_1.numerator, ch02_1.denominator, ch02_1.value) == (3, 4, Decimal(75))  # of A, B, C, E: not B
    assert ch02_1.notes[0] == "2 in time without an extension, 1 only with one."
    ch01_2 = ret.line("CH01_2", Tenure.LCRA)
    assert (ch01_2.numerator, ch01_2.denominator, ch01_2.value) == (1, 2000, Decimal("0.5"))
    assert ret.line("CH02_2", Tenure.LCRA).value == Decimal(100)
    lcho = ret.line("CH01_1", Tenure.LCHO)
    assert (lcho.numerator, lcho.denominator, lcho.value) == (1, 400, Decimal("2.5"))
    assert (ret.line("CH01_2", Tenure.LCHO).numerator, ret.line("CH01_2", Tenure.LCHO).value) == (0, Decimal(0))
    assert ret.line("CH02_2", Tenure.LCHO).value is None  # none answered: no value, never a zero


def test_the_annual_report_counts_each_stage_and_publishes_no_personal_details(org, world, client):
    report = selectors.annual_report(organisation=org, year_starting=YEAR)
    stage1 = next(f for f in report.stages if f.stage.code == "stage-1" and f.stage.procedure.code == "complaints")
    assert (stage1.started, stage1.answered, stage1.in_time, stage1.extended, stage1.late) == (5, 5, 3, 1, 1)
    assert stage1.acknowledged == stage1.acknowledged_in_time == 5  # D's acknowledgement was in the year too
    assert stage1.outcomes["upheld"] == 1 and stage1.in_time_percent == Decimal("80.0")
    stage2 = next(f for f in report.stages if f.stage.code == "stage-2")
    assert (stage2.started, stage2.answered, stage2.in_time) == (1, 1, 1)
    assert dict(report.received_rows)["Complaint"] == 5 and dict(report.received_rows)["Comment"] == 1
    assert [c.learning for c in report.learning] == ["Surveys are booked within a week."]

    page = client.get(reverse("complaints:public-report", args=[org.slug]) + f"?year={YEAR}").content.decode()
    assert "Surveys are booked within a week." in page and "Repairs" in page
    assert "Zebedee" not in page and "Quill" not in page and "secret words" not in page


def test_ch01_and_ch02_from_cases_take_a_fixed_number_of_queries(org, world, django_assert_num_queries):
    # Repairs, ASB, stock, whether cases are recorded, received, answered, and the perception survey.
    with django_assert_num_queries(7):
        tsm_return(organisation=org, year_starting=YEAR)


def test_code_evidence_and_self_assessment(org, world):
    evidence = selectors.code_evidence(organisation=org, year_starting=YEAR)
    assert evidence["stage1_answered"] == "3 of 5 answered in time without an extension and 1 with one."
    manager = world["manager"]
    with pytest.raises(Exception, match="what you will do"):
        services.assessment_save(organisation=org, actor=manager, year_starting=YEAR,
                                 items={"6.4": ("partly", "One late in June.", "")})  # fmt: skip
    assessment = services.assessment_save(organisation=org, actor=manager, year_starting=YEAR,
                                          items={"6.4": ("partly", "One late in June.", "Weekly checks of the list.")},
                                          approved_on=D(2026, 4, 20))  # fmt: skip
    assert assessment.items.get(requirement="6.4").action == "Weekly checks of the list."
