"""This app's part of the demo landlord; called by people.demo.build_demo after residents exist.

The demo landlord gets the whole Oxford Local Offer (seed 002) with its dates moved: the real
offer ran from July 2014 to March 2016 (21 months); here every date is moved by whole months so
the offer starts 21 months before the current month and runs up to the end of this month. Most
of its milestones are done with evidence; one is overdue; one was put back by a new version and
is due in a couple of weeks; and the post-inspection target was raised part-way through, so the
measure has two versions. The mystery-shopping scenarios are linked to the measures they test."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from core.calendar import shift_months
from standards.models import Measure, MeasureVersion, MilestoneEvidence
from standards.services import local_offer_load_preset

OFFER_MONTHS = 21
OVERDUE = "rep-first-visit-model"
POSTPONED = "asb-victim-support"
EVIDENCE = {
    "rep-case-tracking-train": "Six tenants completed case study tracking training; attendance sheet attached.",
    "rep-case-tracking-live": "First three cases tracked; findings reported to the Tenants' Review Group - Repairs.",
    "rep-evening-feasibility": "Feasibility study presented to the Tenants' Review Group - Repairs.",
    "rep-gas-take-up": "Take-up report to the Local Offer Group: 41 leaseholders joined the gas servicing scheme.",
    "rep-satisfaction-plan": "Agreed with the Local Offer Working Group to add a text survey after each job.",
    "pm-visit-contracts": "Seven-day visit clause in all planned works contracts, checked by procurement.",
    "pm-programme": "Annual programme of planned works published on the website and in the newsletter.",
    "pm-satisfaction-plan": "Agreed a card left after each planned job, with a freepost reply.",
    "asb-leaflet": "Service standard leaflet published with the ASB Champions; copy attached.",
    "asb-diary": "Diary sheet printed with every leaflet.",
    "asb-tenant-inspections": "Eight tenants trained in external inspections; first action plans agreed.",
    "asb-action-plans": "ASB Champions review action plans at each quarterly meeting.",
}


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: Any) -> None:
    today = now.date() if isinstance(now, datetime.datetime) else now
    manager = users.get("manager") or users.get("admin")
    officer = users.get("officer") or manager
    first_month = shift_months(today.replace(day=1), -(OFFER_MONTHS - 1))
    local_offer_load_preset(organisation=organisation, actor=manager, starts_on=first_month)

    measures = {m.code: m for m in Measure.objects.filter(organisation=organisation).prefetch_related("versions")}
    evidence = []
    for n, (code, note) in enumerate(sorted(EVIDENCE.items())):
        measure = measures[code]
        due_on = measure.versions.all()[0].due_on
        # Most done a little before the due date; a couple a few days after it.
        done_on = min(due_on + datetime.timedelta(days=(-(n % 5) * 6 if n % 4 else 9)), today)
        evidence.append(MilestoneEvidence(measure=measure, done_on=done_on, note=note, recorded_by=officer))
    MilestoneEvidence.objects.bulk_create(evidence)

    # Victim Peer Support was put back: a second version moves its due date to a fortnight from now.
    postponed = measures[POSTPONED]
    first = postponed.versions.all()[0]
    MeasureVersion.objects.create(
        measure=postponed,
        number=2,
        effective_from=first.due_on - datetime.timedelta(days=20),
        due_on=today + datetime.timedelta(days=14),
        target_text=first.target_text,
        reason="ASB Champions' peer support training was postponed; new date agreed with the Local Offer Group.",
        created_by=manager,
    )
    # The post-inspection target was raised from 13% to 15% half-way through the offer.
    inspected = measures["rep-post-inspect"]
    MeasureVersion.objects.create(
        measure=inspected,
        number=2,
        effective_from=shift_months(first_month, 12),
        target=Decimal("15"),
        reason="Raised to 15% at the Tenants' Review Group - Repairs' request, agreed by the Local Offer Group.",
        created_by=manager,
    )

    from inspections.demo import link_measures

    link_measures(organisation=organisation)
