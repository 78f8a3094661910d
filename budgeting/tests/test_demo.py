from __future__ import annotations

import pytest

from budgeting.models import Fund, Proposal, Vote
from people.demo import build_demo


@pytest.mark.django_db
def test_demo_has_a_decided_fund_within_its_money_and_one_open_for_voting():
    build_demo(residents=400, seed=7)
    last, current = sorted(Fund.objects.all(), key=lambda f: f.voting_close)
    assert last.stage() == Fund.Stage.DECIDED and current.stage() == Fund.Stage.VOTING
    funded = Proposal.objects.filter(fund=last, status=Proposal.Status.FUNDED)
    assert funded.exists() and sum(p.cost for p in funded) <= last.total
    assert (
        Vote.objects.filter(fund=current).values("tenancy").distinct().count()
        == Vote.objects.filter(fund=current).count()
    ), "one vote per household"
