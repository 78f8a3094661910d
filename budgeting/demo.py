"""The demo landlord's estate improvement money: last year's fund decided, with progress on
the funded ideas, and this year's open for voting."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal
from typing import Any

from budgeting.models import Fund, Proposal, ProposalUpdate, Vote
from budgeting.services import ordinal
from people.models import Area, Tenancy

IDEAS = (
    ("Community garden", "Raised beds and a water butt on the green, looked after by residents.", 2800),
    ("Brighter lighting on the path", "LED lights along the path to the bus stop, which is dark in winter.", 2400),
    ("Benches by the play area", "Two benches so parents and grandparents can sit.", 900),
    ("Bike shelter", "A covered, lockable shelter for ten bikes.", 3000),
    ("Murals on the garage block", "Local young people paint the garage walls with an artist.", 1500),
    ("Bulb planting day", "Spring bulbs along the verges, planted at a family day.", 400),
    ("Bin store screening", "Fencing and climbers around the bin stores.", 2200),
    ("Outdoor gym equipment", "Three pieces of simple exercise equipment.", 3000),
    ("Notice boards", "Lockable notice boards by each entrance.", 600),
    ("Wildflower meadow", "Turn the unused grass behind the flats into a meadow.", 1200),
)
CRITERIA = (
    "Benefits residents of the estate, not one household\n"
    "A one-off cost of no more than £3,000\n"
    "Can be done within twelve months\n"
    "Will not cost the landlord more to look after each year"
)


def build(*, organisation: Any, users: dict[str, Any], seed: int, now: datetime.datetime) -> None:
    rng = random.Random(seed + 8)
    today = now.date()
    estates = list(Area.objects.filter(organisation=organisation, level=Area.Level.ESTATE).order_by("name"))
    officer = users.get("officer")
    manager = users.get("manager")

    last = Fund.objects.create(
        organisation=organisation,
        name=f"Estate improvements {today.year - 1}",
        slug=f"estate-improvements-{today.year - 1}",
        summary="£65,000 for improving our estates, with residents deciding what it is spent on.",
        criteria=CRITERIA,
        total=Decimal("65000"),
        max_award=Decimal("3000"),
        proposals_open=today - datetime.timedelta(days=330),
        proposals_close=today - datetime.timedelta(days=300),
        voting_open=today - datetime.timedelta(days=280),
        voting_close=today - datetime.timedelta(days=260),
        published=True,
        decided_at=now - datetime.timedelta(days=255),
        decided_by=manager,
    )
    current = Fund.objects.create(
        organisation=organisation,
        name=f"Estate improvements {today.year}",
        slug=f"estate-improvements-{today.year}",
        summary="£65,000 for improving our estates. Every household on our estates has a vote.",
        criteria=CRITERIA,
        total=Decimal("65000"),
        max_award=Decimal("3000"),
        proposals_open=today - datetime.timedelta(days=60),
        proposals_close=today - datetime.timedelta(days=30),
        voting_open=today - datetime.timedelta(days=7),
        voting_close=today + datetime.timedelta(days=21),
        published=True,
    )
    proposals: dict[int, list[Proposal]] = {last.pk: [], current.pk: []}
    for fund in (last, current):
        for n, (title, description, cost) in enumerate(IDEAS):
            estate = estates[(n + fund.pk) % len(estates)] if estates else None
            ineligible = n == 7
            proposals[fund.pk].append(
                Proposal(
                    fund=fund,
                    title=title,
                    description=description,
                    cost=Decimal(cost),
                    area=estate,
                    proposer_name=f"{estate.name} Residents' Association" if estate and n % 3 == 0 else "A resident",
                    status=Proposal.Status.INELIGIBLE if ineligible else Proposal.Status.ELIGIBLE,
                    check_notes="Equipment would need yearly inspections the fund cannot pay for."
                    if ineligible
                    else "",
                    checked_by=officer,
                    checked_at=now - datetime.timedelta(days=(290 if fund is last else 20)),
                    submitted_at=now - datetime.timedelta(days=(320 if fund is last else 50) - n),
                )
            )
        Proposal.objects.bulk_create(proposals[fund.pk])

    tenancy_ids = list(
        Tenancy.objects.filter(organisation=organisation, end_date__isnull=True)
        .order_by("pk")
        .values_list("pk", flat=True)[:3000]
    )
    votes: list[Vote] = []
    for fund, turnout in ((last, 900), (current, 240)):
        ballot = [p for p in proposals[fund.pk] if p.status == Proposal.Status.ELIGIBLE]
        weights = [rng.random() + (1.5 if i < 3 else 0) for i in range(len(ballot))]
        for tenancy_id in rng.sample(tenancy_ids, min(turnout, len(tenancy_ids))):
            votes.append(
                Vote(
                    fund=fund,
                    proposal=rng.choices(ballot, weights)[0],
                    tenancy_id=tenancy_id,
                    place=1,
                    method=Vote.Method.PAPER if rng.random() < 0.3 else Vote.Method.ONLINE,
                    recorded_by=officer,
                    cast_at=now - datetime.timedelta(days=(270 if fund is last else rng.randrange(0, 7))),
                )
            )
    Vote.objects.bulk_create(votes, batch_size=1000)

    # Last year's results, decided as fund_decide does: most votes first while the money lasts.
    counts: dict[int, int] = {}
    for vote in votes:
        if vote.fund_id == last.pk:
            counts[vote.proposal_id] = counts.get(vote.proposal_id, 0) + 1
    remaining = last.total
    ranked = sorted(
        (p for p in proposals[last.pk] if p.status == Proposal.Status.ELIGIBLE), key=lambda p: -counts.get(p.pk, 0)
    )
    updates = []
    for position, proposal in enumerate(ranked, start=1):
        if proposal.cost <= remaining:
            remaining -= proposal.cost
            proposal.status = Proposal.Status.FUNDED
            proposal.decision_note = (
                f"Funded: ranked {position}{ordinal(position)} with {counts.get(proposal.pk, 0)} votes."
            )
            updates.append(
                ProposalUpdate(
                    proposal=proposal,
                    date=today - datetime.timedelta(days=200 - position * 10),
                    text="Ordered from the contractor; work starts next month.",
                    recorded_by=officer,
                )
            )
            if position <= 4:
                updates.append(
                    ProposalUpdate(
                        proposal=proposal,
                        date=today - datetime.timedelta(days=90 - position * 5),
                        text="Finished and in use. Thank you to everyone who voted.",
                        complete=True,
                        recorded_by=officer,
                    )
                )
        else:
            proposal.status = Proposal.Status.NOT_FUNDED
            proposal.decision_note = "Not enough left after the ideas with more votes."
    Proposal.objects.bulk_update(ranked, ["status", "decision_note"])
    ProposalUpdate.objects.bulk_create(updates)
