"""The three preset procedures end to end, with dates across weekends, bank holidays and the 2026
Christmas substitute day (Boxing Day on a Saturday: Monday 28 December is the holiday)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from complaints import selectors, services
from complaints.models import Case, CaseStage
from groups.tests.factories import GroupFactory, MeetingFactory
from people.tests.factories import ResidentFactory, UserFactory

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
D = datetime.date


def uk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UK)


@pytest.fixture(autouse=True)
def _clock(monkeypatch: pytest.MonkeyPatch) -> None:
    """The tests are written as on Monday 1 March 2027."""
    monkeypatch.setattr(services, "_now", lambda: uk(2027, 3, 1, 12, 0))


@pytest.fixture
def handler(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="handler")


@pytest.fixture
def senior(make_user):
    return make_user(Role.MANAGER, username="senior")


def _complaint(org, actor, procedure, received_at, **kwargs):
    return services.case_receive(
        organisation=org,
        actor=actor,
        kind=Case.Kind.COMPLAINT,
        procedure=procedure,
        summary="The repair to my boiler was left unfinished for three weeks.",
        received_at=received_at,
        channel=Case.Channel.WEB,
        **kwargs,
    )


def test_complaint_handling_code_two_stages_over_christmas_2026(org, handler, senior):
    code = services.procedure_load_preset(organisation=org, actor=senior, preset="chc-2024")
    assert [s.code for s in code.stages.all()] == ["stage-1", "stage-2", "ombudsman"]

    # Wednesday 23 December 2026, in office hours: day 0. Christmas Day, the weekend and the
    # substitute Boxing Day (Monday 28th) and New Year's Day are not working days.
    case = _complaint(org, handler, code, uk(2026, 12, 23, 10, 0), resident=ResidentFactory(organisation=org))
    assert case.reference == f"CMP-{case.pk:06d}" and case.status == Case.Status.OPEN
    stage1 = case.current_stage
    assert stage1.acknowledge_due == D(2027, 1, 4)  # 24, 29, 30, 31 Dec, 4 Jan
    assert stage1.respond_due is None  # the clock runs from the acknowledgement

    stage1 = services.case_acknowledge(case=case, actor=handler, at=uk(2026, 12, 29, 9, 30))
    assert stage1.respond_due == D(2027, 1, 13)  # 10 working days after Tuesday 29 December

    with pytest.raises(ValidationError, match="up to 10 working days"):
        services.case_extend(case=case, actor=handler, working_days=11, reason="Waiting for the contractor")
    with pytest.raises(ValidationError):
        services.case_extend(case=case, actor=handler, working_days=5, reason=" ", at=uk(2027, 1, 12, 12, 0))
    with pytest.raises(ValidationError, match="deadline has passed"):
        services.case_extend(case=case, actor=handler, working_days=5, reason="Contractor", at=uk(2027, 1, 14, 9, 0))
    stage1 = services.case_extend(
        case=case, actor=handler, working_days=10, reason="Waiting for the contractor's report", at=uk(2027, 1, 12, 12)
    )
    assert stage1.extended_due == D(2027, 1, 27) and stage1.due == D(2027, 1, 27)

    with pytest.raises(ValidationError):
        services.case_escalate(case=case, actor=handler)  # not answered yet
    services.case_respond(
        case=case,
        actor=handler,
        outcome=CaseStage.Outcome.PARTLY_UPHELD,
        reasons="The repair took too long; the boiler is now fixed.",
        remedy="An apology and £50 for the inconvenience.",
        compensation=Decimal("50"),
        at=uk(2027, 1, 26, 15, 0),
    )

    # The resident asks to escalate on Thursday 28 January after the office closed (17:45): it
    # counts as received on Friday 29th.
    stage2 = services.case_escalate(case=case, actor=handler, at=uk(2027, 1, 28, 17, 45))
    assert stage2.stage.code == "stage-2" and stage2.acknowledge_due == D(2027, 2, 5)
    stage2 = services.case_acknowledge(case=case, actor=handler, at=uk(2027, 2, 1, 10, 0))
    assert stage2.respond_due == D(2027, 3, 1)  # 20 working days after Monday 1 February

    with pytest.raises(ValidationError, match="did not decide Stage 1"):
        services.case_respond(case=case, actor=handler, outcome="not_upheld", reasons="Fair.", at=uk(2027, 2, 20, 9))
    services.case_respond(case=case, actor=senior, outcome="not_upheld", reasons="Handled fairly.", at=uk(2027, 2, 22))

    ombudsman = services.case_escalate(case=case, actor=handler, at=uk(2027, 3, 1, 9, 0))
    assert ombudsman.stage.external and ombudsman.respond_due is None and ombudsman.acknowledge_due is None
    # The Ombudsman's determination is recorded as the last stage's answer; nothing follows it.
    services.case_respond(case=case, actor=senior, outcome="upheld", reasons="x", at=uk(2027, 3, 1, 11))
    with pytest.raises(ValidationError, match="last stage"):
        services.case_escalate(case=case, actor=handler)
    services.case_close(case=Case.objects.get(pk=case.pk), actor=handler)
    assert Case.objects.get(pk=case.pk).status == Case.Status.CLOSED


def test_oxford_concerns_route_2a_waits_for_the_panels_next_meeting(
    org, handler, senior, django_capture_on_commit_callbacks
):
    panel = GroupFactory(organisation=org, name="Involvement Monitoring Panel")
    procedure = services.procedure_load_preset(organisation=org, actor=senior, preset="oxford-concerns")
    step1 = procedure.stages.get(code="step-1")
    assert {s.code for s in step1.next_stages.all()} == {"step-2a", "step-2b"}
    assert procedure.stages.get(code="step-2a").handler_group == panel

    case = services.case_receive(
        organisation=org,
        actor=handler,
        kind=Case.Kind.CONCERN,
        procedure=procedure,
        summary="The compact says we will be consulted on the estate budget; we were not.",
        received_at=uk(2026, 12, 18, 10, 0),  # Friday
        channel=Case.Channel.LETTER,
    )
    assert case.reference.startswith("CON-")
    assert case.current_stage.respond_due == D(2027, 1, 6)  # 21-24, 29-31 Dec, 4-6 Jan
    services.case_respond(case=case, actor=handler, outcome="not_upheld", reasons="We did consult.", at=uk(2027, 1, 5))

    with pytest.raises(ValidationError, match="Choose where it goes next"):
        services.case_escalate(case=case, actor=handler, at=uk(2027, 1, 7, 9))
    stage2a = services.case_escalate(
        case=case, actor=handler, to=procedure.stages.get(code="step-2a"), at=uk(2027, 1, 7, 9)
    )
    assert stage2a.respond_due is None and stage2a.meeting is None
    lists = selectors.due_lists(user=handler, today=D(2027, 1, 8))
    assert lists.waiting_for_meeting == [stage2a]

    # A meeting scheduled before the escalation does not count; the panel's next one does.
    with django_capture_on_commit_callbacks(execute=True):
        MeetingFactory(group=panel, starts_at=uk(2027, 1, 6, 18), ends_at=uk(2027, 1, 6, 20))
        meeting = MeetingFactory(group=panel, starts_at=uk(2027, 1, 14, 18), ends_at=uk(2027, 1, 14, 20))
    stage2a.refresh_from_db()
    assert stage2a.meeting == meeting
    assert stage2a.respond_due == D(2027, 1, 28)  # 10 working days after Thursday 14 January

    # That meeting is cancelled: the concern waits for the panel's next one.
    with django_capture_on_commit_callbacks(execute=True):
        meeting.status = meeting.Status.CANCELLED
        meeting.save()
    stage2a.refresh_from_db()
    assert (stage2a.meeting, stage2a.respond_due) == (None, None)
    with django_capture_on_commit_callbacks(execute=True):
        later = MeetingFactory(group=panel, starts_at=uk(2027, 2, 11, 18), ends_at=uk(2027, 2, 11, 20))
    stage2a.refresh_from_db()
    assert (stage2a.meeting, stage2a.respond_due) == (later, D(2027, 2, 25))


def test_poole_procedure_runs_officer_panel_chair_three_stages_then_the_ombudsman(org, handler, senior, make_user):
    panel = GroupFactory(organisation=org, name="Housing Strategy Panel")
    MeetingFactory(group=panel, starts_at=uk(2026, 12, 10, 18), ends_at=uk(2026, 12, 10, 20))
    procedure = services.procedure_load_preset(organisation=org, actor=senior, preset="poole")
    assert [s.code for s in procedure.stages.all()] == [
        "officer",
        "panel-chair",
        "stage-1",
        "stage-2",
        "stage-3",
        "ombudsman",
    ]
    chief = make_user(Role.MANAGER, username="chief")
    case = _complaint(org, handler, procedure, uk(2026, 11, 20, 16, 59))  # Friday, a minute before closing
    officer = case.current_stage
    assert (officer.acknowledge_due, officer.respond_due) == (D(2026, 11, 27), D(2026, 12, 4))
    services.case_respond(case=case, actor=handler, outcome="not_upheld", reasons="x", at=uk(2026, 12, 1))
    chair = services.case_escalate(case=case, actor=handler, at=uk(2026, 12, 2, 10))
    assert chair.meeting.starts_at == uk(2026, 12, 10, 18)  # already scheduled: taken at once
    assert chair.respond_due == D(2026, 12, 24)
    services.case_respond(case=case, actor=handler, outcome="not_upheld", reasons="x", at=uk(2026, 12, 11))
    for code, decider, at in [
        ("stage-1", handler, uk(2026, 12, 14, 9)),
        ("stage-2", senior, uk(2027, 1, 11, 9)),
        ("stage-3", chief, uk(2027, 2, 15, 9)),
    ]:
        current = services.case_escalate(case=case, actor=handler, at=at)
        assert current.stage.code == code
        services.case_acknowledge(case=case, actor=decider, at=at + datetime.timedelta(days=1))
        services.case_respond(
            case=case, actor=decider, outcome="not_upheld", reasons="x", at=at + datetime.timedelta(days=5)
        )
    assert services.case_escalate(case=case, actor=handler).stage.code == "ombudsman"
    assert [cs.stage.code for cs in case.stages.order_by("started_at")] == [
        "officer",
        "panel-chair",
        "stage-1",
        "stage-2",
        "stage-3",
        "ombudsman",
    ]


def test_receiving_checks_what_it_is_given_and_saves_nothing_when_wrong(org, other_org, handler, senior):
    code = services.procedure_load_preset(organisation=org, actor=senior, preset="chc-2024")
    theirs = services.procedure_load_preset(
        organisation=other_org,
        actor=UserFactory(role=Role.MANAGER, organisation=other_org),
        preset="chc-2024",
    )
    bad = [
        {"summary": " "},
        {"summary": "x" * 10_001},
        {"received_at": uk(2099, 1, 1)},
        {"issue_date": D(2099, 1, 1)},
        {"procedure": None},
        {"procedure": theirs},
        {"resident": ResidentFactory(organisation=other_org)},
        {"issue_date": D(2025, 10, 1)},  # more than 12 months before 20 November 2026
    ]
    for change in bad:
        args = {
            "organisation": org,
            "actor": handler,
            "kind": Case.Kind.COMPLAINT,
            "procedure": code,
            "summary": "Unfinished repair",
            "received_at": uk(2026, 11, 20, 10),
            "channel": Case.Channel.PHONE,
        }
        args.update(change)
        with pytest.raises(ValidationError):
            services.case_receive(**args)
    assert not Case.objects.exists() and not CaseStage.objects.exists()
    # Within 12 months: accepted.
    assert _complaint(org, handler, code, uk(2026, 11, 20, 10), issue_date=D(2025, 11, 21)).pk


def test_compliments_and_comments_share_the_register_and_follow_no_procedure(org, handler):
    thanks = services.case_receive(
        organisation=org,
        actor=handler,
        kind=Case.Kind.COMPLIMENT,
        summary="The caretaker was brilliant.",
        received_at=uk(2026, 11, 20, 10),
        channel=Case.Channel.EMAIL,
    )
    assert thanks.reference.startswith("THX-") and thanks.status == Case.Status.CLOSED and not thanks.stages.exists()


def test_only_staff_who_handle_cases_can_record_them(org, make_user):
    resident = make_user(Role.RESIDENT, username="someone")
    with pytest.raises(PermissionDenied):
        services.case_receive(
            organisation=org,
            actor=resident,
            kind=Case.Kind.COMMENT,
            summary="x",
            received_at=uk(2026, 11, 20, 10),
            channel=Case.Channel.WEB,
        )
    with pytest.raises(PermissionDenied):
        services.procedure_load_preset(organisation=org, actor=make_user(Role.INVOLVEMENT_OFFICER), preset="poole")


def test_due_lists_show_late_due_today_this_week_and_late_acknowledgements(org, handler, senior, other_org):
    code = services.procedure_load_preset(organisation=org, actor=senior, preset="chc-2024")
    late = _complaint(org, handler, code, uk(2026, 10, 1, 10))
    services.case_acknowledge(case=late, actor=handler, at=uk(2026, 10, 2, 10))  # due 16 October
    today = _complaint(org, handler, code, uk(2026, 11, 2, 10))
    services.case_acknowledge(case=today, actor=handler, at=uk(2026, 11, 6, 10))  # due Friday 20 November
    unacknowledged = _complaint(org, handler, code, uk(2026, 11, 9, 10))  # acknowledgement due 16 November

    lists = selectors.due_lists(user=handler, today=D(2026, 11, 20))

    assert [cs.case for cs in lists.late] == [late]
    assert [cs.case for cs in lists.due_today] == [today]
    assert [cs.case for cs in lists.acknowledgement_late] == [unacknowledged]
    assert (
        selectors.due_lists(
            user=UserFactory(role=Role.INVOLVEMENT_OFFICER, organisation=other_org),
            today=D(2026, 11, 20),
        ).late
        == []
    )
