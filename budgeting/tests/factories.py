from __future__ import annotations

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from budgeting.models import Fund, Proposal


def dates_for(stage: str) -> dict[str, datetime.date]:
    """Fund dates that put today in the given stage."""
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    starts = {
        "draft": today + 5 * day,
        "proposals": today - 5 * day,
        "checking": today - 20 * day,
        "voting": today - 30 * day,
        "counting": today - 60 * day,
    }[stage]
    if stage == "checking":
        return {
            "proposals_open": starts,
            "proposals_close": today - day,
            "voting_open": today + day,
            "voting_close": today + 10 * day,
        }
    if stage == "voting":
        return {
            "proposals_open": starts,
            "proposals_close": starts + 10 * day,
            "voting_open": today - 2 * day,
            "voting_close": today + 10 * day,
        }
    if stage == "counting":
        return {
            "proposals_open": starts,
            "proposals_close": starts + 10 * day,
            "voting_open": starts + 20 * day,
            "voting_close": today - day,
        }
    return {
        "proposals_open": starts,
        "proposals_close": starts + 10 * day,
        "voting_open": starts + 20 * day,
        "voting_close": starts + 30 * day,
    }


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund

    class Params:
        stage = "proposals"

    name = factory.Sequence(lambda n: f"Estate improvements {n}")
    slug = factory.Sequence(lambda n: f"estate-improvements-{n}")
    summary = "Money for improving our estates, chosen by residents."
    criteria = (
        "Benefits residents of the estate\nCosts no more than the most one idea can receive\nCan be done within a year"
    )
    total = Decimal("10000")
    max_award = Decimal("3000")
    published = True
    proposals_open = factory.LazyAttribute(lambda o: dates_for(o.stage)["proposals_open"])
    proposals_close = factory.LazyAttribute(lambda o: dates_for(o.stage)["proposals_close"])
    voting_open = factory.LazyAttribute(lambda o: dates_for(o.stage)["voting_open"])
    voting_close = factory.LazyAttribute(lambda o: dates_for(o.stage)["voting_close"])


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Proposal

    title = factory.Sequence(lambda n: f"Idea {n}")
    description = "New planting and two benches by the play area."
    cost = Decimal("2000")
    proposer_name = "Mill Estate Residents' Association"
    status = Proposal.Status.ELIGIBLE
