"""Writes for participatory budgeting. Keyword-only; each owns its transaction, checks the one
permission policy for staff actions and records the acting user in the audit log."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from auditlog.context import set_actor
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from budgeting.models import Fund, Proposal, ProposalUpdate, Vote
from budgeting.selectors import household_can_vote, household_find
from core.notifications import notify
from core.permissions import can_act_on
from groups.selectors import is_recognised
from people.models import Area, Resident, Tenancy
from people.services import contact_card

FUND_FIELDS = (
    "name",
    "slug",
    "summary",
    "criteria",
    "total",
    "max_award",
    "proposals_open",
    "proposals_close",
    "voting_open",
    "voting_close",
    "votes_per_household",
    "published",
    "groups_must_be_recognised",
)


def _check_dates(values: dict[str, Any]) -> None:
    order = ("proposals_open", "proposals_close", "voting_open", "voting_close")
    labels = {
        "proposals_open": "ideas open",
        "proposals_close": "ideas close",
        "voting_open": "voting opens",
        "voting_close": "voting closes",
    }
    for earlier, later in zip(order, order[1:], strict=False):
        if values[earlier] > values[later]:
            raise ValidationError({later: f"The date {labels[later]} must be on or after the date {labels[earlier]}."})
    if values.get("max_award") is not None and values["max_award"] > values["total"]:
        raise ValidationError({"max_award": "The most one idea can receive cannot be more than the whole fund."})


def fund_save(
    *,
    organisation: Any,
    actor: Any,
    values: dict[str, Any],
    areas: Sequence[Area] = (),
    fund: Fund | None = None,
) -> Fund:
    """Create a fund, or change one. Once voting has started the money and dates that voters were
    told about cannot change."""
    target = fund or Fund(organisation=organisation)
    if not can_act_on(actor, "fund.manage", target):
        raise PermissionDenied
    if any(a.organisation_id != target.organisation_id for a in areas):
        raise ValidationError({"areas": "Choose areas of your own landlord."})
    _check_dates(values)
    if fund is not None and fund.stage() in (Fund.Stage.VOTING, Fund.Stage.COUNTING, Fund.Stage.DECIDED):
        locked = ("total", "max_award", "voting_open", "voting_close", "votes_per_household", "criteria")
        changed = [f for f in locked if getattr(fund, f) != values[f]]
        if changed or {a.pk for a in areas} != set(fund.areas.values_list("pk", flat=True)):
            raise ValidationError(
                "Voting has started, so the money, the criteria, the areas and the voting dates can no longer change."
            )
    with transaction.atomic(), set_actor(actor):
        for name in FUND_FIELDS:
            setattr(target, name, values[name])
        try:
            target.full_clean()
        except ValidationError as exc:
            if "slug" in getattr(exc, "error_dict", {}) or "__all__" in getattr(exc, "error_dict", {}):
                raise ValidationError({"slug": "Another fund already uses this web address."}) from exc
            raise
        target.save()
        target.areas.set(areas)
    return target


def _check_proposal(fund: Fund, *, cost: Decimal, area: Area | None) -> None:
    if fund.stage() != Fund.Stage.PROPOSALS:
        raise ValidationError(
            f"This fund takes ideas from {fund.proposals_open:%-d %B} to {fund.proposals_close:%-d %B %Y}."
        )
    limit = fund.max_award if fund.max_award is not None else fund.total
    if cost > limit:
        raise ValidationError({"cost": f"The most one idea can receive from this fund is £{limit:,.0f}."})
    if area is not None and area.organisation_id != fund.organisation_id:
        raise ValidationError({"area": "Choose an area of this landlord."})


def proposal_submit(
    *,
    fund: Fund,
    values: dict[str, Any],
    resident: Resident | None,
    actor: Any,
    submission_key: str | None = None,
) -> Proposal:
    """An idea for the fund, from a signed-in resident (for themselves) or entered by staff from a
    paper form or an association. The same submission key returns the first idea, not a second."""
    # Keys are per person, so nobody can reach another person's idea by sending their key.
    key = f"{getattr(actor, 'pk', '')}:{submission_key}"[:64] if submission_key else None
    if key:
        existing = Proposal.objects.filter(submission_key=key).first()
        if existing is not None:
            return existing
    is_staff_entry = can_act_on(actor, "fund.manage", fund)
    own = resident is not None and getattr(resident, "user_id", None) == getattr(actor, "pk", -1)
    if not is_staff_entry and not own:
        raise PermissionDenied
    if resident is not None and resident.organisation_id != fund.organisation_id:
        raise ValidationError("That resident is not a resident of this landlord.")
    _check_proposal(fund, cost=values["cost"], area=values.get("area"))
    group = values.get("group")
    if group is not None:
        if group.organisation_id != fund.organisation_id:
            raise ValidationError({"group": "Choose a group of this landlord."})
        if fund.groups_must_be_recognised and not is_recognised(group):
            raise ValidationError(
                {"group": f"{group.name} is not a recognised residents' group, so this fund cannot take its ideas."}
            )
    proposer = values.get("proposer_name") or (group.name if group else "") or (resident.full_name if resident else "")
    if not proposer:
        raise ValidationError({"proposer_name": "Enter who put the idea forward."})
    try:
        with transaction.atomic(), set_actor(actor):
            proposal = Proposal.objects.create(
                fund=fund,
                title=values["title"],
                description=values["description"],
                cost=values["cost"],
                area=values.get("area"),
                proposed_by=resident,
                proposed_by_group=group,
                proposer_name=proposer,
                submission_key=key,
            )
    except IntegrityError:
        # The same form arrived twice at once; the other request saved it.
        return Proposal.objects.get(submission_key=key)
    return proposal


def proposal_check(*, proposal: Proposal, eligible: bool, notes: str, actor: Any) -> Proposal:
    """Record whether an idea meets the fund's criteria, with the reasons (always given when it
    does not, because the person who put it forward is owed them)."""
    fund = proposal.fund
    if not can_act_on(actor, "fund.manage", fund):
        raise PermissionDenied
    if fund.stage() not in (Fund.Stage.PROPOSALS, Fund.Stage.CHECKING):
        raise ValidationError("Ideas can only be checked before voting opens.")
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise ValidationError("This idea was withdrawn.")
    if not eligible and not notes.strip():
        raise ValidationError({"notes": "Say which criteria the idea does not meet."})
    with transaction.atomic(), set_actor(actor):
        proposal.status = Proposal.Status.ELIGIBLE if eligible else Proposal.Status.INELIGIBLE
        proposal.check_notes = notes.strip()
        proposal.checked_by = actor
        proposal.checked_at = timezone.now()
        proposal.save()
        _tell_proposer(proposal, "fund_idea_checked")
    return proposal


def _tell_proposer(proposal: Proposal, template: str) -> None:
    """Tell the resident who put an idea forward what happened to it, the way they asked to be told."""
    resident = proposal.proposed_by
    if resident is None:
        return
    notify(
        recipient=resident,
        card=contact_card(resident),
        template=template,
        context={"proposal": proposal, "fund": proposal.fund, "organisation": proposal.fund.organisation.name},
        because=proposal,
    )


# Failed household checks allowed per address per hour: enough for typing mistakes, too few to
# guess someone else's tenancy reference, postcode and surname.
VERIFY_ATTEMPTS = 10


def household_verify(*, fund: Fund, client: str, tenancy_reference: str, postcode: str, last_name: str) -> Tenancy:
    """The household a voter says they are, if all three details match; after too many misses
    from one address, no more tries for an hour."""
    throttle = f"fund-verify:{fund.pk}:{client}"
    failures = cache.get(throttle, 0)
    if failures >= VERIFY_ATTEMPTS:
        raise ValidationError("Too many attempts. Try again in an hour, or phone us and we will help you vote.")
    tenancy = household_find(fund=fund, tenancy_reference=tenancy_reference, postcode=postcode, last_name=last_name)
    if tenancy is None:
        cache.set(throttle, failures + 1, 60 * 60)
        raise ValidationError(
            "We could not find a household in this fund's area with those details. Check your tenancy "
            "reference, postcode and last name."
        )
    return tenancy


def ballot_cast(
    *,
    fund: Fund,
    tenancy: Tenancy,
    proposals: Sequence[Proposal],
    method: str,
    resident: Resident | None = None,
    actor: Any = None,
) -> list[Vote]:
    """One household's ballot: up to the fund's votes per household, each for a different idea on
    the ballot. A household that has voted already is told so and nothing changes.

    Online ballots come from a verified household (the caller verified it); paper and in-person
    ballots are entered by staff, who are the actor."""
    if method != Vote.Method.ONLINE and not can_act_on(actor, "fund.manage", fund):
        raise PermissionDenied
    if fund.stage() != Fund.Stage.VOTING:
        raise ValidationError("Voting for this fund is not open.")
    if not household_can_vote(fund=fund, tenancy=tenancy):
        raise ValidationError("This household is not in the area of this fund.")
    chosen = list(dict.fromkeys(proposals))
    if not chosen:
        raise ValidationError({"proposals": "Choose at least one idea."})
    if len(chosen) > fund.votes_per_household:
        raise ValidationError(
            {"proposals": f"Choose up to {fund.votes_per_household} idea{'s' if fund.votes_per_household > 1 else ''}."}
        )
    if any(p.fund_id != fund.pk or p.status != Proposal.Status.ELIGIBLE for p in chosen):
        raise ValidationError({"proposals": "Choose ideas that are on this ballot."})
    already = ValidationError("Your household has already voted in this fund. Each household votes once.")
    if Vote.objects.filter(fund=fund, tenancy=tenancy).exists():
        raise already
    recorder = actor if getattr(actor, "pk", None) else None
    try:
        with transaction.atomic(), set_actor(recorder):
            return Vote.objects.bulk_create(
                [
                    Vote(
                        fund=fund,
                        proposal=proposal,
                        tenancy=tenancy,
                        place=place,
                        resident=resident,
                        method=method,
                        recorded_by=recorder,
                    )
                    for place, proposal in enumerate(chosen, start=1)
                ]
            )
    except IntegrityError:
        # Another ballot from this household arrived at the same moment and was counted.
        raise already from None


def fund_decide(*, fund: Fund, actor: Any, today: datetime.date | None = None) -> list[Proposal]:
    """After voting closes: fund the ideas with the most votes, in order, while the money lasts.
    An idea that no longer fits is passed over for a cheaper one below it, and each idea records
    why. Ties on votes go to the idea put forward first. Returns the funded ideas."""
    if not can_act_on(actor, "fund.decide", fund):
        raise PermissionDenied
    with transaction.atomic(), set_actor(actor):
        fund = Fund.objects.select_for_update().get(pk=fund.pk)
        stage = fund.stage(today)
        if stage == Fund.Stage.DECIDED:
            raise ValidationError("The results of this fund have already been decided.")
        if stage != Fund.Stage.COUNTING:
            raise ValidationError("The results can be decided once voting has closed.")
        ranked = list(
            fund.proposals.filter(status=Proposal.Status.ELIGIBLE)
            .annotate(vote_count=Count("votes"))
            .order_by("-vote_count", "submitted_at", "id")
        )
        remaining = fund.total
        funded: list[Proposal] = []
        for position, proposal in enumerate(ranked, start=1):
            votes = proposal.vote_count  # type: ignore[attr-defined]
            if votes == 0:
                proposal.status = Proposal.Status.NOT_FUNDED
                proposal.decision_note = "No votes."
            elif proposal.cost <= remaining:
                remaining -= proposal.cost
                proposal.status = Proposal.Status.FUNDED
                proposal.decision_note = (
                    f"Funded: ranked {position}{ordinal(position)} with {votes} vote{'s' if votes != 1 else ''}."
                )
                funded.append(proposal)
            else:
                proposal.status = Proposal.Status.NOT_FUNDED
                proposal.decision_note = (
                    f"Ranked {position}{ordinal(position)} with {votes} vote{'s' if votes != 1 else ''}, but only "
                    f"£{remaining:,.2f} was left after the ideas with more votes."
                )
            proposal.save(update_fields=["status", "decision_note"])
            _tell_proposer(proposal, "fund_idea_decided")
        fund.decided_at = timezone.now()
        fund.decided_by = actor
        fund.save(update_fields=["decided_at", "decided_by"])
    return funded


def ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        return "th"
    return {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def proposal_record_progress(
    *, proposal: Proposal, text: str, complete: bool, actor: Any, date: datetime.date | None = None
) -> ProposalUpdate:
    if not can_act_on(actor, "fund.manage", proposal.fund):
        raise PermissionDenied
    if proposal.status != Proposal.Status.FUNDED:
        raise ValidationError("Progress is recorded for funded ideas.")
    if not text.strip():
        raise ValidationError({"text": "Say what has happened."})
    day = date or timezone.localdate()
    if day > timezone.localdate():
        raise ValidationError({"date": "The date of an update cannot be in the future."})
    with transaction.atomic(), set_actor(actor):
        return ProposalUpdate.objects.create(
            proposal=proposal, text=text.strip(), complete=complete, date=day, recorded_by=actor
        )
