"""Pages for participatory budgeting: staff run a fund; anyone reads a published one; a verified
household votes without an account; a signed-in resident puts an idea forward."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from budgeting import selectors, services
from budgeting.forms import (
    BallotForm,
    CheckForm,
    FundForm,
    HouseholdForm,
    PaperBallotForm,
    ProgressForm,
    ProposalForm,
    StaffProposalForm,
)
from budgeting.models import Fund, Vote
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public
from people.models import Tenancy

SECTION = "estate-funds"


# Staff ------------------------------------------------------------------------------------


@permission_required("fund.view")
def fund_list(request: HttpRequest) -> HttpResponse:
    funds = list(selectors.fund_list(user=request.user))
    return render(
        request,
        "budgeting/fund_list.html",
        {"funds": funds, "can_manage": has_permission(request.user, "fund.manage"), "active_section": SECTION},
    )


def _fund_form_page(request: HttpRequest, fund: Fund | None) -> HttpResponse:
    organisation = fund.organisation if fund else request.user.organisation  # type: ignore[union-attr]
    areas = selectors.fund_area_choices(organisation=organisation)
    initial = FundForm.initial_from(fund) if fund else {"votes_per_household": 1}
    form = FundForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "areas"}
        try:
            saved = services.fund_save(
                organisation=organisation,
                actor=request.user,
                values=values,
                areas=list(form.cleaned_data["areas"]),
                fund=fund,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{saved.name} saved.")
            return redirect("budgeting:fund-detail", pk=saved.pk)
    return render(request, "budgeting/fund_form.html", {"form": form, "fund": fund, "active_section": SECTION})


@permission_required("fund.manage")
def fund_create(request: HttpRequest) -> HttpResponse:
    return _fund_form_page(request, None)


@permission_required("fund.manage")
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _fund_form_page(request, selectors.fund_get(user=request.user, pk=pk))


@permission_required("fund.view")
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, pk=pk)
    return render(
        request,
        "budgeting/fund_detail.html",
        {
            "fund": fund,
            "stage": fund.stage(),
            "proposals": selectors.proposals_with_votes(fund=fund),
            "figures": selectors.fund_figures(fund=fund),
            "areas": list(fund.areas.all()),
            "can_manage": has_permission(request.user, "fund.manage"),
            "can_decide": has_permission(request.user, "fund.decide"),
            "active_section": SECTION,
        },
    )


@permission_required("fund.manage")
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, pk=pk)
    form = StaffProposalForm(
        request.POST or None,
        areas=selectors.fund_area_choices(organisation=fund.organisation),
        groups=selectors.group_choices(organisation=fund.organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(fund=fund, values=form.cleaned_data, resident=None, actor=request.user)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"“{proposal.title}” added.")
            return redirect("budgeting:fund-detail", pk=fund.pk)
    return render(request, "budgeting/proposal_form.html", {"form": form, "fund": fund, "active_section": SECTION})


@permission_required("fund.view")
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    return _proposal_page(request, proposal, CheckForm(), ProgressForm())


def _proposal_page(
    request: HttpRequest, proposal: Any, check_form: CheckForm, progress_form: ProgressForm
) -> HttpResponse:
    return render(
        request,
        "budgeting/proposal_detail.html",
        {
            "proposal": proposal,
            "fund": proposal.fund,
            "stage": proposal.fund.stage(),
            "updates": list(proposal.updates.all()),
            "check_form": check_form,
            "progress_form": progress_form,
            "can_manage": has_permission(request.user, "fund.manage"),
            "active_section": SECTION,
        },
    )


@require_POST
@permission_required("fund.manage")
def proposal_check(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form = CheckForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_check(
                proposal=proposal,
                eligible=form.cleaned_data["eligible"],
                notes=form.cleaned_data["notes"],
                actor=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Check recorded.")
            return redirect("budgeting:proposal-detail", pk=proposal.pk)
    return _proposal_page(request, proposal, form, ProgressForm())


@require_POST
@permission_required("fund.manage")
def proposal_progress(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = selectors.proposal_get(user=request.user, pk=pk)
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_record_progress(
                proposal=proposal,
                text=form.cleaned_data["text"],
                complete=form.cleaned_data["complete"],
                actor=request.user,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Progress recorded.")
            return redirect("budgeting:proposal-detail", pk=proposal.pk)
    return _proposal_page(request, proposal, CheckForm(), form)


@permission_required("fund.manage")
def paper_ballot(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, pk=pk)
    form = PaperBallotForm(request.POST or None, fund=fund, ballot=selectors.ballot(fund=fund))
    if request.method == "POST" and form.is_valid():
        tenancy = selectors.tenancy_by_reference(
            organisation=fund.organisation, reference=form.cleaned_data["tenancy_reference"]
        )
        if tenancy is None:
            form.add_error("tenancy_reference", "There is no tenancy with this reference.")
        else:
            try:
                services.ballot_cast(
                    fund=fund,
                    tenancy=tenancy,
                    proposals=form.chosen(),
                    method=form.cleaned_data["method"],
                    actor=request.user,
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"Ballot for tenancy {tenancy.reference} counted.")
                return redirect("budgeting:paper-ballot", pk=fund.pk)
    return render(request, "budgeting/paper_ballot.html", {"form": form, "fund": fund, "active_section": SECTION})


@require_POST
@permission_required("fund.decide")
def fund_decide(request: HttpRequest, pk: int) -> HttpResponse:
    fund = selectors.fund_get(user=request.user, pk=pk)
    try:
        funded = services.fund_decide(fund=fund, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Results decided: {len(funded)} idea{'s' if len(funded) != 1 else ''} funded.")
    return redirect("budgeting:fund-detail", pk=fund.pk)


# Public -----------------------------------------------------------------------------------


def _public_fund(slug: str, fund_slug: str) -> tuple[Organisation, Fund]:
    organisation = get_object_or_404(Organisation, slug=slug)
    return organisation, selectors.public_fund(organisation=organisation, slug=fund_slug)


def _session_key(fund: Fund) -> str:
    return f"fund-{fund.pk}-household"


@public
def public_fund_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(
        request,
        "budgeting/public_fund_list.html",
        {"organisation": organisation, "funds": list(selectors.public_funds(organisation=organisation))},
    )


@public
def public_fund(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    organisation, fund = _public_fund(slug, fund_slug)
    return render(
        request,
        "budgeting/public_fund.html",
        {
            "organisation": organisation,
            "fund": fund,
            "stage": fund.stage(),
            "proposals": selectors.proposals_with_votes(fund=fund, public=True),
            "figures": selectors.fund_figures(fund=fund) if fund.decided_at else None,
            "areas": list(fund.areas.all()),
            "can_propose": has_permission(request.user, "involvement.own"),
        },
    )


def _own_household(request: HttpRequest, fund: Fund) -> Tenancy | None:
    """A signed-in resident's own household, when it is in the fund's area."""
    if not has_permission(request.user, "involvement.own"):
        return None
    resident = selectors.resident_for_user(user=request.user, organisation=fund.organisation)
    if resident is None or resident.tenancy is None:
        return None
    return resident.tenancy if selectors.household_can_vote(fund=fund, tenancy=resident.tenancy) else None


@public
def vote_household(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    organisation, fund = _public_fund(slug, fund_slug)
    if fund.stage() != Fund.Stage.VOTING:
        return render(request, "budgeting/vote_closed.html", {"organisation": organisation, "fund": fund}, status=200)
    own = _own_household(request, fund)
    if own is not None:
        request.session[_session_key(fund)] = own.pk
        return redirect("budgeting:vote-ballot", slug=slug, fund_slug=fund_slug)
    form = HouseholdForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tenancy = services.household_verify(
                fund=fund, client=request.META.get("REMOTE_ADDR", ""), **form.cleaned_data
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            request.session[_session_key(fund)] = tenancy.pk
            return redirect("budgeting:vote-ballot", slug=slug, fund_slug=fund_slug)
    return render(request, "budgeting/vote_household.html", {"organisation": organisation, "fund": fund, "form": form})


@public
def vote_ballot(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    organisation, fund = _public_fund(slug, fund_slug)
    tenancy = selectors.tenancy_by_pk(organisation=fund.organisation, pk=request.session.get(_session_key(fund)))
    if tenancy is None or fund.stage() != Fund.Stage.VOTING:
        return redirect("budgeting:vote", slug=slug, fund_slug=fund_slug)
    if selectors.household_has_voted(fund=fund, tenancy=tenancy):
        return redirect("budgeting:vote-done", slug=slug, fund_slug=fund_slug)
    form = BallotForm(request.POST or None, fund=fund, ballot=selectors.ballot(fund=fund))
    if request.method == "POST" and form.is_valid():
        voter = selectors.resident_for_user(user=request.user, organisation=fund.organisation)
        voter = voter if voter is not None and voter.tenancy_id == tenancy.pk else None
        try:
            services.ballot_cast(
                fund=fund, tenancy=tenancy, proposals=form.chosen(), method=Vote.Method.ONLINE, resident=voter
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect("budgeting:vote-done", slug=slug, fund_slug=fund_slug)
    return render(
        request,
        "budgeting/vote_ballot.html",
        {"organisation": organisation, "fund": fund, "form": form, "ballot": list(selectors.ballot(fund=fund))},
    )


@public
def vote_done(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    organisation, fund = _public_fund(slug, fund_slug)
    tenancy = selectors.tenancy_by_pk(organisation=fund.organisation, pk=request.session.get(_session_key(fund)))
    voted = tenancy is not None and selectors.household_has_voted(fund=fund, tenancy=tenancy)
    return render(request, "budgeting/vote_done.html", {"organisation": organisation, "fund": fund, "voted": voted})


@permission_required("involvement.own")
def resident_propose(request: HttpRequest, slug: str, fund_slug: str) -> HttpResponse:
    organisation, fund = _public_fund(slug, fund_slug)
    resident = selectors.resident_for_user(user=request.user, organisation=organisation)
    form: ProposalForm | None = ProposalForm(
        request.POST or None, areas=selectors.fund_area_choices(organisation=organisation)
    )
    if resident is None:
        form = None
    elif request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_submit(
                fund=fund,
                values=form.cleaned_data,
                resident=resident,
                actor=request.user,
                submission_key=request.POST.get("submission_key") or None,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(
                request, f"Thank you. We have your idea “{proposal.title}” and will check it against the criteria."
            )
            return redirect("budgeting:public-fund", slug=slug, fund_slug=fund_slug)
    return render(
        request,
        "budgeting/resident_propose.html",
        {"organisation": organisation, "fund": fund, "form": form, "stage": fund.stage(), "submission_key": _new_key()},
    )


def _new_key() -> str:
    return secrets.token_urlsafe(24)
