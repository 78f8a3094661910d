"""Cases from receipt to close: letters through the notification service, double submissions,
attachments, reminders, the Head of Service alert, panel agendas and what each role sees."""

from __future__ import annotations

import datetime
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Role
from complaints import services
from complaints.models import Case, CaseAttachment, CaseEvent, CaseStage, LetterTemplate
from conftest import free_port, smtp_mailers
from core.models import Message
from core.notifications import message_send
from groups.models import AgendaItem
from groups.tests.factories import GroupFactory, MeetingFactory
from people.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db
UK = ZoneInfo("Europe/London")
D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def uk(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UK)


@pytest.fixture
def clock(monkeypatch):
    now = {"at": uk(2026, 11, 2, 10, 0)}  # Monday 2 November 2026
    monkeypatch.setattr(services, "_now", lambda: now["at"])
    return now


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer", email="officer@example.org", first_name="Olu")


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager", email="manager@example.org")


@pytest.fixture
def code(org, manager):
    return services.procedure_load_preset(organisation=org, actor=manager, preset="chc-2024")


@pytest.fixture
def resident(org):
    return ResidentFactory(organisation=org, email="ada@example.org", preferred_channel="email", contact_by_email=True)


def _receive(org, actor, procedure, resident=None, **kw):
    kw.setdefault("received_at", services._now())
    return services.case_receive(
        organisation=org,
        actor=actor,
        kind=kw.pop("kind", Case.Kind.COMPLAINT),
        procedure=procedure,
        resident=resident,
        summary=kw.pop("summary", "The communal door has not closed properly for a month."),
        channel=kw.pop("channel", Case.Channel.PHONE),
        **kw,
    )


def _letters(case):
    return list(Message.objects.filter(because_id=str(case.pk), template="complaint_letter").order_by("pk"))


# --- Letters ------------------------------------------------------------------------------------------


def test_every_step_writes_to_the_resident_with_the_dates_the_calendar_gave(
    clock, org, officer, manager, code, resident
):
    case = _receive(org, officer, code, resident)
    received = _letters(case)[0]
    assert received.channel == "email" and received.to == "ada@example.org"
    assert case.reference in received.subject and case.reference in received.body
    assert "by 9 November 2026" in received.body  # acknowledged within 5 working days

    clock["at"] = uk(2026, 11, 3, 9)
    services.case_acknowledge(case=case, actor=officer)
    ack = _letters(case)[1]
    assert "Stage 1" in ack.subject and "17 November 2026" in ack.body  # 10 working days from Tuesday 3rd

    clock["at"] = uk(2026, 11, 16, 10)
    services.case_extend(case=case, actor=officer, working_days=5, reason="We are waiting for the door contractor")
    extended = _letters(case)[2]
    assert "waiting for the door contractor" in extended.body and "24 November 2026" in extended.body
    assert "Housing Ombudsman" in extended.body

    services.case_respond(case=case, actor=officer, outcome="upheld", reasons="The door was not fixed.",
                          remedy="A new closer fitted by 20 November.")  # fmt: skip
    answer = _letters(case)[3]
    assert "Upheld" in answer.body and "A new closer fitted" in answer.body
    assert "Stage 2" in answer.body  # how to take it further

    stage1 = CaseStage.objects.get(case=case)
    assert stage1.timeliness == CaseStage.Timeliness.IN_TIME and stage1.acknowledged_in_time is True
    kinds = list(case.events.values_list("kind", flat=True))
    assert kinds == ["received", "acknowledged", "extended", "responded"]


def test_a_landlords_own_letter_is_used_and_cannot_reach_beyond_its_placeholders(
    clock, org, officer, manager, code, resident
):
    services.letter_template_save(organisation=org, actor=manager, kind=LetterTemplate.Kind.RECEIVED,
                                  subject="Got it: $reference",
                                  body="Hello $name. {{ settings.SECRET_KEY }} $reference.__class__ $unknown")  # fmt: skip
    case = _receive(org, officer, code, resident)
    letter = _letters(case)[0]
    assert letter.subject == f"Got it: {case.reference}"
    assert letter.body.startswith(f"Hello {resident.full_name}.")
    assert "{{ settings.SECRET_KEY }}" in letter.body and "$unknown" in letter.body  # left as written
    with pytest.raises(PermissionDenied):
        services.letter_template_save(organisation=org, actor=officer, kind="received", subject="x", body="y")
    with pytest.raises(ValidationError):
        services.letter_template_save(organisation=org, actor=manager, kind="received", subject=" ", body="y")


def test_an_anonymous_comment_is_saved_with_no_letter(clock, org, officer):
    case = _receive(org, officer, None, kind=Case.Kind.COMMENT, summary="The new bins are great.")
    assert case.reference.startswith("COM-") and case.status == Case.Status.CLOSED
    assert _letters(case) == []


@pytest.mark.django_db(transaction=True)
def test_a_mail_outage_keeps_the_case_and_its_letters_and_the_handler_sees_it(
    settings, org, officer, manager, code, resident, client
):
    settings.MAILERS = smtp_mailers(free_port())  # nothing listening
    case = _receive(org, officer, code, resident)
    letter = _letters(case)[0]
    assert message_send(message_id=letter.pk) == Message.Status.RETRYING
    assert Case.objects.filter(pk=case.pk).exists()
    client.force_login(officer)
    page = client.get(reverse("complaints:case-detail", args=[case.pk])).content.decode()
    assert "Failed, will retry" in page
    overview = client.get(reverse("complaints:overview")).content.decode()
    assert "Letters that have not gone (1)" in overview and case.reference in overview


@pytest.mark.django_db(transaction=True)
def test_the_letter_arrives_over_smtp(smtp, org, officer, manager, code, resident):
    case = _receive(org, officer, code, resident)
    assert message_send(message_id=_letters(case)[0].pk) == Message.Status.SENT
    email = message_from_bytes(smtp.messages[0].content)
    assert case.reference in email["Subject"]
    assert case.reference in email.get_payload(decode=True).decode()


# --- Receiving --------------------------------------------------------------------------------------------


def test_a_double_submitted_form_makes_one_case(clock, org, officer, code, resident):
    first = _receive(org, officer, code, resident, submission_key="abc123")
    second = _receive(org, officer, code, resident, submission_key="abc123")
    assert first.pk == second.pk and Case.objects.count() == 1 and len(_letters(first)) == 1


def test_attachments_are_checked_by_content_and_nothing_is_saved_when_one_is_wrong(
    clock, org, officer, code, resident, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a photo", content_type="image/jpeg")
    good = SimpleUploadedFile("letter.pdf", PDF, content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        _receive(org, officer, code, resident, attachments=[good, fake])
    assert "photo.jpg" in str(caught.value.message_dict["attachments"])
    assert Case.objects.count() == 0 and CaseAttachment.objects.count() == 0
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * (11 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError, match="smaller than"):
        _receive(org, officer, code, resident, attachments=[big])
    good.seek(0)
    case = _receive(org, officer, code, resident, attachments=[good])
    attachment = case.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.original_name == "letter.pdf"
    assert str(tmp_path) in attachment.file.path


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"summary": "   "}, "summary"),
        ({"summary": "x" * 10_001}, "summary"),
        ({"received_at": uk(2026, 11, 9, 10)}, "received_at"),
        ({"issue_date": D(2026, 12, 25)}, "issue_date"),
        ({"issue_date": D(2025, 10, 1)}, "issue_date"),  # more than 12 months before
        ({"channel": "pigeon"}, "channel"),
        ({"channel": "representative"}, "representative"),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(clock, org, officer, code, resident, change, field):
    with pytest.raises(ValidationError) as caught:
        _receive(org, officer, code, resident, **change)
    assert field in caught.value.message_dict
    assert Case.objects.count() == 0 and Message.objects.count() == 0


def test_a_late_complaint_is_accepted_with_a_reason(clock, org, officer, code, resident):
    case = _receive(org, officer, code, resident, issue_date=D(2025, 10, 1),
                    accepted_late_reason="The resident was in hospital for most of the year.")  # fmt: skip
    assert case.accepted_late_reason.startswith("The resident was in hospital")


def test_stock_follows_the_residents_tenure(clock, org, officer, code):
    owner = ResidentFactory(organisation=org, tenancy__tenure="shared_owner")
    assert _receive(org, officer, code, owner).stock == "lcho"
    assert _receive(org, officer, code, ResidentFactory(organisation=org)).stock == "lcra"


# --- Reminders and alerts --------------------------------------------------------------------------


def test_handlers_are_reminded_once_and_managers_told_once_of_a_missed_deadline(
    clock, org, officer, manager, code, resident
):
    case = _receive(org, officer, code, resident)  # acknowledgement due Monday 9 November
    # Wednesday 4th: 2 working days ahead is Friday 6th, not yet.
    assert services.reminders_send(today=D(2026, 11, 4)) == (0, 0)
    assert services.reminders_send(today=D(2026, 11, 5)) == (1, 0)  # Thursday: Monday is 2 working days on
    reminder = Message.objects.get(template="complaint_reminder")
    assert reminder.to == "officer@example.org" and case.reference in reminder.body and "acknowledge" in reminder.body
    assert services.reminders_send(today=D(2026, 11, 6)) == (0, 0)  # never twice
    assert services.reminders_send(today=D(2026, 11, 10)) == (0, 1)  # Tuesday: the Monday deadline passed
    late = Message.objects.get(template="complaint_late")
    assert late.to == "manager@example.org" and case.reference in late.body
    assert services.reminders_send(today=D(2026, 11, 11)) == (0, 0)
    assert case.events.filter(kind=CaseEvent.Kind.LATE).count() == 1


def test_reminders_skip_answered_and_closed_cases(clock, org, officer, code, resident):
    case = _receive(org, officer, code, resident)
    services.case_acknowledge(case=case, actor=officer)
    services.case_respond(case=case, actor=officer, outcome="not_upheld", reasons="Checked: it works.")
    assert services.reminders_send(today=D(2026, 12, 30)) == (0, 0)


def test_head_of_service_hears_of_dissatisfaction_and_a_second_escalation(
    clock, org, officer, manager, make_user, resident
):
    head = make_user(Role.MANAGER, username="head", email="head@example.org")
    services.settings_update(organisation=org, actor=manager, head_of_service=head, oversight_group=None,
                             remind_days_before=2, ombudsman_details="Housing Ombudsman")  # fmt: skip
    poole = services.procedure_load_preset(organisation=org, actor=manager, preset="poole")
    panel = GroupFactory(organisation=org, name="Housing Strategy Panel")
    poole.stages.filter(code="panel-chair").update(handler_group=panel)
    case = _receive(org, officer, poole, resident)
    services.case_record_dissatisfaction(case=case, actor=officer, details="Nobody has called back.")
    alert = Message.objects.get(template="complaint_alert")
    assert alert.to == "head@example.org" and case.reference in alert.subject

    services.case_acknowledge(case=case, actor=officer)
    services.case_respond(case=case, actor=officer, outcome="not_upheld", reasons="x")
    services.case_escalate(case=case, actor=officer)  # to the panel chair: first escalation
    assert Message.objects.filter(template="complaint_alert").count() == 1
    services.case_respond(case=case, actor=manager, outcome="not_upheld", reasons="y")
    services.case_escalate(case=case, actor=officer)  # to complaints stage 1: the second
    assert Message.objects.filter(template="complaint_alert").count() == 2
    assert case.events.filter(kind=CaseEvent.Kind.ALERT).count() == 2


# --- Panels ----------------------------------------------------------------------------------------


def test_a_concern_referred_to_the_panel_goes_on_its_next_meetings_agenda_without_personal_details(
    clock, org, officer, manager, resident
):
    panel = GroupFactory(organisation=org, name="Involvement Monitoring Panel")
    oxford = services.procedure_load_preset(organisation=org, actor=manager, preset="oxford-concerns")
    case = _receive(org, officer, oxford, resident, kind=Case.Kind.CONCERN, service_area="Repairs")
    services.case_respond(case=case, actor=officer, outcome="not_upheld", reasons="x")
    services.case_escalate(case=case, actor=officer, to=oxford.stages.get(code="step-2a"))
    meeting = MeetingFactory(group=panel, starts_at=uk(2026, 11, 19, 18))
    services.stages_attach_meetings(group=panel)
    stage = case.current_stage
    assert stage.meeting == meeting and stage.respond_due == D(2026, 12, 3)
    item = AgendaItem.objects.get(meeting=meeting)
    assert case.reference in item.title and "Repairs" in item.description
    assert resident.last_name not in item.title + item.description


# --- Resident -------------------------------------------------------------------------------------------


def test_a_resident_raises_follows_and_escalates_only_their_own_case(clock, org, officer, code, make_user):
    user = make_user(Role.RESIDENT, username="ada")
    resident = ResidentFactory(organisation=org, user=user, email="ada@example.org", contact_by_email=True)
    case = services.case_raise(actor=user, kind=Case.Kind.COMPLAINT, summary="My repair was missed twice.")
    assert case.resident == resident and case.channel == Case.Channel.WEB and case.procedure == code
    services.case_acknowledge(case=case, actor=officer)
    with pytest.raises(ValidationError):
        services.case_request_escalation(case=case, actor=user)  # not answered yet
    services.case_respond(case=case, actor=officer, outcome="not_upheld", reasons="x")
    stage2 = services.case_request_escalation(case=case, actor=user, reason="")
    assert stage2.stage.code == "stage-2" and stage2.acknowledge_due == D(2026, 11, 9)

    someone_else = make_user(Role.RESIDENT, username="bob")
    ResidentFactory(organisation=org, user=someone_else)
    with pytest.raises(PermissionDenied):
        services.case_request_escalation(case=case, actor=someone_else)
    with pytest.raises(PermissionDenied):
        services.case_raise(actor=officer, kind=Case.Kind.COMPLAINT, summary="x")
