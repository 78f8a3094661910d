"""Reads for participatory budgeting. Staff reads are scoped by the one permission policy;
public reads show only published funds."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from budgeting.models import Fund, Proposal, Vote
from core.permissions import scope
from groups.models import Group
from people.models import Area, Resident, Tenancy, normalise_postcode


def fund_list(*, user: Any) -> QuerySet[Fund]:
    return scope(Fund.objects.all(), user, "fund.view").annotate(
        proposal_count=Count("proposals", distinct=True),
        household_count=Count("votes__tenancy", distinct=True),
    )


def fund_get(*, user: Any, pk: int) -> Fund:
    fund = scope(Fund.objects.all(), user, "fund.view").filter(pk=pk).first()
    if fund is None:
        raise Http404
    return fund


def proposal_get(*, user: Any, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.select_related("fund", "area", "proposed_by")
        .filter(pk=pk, fund__in=scope(Fund.objects.all(), user, "fund.view"))
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def public_funds(*, organisation: Any) -> QuerySet[Fund]:
    return Fund.objects.filter(organisation=organisation, published=True)


def public_fund(*, organisation: Any, slug: str) -> Fund:
    fund = Fund.objects.filter(organisation=organisation, published=True, slug=slug).first()
    if fund is None:
        raise Http404
    return fund


def proposals_with_votes(*, fund: Fund, public: bool = False) -> list[Proposal]:
    """The fund's ideas with their vote counts and progress. The public see ideas once checked
    (and never withdrawn ones); vote counts only once the results are decided."""
    queryset = fund.proposals.select_related("area").prefetch_related("updates").annotate(vote_count=Count("votes"))
    if public:
        queryset = queryset.exclude(status__in=[Proposal.Status.SUBMITTED, Proposal.Status.WITHDRAWN])
    if fund.decided_at:
        return list(queryset.order_by("-vote_count", "submitted_at", "id"))
    return list(queryset.order_by("submitted_at", "id"))


def ballot(*, fund: Fund) -> QuerySet[Proposal]:
    return fund.proposals.filter(status=Proposal.Status.ELIGIBLE).select_related("area").order_by("title", "id")


@dataclass(frozen=True)
class FundFigures:
    households_eligible: int
    households_voted: int
    ballots_online: int
    ballots_paper: int
    committed: Decimal

    @property
    def turnout_percent(self) -> float | None:
        if not self.households_eligible:
            return None
        return 100 * self.households_voted / self.households_eligible


def _eligible_tenancies(fund: Fund) -> QuerySet[Tenancy]:
    tenancies = Tenancy.objects.filter(organisation_id=fund.organisation_id, end_date__isnull=True)
    area_ids = list(fund.areas.values_list("pk", flat=True))
    if not area_ids:
        return tenancies
    # An area, a neighbourhood or an estate: a home is in the fund's patch if its area or estate
    # is named, or its estate sits in a named neighbourhood.
    return tenancies.filter(
        Q(home__area_id__in=area_ids) | Q(home__estate_id__in=area_ids) | Q(home__estate__parent_id__in=area_ids)
    )


def fund_figures(*, fund: Fund) -> FundFigures:
    voted = Vote.objects.filter(fund=fund, place=1)
    committed = sum(
        (p.cost for p in fund.proposals.filter(status=Proposal.Status.FUNDED).only("cost")), start=Decimal("0")
    )
    return FundFigures(
        households_eligible=_eligible_tenancies(fund).count(),
        households_voted=voted.count(),
        ballots_online=voted.filter(method=Vote.Method.ONLINE).count(),
        ballots_paper=voted.exclude(method=Vote.Method.ONLINE).count(),
        committed=committed,
    )


def household_can_vote(*, fund: Fund, tenancy: Tenancy) -> bool:
    return tenancy.organisation_id == fund.organisation_id and _eligible_tenancies(fund).filter(pk=tenancy.pk).exists()


def household_find(*, fund: Fund, tenancy_reference: str, postcode: str, last_name: str) -> Tenancy | None:
    """The household a voter says they are, if all three details match a current tenancy in the
    fund's area: the tenancy reference (on rent statements), the home's postcode and the surname
    of someone in the household."""
    reference = tenancy_reference.strip()
    if not reference or not last_name.strip():
        return None
    candidates = _eligible_tenancies(fund).filter(reference__iexact=reference).select_related("home")
    key = normalise_postcode(postcode)
    for tenancy in candidates:
        if normalise_postcode(tenancy.home.postcode) != key:
            continue
        if tenancy.residents.filter(last_name__iexact=last_name.strip()).exists():
            return tenancy
    return None


def household_has_voted(*, fund: Fund, tenancy: Tenancy) -> bool:
    return Vote.objects.filter(fund=fund, tenancy=tenancy).exists()


def fund_area_choices(*, organisation: Any) -> QuerySet[Area]:
    return Area.objects.filter(organisation=organisation).order_by("level", "name")


def tenancy_by_reference(*, organisation: Any, reference: str) -> Tenancy | None:
    return Tenancy.objects.filter(organisation=organisation, reference__iexact=reference.strip()).first()


def tenancy_by_pk(*, organisation: Any, pk: Any) -> Tenancy | None:
    if not isinstance(pk, int):
        return None
    return Tenancy.objects.filter(organisation=organisation, pk=pk).first()


def resident_for_user(*, user: Any, organisation: Any) -> Resident | None:
    """The register entry a signed-in resident's account is linked to."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Resident.objects.filter(user=user, organisation=organisation).select_related("tenancy").first()


def group_choices(*, organisation: Any) -> QuerySet[Group]:
    return Group.objects.filter(organisation=organisation, status=Group.Status.ACTIVE).order_by("name")
