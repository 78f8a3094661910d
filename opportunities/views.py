"""Pages for the menu of involvement, opportunities, invitations and time given. Thin: permission,
form, service or selector, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public
from core.requests import site_url, user_organisation

from . import selectors, services
from .forms import (
    AnswerForm,
    AttendanceForm,
    MatchInviteForm,
    MenuItemForm,
    OpportunityForm,
    PublicMenuFilterForm,
    SettingsForm,
    TimeEntryForm,
)
from .models import Invitation, MenuItem, MenuLevel, Opportunity

MATCH_LIMITS = (25, 50, 100, 200)


def _posted(request: HttpRequest) -> Any:
    """The submitted data, or None for a GET (an empty POST is still a submission to check)."""
    return request.POST if request.method == "POST" else None


# Menu of involvement (staff) -----------------------------------------------------------------


@permission_required("opportunity.view")
def menu_list(request: HttpRequest) -> HttpResponse:
    items = list(selectors.menu_for_staff(user=request.user))
    from .presets import LEVEL_ORDER

    items.sort(key=lambda i: (LEVEL_ORDER.get(i.level, 99), i.position, i.name))
    return render(
        request,
        "opportunities/menu_list.html",
        {
            "items": items,
            "can_manage": has_permission(request.user, "menu.manage"),
            "organisation": request.user.organisation,  # type: ignore[union-attr]
            "active_section": "involvement",
        },
    )


@require_POST
@permission_required("menu.manage")
def menu_load_presets(request: HttpRequest) -> HttpResponse:
    added = services.menu_load_presets(organisation=user_organisation(request), actor=request.user)
    if added:
        messages.success(request, f"Added {added} ways to get involved from the standard menu")
    else:
        messages.info(request, "You already have every way from the standard menu, so nothing was added")
    return redirect("opportunities:menu-list")


@permission_required("menu.manage")
def menu_item_add(request: HttpRequest) -> HttpResponse:
    form = MenuItemForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            item = services.menu_item_create(
                organisation=user_organisation(request), actor=request.user, values=form.cleaned_data
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Added {item.name}")
            return redirect("opportunities:menu-list")
    return render(
        request, "opportunities/menu_item_form.html", {"form": form, "item": None, "active_section": "involvement"}
    )


@permission_required("menu.manage")
def menu_item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.menu_item_get(user=request.user, pk=pk)
    form = MenuItemForm(_posted(request), instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.menu_item_update(item=item, actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Saved {item.name}")
            return redirect("opportunities:menu-list")
    return render(
        request, "opportunities/menu_item_form.html", {"form": form, "item": item, "active_section": "involvement"}
    )


# Menu of involvement (public) ----------------------------------------------------------------


@public
def public_menu(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.public_organisation(slug=slug)
    form = PublicMenuFilterForm(request.GET or None)
    filters = selectors.MenuFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        filters = selectors.MenuFilters(
            no_meetings=data["meetings"] == "no", time=data["time"] or "", level=data["level"] or ""
        )
    items = selectors.public_menu(organisation=organisation, filters=filters)
    levels = [(value, label, [i for i in items if i.level == value]) for value, label in MenuLevel.choices]
    return render(
        request,
        "opportunities/public_menu.html",
        {
            "organisation": organisation,
            "form": form,
            "levels": [row for row in levels if row[2]],
            "count": len(items),
            "filtered": filters != selectors.MenuFilters(),
            "active_section": "get-involved",
        },
    )


# Opportunities (staff) -----------------------------------------------------------------------


@permission_required("opportunity.view")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    opportunities = list(selectors.opportunity_list(user=request.user, when=when)[:200])
    return render(
        request,
        "opportunities/opportunity_list.html",
        {
            "opportunities": opportunities,
            "when": when,
            "can_manage": has_permission(request.user, "opportunity.manage"),
            "active_section": "involvement",
        },
    )


def _relations(form: OpportunityForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "interests": data["interests"],
        "areas": data["areas"],
        "training": data["training_required"],
        "formats": data["format_support"],
    }


@permission_required("opportunity.manage")
def opportunity_add(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    initial = {}
    menu_pk = request.GET.get("menu")
    if menu_pk and menu_pk.isdigit():
        initial["menu_item"] = MenuItem.objects.filter(organisation=organisation, pk=int(menu_pk)).first()
    form = OpportunityForm(_posted(request), initial=initial, organisation_id=organisation.pk, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            opportunity = services.opportunity_create(
                organisation=organisation, actor=request.user, values=form.service_values(), **_relations(form)
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{opportunity.title} is saved. Now choose who to invite.")
            return redirect("opportunities:opportunity-detail", pk=opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_form.html",
        {"form": form, "opportunity": None, "active_section": "involvement"},
    )


@permission_required("opportunity.manage")
def opportunity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk, action="opportunity.manage")
    form = OpportunityForm(
        _posted(request), instance=opportunity, organisation_id=opportunity.organisation_id, creating=False
    )
    was_open = opportunity.status != opportunity.Status.CANCELLED
    if request.method == "POST" and form.is_valid():
        try:
            services.opportunity_update(
                opportunity=opportunity,
                actor=request.user,
                values=form.service_values(),
                site_url=site_url(request),
                **_relations(form),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            if was_open and opportunity.status == opportunity.Status.CANCELLED:
                messages.success(request, "Opportunity cancelled. Everyone still expecting it has been told.")
            else:
                messages.success(request, "Changes saved")
            return redirect("opportunities:opportunity-detail", pk=opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_form.html",
        {"form": form, "opportunity": opportunity, "active_section": "involvement"},
    )


@permission_required("opportunity.view")
def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk)
    invitations = selectors.invitations_for(opportunity=opportunity)
    counts = dict.fromkeys(Invitation.Status.values, 0)
    for invitation in invitations:
        counts[invitation.status] += 1
    return render(
        request,
        "opportunities/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "invitations": invitations,
            "counts": counts,
            "places_left": max(0, opportunity.capacity - counts[Invitation.Status.ACCEPTED]),
            "can_manage": has_permission(request.user, "opportunity.manage"),
            "is_open": opportunity.is_accepting_answers(),
            "has_started": opportunity.starts_at <= _now(),
            "active_section": "involvement",
        },
    )


def _now() -> Any:
    from django.utils import timezone

    return timezone.now()


@permission_required("opportunity.manage")
def opportunity_matches(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk, action="opportunity.manage")
    try:
        limit = int(request.GET.get("show", "50"))
    except ValueError:
        limit = 50
    limit = limit if limit in MATCH_LIMITS else 50
    result = selectors.match_residents(user=request.user, opportunity=opportunity, limit=limit)
    shown = {m.resident.pk: m for m in result.matches}
    form = MatchInviteForm(_posted(request), ids=list(shown))
    if request.method == "POST":
        if form.is_valid():
            chosen = [shown[pk] for pk in form.cleaned_data["residents"]]
            try:
                sent = services.invitation_send(
                    opportunity=opportunity,
                    residents=[m.resident for m in chosen],
                    actor=request.user,
                    site_url=site_url(request),
                    scores={m.resident.pk: (m.score, m.reasons) for m in chosen},
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"Invited {len(sent)} {'person' if len(sent) == 1 else 'people'}")
                return redirect("opportunities:opportunity-detail", pk=opportunity.pk)
        elif not shown:
            form.errors.clear()
            form.add_error(None, "The people shown have changed. Choose again.")
    return render(
        request,
        "opportunities/opportunity_matches.html",
        {
            "opportunity": opportunity,
            "result": result,
            "form": form,
            "limit": limit,
            "limits": MATCH_LIMITS,
            "is_open": opportunity.is_accepting_answers(),
            "active_section": "involvement",
        },
    )


@permission_required("opportunity.manage")
def opportunity_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_get(user=request.user, pk=pk, action="opportunity.manage")
    coming = [i for i in selectors.invitations_for(opportunity=opportunity) if i.status == Invitation.Status.ACCEPTED]
    form = AttendanceForm(_posted(request), invitations=coming, default_hours=opportunity.hours)
    if request.method == "POST" and form.is_valid():
        try:
            came = services.attendance_record(opportunity=opportunity, actor=request.user, attendance=form.attendance())
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Attendance saved: {came} came")
            return redirect("opportunities:opportunity-detail", pk=opportunity.pk)
    return render(
        request,
        "opportunities/opportunity_attendance.html",
        {
            "opportunity": opportunity,
            "form": form,
            "rows": form.bound_rows(),
            "has_started": opportunity.starts_at <= _now(),
            "active_section": "involvement",
        },
    )


@permission_required("opportunity.manage")
def invitation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    if request.method == "POST":
        services.invitation_remove(invitation=invitation, actor=request.user, site_url=site_url(request))
        messages.success(request, f"{invitation.resident.full_name} has been removed")
        return redirect("opportunities:opportunity-detail", pk=invitation.opportunity_id)
    return render(
        request,
        "opportunities/invitation_remove.html",
        {"invitation": invitation, "active_section": "involvement"},
    )


@require_POST
@permission_required("opportunity.manage")
def invitation_send_again(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_get(user=request.user, pk=pk)
    services.invitation_send_again(invitation=invitation, actor=request.user, site_url=site_url(request))
    messages.success(request, f"Sent the invitation to {invitation.resident.full_name} again, with a new link")
    return redirect("opportunities:opportunity-detail", pk=invitation.opportunity_id)


# Time given and settings (staff) -------------------------------------------------------------


@permission_required("opportunity.view")
def time_given(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opportunities/time_given.html",
        {
            "rows": selectors.time_given_list(user=request.user),
            "settings": selectors.settings_for(organisation_id=request.user.organisation_id),  # type: ignore[union-attr]
            "can_manage": has_permission(request.user, "opportunity.manage"),
            "active_section": "involvement",
        },
    )


@permission_required("opportunity.manage")
def time_add(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    form = TimeEntryForm(_posted(request), organisation_id=organisation.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = selectors.resident_by_reference(user=request.user, reference=data["person_ref"])
        if resident is None:
            form.add_error("person_ref", f"There is no resident with person reference {data['person_ref']}")
        else:
            try:
                services.time_record(
                    resident=resident,
                    actor=request.user,
                    hours=data["hours"],
                    date=data["date"],
                    description=data["description"],
                    menu_item=data["menu_item"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"Recorded {data['hours'].normalize()} hours for {resident.full_name}")
                return redirect("opportunities:time-given")
    return render(request, "opportunities/time_add.html", {"form": form, "active_section": "involvement"})


@permission_required("opportunity.manage")
def settings_edit(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    current = selectors.settings_for(organisation_id=organisation.pk)
    form = SettingsForm(
        _posted(request),
        initial={
            "rest_days": current.rest_days,
            "max_recent_invitations": current.max_recent_invitations,
            "award_hours": ", ".join(str(h) for h in current.award_hours),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_update(organisation=organisation, actor=request.user, values=form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved")
            return redirect("opportunities:time-given")
    return render(request, "opportunities/settings.html", {"form": form, "active_section": "involvement"})


# Answering an invitation (public, no account) ------------------------------------------------


@public
def invitation_answer(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This link does not work")
    form = AnswerForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_answer(
                token=token, accept=form.cleaned_data["answer"] == "yes", site_url=site_url(request)
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect("opportunities:invitation-answer", token=token)
    opportunity: Opportunity = invitation.opportunity
    response = render(
        request,
        "opportunities/invitation_answer.html",
        {
            "invitation": invitation,
            "opportunity": opportunity,
            "organisation": opportunity.organisation,
            "support": list(opportunity.format_support.all()),
            "training": list(opportunity.training_required.all()),
            "form": form,
            "is_open": opportunity.is_accepting_answers(),
            "can_cancel": opportunity.is_accepting_cancellations(),
            "token": token,
        },
    )
    # The page is personal and its address is secret: keep it out of shared caches and search
    # engines. (The site's Referrer-Policy, same-origin, already keeps the address from other sites;
    # no-referrer would make browsers send "Origin: null", which fails the CSRF check.)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# A signed-in resident's own involvement ------------------------------------------------------


@permission_required("involvement.own")
def own_involvement(request: HttpRequest) -> HttpResponse:
    own = selectors.own_involvement(user=request.user)
    return render(request, "opportunities/own_involvement.html", {"own": own, "active_section": "involvement"})
