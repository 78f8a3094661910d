"""The notification service against a real SMTP server (aiosmtpd) on a local port."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from conftest import free_port, smtp_mailers
from core.models import Message
from core.notifications import ContactCard, choose_channel, message_send, notify, retry_delay
from people.services import contact_card
from people.tests.factories import ResidentFactory


@pytest.fixture
def resident(org):
    r = ResidentFactory(organisation=org, email="ada@example.org", preferred_channel="email", contact_by_email=True)
    return r


def _notify(resident):
    return notify(
        recipient=resident,
        card=contact_card(resident),
        template="expression_of_interest_received",
        context={"organisation": "Riverside Homes", "resident": resident},
        because=resident,
    )


@pytest.mark.django_db(transaction=True)
def test_email_is_recorded_queued_and_sent_over_smtp(smtp, resident):
    message = _notify(resident)
    assert message.status == Message.Status.QUEUED
    # Enqueued only after commit (autocommit here), as a database task for the worker.
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [message.pk]

    assert message_send(message_id=message.pk) == Message.Status.SENT
    message.refresh_from_db()
    assert message.sent_at is not None and message.attempts == 1
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["ada@example.org"]
    assert b"Thank you for asking to get involved" in envelope.content
    # Sending again is a no-op: a message is never sent twice.
    assert message_send(message_id=message.pk) == "nothing to do"
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_failed_send_keeps_the_record_and_retries_with_backoff(settings, resident):
    settings.MAILERS = smtp_mailers(free_port())  # nothing listening: connection refused
    settings.NOTIFICATION_MAX_ATTEMPTS = 3
    message = _notify(resident)
    assert message_send(message_id=message.pk) == Message.Status.RETRYING
    message.refresh_from_db()
    assert message.attempts == 1 and "Connection" in message.last_error or "refused" in message.last_error.lower()
    retry = DBTaskResult.objects.order_by("-enqueued_at").first()
    assert retry.run_after is not None  # scheduled later, not immediately
    message_send(message_id=message.pk)
    assert message_send(message_id=message.pk) == Message.Status.FAILED
    message.refresh_from_db()
    assert message.attempts == 3
    # The resident the message was about is untouched.
    resident.refresh_from_db()
    assert resident.pk


def test_retry_delay_doubles():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3)] == [60, 120, 240]


@pytest.mark.django_db
def test_text_without_notify_key_fails_cleanly_and_is_logged(settings, org):
    settings.NOTIFY_API_KEY = ""
    resident = ResidentFactory(
        organisation=org, mobile="07700900982", preferred_channel="text", contact_by_text=True, email=""
    )
    message = _notify(resident)
    assert message.channel == "text" and message.to == "07700900982"
    assert "Reply STOP" in message.body  # the short text version
    message_send(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == Message.Status.RETRYING and "NOTIFY_API_KEY" in message.last_error


@pytest.mark.django_db
def test_post_and_phone_go_to_staff_queues(org):
    by_post = ResidentFactory(organisation=org, preferred_channel="post", contact_by_post=True)
    assert _notify(by_post).status == Message.Status.TO_PRINT
    by_phone = ResidentFactory(
        organisation=org, phone="01632960001", preferred_channel="phone", contact_by_phone=True, contact_by_post=False
    )
    assert _notify(by_phone).status == Message.Status.TO_CALL


@pytest.mark.django_db
def test_format_needs_and_language_travel_with_the_message(org):
    from people.models import FormatNeed

    resident = ResidentFactory(organisation=org, preferred_channel="post", preferred_language="Polish")
    resident.format_needs.set(FormatNeed.objects.filter(code="large-print"))
    message = _notify(resident)
    assert message.formats == ["large-print"] and message.language == "Polish"


def test_channel_choice_honours_preference_then_falls_back():
    card = ContactCard(name="A", organisation_id=1, preferred_channel="text", allowed_channels=["email", "text"])
    assert choose_channel(card) == "text"
    card = ContactCard(name="A", organisation_id=1, preferred_channel="text", allowed_channels=["post"])
    assert choose_channel(card) == "post"
    card = ContactCard(name="A", organisation_id=1, preferred_channel="email", allowed_channels=[])
    assert choose_channel(card) is None
