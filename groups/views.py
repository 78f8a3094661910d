"""Pages for groups, recognition and meetings: staff (staff/groups/…), members (your-groups/…) and
the public (groups/…). Thin: permission, form, service or selector, template."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Role, User
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public, scope
from core.requests import user_organisation
from groups import forms as f
from groups import ical, selectors, services
from groups.models import Criterion, Group, GroupKind, Meeting, Venue
from people.models import Area


def _areas(user: Any) -> QuerySet[Area]:
    return scope(Area.objects.all(), user, "group.view").select_related("parent").order_by("level", "name")


def _staff(user: Any) -> QuerySet[User]:
    return User.objects.filter(
        organisation_id=user.organisation_id,
        is_active=True,
        role__in=[Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER],
    ).order_by("first_name", "last_name", "username")


def _venues(user: Any) -> list[Venue]:
    return list(scope(Venue.objects.all(), user, "group.view").order_by("name"))


def _download(file_field: Any, name: str) -> FileResponse:
    try:
        handle = file_field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=name)
    response["Cache-Control"] = "private, no-store"
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("active_section", "groups")
    return render(request, template, context)


# --- Staff: groups ----------------------------------------------------------------------------


@permission_required("group.view")
def group_list(request: HttpRequest) -> HttpResponse:
    areas = list(_areas(request.user).filter(level=Area.Level.AREA))
    form = f.GroupFilterForm(request.GET or None, areas=areas)
    filters = selectors.GroupFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        status = data.get("status") or Group.Status.ACTIVE
        filters = selectors.GroupFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            area=data.get("area"),
            status="" if status == "any" else status,
        )
    groups = list(selectors.group_list(user=request.user, filters=filters))
    return _page(
        request,
        "groups/group_list.html",
        {
            "form": form,
            "groups": groups,
            "publicity_due": selectors.meetings_needing_publicity(user=request.user),
            "can_manage": has_permission(request.user, "group.manage"),
        },
    )


def _group_form(request: HttpRequest, group: Group | None) -> f.GroupForm:
    return f.GroupForm(
        request.POST or None,
        instance=group,
        areas=_areas(request.user),
        groups=selectors.groups_for_choice(user=request.user, exclude=group),
        staff=_staff(request.user),
    )


def _group_values(form: f.GroupForm) -> dict[str, Any]:
    return {k: v for k, v in form.cleaned_data.items() if k in services.GROUP_FIELDS}


@permission_required("group.manage")
def group_create(request: HttpRequest) -> HttpResponse:
    form = _group_form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.group_create(
                organisation=user_organisation(request),
                actor=request.user,
                values=_group_values(form),
                other_type=form.cleaned_data.get("other_type", ""),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{group.name} added")
            return redirect("groups:group-detail", pk=group.pk)
    return _page(request, "groups/group_form.html", {"form": form, "group": None})


@permission_required("group.manage")
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    form = _group_form(request, group)
    if request.method == "POST" and form.is_valid():
        try:
            services.group_update(
                group=group,
                actor=request.user,
                values=_group_values(form),
                other_type=form.cleaned_data.get("other_type", ""),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Group details saved")
            return redirect("groups:group-detail", pk=group.pk)
    return _page(request, "groups/group_form.html", {"form": form, "group": group})


@permission_required("group.view")
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk)
    upcoming, past = selectors.group_meetings(group=group)
    settings = selectors.group_settings_for(group.organisation)
    publicity = {m.pk: selectors.publicity(m, settings=settings) for m in upcoming}
    return _page(
        request,
        "groups/group_detail.html",
        {
            "group": group,
            "members": selectors.open_members(group=group),
            "past_members": selectors.past_members(group=group),
            "upcoming": [(m, publicity[m.pk]) for m in upcoming],
            "past": past[:12],
            "documents": selectors.documents(group=group),
            "actions": selectors.open_actions(group=group),
            "elections": selectors.elections(group=group),
            "recognition": selectors.recognition_status(group),
            "halo_groups": list(group.halo_groups.all()),
            "group_feed_url": request.build_absolute_uri(
                reverse("groups:group-feed-secret", kwargs={"token": group.calendar_token})
            ),
            "can_manage": has_permission(request.user, "group.manage"),
            "can_meet": has_permission(request.user, "meeting.manage"),
        },
    )


@require_POST
@permission_required("group.manage")
def group_calendar_reset(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    services.group_calendar_reset(group=group, actor=request.user)
    messages.success(request, "The group has a new private calendar address. The old one no longer works.")
    return redirect("groups:group-detail", pk=group.pk)


@permission_required("group.manage")
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    search = f.ResidentSearchForm(request.GET or None)
    term = search.cleaned_data.get("find", "") if search.is_valid() else ""
    residents = list(selectors.resident_choices(user=request.user, q=term))
    posted = request.POST.get("resident")
    if posted and posted.isdigit() and all(str(r.pk) != posted for r in residents):
        chosen = selectors.resident_in_scope(user=request.user, pk=int(posted))
        if chosen is not None:
            residents.insert(0, chosen)
    form = f.MembershipAddForm(request.POST or None, residents=residents)
    if request.method == "POST" and form.is_valid():
        resident = selectors.resident_in_scope(user=request.user, pk=form.cleaned_data["resident"])
        if resident is None:
            form.add_error("resident", "Choose a resident of your own organisation")
        else:
            try:
                membership = services.membership_add(
                    group=group,
                    actor=request.user,
                    resident=resident,
                    role=form.cleaned_data["role"],
                    starts_on=form.cleaned_data["starts_on"],
                    term_ends_on=form.cleaned_data["term_ends_on"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"{resident.full_name} added as {membership.get_role_display().lower()}")
                return redirect("groups:group-detail", pk=group.pk)
    return _page(request, "groups/member_add.html", {"group": group, "form": form, "search": search, "term": term})


@permission_required("group.manage")
def member_edit(request: HttpRequest, pk: int, membership_pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    membership = selectors.membership_get(group=group, pk=membership_pk)
    form = f.MembershipEditForm(
        request.POST or None,
        initial={
            "role": membership.role,
            "starts_on": membership.starts_on.strftime("%Y-%m-%d"),
            "term_ends_on": membership.term_ends_on.strftime("%Y-%m-%d") if membership.term_ends_on else "",
            "ended_on": membership.ended_on.strftime("%Y-%m-%d") if membership.ended_on else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(membership=membership, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Membership of {membership.resident.full_name} saved")
            return redirect("groups:group-detail", pk=group.pk)
    return _page(request, "groups/member_edit.html", {"group": group, "membership": membership, "form": form})


@permission_required("group.manage")
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    form = f.DocumentForm(request.POST or None, request.FILES or None, initial={"is_public": True})
    if request.method == "POST" and form.is_valid():
        try:
            version = services.document_upload(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc, "file")
        else:
            messages.success(request, f"{version.document.title}: version {version.number} added")
            return redirect("groups:group-detail", pk=group.pk)
    return _page(
        request,
        "groups/document_upload.html",
        {"group": group, "form": form, "documents": selectors.documents(group=group)},
    )


@permission_required("group.view")
def document_download(request: HttpRequest, pk: int, version_pk: int) -> HttpResponseBase:
    group = selectors.group_get(user=request.user, pk=pk)
    version = selectors.document_version_get(group=group, pk=version_pk)
    return _download(version.file, version.original_name)


# --- Staff: elections -------------------------------------------------------------------------


@permission_required("group.manage")
def election_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    meetings = list(group.meetings.order_by("-starts_at")[:30])
    form = f.ElectionForm(request.POST or None, meetings=meetings)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        meeting = next((m for m in meetings if m.pk == data["meeting"]), None)
        try:
            election = services.election_create(
                group=group,
                actor=request.user,
                kind=data["kind"],
                held_on=data["held_on"],
                meeting=meeting,
                notes=data["notes"],
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Election added. Now add the positions and candidates.")
            return redirect("groups:election-detail", pk=election.pk)
    return _page(request, "groups/election_form.html", {"group": group, "form": form})


def _election_page(request: HttpRequest, election: Any, **forms: Any) -> HttpResponse:
    positions = list(election.positions.all())
    residents = list(selectors.resident_choices(user=request.user, q=request.GET.get("find", ""), limit=200))
    context = {
        "election": election,
        "group": election.group,
        "positions": positions,
        "position_form": forms.get("position_form") or f.PositionForm(),
        "candidate_form": forms.get("candidate_form")
        or f.CandidateForm(positions=[p for p in positions if not p.declared_at], residents=residents),
        "search": f.ResidentSearchForm(request.GET or None),
        "can_manage": has_permission(request.user, "group.manage"),
        "form": next(iter(forms.values()), None),
    }
    return _page(request, "groups/election_detail.html", context)


@permission_required("group.view")
def election_detail(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_get(user=request.user, pk=pk)
    return _election_page(request, election)


@require_POST
@permission_required("group.manage")
def election_position_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_get(user=request.user, pk=pk)
    form = f.PositionForm(request.POST)
    if form.is_valid():
        try:
            services.election_position_add(election=election, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Position added")
            return redirect("groups:election-detail", pk=election.pk)
    return _election_page(request, election, position_form=form)


@require_POST
@permission_required("group.manage")
def election_candidate_add(request: HttpRequest, pk: int) -> HttpResponse:
    election = selectors.election_get(user=request.user, pk=pk)
    positions = [p for p in election.positions.all() if not p.declared_at]
    posted = request.POST.get("resident", "")
    resident = selectors.resident_in_scope(user=request.user, pk=int(posted)) if posted.isdigit() else None
    form = f.CandidateForm(request.POST, positions=positions, residents=[resident] if resident else [])
    if form.is_valid() and resident is not None:
        position = next(p for p in positions if p.pk == form.cleaned_data["position"])
        try:
            services.candidate_add(position=position, actor=request.user, resident=resident)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{resident.full_name} is standing for {position}")
            return redirect("groups:election-detail", pk=election.pk)
    return _election_page(request, election, candidate_form=form)


@permission_required("group.manage")
def election_results(request: HttpRequest, pk: int, position_pk: int) -> HttpResponse:
    election = selectors.election_get(user=request.user, pk=pk)
    position = selectors.position_get(election=election, pk=position_pk)
    form = f.VotesForm(request.POST or None, position=position)
    if request.method == "POST" and form.is_valid():
        try:
            services.election_record_votes(
                position=position,
                actor=request.user,
                votes=form.votes(),
                tie_winners=form.cleaned_data.get("tie_winners") or [],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"Result for {position} recorded. Those elected have their role and term.")
            return redirect("groups:election-detail", pk=election.pk)
    return _page(
        request,
        "groups/election_results.html",
        {"election": election, "position": position, "form": form, "group": election.group},
    )


# --- Staff: recognition -----------------------------------------------------------------------


def _recognition_page(request: HttpRequest, group: Group, **extra: Any) -> HttpResponse:
    status = selectors.recognition_status(group)
    checklist = selectors.recognition_checklist(status.open_review)
    met = sum(1 for _, _, e in checklist if e is not None and e.meets)
    context = {
        "group": group,
        "status": status,
        "checklist": checklist,
        "met": met,
        "history": selectors.recognition_history(group=group),
        "decision_form": extra.get("decision_form") or f.DecisionForm(),
        "evidence_form": extra.get("evidence_form"),
        "can_manage": has_permission(request.user, "group.manage"),
        "can_decide": has_permission(request.user, "group.recognise"),
        "form": extra.get("decision_form"),
    }
    return _page(request, "groups/recognition.html", context)


@permission_required("group.view")
def recognition(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk)
    return _recognition_page(request, group)


@permission_required("group.manage")
def recognition_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.manage")
    criterion = request.POST.get("criterion") or request.GET.get("criterion", "")
    status = selectors.recognition_status(group)
    existing = next((e for c, _, e in selectors.recognition_checklist(status.open_review) if c == criterion), None)
    initial = {"criterion": criterion}
    if existing is not None:
        initial.update({"meets": str(existing.meets), "note": existing.note})
    form = f.EvidenceForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.recognition_evidence_record(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc, "note")
        else:
            messages.success(request, "Evidence saved")
            return redirect("groups:recognition", pk=group.pk)
    labels = dict(Criterion.choices)
    if criterion not in labels:
        raise Http404("No such criterion")
    return _page(
        request,
        "groups/recognition_evidence.html",
        {"group": group, "form": form, "criterion_label": labels[criterion], "existing": existing},
    )


@permission_required("group.view")
def recognition_evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> HttpResponseBase:
    group = selectors.group_get(user=request.user, pk=pk)
    evidence = selectors.evidence_get(group=group, pk=evidence_pk)
    return _download(evidence.file, evidence.original_name or "evidence")


@require_POST
@permission_required("group.recognise")
def recognition_decide(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="group.recognise")
    form = f.DecisionForm(request.POST)
    if form.is_valid():
        try:
            review = services.recognition_decide(group=group, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc, "decision")
        else:
            note = f" Renewal due {review.renewal_due:%-d %B %Y}." if review.renewal_due else ""
            messages.success(request, f"Decision recorded: {review.get_decision_display().lower()}.{note}")
            return redirect("groups:recognition", pk=group.pk)
    return _recognition_page(request, group, decision_form=form)


# --- Staff: settings and venues ---------------------------------------------------------------


@permission_required("group.manage")
def group_settings(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    current = selectors.group_settings_for(organisation)
    form = f.SettingsForm(
        request.POST or None,
        initial={
            "publicity_days": current.publicity_days,
            "publicity_in_working_days": str(current.publicity_in_working_days),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.group_settings_update(organisation=organisation, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Meeting publicity rule saved")
            return redirect("groups:group-list")
    return _page(request, "groups/settings.html", {"form": form})


@permission_required("group.view")
def venue_list(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "groups/venue_list.html",
        {"venues": _venues(request.user), "can_meet": has_permission(request.user, "meeting.manage")},
    )


@permission_required("meeting.manage")
def venue_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    venue = None
    if pk is not None:
        venue = scope(Venue.objects.all(), request.user, "meeting.manage").filter(pk=pk).first()
        if venue is None:
            raise Http404("No venue found")
    form = f.VenueForm(request.POST or None, instance=venue)
    if request.method == "POST" and form.is_valid():
        values = {k: form.cleaned_data[k] for k in services.VENUE_FIELDS}
        try:
            saved = services.venue_save(
                organisation=user_organisation(request),
                actor=request.user,
                values=values,
                venue=venue,
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{saved.name} saved")
            return redirect("groups:venue-list")
    return _page(request, "groups/venue_form.html", {"form": form, "venue": venue})


# --- Staff: meetings --------------------------------------------------------------------------


@permission_required("meeting.manage")
def meeting_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.group_get(user=request.user, pk=pk, action="meeting.manage")
    venues = _venues(request.user)
    form = f.MeetingForm(request.POST or None, venues=venues, initial={"kind": Meeting.Kind.ORDINARY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_schedule(
                group=group,
                actor=request.user,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=next((v for v in venues if v.pk == data["venue"]), None),
                online_link=data["online_link"],
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            notice = selectors.publicity(meeting)
            text = "Meeting scheduled."
            if notice.needs_warning:
                text += (
                    f" It is too late to publicise it {notice.rule} ahead: the last day was "
                    f"{notice.deadline:%-d %B %Y}. Publicise it as soon as you can."
                )
            else:
                text += f" Publicise it by {notice.deadline:%-d %B %Y}."
            messages.success(request, text)
            return redirect("groups:meeting-detail", pk=meeting.pk)
    settings = selectors.group_settings_for(group.organisation)
    return _page(
        request, "groups/meeting_form.html", {"group": group, "form": form, "meeting": None, "settings": settings}
    )


@permission_required("meeting.manage")
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    venues = _venues(request.user)
    local = timezone.localtime(meeting.starts_at)
    form = f.MeetingForm(
        request.POST or None,
        venues=venues,
        initial={
            "kind": meeting.kind,
            "date": local.strftime("%Y-%m-%d"),
            "start_time": local.strftime("%H:%M"),
            "end_time": timezone.localtime(meeting.ends_at).strftime("%H:%M"),
            "venue": meeting.venue_id,
            "online_link": meeting.online_link,
        },
    )
    if request.method == "POST" and "cancel_meeting" in request.POST:
        try:
            services.meeting_cancel(meeting=meeting, actor=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Meeting cancelled. Let the members know.")
        return redirect("groups:meeting-detail", pk=meeting.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.meeting_reschedule(
                meeting=meeting,
                actor=request.user,
                kind=data["kind"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                venue=next((v for v in venues if v.pk == data["venue"]), None),
                online_link=data["online_link"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Meeting details saved")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    settings = selectors.group_settings_for(meeting.group.organisation)
    return _page(
        request,
        "groups/meeting_form.html",
        {"group": meeting.group, "form": form, "meeting": meeting, "settings": settings},
    )


def _meeting_page(request: HttpRequest, meeting: Meeting, **forms: Any) -> HttpResponse:
    items = list(meeting.agenda_items.prefetch_related("papers"))
    group = meeting.group
    context = {
        "meeting": meeting,
        "group": group,
        "agenda": items,
        "papers": list(meeting.papers.select_related("agenda_item")),
        "publicity": selectors.publicity(meeting),
        "quorum": selectors.quorum(meeting),
        "attendance": selectors.attendance_rows(meeting=meeting),
        "decisions": list(meeting.decisions.all()),
        "actions": selectors.meeting_actions(meeting=meeting),
        "carried": selectors.carried_actions(meeting=meeting),
        "comments": selectors.comments(meeting=meeting),
        "elections": list(meeting.elections.all()),
        "agenda_form": forms.get("agenda_form") or f.AgendaItemForm(),
        "paper_form": forms.get("paper_form") or f.PaperForm(items=items),
        "decision_form": forms.get("decision_form") or f.DecisionAddForm(),
        "action_form": forms.get("action_form") or f.ActionAddForm(owners=selectors.owner_choices(group=group)),
        "can_meet": has_permission(request.user, "meeting.manage"),
        "has_started": meeting.has_started,
        # The form that failed, for the error summary and the page title.
        "form": next(iter(forms.values()), None),
    }
    return _page(request, "groups/meeting_detail.html", context)


@permission_required("group.view")
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _meeting_page(request, meeting)


@require_POST
@permission_required("meeting.manage")
def meeting_publicised(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    services.meeting_mark_publicised(meeting=meeting, actor=request.user)
    messages.success(request, "Recorded that the meeting was publicised today")
    return redirect("groups:meeting-detail", pk=meeting.pk)


@require_POST
@permission_required("meeting.manage")
def meeting_send_papers(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    try:
        sent = services.meeting_send_papers(meeting=meeting, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        if sent:
            messages.success(request, f"{sent} member{'s' if sent != 1 else ''} told the papers are ready")
        else:
            messages.success(request, "Every member has already been told about these papers")
    return redirect("groups:meeting-detail", pk=meeting.pk)


@require_POST
@permission_required("meeting.manage")
def agenda_item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    form = f.AgendaItemForm(request.POST)
    if form.is_valid():
        services.agenda_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        messages.success(request, "Agenda item added")
        return redirect("groups:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, agenda_form=form)


@require_POST
@permission_required("meeting.manage")
def paper_upload(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    items = list(meeting.agenda_items.all())
    form = f.PaperForm(request.POST, request.FILES, items=items)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_upload(
                meeting=meeting,
                actor=request.user,
                title=data["title"],
                file=data["file"],
                agenda_item=next((i for i in items if i.pk == data["agenda_item"]), None),
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc, "file")
        else:
            messages.success(request, "Paper added")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, paper_form=form)


@permission_required("group.view")
def paper_download(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponseBase:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    paper = selectors.paper_get(meeting=meeting, pk=paper_pk)
    return _download(paper.file, paper.original_name)


@permission_required("meeting.manage")
def attendance(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    rows = selectors.attendance_rows(meeting=meeting)
    form = f.AttendanceForm(request.POST or None, rows=rows, initial={"others_present": meeting.others_present})
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(
                meeting=meeting,
                actor=request.user,
                statuses=form.statuses(),
                others_present=form.cleaned_data["others_present"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            q = selectors.quorum(meeting)
            note = "The meeting was quorate." if q.met else f"The meeting was not quorate ({q.present} of {q.needed})."
            messages.success(request, f"Attendance saved. {note}" if meeting.has_started else "Apologies saved")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    return _page(request, "groups/attendance.html", {"meeting": meeting, "group": meeting.group, "form": form})


@permission_required("meeting.manage")
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    form = f.MinutesForm(request.POST or None, initial={"minutes": meeting.minutes, "summary": meeting.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_record(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc, "minutes")
        else:
            messages.success(request, "Minutes saved")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    return _page(
        request,
        "groups/minutes.html",
        {"meeting": meeting, "group": meeting.group, "form": form, "quorum": selectors.quorum(meeting)},
    )


@require_POST
@permission_required("meeting.manage")
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    form = f.DecisionAddForm(request.POST)
    if form.is_valid():
        try:
            services.decision_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc, "text")
        else:
            messages.success(request, "Decision recorded")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, decision_form=form)


@require_POST
@permission_required("meeting.manage")
def action_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk, action="meeting.manage")
    form = f.ActionAddForm(request.POST, owners=selectors.owner_choices(group=meeting.group))
    if form.is_valid():
        data = form.cleaned_data
        owner = data["owner"]
        owner_user = _staff(request.user).filter(pk=int(owner[1:])).first() if owner.startswith("u") else None
        owner_resident = (
            selectors.resident_in_scope(user=request.user, pk=int(owner[1:])) if owner.startswith("r") else None
        )
        try:
            services.action_add(
                meeting=meeting,
                actor=request.user,
                description=data["description"],
                due_on=data["due_on"],
                owner_user=owner_user,
                owner_resident=owner_resident,
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc, "description")
        else:
            messages.success(request, "Action added")
            return redirect("groups:meeting-detail", pk=meeting.pk)
    return _meeting_page(request, meeting, action_form=form)


@permission_required("meeting.manage")
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = selectors.action_get(user=request.user, pk=pk)
    form = f.ActionUpdateForm(
        request.POST or None,
        initial={
            "status": action.status,
            "progress_note": action.progress_note,
            "due_on": action.due_on.strftime("%Y-%m-%d"),
        },
    )
    back = request.GET.get("from", "")
    if request.method == "POST" and form.is_valid():
        services.action_update(action=action, actor=request.user, **form.cleaned_data)
        messages.success(request, "Action updated")
        if back.isdigit():
            return redirect("groups:meeting-detail", pk=int(back))
        return redirect("groups:meeting-detail", pk=action.meeting_id)
    return _page(
        request, "groups/action_edit.html", {"action": action, "group": action.group, "form": form, "back": back}
    )


@permission_required("group.view")
def meeting_pack(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _page(
        request,
        "groups/meeting_pack.html",
        {"meeting": meeting, "group": meeting.group, **selectors.meeting_pack(meeting=meeting)},
    )


# --- Members (involved residents) -------------------------------------------------------------


@permission_required("group.papers")
def my_groups(request: HttpRequest) -> HttpResponse:
    resident = selectors.resident_for(request.user)
    context: dict[str, Any] = {"resident": resident, "active_section": "your-groups"}
    if resident is not None:
        calendar = getattr(resident, "group_calendar", None)
        context.update(
            {
                "memberships": selectors.my_memberships(resident=resident),
                "meetings": list(selectors.my_meetings(resident=resident)[:20]),
                "calendar_url": request.build_absolute_uri(
                    reverse("groups:my-calendar", kwargs={"token": calendar.token})
                )
                if calendar is not None
                else "",
            }
        )
    return render(request, "groups/my_groups.html", context)


@require_POST
@permission_required("group.papers")
def my_calendar_link(request: HttpRequest) -> HttpResponse:
    resident = selectors.resident_for(request.user)
    if resident is None:
        raise Http404("Your account is not linked to a resident")
    services.personal_calendar_get_or_create(
        resident=resident, actor=request.user, reset=request.POST.get("reset") == "yes"
    )
    messages.success(
        request, "Your calendar address is ready. Keep it to yourself: anyone with it can see your meetings."
    )
    return redirect("groups:my-groups")


@permission_required("group.papers")
def my_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    resident, meeting = selectors.resident_meeting_get(user=request.user, pk=pk)
    papers = list(meeting.papers.select_related("agenda_item"))
    form = f.CommentForm(request.POST or None, papers=papers, initial={"paper": request.GET.get("paper")})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_comment_add(
                meeting=meeting,
                actor=request.user,
                text=data["text"],
                paper=next((p for p in papers if p.pk == data["paper"]), None),
                submission_key=data["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc, "text")
        else:
            messages.success(request, "Thank you. Your comment has been sent and will be shared at the meeting.")
            return redirect("groups:my-meeting", pk=meeting.pk)
    return render(
        request,
        "groups/my_meeting.html",
        {
            "resident": resident,
            "meeting": meeting,
            "group": meeting.group,
            "agenda": list(meeting.agenda_items.all()),
            "papers": papers,
            "form": form,
            "my_comments": selectors.my_comments(resident=resident, meeting=meeting),
            "active_section": "your-groups",
        },
    )


@permission_required("group.papers")
def my_paper(request: HttpRequest, pk: int, paper_pk: int) -> HttpResponseBase:
    _, meeting = selectors.resident_meeting_get(user=request.user, pk=pk)
    paper = selectors.paper_get(meeting=meeting, pk=paper_pk)
    return _download(paper.file, paper.original_name)


@public
def my_calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    resident = selectors.resident_by_calendar_token(token)
    meetings = selectors.feed_meetings_for_resident(resident)
    links = {m.pk: request.build_absolute_uri(reverse("groups:my-meeting", kwargs={"pk": m.pk})) for m in meetings}
    content = ical.feed(meetings, name="Your group meetings", host=request.get_host(), link_for=links)
    return ical.feed_response(content, filename="your-meetings.ics")


# --- Public -----------------------------------------------------------------------------------


@public
def public_group_list(request: HttpRequest) -> HttpResponse:
    groups = list(selectors.public_group_list())
    by_landlord: dict[str, list[Group]] = {}
    for group in groups:
        by_landlord.setdefault(group.organisation.name, []).append(group)
    return render(request, "groups/public_list.html", {"by_landlord": by_landlord.items(), "active_section": "groups"})


@public
def public_group(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.public_group_get(pk=pk)
    upcoming, past = selectors.public_meetings(group=group)
    return render(
        request,
        "groups/public_group.html",
        {
            "group": group,
            "members": selectors.public_members(group),
            "upcoming": upcoming,
            "past": past,
            "documents": selectors.documents(group=group, public_only=True),
            "recognised": selectors.is_recognised(group) if group.kind == GroupKind.TRA else None,
            "active_section": "groups",
        },
    )


@public
def public_document(request: HttpRequest, pk: int, version_pk: int) -> HttpResponseBase:
    group = selectors.public_group_get(pk=pk)
    version = selectors.document_version_get(group=group, pk=version_pk, public_only=True)
    return _download(version.file, version.original_name)


@public
def public_group_feed(request: HttpRequest, pk: int) -> HttpResponse:
    group = selectors.public_group_get(pk=pk)
    return _group_feed(request, group)


@public
def secret_group_feed(request: HttpRequest, token: str) -> HttpResponse:
    return _group_feed(request, selectors.group_by_calendar_token(token))


def _group_feed(request: HttpRequest, group: Group) -> HttpResponse:
    meetings = selectors.feed_meetings_for_group(group)
    links = {}
    if group.is_published:
        page = request.build_absolute_uri(reverse("groups:public-group", kwargs={"pk": group.pk}))
        links = {m.pk: page for m in meetings}
    content = ical.feed(meetings, name=f"{group.name} meetings", host=request.get_host(), link_for=links)
    return ical.feed_response(content, filename=f"group-{group.pk}.ics")
