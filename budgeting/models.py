"""Estate improvement money that residents decide on: a fund opens for proposals, staff check
each against the fund's criteria, households in the fund's area vote, and the most-voted
eligible proposals are funded within the budget, with progress published (seed 000's £65,000
environmental improvements budget; seed 003's NICE grants of up to £3,000 per estate)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone

from accounts.models import Organisation
from people.models import Area, Resident, Tenancy


class Fund(models.Model):
    class Stage(models.TextChoices):
        DRAFT = "draft", "Not yet open"
        PROPOSALS = "proposals", "Open for ideas"
        CHECKING = "checking", "Ideas being checked"
        VOTING = "voting", "Open for voting"
        COUNTING = "counting", "Voting closed"
        DECIDED = "decided", "Results published"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="funds")
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80)
    summary = models.TextField(help_text="What the money is for, in plain English.")
    criteria = models.TextField(help_text="What an idea must meet to be on the ballot, one per line.")
    total = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))])
    max_award = models.DecimalField(
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("1"))],
        help_text="The most any one idea can receive. Leave blank for no limit.",
    )
    areas = models.ManyToManyField(
        Area, blank=True, related_name="funds", help_text="Areas or estates whose households may vote. None: all."
    )
    proposals_open = models.DateField()
    proposals_close = models.DateField()
    voting_open = models.DateField()
    voting_close = models.DateField()
    votes_per_household = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    published = models.BooleanField(default=False, help_text="Show this fund on the public pages.")
    # Seed 003: money for groups goes to recognised residents' associations.
    groups_must_be_recognised = models.BooleanField(
        default=True, help_text="Ideas from a residents' group are accepted only while the group is recognised."
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-voting_close", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="fund_slug_unique"),
            models.CheckConstraint(
                condition=models.Q(proposals_open__lte=models.F("proposals_close"))
                & models.Q(proposals_close__lte=models.F("voting_open"))
                & models.Q(voting_open__lte=models.F("voting_close")),
                name="fund_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def stage(self, today: datetime.date | None = None) -> str:
        day = today or timezone.localdate()
        if self.decided_at:
            return self.Stage.DECIDED
        if day < self.proposals_open:
            return self.Stage.DRAFT
        if day <= self.proposals_close:
            return self.Stage.PROPOSALS
        if day < self.voting_open:
            return self.Stage.CHECKING
        if day <= self.voting_close:
            return self.Stage.VOTING
        return self.Stage.COUNTING

    @property
    def stage_label(self) -> str:
        return str(self.Stage(self.stage()).label)

    @property
    def criteria_list(self) -> list[str]:
        return [line.strip() for line in self.criteria.splitlines() if line.strip()]


class Proposal(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Waiting to be checked"
        ELIGIBLE = "eligible", "On the ballot"
        INELIGIBLE = "ineligible", "Does not meet the criteria"
        FUNDED = "funded", "Funded"
        NOT_FUNDED = "not_funded", "Not funded"
        WITHDRAWN = "withdrawn", "Withdrawn"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(max_length=150)
    description = models.TextField()
    cost = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("1"))])
    area = models.ForeignKey(Area, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposals")
    proposed_by = models.ForeignKey(
        Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="fund_proposals"
    )
    proposed_by_group = models.ForeignKey(
        "groups.Group", null=True, blank=True, on_delete=models.SET_NULL, related_name="fund_proposals"
    )
    # Who put it forward as they want it shown: a resident's name, or a residents' association.
    proposer_name = models.CharField(max_length=200)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    check_notes = models.TextField(blank=True, help_text="Why it does or does not meet the criteria.")
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)
    submission_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["submitted_at", "id"]

    def __str__(self) -> str:
        return self.title


class ProposalUpdate(models.Model):
    """Progress on a funded idea, published with the results."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(default=timezone.localdate)
    text = models.TextField()
    complete = models.BooleanField(default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["date", "id"]


class Vote(models.Model):
    """One household's vote for one idea. A household has `votes_per_household` places on its
    ballot; the constraints make a second ballot from the same household impossible, even when
    two arrive at once."""

    class Method(models.TextChoices):
        ONLINE = "online", "Online"
        PAPER = "paper", "Paper ballot"
        IN_PERSON = "in_person", "In person"

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="votes")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    tenancy = models.ForeignKey(Tenancy, on_delete=models.CASCADE, related_name="fund_votes")
    place = models.PositiveSmallIntegerField(help_text="1 to the fund's votes per household.")
    resident = models.ForeignKey(Resident, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    method = models.CharField(max_length=20, choices=Method.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["fund", "tenancy", "place"], name="vote_one_per_place"),
            models.UniqueConstraint(fields=["fund", "tenancy", "proposal"], name="vote_once_per_idea"),
        ]
        indexes = [models.Index(fields=["proposal"], name="vote_proposal_idx")]
