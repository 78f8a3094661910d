"""Objects the role-matrix test visits the budgeting URLs with."""

from __future__ import annotations

from typing import Any

from budgeting.tests.factories import FundFactory, ProposalFactory


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    fund = FundFactory(organisation=org, stage="voting")
    proposal = ProposalFactory(fund=fund)
    return {"estate-funds": fund.pk, "estate-fund-ideas": proposal.pk, "fund_slug": fund.slug}
