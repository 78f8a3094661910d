"""This app's part of the demo landlord: a consultation that ran last summer (answered online, on
paper and by phone, its free-text answers tagged, a focus group's notes, a published summary and
"you said, we did"), a survey open now, and a quick poll sent today with its text replies.
Written through the services; dates of the past are moved to when they happened, and the demo's
invitations are marked sent (they are history, not mail to send now)."""

from __future__ import annotations

import datetime
import random
from typing import Any

from django.db.models import F
from django.utils import timezone

from core.models import Message
from people.models import Consent, Resident
from surveys import services
from surveys.models import Answer, Invitation, Response, Survey

TIMES = ["Weekday mornings", "Weekday afternoons", "Weekday evenings", "Saturdays"]
REMINDERS = ["A text the day before", "A phone call", "An email", "No reminder"]
SATISFACTION = ["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied",
                "Very dissatisfied"]  # fmt: skip
COMMENTS = [
    ("I work shifts, so a morning slot means losing a day's pay.", ["Appointment times"]),
    ("Nobody told me the operative was running late.", ["Keeping us informed"]),
    ("A text the day before would stop wasted trips.", ["Reminders"]),
    ("Saturday appointments would help families with school runs.", ["Appointment times"]),
    ("The operative was polite and tidy.", ["Praise"]),
    ("I waited in all day and nobody came.", ["Missed appointments", "Keeping us informed"]),
]


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    officer = users["officer"]
    rng = random.Random(f"surveys-{seed}")
    today = timezone.localdate(now) if timezone.is_aware(now) else now.date()
    people = list(
        Resident.objects.filter(organisation=organisation, status=Resident.Status.ACTIVE,
                                consents__purpose=Consent.Purpose.INVOLVEMENT_CONTACT,
                                consents__withdrawn_at__isnull=True)
        .order_by("pk")[:300]
    )  # fmt: skip
    _consultation(organisation, officer, rng, today, people)
    _open_survey(organisation, officer, today, people)
    _poll(organisation, officer, rng, now, people)
    Message.objects.filter(organisation=organisation, template__in=["survey_invitation", "poll_invitation"]).update(
        status=Message.Status.SENT, sent_at=F("created_at")
    )


def _consultation(organisation: Any, officer: Any, rng: random.Random, today: datetime.date, people: list) -> None:
    survey = services.survey_create(
        organisation=organisation, actor=officer, kind=Survey.Kind.CONSULTATION,
        title="Repairs appointments: what would work for you?",
        purpose="We are changing how repairs appointments are booked. Tell us what times suit you and how you "
        "want to be reminded. We will publish what you told us and what we changed.",
    )  # fmt: skip
    page = survey.versions.get().sections.get()
    page.title = "Your appointments"
    page.save(update_fields=["title"])
    add = services.question_add
    add(survey=survey, actor=officer, section=page, kind="scale", options=SATISFACTION,
        text="How satisfied are you with how repairs appointments are made?")  # fmt: skip
    add(survey=survey, actor=officer, section=page, kind="single", options=TIMES,
        text="Which appointment times would suit you best?")  # fmt: skip
    add(survey=survey, actor=officer, section=page, kind="multiple", options=REMINDERS, required=False,
        text="How would you like to be reminded?")  # fmt: skip
    more = services.section_add(survey=survey, actor=officer, title="Anything else")
    add(survey=survey, actor=officer, section=more, kind="text", required=False,
        text="Is there anything else about repairs appointments you want to tell us?")  # fmt: skip
    services.survey_publish(survey=survey, actor=officer)
    survey.refresh_from_db()
    opens = today - datetime.timedelta(days=110)
    for i, resident in enumerate(people[:36]):
        comment, _themes = COMMENTS[(i // 2) % len(COMMENTS)]
        values = {
            "q1": rng.choices(SATISFACTION, [15, 30, 20, 20, 15])[0],
            "q2": rng.choices(TIMES, [20, 15, 40, 25])[0],
            "q3": rng.sample(REMINDERS[:3], rng.randint(1, 2)),
            "q4": comment if i % 2 == 0 else "",
        }
        services.response_enter(survey=survey, actor=officer, resident=resident, values=values,
                                method=rng.choice(["online", "online", "paper", "phone"]))  # fmt: skip
    for response in Response.objects.filter(survey=survey):
        when = timezone.make_aware(datetime.datetime.combine(opens + datetime.timedelta(days=rng.randrange(40)),
                                                             datetime.time(rng.randrange(9, 20))))  # fmt: skip
        Response.objects.filter(pk=response.pk).update(started_at=when, submitted_at=when)
    for answer in Answer.objects.filter(survey=survey, question__code="q4").exclude(text=""):
        themes = next(t for c, t in COMMENTS if c == answer.text)
        services.answer_tag(answer=answer, actor=officer, themes=themes)
    from opportunities.models import Opportunity

    event = Opportunity.objects.filter(organisation=organisation, title__startswith="Repairs focus group").first()
    if event is not None:
        group = services.focus_group_link(survey=survey, actor=officer, opportunity=event)
        services.focus_group_record(
            focus_group=group, actor=officer, themes=["Appointment times", "Reminders", "Missed appointments"],
            notes="Eight residents came. Most work or care for someone, so morning-only slots mean losing pay or "
            "finding cover. Everyone wanted a reminder the day before and a call if the operative is late. Two "
            "people had waited in all day for a missed appointment and had not been told why.",
        )  # fmt: skip
    services.survey_close(survey=survey, actor=officer)
    Survey.objects.filter(pk=survey.pk).update(opens_on=opens, closes_on=opens + datetime.timedelta(days=42))
    services.summary_publish(
        survey=survey, actor=officer,
        summary="36 of you answered and 8 came to a focus group. Most of you want evening or Saturday "
        "appointments and a text the day before. Here is what we changed.",
    )  # fmt: skip
    services.change_record(survey=survey, actor=officer, you_said="Morning-only appointments mean losing a day's pay",
                           we_did="Repairs appointments are now offered until 7pm on weekdays and on Saturday mornings",
                           done_on=today - datetime.timedelta(days=30), link=f"/local-offer/{organisation.slug}/",
                           link_text="Our repairs promises")  # fmt: skip
    services.change_record(survey=survey, actor=officer, you_said="Remind us the day before",
                           we_did="Everyone with a mobile number gets a text the day before their appointment",
                           done_on=today - datetime.timedelta(days=14))  # fmt: skip
    services.change_record(survey=survey, actor=officer, you_said="Tell us if the operative is running late",
                           we_did="Operatives will text when they are more than 30 minutes late, from the spring")  # fmt: skip


def _open_survey(organisation: Any, officer: Any, today: datetime.date, people: list) -> None:
    survey = services.survey_create(
        organisation=organisation, actor=officer, title="Estate cleaning", opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=16),
        purpose="Tell us how clean your block and its bin stores are, so we can plan next year's cleaning rota.",
    )  # fmt: skip
    page = survey.versions.get().sections.get()
    services.question_add(survey=survey, actor=officer, section=page, kind="single",
                          options=["Very clean", "Clean enough", "Not clean"],
                          text="How clean are the shared areas of your block?")  # fmt: skip
    services.question_add(survey=survey, actor=officer, section=page, kind="text", required=False,
                          text="What should we clean more often?")  # fmt: skip
    services.survey_publish(survey=survey, actor=officer)
    survey.refresh_from_db()
    services.invitations_send(survey=survey, actor=officer, audience=services.Audience(sample=60, seed=7))
    for invitation in Invitation.objects.filter(survey=survey).select_related("resident")[:14]:
        services.response_enter(survey=survey, actor=officer, resident=invitation.resident, method="online",
                                values={"q1": "Clean enough" if invitation.pk % 3 else "Not clean",
                                        "q2": "The bin store" if invitation.pk % 2 else ""})  # fmt: skip


def _poll(organisation: Any, officer: Any, rng: random.Random, now: Any, people: list) -> None:
    poll = services.poll_create(organisation=organisation, actor=officer,
                                question="Should the next residents' forum be in the evening or on Saturday?",
                                options=["Weekday evening", "Saturday morning", "Either"])  # fmt: skip
    texters = [p for p in people[36:] if p.mobile][:20]
    for p in texters:
        Resident.objects.filter(pk=p.pk).update(contact_by_text=True, involvement_level="armchair")
    services.invitations_send(survey=poll, actor=officer, audience=services.Audience(armchair_only=True))
    for i, p in enumerate(texters[:11]):
        reply = rng.choice(["1", "2", "3", "1", "Saturday morning", "not sure"])
        services.poll_text_received(provider_id=f"demo-{poll.pk}-{i}", from_number=p.mobile, body=reply,
                                    received_at=now if timezone.is_aware(now) else timezone.now())  # fmt: skip
