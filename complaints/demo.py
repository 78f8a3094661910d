"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist.

The Complaint Handling Code's procedure and the Oxford compact concerns process (step 2a goes to
the scrutiny panel, which also oversees concerns), the manager as Head of Service, and about
fourteen months of cases written through the services, so every date comes from the calendar:
complaints answered in time, with an extension and late, some escalated to stage 2, a few still
open (late, due today, due this week), concerns, compliments, comments and service requests, and
published learning. The `resident` account has a complaint answered at stage 1 that it can take
further. Letters of the past are marked sent (they are history, not mail to send now)."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from django.db.models import F

from complaints import services
from complaints.models import Case, Stage
from core.calendar import calendar_for
from core.models import Message
from groups.models import Group, GroupKind
from people.models import Home, Resident

AREAS = ("Repairs", "Repairs", "Repairs", "Anti-social behaviour", "Estate services", "Rents and service charges",
         "Customer service", "Damp and mould")  # fmt: skip
SUMMARIES = {
    "Repairs": "The repair was booked twice and nobody came either time.",
    "Anti-social behaviour": "I reported noise from the flat above and have heard nothing back.",
    "Estate services": "The communal stairs have not been cleaned for a month.",
    "Rents and service charges": "My service charge went up and nobody explained why.",
    "Customer service": "I waited 40 minutes on the phone and was cut off.",
    "Damp and mould": "There is black mould in the bedroom again after it was treated.",
}
LEARNING = {
    "Repairs": "Repairs appointments are now confirmed by text the day before, and a missed one is rebooked the same day.",
    "Anti-social behaviour": "Every new noise report gets a call back from a named officer within 3 working days.",
    "Estate services": "Cleaning schedules are now on each block's noticeboard, with who to call if one is missed.",
    "Rents and service charges": "Service charge letters now explain each change in plain words.",
    "Customer service": "The phone line now offers a call back instead of waiting in the queue.",
    "Damp and mould": "Mould treatments are now followed by a check visit six weeks later.",
}


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    rng = random.Random(f"complaints-{seed}")
    manager, officer = users["manager"], users["officer"]
    code = services.procedure_load_preset(organisation=organisation, actor=manager, preset="chc-2024")
    oxford = services.procedure_load_preset(organisation=organisation, actor=manager, preset="oxford-concerns")
    scrutiny = Group.objects.filter(organisation=organisation, kind=GroupKind.SCRUTINY_PANEL).order_by("pk").first()
    if scrutiny is not None:
        Stage.objects.filter(procedure=oxford, code="step-2a").update(handler_group=scrutiny)
    services.settings_update(organisation=organisation, actor=manager, head_of_service=manager,
                             oversight_group=scrutiny, remind_days_before=2,
                             ombudsman_details=services.ComplaintSettings().ombudsman_details)  # fmt: skip
    calendar = calendar_for(organisation)
    tz = calendar.tz
    homes = Home.objects.filter(organisation=organisation).count()
    # About 12 complaints a year per 1,000 homes (the sector's published CH01 runs from under 5
    # to over 50); capped so the demo builds in seconds, since every case goes through the services.
    per_year = max(30, min(60, homes * 12 // 1000))
    people = list(
        Resident.objects.filter(organisation=organisation, status=Resident.Status.ACTIVE)
        .exclude(user__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    residents = {r.pk: r for r in Resident.objects.filter(pk__in=rng.sample(people, min(len(people), per_year * 2)))}
    pool = list(residents.values())
    today = now.astimezone(tz).date()

    def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
        # Never in the future, whatever time of day the demo is built.
        return min(datetime.datetime.combine(day, datetime.time(hour, rng.randint(0, 59)), tz),
                   now - datetime.timedelta(minutes=10))  # fmt: skip

    # (received day, kind) in date order, over the last 14 months.
    plan: list[tuple[datetime.date, str]] = []
    for _ in range(per_year * 14 // 12):
        plan.append((today - datetime.timedelta(days=rng.randint(1, 425)), Case.Kind.COMPLAINT))
    for kind, n in ((Case.Kind.CONCERN, 10), (Case.Kind.COMPLIMENT, 16), (Case.Kind.COMMENT, 10),
                    (Case.Kind.SERVICE_REQUEST, 5)):  # fmt: skip
        plan += [(today - datetime.timedelta(days=rng.randint(1, 425)), kind) for _ in range(n)]
    plan.sort()
    channels = [Case.Channel.WEB, Case.Channel.WEB, Case.Channel.PHONE, Case.Channel.PHONE, Case.Channel.EMAIL,
                Case.Channel.LETTER, Case.Channel.IN_PERSON, Case.Channel.REPRESENTATIVE]  # fmt: skip
    for received_day, kind in plan:
        while not calendar.is_working_day(received_day):
            received_day -= datetime.timedelta(days=1)
        area = rng.choice(AREAS)
        channel = rng.choice(channels)
        resident = rng.choice(pool) if pool and (kind != Case.Kind.COMMENT or rng.random() < 0.5) else None
        case = services.case_receive(
            organisation=organisation,
            actor=officer,
            kind=kind,
            procedure=code if kind == Case.Kind.COMPLAINT else oxford if kind == Case.Kind.CONCERN else None,
            resident=resident,
            representative="Cllr Jo Banks" if channel == Case.Channel.REPRESENTATIVE else "",
            summary=SUMMARIES[area] if kind in (Case.Kind.COMPLAINT, Case.Kind.CONCERN) else _words(kind, area),
            received_at=at(received_day),
            channel=channel,
            service_area=area,
        )
        if kind in (Case.Kind.COMPLAINT, Case.Kind.CONCERN):
            _walk(case, rng=rng, today=today, at=at, calendar=calendar, officer=officer, manager=manager)

    resident = Resident.objects.filter(user=users.get("resident")).first()
    if resident is not None:
        day = _shift(calendar, today, -15)
        case = services.case_receive(organisation=organisation, actor=officer, kind=Case.Kind.COMPLAINT, procedure=code,
                                     resident=resident, summary=SUMMARIES["Repairs"], received_at=at(day),
                                     channel=Case.Channel.WEB, service_area="Repairs")  # fmt: skip
        services.case_acknowledge(case=case, actor=officer, at=at(calendar.add_working_days(day, 2)))
        services.case_respond(case=case, actor=officer, outcome="not_upheld", at=at(calendar.add_working_days(day, 8)),
                              reasons="Our records show the second appointment was kept and the repair finished.")  # fmt: skip
    # The demo's letters are history: they went at the time.
    Message.objects.filter(organisation=organisation, template__startswith="complaint_").update(
        status=Message.Status.SENT, sent_at=F("created_at")
    )


def _shift(calendar: Any, day: datetime.date, n: int) -> datetime.date:
    """n working days after (or, for negative n, before) day."""
    if n >= 0:
        return calendar.add_working_days(day, n)  # type: ignore[no-any-return]
    for _ in range(-n):
        day -= datetime.timedelta(days=1)
        while not calendar.is_working_day(day):
            day -= datetime.timedelta(days=1)
    return day


def _words(kind: str, area: str) -> str:
    if kind == Case.Kind.COMPLIMENT:
        return f"Thank you to the {area.lower()} team: they were quick, polite and kept me informed."
    if kind == Case.Kind.SERVICE_REQUEST:
        return "Please can someone look at the outside light by the back door? It has stopped working."
    return f"A suggestion about {area.lower()}: it would help to have evening appointments."


def _walk(case: Case, *, rng: random.Random, today: datetime.date, at: Any, calendar: Any, officer: Any,
          manager: Any) -> None:  # fmt: skip
    """Take a case through its stages the way real ones go: most in time, some extended or late."""
    decider = officer
    for _ in range(3):
        stage = case.current_stage
        if stage is None or stage.stage.external:
            return
        start = stage.started_at.astimezone(calendar.tz).date()
        if stage.acknowledge_due is not None:
            ack = calendar.add_working_days(start, rng.choice((1, 1, 2, 3, 4, 5, 5, 7)))
            if ack >= today:
                return
            services.case_acknowledge(case=case, actor=officer, at=at(ack, 11))
            stage.refresh_from_db()
        if stage.respond_due is None:
            if stage.stage.respond_from == Stage.Clock.MEETING:
                return  # waits for the panel's next meeting
            return
        roll = rng.random()
        if roll < 0.1 and stage.stage.extension_days:
            extend_on = _shift(calendar, stage.respond_due, -3)
            if extend_on >= today:
                return
            services.case_extend(case=case, actor=officer, working_days=min(10, stage.stage.extension_days),
                                 reason="We are waiting for a contractor's report.", at=at(extend_on, 15))  # fmt: skip
            stage.refresh_from_db()
        due = stage.due or today
        answer = _shift(calendar, due, rng.choice((-6, -4, -2, -1, 0, 0, 3)))
        answer = max(answer, (stage.acknowledged_at.astimezone(calendar.tz).date() if stage.acknowledged_at else start))
        if answer >= today:
            return
        outcome = rng.choice(("upheld", "partly_upheld", "not_upheld", "not_upheld"))
        services.case_respond(
            case=case,
            actor=decider,
            outcome=outcome,
            reasons="We looked at the records and spoke to the team involved.",
            remedy="An apology and the work done within 10 working days." if outcome != "not_upheld" else "",
            compensation=Decimal(rng.choice((25, 50, 75, 100))) if outcome == "upheld" and rng.random() < 0.4 else None,
            at=at(answer, 14),
        )
        if outcome != "not_upheld" and rng.random() < 0.35:
            services.case_record_learning(case=case, actor=officer, learning=LEARNING[case.service_area], publish=True)
        escalate_on = calendar.add_working_days(answer, rng.randint(2, 15))
        routes = list(stage.stage.next_stages.all())
        if rng.random() < 0.2 and routes and escalate_on < today:
            services.case_escalate(case=case, actor=officer, to=rng.choice(routes), at=at(escalate_on, 9))
            decider = manager
            continue
        close_on = calendar.add_working_days(answer, 20)
        if close_on < today:
            services.case_close(case=case, actor=officer, at=at(close_on, 16))
        return
