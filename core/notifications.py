"""The one notification service.

`notify()` chooses the channel from the person's preferences, renders the message, records it
in the caller's transaction and sends it after commit in a background task with retries. Email
goes through Django's SMTP backend, texts through GOV.UK Notify; letters wait in a print queue
and phone calls in a call list, both visible to staff.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import Message

logger = logging.getLogger(__name__)

# When a person has said nothing, try channels in this order.
FALLBACK_ORDER = (Message.Channel.EMAIL, Message.Channel.TEXT, Message.Channel.POST, Message.Channel.PHONE)


@dataclass(frozen=True)
class ContactCard:
    """What the notification service needs to know about anyone it contacts."""

    name: str
    organisation_id: int
    preferred_channel: str
    allowed_channels: list[str]
    email: str = ""
    mobile: str = ""
    phone: str = ""
    postal_address: str = ""
    formats: list[str] = field(default_factory=list)
    language: str = ""


def staff_card(user: Any) -> ContactCard:
    """A member of staff is told by email, at the address on their account."""
    return ContactCard(
        name=user.get_full_name() or user.username,
        organisation_id=user.organisation_id or 0,
        preferred_channel=Message.Channel.EMAIL,
        allowed_channels=[Message.Channel.EMAIL] if user.email else [],
        email=user.email,
    )


def choose_channel(card: ContactCard) -> str | None:
    if card.preferred_channel in card.allowed_channels:
        return card.preferred_channel
    for channel in FALLBACK_ORDER:
        if channel in card.allowed_channels:
            return channel
    return None


def _address_for(card: ContactCard, channel: str | None) -> str:
    addresses: dict[str, str] = {
        Message.Channel.EMAIL: card.email,
        Message.Channel.TEXT: card.mobile,
        Message.Channel.POST: card.postal_address,
        Message.Channel.PHONE: card.phone or card.mobile,
    }
    return addresses.get(channel or "", "")


def notify(
    *,
    recipient: models.Model,
    card: ContactCard,
    template: str,
    context: dict[str, Any],
    because: models.Model | None = None,
) -> Message:
    """Record a message to one person and send it after the surrounding transaction commits."""
    channel = choose_channel(card)
    ctx = {**context, "recipient_name": card.name}
    subject = render_to_string(f"notifications/{template}/subject.txt", ctx).strip()
    body_template = "sms.txt" if channel == Message.Channel.TEXT else "body.txt"
    body = render_to_string(f"notifications/{template}/{body_template}", ctx).strip()
    statuses: dict[str | None, str] = {
        None: Message.Status.NO_CHANNEL,
        Message.Channel.POST: Message.Status.TO_PRINT,
        Message.Channel.PHONE: Message.Status.TO_CALL,
    }
    status = statuses.get(channel, Message.Status.QUEUED)
    message = Message.objects.create(
        organisation_id=card.organisation_id,
        recipient_type=ContentType.objects.get_for_model(recipient),
        recipient_id=str(recipient.pk),
        recipient_name=card.name[:200],
        channel=channel or "",
        to=_address_for(card, channel),
        template=template,
        subject=subject[:200],
        body=body,
        formats=card.formats,
        language=card.language,
        status=status,
        because_type=ContentType.objects.get_for_model(because) if because is not None else None,
        because_id=str(because.pk) if because is not None else "",
    )
    if status == Message.Status.QUEUED:
        transaction.on_commit(lambda: send_message.enqueue(message.pk))
    return message


class SendFailed(Exception):
    pass


def _send_email(message: Message) -> str:
    email = EmailMessage(subject=message.subject, body=message.body, to=[message.to])
    email.send(fail_silently=False)
    return ""


def _send_text(message: Message) -> str:
    if not settings.NOTIFY_API_KEY or not settings.NOTIFY_SMS_TEMPLATE_ID:
        raise SendFailed("GOV.UK Notify is not set up: set NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID.")
    from notifications_python_client.notifications import NotificationsAPIClient

    client = NotificationsAPIClient(settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL)
    response = client.send_sms_notification(
        phone_number=message.to,
        template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
        personalisation={"body": message.body},
        reference=f"involve-message-{message.pk}",
    )
    return str(response.get("id", ""))


SENDERS: dict[str, Callable[[Message], str]] = {Message.Channel.EMAIL: _send_email, Message.Channel.TEXT: _send_text}


def retry_delay(attempts: int) -> datetime.timedelta:
    """Back off 1, 2, 4, 8… times the base delay."""
    return datetime.timedelta(seconds=settings.NOTIFICATION_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))


def message_send(*, message_id: int) -> str:
    """Try to send one message once; schedule a retry if it fails and attempts remain."""
    with transaction.atomic():
        message = Message.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status not in (Message.Status.QUEUED, Message.Status.RETRYING):
            return "nothing to do"
        message.attempts += 1
        try:
            message.provider_reference = SENDERS[message.channel](message)
        except Exception as exc:  # any failure of the provider: record it and retry later
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts < settings.NOTIFICATION_MAX_ATTEMPTS:
                message.status = Message.Status.RETRYING
                run_after = timezone.now() + retry_delay(message.attempts)
                transaction.on_commit(lambda: send_message.using(run_after=run_after).enqueue(message.pk))
            else:
                message.status = Message.Status.FAILED
            logger.warning("Message %s failed (attempt %s): %s", message.pk, message.attempts, message.last_error)
        else:
            message.status = Message.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save()
        return message.status


@task()
def send_message(message_id: int) -> str:
    return message_send(message_id=message_id)
