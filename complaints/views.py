"""Pages for concerns and complaints. Thin: permission, form, service or selector, template.
Staff pages under staff/complaints/, a resident's own cases under your-cases/, the oversight
panel's quarterly report under your-groups/, and the published figures under complaints/."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Organisation, User
from complaints import forms as f
from complaints import letters, selectors, services
from complaints.code import REQUIREMENTS, SECTIONS
from complaints.models import Case, CaseAttachment, CodeAssessment, LetterTemplate, Procedure, Stage
from complaints.presets import PRESETS
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public, scope
from core.requests import user_organisation
from performance.selectors import financial_year_start

SECTION = "complaints"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        f"complaints/{template}",
        {
            "can_manage": has_permission(request.user, "complaints.manage"),
            **context,
            "active_section": SECTION,
        },
    )


def _download(attachment: CaseAttachment) -> FileResponse:
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing") from None
    response = FileResponse(handle, as_attachment=True, filename=attachment.original_name)
    response["Cache-Control"] = "private, no-store"
    return response


def _years(today: datetime.date) -> list[int]:
    current = financial_year_start(today)
    return list(range(current, current - 6, -1))


def _handlers(organisation: Organisation) -> list[User]:
    return [
        u
        for u in User.objects.filter(organisation=organisation, is_active=True).order_by("first_name", "username")
        if has_permission(u, "complaints.handle")
    ]


# --- Staff: what is due, the register --------------------------------------------------------------


@permission_required("complaints.view")
def overview(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return _page(
        request,
        "overview.html",
        {
            "lists": selectors.due_lists(user=request.user, today=today),
            "not_sent": selectors.letters_not_sent(user=request.user),
            "today": today,
            "can_handle": has_permission(request.user, "complaints.handle"),
            "can_manage": has_permission(request.user, "complaints.manage"),
        },
    )


@permission_required("complaints.view")
def case_list(request: HttpRequest) -> HttpResponse:
    form = f.CaseFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    cases = selectors.case_list(user=request.user, **{k: v for k, v in filters.items() if v})
    from django.core.paginator import Paginator

    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return _page(request, "case_list.html", {"form": form, "page": page, "query": query.urlencode()})


@permission_required("complaints.handle")
def case_create(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    procedures = list(scope(Procedure.objects.all(), request.user, "complaints.handle").order_by("name"))
    form = f.CaseReceiveForm(request.POST or None, request.FILES or None, procedures=procedures)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        resident = None
        if data["resident_reference"]:
            from people.models import Resident

            resident = Resident.objects.filter(
                organisation=organisation, person_ref__iexact=data["resident_reference"].strip()
            ).first()
            if resident is None:
                form.add_error("resident_reference", "There is no resident with that person reference")
        if form.is_valid():
            try:
                case = services.case_receive(
                    organisation=organisation,
                    actor=request.user,
                    kind=data["kind"],
                    summary=data["summary"],
                    received_at=form.received_at(),
                    channel=data["channel"],
                    procedure=next((p for p in procedures if p.pk == data["procedure"]), None),
                    resident=resident,
                    representative=data["representative"],
                    issue_date=data["issue_date"],
                    service_area=data["service_area"],
                    category=data["category"],
                    wanted_outcome=data["wanted_outcome"],
                    accepted_late_reason=data["accepted_late_reason"],
                    attachments=data["attachments"],
                    submission_key=data["submission_key"],
                )
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"{case.get_kind_display()} recorded. Its reference is {case.reference}.")
                return redirect("complaints:case-detail", pk=case.pk)
    return _page(request, "case_form.html", {"form": form})


@permission_required("complaints.view")
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk)
    stages = selectors.case_stages(case)
    current = stages[-1] if stages else None
    can_handle = has_permission(request.user, "complaints.handle")
    return _page(
        request,
        "case_detail.html",
        {
            "case": case,
            "stages": stages,
            "current": current,
            "routes": selectors.escalation_routes(case),
            "events": list(case.events.select_related("actor")),
            "letters": selectors.case_messages(case),
            "attachments": list(case.attachments.all()),
            "can_handle": can_handle,
            "assign_form": f.AssignForm(initial={"handler": case.handler_id}, people=_handlers(case.organisation))
            if can_handle
            else None,
            "today": timezone.localdate(),
        },
    )


def _case_action(
    request: HttpRequest,
    pk: int,
    form_class: type,
    title: str,
    run: Any,
    done: str,
    form_kwargs: Any = None,
    intro: str = "",
) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, action="complaints.handle")
    kwargs = form_kwargs(case) if form_kwargs else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            run(case, form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("complaints:case-detail", pk=case.pk)
    return _page(
        request,
        "action_form.html",
        {"case": case, "form": form, "title": title, "intro": intro, "current": case.current_stage},
    )


@permission_required("complaints.handle")
def case_extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        f.ExtendForm,
        "Extend the response date",
        lambda case, d: services.case_extend(
            case=case, actor=request.user, working_days=d["working_days"], reason=d["reason"]
        ),
        "Response date extended. The resident has been written to with the reason and the new date.",
        intro="The resident is told in writing, with the reason and the new date. Under the Complaint Handling "
        "Code this must be before the original deadline.",
    )


@permission_required("complaints.handle")
def case_respond(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        f.RespondForm,
        "Record the response",
        lambda case, d: services.case_respond(
            case=case,
            actor=request.user,
            outcome=d["outcome"],
            reasons=d["reasons"],
            remedy=d["remedy"],
            compensation=d["compensation"],
        ),
        "Response recorded and the letter sent to the resident.",
        intro="The resident is sent the decision, the reasons, what will be done and how to take it further.",
    )


def _routes(case: Case) -> dict[str, Any]:
    return {"routes": selectors.escalation_routes(case)}


def _route(case: Case, pk: int) -> Stage | None:
    return next((s for s in selectors.escalation_routes(case) if s.pk == pk), None)


@permission_required("complaints.handle")
def case_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        f.EscalateForm,
        "Escalate at the resident's request",
        lambda case, d: services.case_escalate(
            case=case, actor=request.user, to=_route(case, d["to"]), reason=d["reason"]
        ),
        "Escalated. The resident has been told what happens next.",
        form_kwargs=_routes,
    )


@permission_required("complaints.handle")
def case_refer(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        f.ReferForm,
        "Refer the case",
        lambda case, d: services.case_refer(case=case, actor=request.user, to=d["to"], note=d["note"]),
        "Referral recorded.",
    )


@permission_required("complaints.handle")
def case_dissatisfied(request: HttpRequest, pk: int) -> HttpResponse:
    return _case_action(
        request,
        pk,
        f.DissatisfactionForm,
        "Record that the resident is dissatisfied",
        lambda case, d: services.case_record_dissatisfaction(case=case, actor=request.user, details=d["details"]),
        "Recorded. The Head of Service has been told.",
        intro="The Head of Service is told straight away.",
    )


@permission_required("complaints.handle")
def case_learning(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, action="complaints.handle")
    form = f.LearningForm(request.POST or None, initial={"learning": case.learning, "publish": case.learning_published})
    if request.method == "POST" and form.is_valid():
        try:
            services.case_record_learning(
                case=case,
                actor=request.user,
                learning=form.cleaned_data["learning"],
                publish=form.cleaned_data["publish"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Learning saved.")
            return redirect("complaints:case-detail", pk=case.pk)
    return _page(
        request, "action_form.html", {"case": case, "form": form, "title": "What will change", "current": None}
    )


@require_POST
@permission_required("complaints.handle")
def case_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, action="complaints.handle")
    try:
        services.case_acknowledge(case=case, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, "Acknowledged. The resident has been told who is looking into it and when to expect an answer."
        )
    return redirect("complaints:case-detail", pk=case.pk)


@require_POST
@permission_required("complaints.handle")
def case_close(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, action="complaints.handle")
    try:
        services.case_close(case=case, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Case closed.")
    return redirect("complaints:case-detail", pk=case.pk)


@require_POST
@permission_required("complaints.handle")
def case_assign(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.case_get(user=request.user, pk=pk, action="complaints.handle")
    people = _handlers(case.organisation)
    form = f.AssignForm(request.POST, people=people)
    if form.is_valid():
        try:
            services.case_assign(
                case=case,
                actor=request.user,
                handler=next((u for u in people if u.pk == form.cleaned_data["handler"]), None),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Handler saved.")
    else:
        messages.error(request, "Choose someone who handles complaints")
    return redirect("complaints:case-detail", pk=case.pk)


@permission_required("complaints.view")
def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = get_object_or_404(scope(CaseAttachment.objects.all(), request.user, "complaints.view"), pk=pk)
    return _download(item)


# --- Staff: procedures, letters, settings ----------------------------------------------------------


@permission_required("complaints.view")
def procedure_list(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    if request.method == "POST":
        if not has_permission(request.user, "complaints.manage"):
            raise PermissionDenied
        try:
            procedure = services.procedure_load_preset(
                organisation=organisation, actor=request.user, preset=request.POST.get("preset", "")
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"{procedure.name} is ready to use. Check each stage's handler and timescales.")
        return redirect("complaints:procedures")
    return _page(
        request,
        "procedures.html",
        {
            "procedures": selectors.procedures(user=request.user),
            "presets": PRESETS,
            "can_manage": has_permission(request.user, "complaints.manage"),
        },
    )


@permission_required("complaints.manage")
def stage_edit(request: HttpRequest, pk: int) -> HttpResponse:
    stage = get_object_or_404(
        Stage.objects.select_related("procedure"),
        pk=pk,
        procedure__in=scope(Procedure.objects.all(), request.user, "complaints.manage"),
    )
    from groups.models import Group

    groups = list(Group.objects.filter(organisation_id=stage.procedure.organisation_id).order_by("name"))
    initial = {name: getattr(stage, name) for name in services.STAGE_FIELDS if name != "handler_group"}
    initial["handler_group"] = stage.handler_group_id
    form = f.StageForm(request.POST or None, initial=initial, groups=groups)
    if request.method == "POST" and form.is_valid():
        values = dict(form.cleaned_data)
        values["handler_group"] = next((g for g in groups if g.pk == values["handler_group"]), None)
        try:
            services.stage_update(stage=stage, actor=request.user, values=values)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, f"{stage.name} saved. Stages already under way keep their dates.")
            return redirect("complaints:procedures")
    return _page(request, "stage_form.html", {"stage": stage, "form": form})


@permission_required("complaints.manage")
def letter_list(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    own = {t.kind: t for t in LetterTemplate.objects.filter(organisation=organisation)}
    rows = [(kind, label, kind in own) for kind, label in LetterTemplate.Kind.choices]
    return _page(request, "letters.html", {"rows": rows})


@permission_required("complaints.manage")
def letter_edit(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in LetterTemplate.Kind.values:
        raise Http404
    organisation = user_organisation(request)
    subject, body = letters.template_for(organisation.pk, kind)
    form = f.LetterTemplateForm(request.POST or None, initial={"subject": subject, "body": body})
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(organisation=organisation, actor=request.user, kind=kind, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Letter saved. It is used for letters sent from now on.")
            return redirect("complaints:letters")
    return _page(
        request,
        "letter_form.html",
        {"form": form, "label": LetterTemplate.Kind(kind).label, "placeholders": letters.PLACEHOLDERS},
    )


@permission_required("complaints.manage")
def settings_edit(request: HttpRequest) -> HttpResponse:
    from groups.models import Group

    organisation = user_organisation(request)
    current = selectors.settings_for(organisation)
    people = [
        u
        for u in User.objects.filter(organisation=organisation, is_active=True).order_by("first_name")
        if has_permission(u, "complaints.view")
    ]
    groups = list(Group.objects.filter(organisation=organisation).order_by("name"))
    form = f.SettingsForm(
        request.POST or None,
        initial={
            "head_of_service": current.head_of_service_id,
            "oversight_group": current.oversight_group_id,
            "remind_days_before": current.remind_days_before,
            "ombudsman_details": current.ombudsman_details,
        },
        people=people,
        groups=groups,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.settings_update(
                organisation=organisation,
                actor=request.user,
                head_of_service=next((u for u in people if u.pk == d["head_of_service"]), None),
                oversight_group=next((g for g in groups if g.pk == d["oversight_group"]), None),
                remind_days_before=d["remind_days_before"],
                ombudsman_details=d["ombudsman_details"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Settings saved.")
            return redirect("complaints:overview")
    return _page(request, "settings.html", {"form": form})


# --- Reports ---------------------------------------------------------------------------------------


def _year(request: HttpRequest) -> tuple[f.YearForm, int]:
    years = _years(timezone.localdate())
    form = f.YearForm(request.GET or None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_valid() else years[0]
    return form, year


@permission_required("complaints.view")
def annual_report(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    form, year = _year(request)
    return _page(
        request,
        "annual_report.html",
        {"form": form, "year": year, "report": selectors.annual_report(organisation=organisation, year_starting=year)},
    )


def _quarter(request: HttpRequest) -> tuple[f.QuarterForm, int, int]:
    today = timezone.localdate()
    years = _years(today)
    current_quarter = ((today.month - 4) % 12) // 3 + 1
    form = f.QuarterForm(request.GET or None, years=years, initial={"year": years[0], "quarter": current_quarter})
    if form.is_valid():
        return form, form.cleaned_data["year"], form.cleaned_data["quarter"]
    return form, years[0], current_quarter


def _panel_context(request: HttpRequest, organisation: Any) -> dict[str, Any]:
    form, year, quarter = _quarter(request)
    report = selectors.concerns_report(organisation=organisation, year_starting=year, quarter=quarter)
    return {
        "form": form,
        "report": report,
        "rows": selectors.concerns_list(organisation=organisation, start=report.start, end=report.end),
        "quarter": dict(form.fields["quarter"].choices)[quarter],  # type: ignore[attr-defined]
        "year": year,
    }


@permission_required("complaints.view")
def panel_report(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    context = _panel_context(request, organisation)
    context["oversight"] = selectors.settings_for(organisation).oversight_group
    return _page(request, "panel_report.html", {**context, "staff": True})


@permission_required("group.papers")
def my_panel_report(request: HttpRequest) -> HttpResponse:
    """The oversight panel's members read the quarterly report of concerns (no personal details)."""
    from groups.models import Membership
    from groups.selectors import resident_for

    organisation = user_organisation(request)
    oversight = selectors.settings_for(organisation).oversight_group
    if not has_permission(request.user, "complaints.view"):
        resident = resident_for(request.user)
        if resident is None:
            raise Http404("Your account is not linked to a resident")
        if oversight is None or not Membership.objects.open().filter(group=oversight, resident=resident).exists():
            raise PermissionDenied("This report is for members of the panel that oversees concerns about the compact.")
    context = _panel_context(request, organisation)
    return render(request, "complaints/panel_report.html", {**context, "oversight": oversight, "staff": False})


@permission_required("complaints.manage")
def self_assessment(request: HttpRequest) -> HttpResponse:
    organisation = user_organisation(request)
    years = _years(timezone.localdate())
    try:
        year = int(request.GET.get("year", years[0]))
    except ValueError:
        year = years[0]
    if year not in years:
        year = years[0]
    assessment = CodeAssessment.objects.filter(organisation=organisation, year_starting=year).first()
    initial: dict[str, Any] = {}
    if assessment is not None:
        initial = {"approved_on": assessment.approved_on, "governing_body_response": assessment.governing_body_response}
        for item in assessment.items.all():
            initial |= {
                f"meets_{item.requirement}": item.meets,
                f"evidence_{item.requirement}": item.evidence,
                f"action_{item.requirement}": item.action,
            }
    form = f.AssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(
                organisation=organisation,
                actor=request.user,
                year_starting=year,
                items=form.items(),
                approved_on=form.cleaned_data["approved_on"],
                governing_body_response=form.cleaned_data["governing_body_response"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Self-assessment saved.")
            return redirect(f"{request.path}?year={year}")
    evidence = selectors.code_evidence(organisation=organisation, year_starting=year)
    sections = [
        (section, [(r, form[f"meets_{r.code}"], form[f"evidence_{r.code}"], form[f"action_{r.code}"], evidence.get(r.evidence, ""))
                   for r in REQUIREMENTS if r.section == section])
        for section in SECTIONS
    ]  # fmt: skip
    return _page(
        request,
        "self_assessment.html",
        {"form": form, "sections": sections, "year": year, "years": years},
    )


# --- Residents ---------------------------------------------------------------------------------------


def _own_resident(request: HttpRequest) -> Any:
    from groups.selectors import resident_for

    resident = resident_for(request.user)
    if resident is None:
        raise Http404("Your account is not linked to a resident")
    return resident


@permission_required("complaints.own")
def own_list(request: HttpRequest) -> HttpResponse:
    from groups.selectors import resident_for

    resident = resident_for(request.user)
    cases = list(selectors.own_cases(resident=resident).prefetch_related("stages__stage")) if resident else []
    return render(
        request, "complaints/own_list.html", {"resident": resident, "cases": cases, "active_section": "your-cases"}
    )


@permission_required("complaints.own")
def own_create(request: HttpRequest) -> HttpResponse:
    _own_resident(request)
    form = f.RaiseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            case = services.case_raise(
                actor=request.user,
                kind=d["kind"],
                summary=d["summary"],
                wanted_outcome=d["wanted_outcome"],
                issue_date=d["issue_date"],
                service_area=d["service_area"],
                attachments=d["attachments"],
                submission_key=d["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            return redirect("complaints:own-received", pk=case.pk)
    return render(request, "complaints/own_form.html", {"form": form})


@permission_required("complaints.own")
def own_received(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.own_case_get(resident=_own_resident(request), pk=pk)
    return render(request, "complaints/own_received.html", {"case": case, "stage": case.current_stage})


@permission_required("complaints.own")
def own_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.own_case_get(resident=_own_resident(request), pk=pk)
    letters_sent = [
        m for m in selectors.case_messages(case) if m.recipient_type and m.recipient_type.model == "resident"
    ]
    return render(
        request,
        "complaints/own_detail.html",
        {
            "case": case,
            "stages": selectors.case_stages(case),
            "routes": [s for s in selectors.escalation_routes(case) if not s.external],
            "letters": letters_sent,
            "attachments": list(case.attachments.all()),
        },
    )


@permission_required("complaints.own")
def own_escalate(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.own_case_get(resident=_own_resident(request), pk=pk)
    routes = [s for s in selectors.escalation_routes(case) if not s.external]
    if not routes:
        messages.error(request, "This cannot be taken further at the moment.")
        return redirect("complaints:own-detail", pk=case.pk)
    form = f.ResidentEscalateForm(request.POST or None, routes=routes)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_request_escalation(
                case=case,
                actor=request.user,
                to=next((s for s in routes if s.pk == form.cleaned_data["to"]), None),
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "We have your request. We will write to you to say who is looking at it again.")
            return redirect("complaints:own-detail", pk=case.pk)
    return render(request, "complaints/own_escalate.html", {"case": case, "form": form, "routes": routes})


@permission_required("complaints.own")
def own_attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    resident = _own_resident(request)
    item = get_object_or_404(CaseAttachment, pk=pk, case__resident=resident, organisation_id=resident.organisation_id)
    return _download(item)


# --- Public ----------------------------------------------------------------------------------------


@public
def public_report(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    years = _years(timezone.localdate())
    form = f.YearForm(request.GET or None, years=years, initial={"year": years[0]})
    year = form.cleaned_data["year"] if form.is_valid() else years[0]
    return render(
        request,
        "complaints/public_report.html",
        {
            "organisation": organisation,
            "form": form,
            "year": year,
            "report": selectors.annual_report(organisation=organisation, year_starting=year),
        },
    )
