"""Participatory budgeting: a fund's rules, ideas checked with reasons, one ballot per household,
results decided from the votes within the money, and the pages that go with them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import Role
from budgeting import selectors, services
from budgeting.models import Fund, Proposal, Vote
from budgeting.tests.factories import FundFactory, ProposalFactory, dates_for
from core.models import Message
from people.tests.factories import AreaFactory, HomeFactory, ResidentFactory, TenancyFactory


@pytest.fixture
def estate(org):
    return AreaFactory(organisation=org, name="Mill Estate")


def household(org, area, *, reference, postcode="OX1 1AA", last_name="Seacole"):
    home = HomeFactory(organisation=org, area=area, postcode=postcode)
    tenancy = TenancyFactory(organisation=org, home=home, reference=reference)
    ResidentFactory(organisation=org, tenancy=tenancy, last_name=last_name)
    return tenancy


def fund_values(**overrides):
    values = {
        "name": "Estate improvements 2027",
        "slug": "estate-improvements-2027",
        "summary": "Money residents decide on.",
        "criteria": "Benefits residents\nOne-off cost",
        "total": Decimal("65000"),
        "max_award": Decimal("3000"),
        "votes_per_household": 1,
        "published": True,
        "groups_must_be_recognised": True,
        **dates_for("proposals"),
    }
    values.update(overrides)
    return values


@pytest.mark.django_db
def test_a_fund_needs_dates_in_order_and_sensible_money(org, other_org, officer):
    fund = services.fund_save(organisation=org, actor=officer, values=fund_values())
    assert fund.stage() == Fund.Stage.PROPOSALS
    today = datetime.date.today()
    with pytest.raises(ValidationError, match="voting opens must be on or after"):
        services.fund_save(
            organisation=org,
            actor=officer,
            values=fund_values(slug="x", voting_open=today - datetime.timedelta(days=30)),
        )
    with pytest.raises(ValidationError, match="cannot be more than the whole fund"):
        services.fund_save(organisation=org, actor=officer, values=fund_values(slug="y", max_award=Decimal("70000")))
    with pytest.raises(ValidationError, match="your own landlord"):
        services.fund_save(
            organisation=org, actor=officer, values=fund_values(slug="z"), areas=[AreaFactory(organisation=other_org)]
        )
    with pytest.raises(ValidationError, match="already uses this web address"):
        services.fund_save(organisation=org, actor=officer, values=fund_values())
    assert Fund.objects.count() == 1


@pytest.mark.django_db
def test_money_and_voting_rules_are_fixed_once_voting_starts(org, officer):
    fund = FundFactory(organisation=org, stage="voting")
    values = {name: getattr(fund, name) for name in services.FUND_FIELDS}
    with pytest.raises(ValidationError, match="Voting has started"):
        services.fund_save(organisation=org, actor=officer, values={**values, "total": Decimal("9000")}, fund=fund)
    # Words can still be corrected.
    services.fund_save(organisation=org, actor=officer, values={**values, "summary": "Clearer words."}, fund=fund)
    fund.refresh_from_db()
    assert fund.summary == "Clearer words." and fund.total == Decimal("10000")


@pytest.mark.django_db
def test_residents_put_ideas_forward_once_and_are_told_the_outcome_with_reasons(org, officer, make_user, estate):
    fund = FundFactory(organisation=org, stage="proposals")
    user = make_user(Role.RESIDENT, username="mary")
    mary = ResidentFactory(organisation=org, user=user, contact_by_email=True, preferred_channel="email")
    values = {"title": "Benches", "description": "Two benches.", "cost": Decimal("1200"), "area": estate}
    first = services.proposal_submit(fund=fund, values=values, resident=mary, actor=user, submission_key="k1")
    again = services.proposal_submit(fund=fund, values=values, resident=mary, actor=user, submission_key="k1")
    assert first.pk == again.pk and first.proposer_name == mary.full_name
    with pytest.raises(ValidationError, match="most one idea can receive"):
        services.proposal_submit(fund=fund, values={**values, "cost": Decimal("3500")}, resident=mary, actor=user)
    someone = ResidentFactory(organisation=org)
    with pytest.raises(PermissionDenied):
        services.proposal_submit(fund=fund, values=values, resident=someone, actor=user)

    with pytest.raises(ValidationError, match="Say which criteria"):
        services.proposal_check(proposal=first, eligible=False, notes=" ", actor=officer)
    services.proposal_check(proposal=first, eligible=False, notes="Benches are already planned there.", actor=officer)
    first.refresh_from_db()
    assert first.status == Proposal.Status.INELIGIBLE
    message = Message.objects.get(template="fund_idea_checked")
    assert message.to == mary.email and "Benches are already planned there." in message.body


@pytest.mark.django_db
def test_ideas_are_only_taken_while_the_fund_is_open_for_them(org, officer):
    fund = FundFactory(organisation=org, stage="voting")
    with pytest.raises(ValidationError, match="takes ideas from"):
        services.proposal_submit(
            fund=fund,
            values={"title": "Late", "description": "x", "cost": Decimal("10"), "proposer_name": "A"},
            resident=None,
            actor=officer,
        )


@pytest.mark.django_db
def test_each_household_votes_once_online_or_on_paper(org, officer, estate):
    fund = FundFactory(organisation=org, stage="voting")
    fund.areas.set([estate])
    idea, other = ProposalFactory(fund=fund), ProposalFactory(fund=fund)
    home = household(org, estate, reference="T100")
    ResidentFactory(organisation=org, tenancy=home, last_name="Seacole")  # a second person in the household

    services.ballot_cast(fund=fund, tenancy=home, proposals=[idea], method=Vote.Method.ONLINE)
    with pytest.raises(ValidationError, match="already voted"):
        services.ballot_cast(fund=fund, tenancy=home, proposals=[other], method=Vote.Method.ONLINE)
    with pytest.raises(ValidationError, match="already voted"):
        services.ballot_cast(fund=fund, tenancy=home, proposals=[other], method=Vote.Method.PAPER, actor=officer)
    assert Vote.objects.filter(fund=fund).count() == 1

    with pytest.raises(ValidationError, match="Choose up to 1 idea"):
        services.ballot_cast(
            fund=fund, tenancy=household(org, estate, reference="T101"), proposals=[idea, other], method="online"
        )
    elsewhere = household(org, AreaFactory(organisation=org, name="Elsewhere"), reference="T102")
    with pytest.raises(ValidationError, match="not in the area"):
        services.ballot_cast(fund=fund, tenancy=elsewhere, proposals=[idea], method=Vote.Method.ONLINE)
    not_on_ballot = ProposalFactory(fund=fund, status=Proposal.Status.INELIGIBLE)
    with pytest.raises(ValidationError, match="on this ballot"):
        services.ballot_cast(
            fund=fund, tenancy=household(org, estate, reference="T103"), proposals=[not_on_ballot], method="online"
        )
    with pytest.raises(PermissionDenied):
        services.ballot_cast(
            fund=fund, tenancy=household(org, estate, reference="T104"), proposals=[idea], method=Vote.Method.PAPER
        )
    assert Vote.objects.filter(fund=fund).count() == 1


@pytest.mark.django_db
def test_a_household_is_found_only_when_all_three_details_match(org, estate):
    fund = FundFactory(organisation=org, stage="voting")
    fund.areas.set([estate])
    home = household(org, estate, reference="TEN/0042", postcode="OX4 2BB", last_name="Okafor")
    find = selectors.household_find
    assert find(fund=fund, tenancy_reference="ten/0042", postcode="ox42bb", last_name="OKAFOR") == home
    assert find(fund=fund, tenancy_reference="TEN/0042", postcode="OX4 2BC", last_name="Okafor") is None
    assert find(fund=fund, tenancy_reference="TEN/0042", postcode="OX4 2BB", last_name="Smith") is None
    assert find(fund=fund, tenancy_reference="TEN/0043", postcode="OX4 2BB", last_name="Okafor") is None


@pytest.mark.django_db
def test_results_fund_the_most_voted_ideas_while_the_money_lasts(org, officer, manager, estate):
    fund = FundFactory(organisation=org, stage="voting", total=Decimal("5000"), max_award=None)
    proposer = ResidentFactory(organisation=org, contact_by_email=True, preferred_channel="email")
    a = ProposalFactory(fund=fund, title="A", cost=Decimal("3000"), proposed_by=proposer)
    b = ProposalFactory(fund=fund, title="B", cost=Decimal("3000"))
    c = ProposalFactory(fund=fund, title="C", cost=Decimal("1500"))
    ProposalFactory(fund=fund, title="D", cost=Decimal("500"))
    for n, idea in enumerate([a] * 5 + [b] * 4 + [c] * 3):
        services.ballot_cast(
            fund=fund, tenancy=household(org, estate, reference=f"T{n}"), proposals=[idea], method="online"
        )
    with pytest.raises(ValidationError, match="once voting has closed"):
        services.fund_decide(fund=fund, actor=manager)
    after_close = fund.voting_close + datetime.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.fund_decide(fund=fund, actor=officer, today=after_close)

    funded = services.fund_decide(fund=fund, actor=manager, today=after_close)
    assert [p.title for p in funded] == ["A", "C"]
    statuses = dict(Proposal.objects.filter(fund=fund).values_list("title", "status"))
    assert statuses == {"A": "funded", "B": "not_funded", "C": "funded", "D": "not_funded"}
    b.refresh_from_db()
    assert "only £2,000.00 was left" in b.decision_note
    assert selectors.fund_figures(fund=fund).committed == Decimal("4500")
    assert Message.objects.filter(template="fund_idea_decided", to=proposer.email).exists()
    with pytest.raises(ValidationError, match="already been decided"):
        services.fund_decide(fund=fund, actor=manager, today=after_close)


@pytest.mark.django_db
def test_progress_is_recorded_for_funded_ideas_only(org, officer):
    fund = FundFactory(organisation=org, stage="counting")
    idea = ProposalFactory(fund=fund)
    with pytest.raises(ValidationError, match="funded ideas"):
        services.proposal_record_progress(proposal=idea, text="Started", complete=False, actor=officer)
    idea.status = Proposal.Status.FUNDED
    idea.save()
    update = services.proposal_record_progress(proposal=idea, text="Benches in place", complete=True, actor=officer)
    assert update.complete and update.recorded_by == officer


# Pages ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_household_votes_from_the_public_pages_without_an_account(client, org, estate):
    fund = FundFactory(organisation=org, stage="voting")
    fund.areas.set([estate])
    idea = ProposalFactory(fund=fund, title="Community garden")
    household(org, estate, reference="T777", postcode="OX1 1AA", last_name="Seacole")
    vote_url = reverse("budgeting:vote", args=[org.slug, fund.slug])

    response = client.post(vote_url, {"tenancy_reference": "T777", "postcode": "OX1 1AA", "last_name": "Nobody"})
    assert "could not find a household" in response.content.decode()
    response = client.post(vote_url, {"tenancy_reference": "t777", "postcode": "ox11aa", "last_name": "seacole"})
    ballot_url = reverse("budgeting:vote-ballot", args=[org.slug, fund.slug])
    assert response.status_code == 302 and response["Location"] == ballot_url
    assert "Community garden" in client.get(ballot_url).content.decode()
    response = client.post(ballot_url, {"proposals": idea.pk})
    assert response.status_code == 302
    client.post(ballot_url, {"proposals": idea.pk})  # the button pressed twice
    assert Vote.objects.filter(fund=fund).count() == 1
    done = client.get(reverse("budgeting:vote-done", args=[org.slug, fund.slug])).content.decode()
    assert "vote has been counted" in done


@pytest.mark.django_db
def test_guessing_households_is_stopped_after_ten_tries(client, org, estate):
    fund = FundFactory(organisation=org, stage="voting")
    household(org, estate, reference="T1", last_name="Seacole")
    vote_url = reverse("budgeting:vote", args=[org.slug, fund.slug])
    for n in range(10):
        client.post(vote_url, {"tenancy_reference": f"T9{n}", "postcode": "OX1 1AA", "last_name": "Seacole"})
    response = client.post(vote_url, {"tenancy_reference": "T1", "postcode": "OX1 1AA", "last_name": "Seacole"})
    assert "Too many attempts" in response.content.decode()


@pytest.mark.django_db
def test_public_page_shows_checked_ideas_and_votes_only_after_the_result(client, org):
    fund = FundFactory(organisation=org, stage="voting")
    ProposalFactory(fund=fund, title="On the ballot")
    ProposalFactory(fund=fund, title="Still being checked", status=Proposal.Status.SUBMITTED)
    page = client.get(reverse("budgeting:public-fund", args=[org.slug, fund.slug])).content.decode()
    assert "On the ballot" in page and "Still being checked" not in page and "Votes</th>" not in page
    hidden = FundFactory(organisation=org, published=False)
    assert client.get(reverse("budgeting:public-fund", args=[org.slug, hidden.slug])).status_code == 404


@pytest.mark.django_db
def test_staff_see_only_their_own_landlords_funds(client, org, other_org, make_user):
    theirs = FundFactory(organisation=other_org)
    mine = FundFactory(organisation=org)
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER, username="o1"))
    listing = client.get(reverse("budgeting:fund-list")).content.decode()
    assert mine.name in listing and theirs.name not in listing
    assert client.get(reverse("budgeting:fund-detail", args=[theirs.pk])).status_code == 404


@pytest.mark.django_db
def test_the_fund_page_makes_a_fixed_number_of_queries(client, org, officer, estate, django_assert_max_num_queries):
    fund = FundFactory(organisation=org, stage="voting")
    fund.areas.set([estate])
    for n in range(15):
        idea = ProposalFactory(fund=fund)
        services.ballot_cast(
            fund=fund, tenancy=household(org, estate, reference=f"Q{n}"), proposals=[idea], method="online"
        )
    client.force_login(officer)
    with django_assert_max_num_queries(14):
        assert client.get(reverse("budgeting:fund-detail", args=[fund.pk])).status_code == 200


@pytest.mark.django_db
def test_ideas_from_residents_groups_need_the_group_to_be_recognised(org, officer, manager):
    from groups.models import RecognitionReview
    from groups.tests.factories import GroupFactory

    fund = FundFactory(organisation=org, stage="proposals")
    association = GroupFactory(organisation=org, name="Mill Estate TRA")
    values = {
        "title": "Planters",
        "description": "Planters by the shops.",
        "cost": Decimal("800"),
        "group": association,
    }
    with pytest.raises(ValidationError, match="not a recognised residents' group"):
        services.proposal_submit(fund=fund, values=values, resident=None, actor=officer)
    RecognitionReview.objects.create(
        group=association,
        decision=RecognitionReview.Decision.RECOGNISED,
        decided_on=datetime.date.today(),
        decided_by=manager,
        renewal_due=datetime.date.today() + datetime.timedelta(days=365),
    )
    idea = services.proposal_submit(fund=fund, values=values, resident=None, actor=officer)
    assert idea.proposed_by_group == association and idea.proposer_name == "Mill Estate TRA"
