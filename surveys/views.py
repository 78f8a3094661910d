"""Pages for consultations and surveys. Thin: permission, form, service or selector, template.
Staff pages under staff/surveys/, answering from a personal link under surveys/answer/ (no
account), a signed-in resident's invitations under your-surveys/, and published summaries under
consultations/."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from accounts.models import Organisation
from core.forms import show_service_errors
from core.permissions import has_permission, permission_required, public, scope
from core.requests import site_url, user_organisation
from surveys import forms as f
from surveys import selectors, services
from surveys.models import Answer, Question, Response, Survey

SECTION = "surveys"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return render(
        request,
        f"surveys/{template}",
        {"can_manage": has_permission(request.user, "survey.manage"), **context, "active_section": SECTION},
    )


# --- Staff: building -------------------------------------------------------------------------------


@permission_required("survey.manage")
def poll_create(request: HttpRequest) -> HttpResponse:
    form = f.PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            poll = services.poll_create(organisation=user_organisation(request), actor=request.user,
                                        question=d["question"], options=d["options"].splitlines(),
                                        closes_on=d["closes_on"], submission_key=d["submission_key"])  # fmt: skip
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Poll ready. Now choose who to send it to.")
            return redirect("surveys:survey-invite", pk=poll.pk)
    return _page(request, "poll_form.html", {"form": form})


@public
@csrf_exempt  # called by GOV.UK Notify, which authenticates with a bearer token instead
@require_POST
def texts_received(request: HttpRequest) -> HttpResponse:
    """GOV.UK Notify's callback for a text message received: a reply to a quick poll. Every text is
    recorded; the answer counted when it can be. Off (404) unless NOTIFY_INBOUND_TOKEN is set."""
    import datetime
    import hmac
    import json

    from django.conf import settings
    from django.http import JsonResponse

    expected = settings.NOTIFY_INBOUND_TOKEN
    if not expected:
        raise Http404
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not hmac.compare_digest(given.encode(), expected.encode()):
        return JsonResponse({"error": "bad token"}, status=403)
    try:
        data = json.loads(request.body)
        received = datetime.datetime.fromisoformat(str(data.get("date_received", "")).replace("Z", "+00:00"))
        provider_id, number, body = str(data["id"]), str(data["source_number"]), str(data.get("message", ""))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "expected id, source_number, message and date_received"}, status=400)
    if received.tzinfo is None:
        received = received.replace(tzinfo=datetime.UTC)
    text = services.poll_text_received(provider_id=provider_id, from_number=number, body=body, received_at=received)
    return JsonResponse({"outcome": text.outcome})


@permission_required("survey.view")
def survey_list(request: HttpRequest) -> HttpResponse:
    return _page(request, "survey_list.html", {"surveys": selectors.survey_list(user=request.user)})


@permission_required("survey.manage")
def survey_create(request: HttpRequest) -> HttpResponse:
    form = f.SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            survey = services.survey_create(
                organisation=user_organisation(request),
                actor=request.user,
                title=d["title"],
                purpose=d["purpose"],
                kind=d["kind"],
                anonymous=d["anonymous"],
                opens_on=d["opens_on"],
                closes_on=d["closes_on"],
                submission_key=d["submission_key"],
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Survey created. Now add its questions.")
            return redirect("surveys:survey-detail", pk=survey.pk)
    return _page(request, "survey_form.html", {"form": form})


@permission_required("survey.view")
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    draft = services.draft_of(survey)
    shown = draft or survey.live_version
    sections = list(shown.sections.prefetch_related("questions")) if shown else []
    return _page(
        request,
        "survey_detail.html",
        {
            "survey": survey,
            "draft": draft,
            "sections": sections,
            "progress": selectors.progress(survey=survey),
            "texts": survey.texts.select_related("response")[:50] if survey.kind == Survey.Kind.POLL else [],
            "focus_groups": selectors.focus_groups(survey=survey),
        },
    )


@permission_required("survey.manage")
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    form = f.SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_add(survey=survey, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Page added.")
            return redirect("surveys:survey-detail", pk=survey.pk)
    return _page(request, "simple_form.html", {"survey": survey, "form": form, "title": "Add a page"})


@permission_required("survey.manage")
def question_create(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    draft = services.draft_of(survey)
    if draft is None:
        messages.error(request, "Start a new version to change the questions of a live survey.")
        return redirect("surveys:survey-detail", pk=survey.pk)
    sections = list(draft.sections.all())
    earlier = list(draft.questions.select_related("section"))
    form = f.QuestionForm(request.POST or None, sections=sections, earlier=earlier,
                          initial={"section": request.GET.get("page") or (sections[-1].pk if sections else None)})  # fmt: skip
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.question_add(
                survey=survey,
                actor=request.user,
                section=next(s for s in sections if s.pk == d["section"]),
                kind=d["kind"],
                text=d["text"],
                hint=d["hint"],
                required=d["required"],
                options=form.lines(d["options"]),
                rows=form.lines(d["rows"]),
                show_if_code=d["show_if_code"],
                show_if_values=form.lines(d["show_if_values"]),
            )
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Question added.")
            return redirect("surveys:survey-detail", pk=survey.pk)
    return _page(request, "question_form.html", {"survey": survey, "form": form})


@require_POST
@permission_required("survey.manage")
def question_remove(request: HttpRequest, pk: int) -> HttpResponse:
    question = get_object_or_404(
        Question.objects.select_related("version__survey"),
        pk=pk,
        version__survey__in=scope(Survey.objects.all(), request.user, "survey.manage"),
    )
    try:
        services.question_remove(question=question, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, "Question removed.")
    return redirect("surveys:survey-detail", pk=question.version.survey_id)


def _post_action(request: HttpRequest, pk: int, run: Any, done: str) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    try:
        run(survey)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("surveys:survey-detail", pk=survey.pk)


@require_POST
@permission_required("survey.manage")
def survey_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda s: services.survey_publish(survey=s, actor=request.user),
        "Published: it is open for answers.",
    )


@require_POST
@permission_required("survey.manage")
def survey_new_version(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(
        request,
        pk,
        lambda s: services.version_draft(survey=s, actor=request.user),
        "A new version is ready to edit. Answers already given keep the questions they answered.",
    )


@require_POST
@permission_required("survey.manage")
def survey_close(request: HttpRequest, pk: int) -> HttpResponse:
    return _post_action(request, pk, lambda s: services.survey_close(survey=s, actor=request.user), "Closed.")


@permission_required("survey.view")
def survey_preview(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    version = services.draft_of(survey) or survey.live_version
    sections = list(version.sections.prefetch_related("questions")) if version else []
    pages = [(s, f.AnswerForm(questions=list(s.questions.all()), prefix=f"p{s.pk}")) for s in sections]
    return _page(request, "preview.html", {"survey": survey, "pages": pages})


# --- Staff: reaching people and entering answers ------------------------------------------------------


def _audience_form(request: HttpRequest, survey: Survey) -> f.AudienceForm:
    from groups.models import Group
    from people.models import Area, Interest, Tenure

    return f.AudienceForm(
        request.POST or None,
        areas=list(Area.objects.filter(organisation=survey.organisation, parent__isnull=True).order_by("name")),
        tenures=list(Tenure.choices),
        interests=list(Interest.objects.order_by("label")),
        groups=list(Group.objects.filter(organisation=survey.organisation).order_by("name")),
    )


def _audience(data: dict[str, Any], survey: Survey) -> services.Audience:
    return services.Audience(
        area_ids=data["areas"],
        tenures=data["tenures"],
        interest_ids=data["interests"],
        group_id=data["group"],
        armchair_only=data["armchair_only"],
        sample=data["sample"],
        seed=survey.pk,
    )


@permission_required("survey.manage")
def survey_invite(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    form = _audience_form(request, survey)
    matching = None
    if request.method == "POST" and form.is_valid():
        audience = _audience(form.cleaned_data, survey)
        if "send" in request.POST:
            try:
                sent = services.invitations_send(survey=survey, actor=request.user, audience=audience,
                                                 site_url=site_url(request))  # fmt: skip
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, f"Invited {sent:,} resident{'s' if sent != 1 else ''}.")
                return redirect("surveys:survey-detail", pk=survey.pk)
        count = services.audience_residents(survey=survey, audience=audience).count()
        matching = min(count, audience.sample) if audience.sample else count
    return _page(request, "invite.html", {"survey": survey, "form": form, "matching": matching})


@require_POST
@permission_required("survey.manage")
def survey_remind(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    try:
        sent = services.invitations_remind(survey=survey, actor=request.user, site_url=site_url(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Reminded {sent:,} resident{'s' if sent != 1 else ''} who had not answered.")
    return redirect("surveys:survey-detail", pk=survey.pk)


@permission_required("survey.manage")
def response_enter(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    version = survey.live_version
    if version is None:
        messages.error(request, "Publish the survey first.")
        return redirect("surveys:survey-detail", pk=survey.pk)
    questions = list(version.questions.select_related("section"))
    entry = f.EntryForm(request.POST or None)
    answers = f.AnswerForm(request.POST or None, questions=questions)
    if request.method == "POST" and entry.is_valid() and answers.is_valid():
        resident = None
        reference = entry.cleaned_data["resident_reference"].strip()
        if reference:
            from people.models import Resident

            resident = Resident.objects.filter(organisation=survey.organisation, person_ref__iexact=reference).first()
            if resident is None:
                entry.add_error("resident_reference", "There is no resident with that person reference")
        if entry.is_valid():
            try:
                services.response_enter(
                    survey=survey,
                    actor=request.user,
                    method=entry.cleaned_data["method"],
                    values=answers.values(),
                    resident=resident,
                    submission_key=entry.cleaned_data["submission_key"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    codes = {q.code for q in questions}
                    answers.show_errors({k: v for k, v in exc.message_dict.items() if k in codes})
                    show_service_errors(
                        entry, ValidationError({k: v for k, v in exc.message_dict.items() if k not in codes})
                    )
                else:
                    show_service_errors(entry, exc)
            else:
                messages.success(request, "Answers saved. You can type in the next form.")
                return redirect("surveys:response-enter", pk=survey.pk)
    return _page(request, "enter.html", {"survey": survey, "entry": entry, "answers": answers})


# --- Staff: results ------------------------------------------------------------------------------------


@permission_required("survey.manage")
def focus_group_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Link a focus group (an involvement opportunity of this landlord) to the consultation it informs."""
    from opportunities.models import Opportunity

    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    choices = list(
        Opportunity.objects.filter(organisation=survey.organisation, focus_group__isnull=True)
        .order_by("-starts_at")
        .only("pk", "title", "starts_at")[:50]
    )
    form = f.FocusGroupLinkForm(request.POST or None, opportunities=choices)
    if request.method == "POST" and form.is_valid():
        chosen = next(o for o in choices if o.pk == form.cleaned_data["opportunity"])
        try:
            focus_group = services.focus_group_link(survey=survey, actor=request.user, opportunity=chosen)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Focus group linked. Add its notes and themes after it meets.")
            return redirect("surveys:focus-group", pk=focus_group.pk)
    return _page(request, "focus_group_link.html", {"survey": survey, "form": form, "choices": choices})


@permission_required("survey.view")
def focus_group(request: HttpRequest, pk: int) -> HttpResponse:
    from surveys.models import FocusGroup

    found = get_object_or_404(FocusGroup.objects.select_related("survey", "opportunity"), pk=pk)
    survey = selectors.survey_get(user=request.user, pk=found.survey_id)
    can_edit = has_permission(request.user, "survey.manage")
    form = f.FocusGroupNotesForm(
        request.POST or None,
        initial={"notes": found.notes, "themes": "\n".join(t.name for t in found.themes.all())},
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied  # may read the page, not change it
        if form.is_valid():
            try:
                services.focus_group_record(focus_group=found, actor=request.user, notes=form.cleaned_data["notes"],
                                            themes=form.cleaned_data["themes"].splitlines())  # fmt: skip
            except ValidationError as exc:
                show_service_errors(form, exc)
            else:
                messages.success(request, "Notes and themes saved.")
                return redirect("surveys:survey-detail", pk=survey.pk)
    group = selectors.focus_groups(survey=survey).get(pk=found.pk)
    return _page(request, "focus_group.html", {"survey": survey, "focus_group": group, "form": form,
                                               "can_edit": can_edit})  # fmt: skip


@permission_required("survey.view")
def survey_results(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    options = selectors.cross_options(survey=survey, user=request.user)
    by = request.GET.get("by", "")
    by = by if by in options else ""
    return _page(
        request,
        "results.html",
        {
            "survey": survey,
            "results": selectors.results(survey=survey, by=by),
            "progress": selectors.progress(survey=survey),
            "options": options,
            "by_label": options.get(by, ""),
            "themes": selectors.theme_counts(survey=survey),
        },
    )


@permission_required("survey.view")
def results_csv(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    response = HttpResponse(selectors.export_csv(survey=survey), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.csv"'
    return response


@permission_required("survey.view")
def results_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk)
    response = HttpResponse(
        selectors.export_xlsx(survey=survey),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-responses.xlsx"'
    return response


@require_POST
@permission_required("survey.manage")
def answer_themes(request: HttpRequest, pk: int) -> HttpResponse:
    answer = get_object_or_404(
        Answer.objects.select_related("response__survey"),
        pk=pk,
        survey__in=scope(Survey.objects.all(), request.user, "survey.manage"),
    )
    form = f.ThemeForm(request.POST)
    if form.is_valid():
        try:
            services.answer_tag(answer=answer, actor=request.user, themes=form.cleaned_data["themes"].splitlines())
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Themes saved.")
    return redirect("surveys:survey-results", pk=answer.survey_id)


@permission_required("survey.manage")
def summary_edit(request: HttpRequest, pk: int) -> HttpResponse:
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    form = f.SummaryForm(request.POST or None, initial={"summary": survey.summary})
    if request.method == "POST" and form.is_valid():
        try:
            services.summary_publish(survey=survey, actor=request.user, summary=form.cleaned_data["summary"])
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Summary published.")
            return redirect("surveys:survey-detail", pk=survey.pk)
    return _page(request, "simple_form.html", {"survey": survey, "form": form, "title": "Publish what you heard"})


@permission_required("survey.manage")
def changes(request: HttpRequest, pk: int) -> HttpResponse:
    """The consultation's "you said, we did" entries, and a form for another."""
    survey = selectors.survey_get(user=request.user, pk=pk, action="survey.manage")
    form = f.ChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_record(survey=survey, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            show_service_errors(form, exc)
        else:
            messages.success(request, "Added to “you said, we did”.")
            return redirect("surveys:changes", pk=survey.pk)
    return _page(request, "changes.html", {"survey": survey, "form": form, "changes": survey.changes.all()})


@require_POST
@permission_required("survey.manage")
def change_remove(request: HttpRequest, pk: int) -> HttpResponse:
    from surveys.models import Change

    change = get_object_or_404(Change.objects.select_related("survey"), pk=pk)
    selectors.survey_get(user=request.user, pk=change.survey_id, action="survey.manage")
    services.change_remove(change=change, actor=request.user)
    messages.success(request, "Entry removed.")
    return redirect("surveys:changes", pk=change.survey_id)


# --- Answering from a personal link ---------------------------------------------------------------------


def _invitation(token: str) -> Any:
    invitation = services.invitation_for_token(token)
    if invitation is None:
        raise Http404("This link does not work")
    return invitation


def _private(response: HttpResponse) -> HttpResponse:
    # The page is personal and its address is secret: keep it out of shared caches and search
    # engines. The site's Referrer-Policy (same-origin) already keeps the address from other sites;
    # "no-referrer" here would make the browser send "Origin: null", which CSRF checking refuses.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _sections(response: Response) -> list[Any]:
    return list(response.version.sections.prefetch_related("questions"))


def _shown(section: Any, answers: dict[str, Any]) -> list[Question]:
    return [q for q in section.questions.all() if services.visible(q, answers)]


@public
def answer(request: HttpRequest, token: str, page: int = 0) -> HttpResponse:
    """One page of the survey at a time; pages whose questions the skip logic leaves out are skipped."""
    invitation = _invitation(token)
    survey = invitation.survey
    if not survey.is_open():
        return _private(render(request, "surveys/answer_closed.html", {"survey": survey}))
    response = services.response_for_invitation(invitation)
    if response.submitted_at is not None:
        return redirect("surveys:answer-done", token=token)
    sections = _sections(response)
    if page == 0:
        return _private(render(request, "surveys/answer_start.html", {"survey": survey, "token": token,
                                                                      "pages": len(sections)}))  # fmt: skip
    if not 1 <= page <= len(sections):
        raise Http404
    section = sections[page - 1]
    questions = _shown(section, response.draft)
    if not questions:
        return redirect(_next_page(token, sections, page, response.draft))
    form = f.AnswerForm(request.POST or None, questions=questions, initial_answers=response.draft)
    if request.method == "POST" and form.is_valid():
        try:
            response = services.response_save_page(response=response, section=section, values=form.values())
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.show_errors(exc.message_dict)
            else:
                form.add_error(None, exc)
        else:
            return redirect(_next_page(token, sections, page, response.draft))
    back = f"/surveys/answer/{token}/{page - 1}/" if page > 1 else f"/surveys/answer/{token}/"
    return _private(
        render(
            request,
            "surveys/answer_page.html",
            {"survey": survey, "section": section, "form": form, "page": page, "pages": len(sections), "back": back},
        )
    )


def _next_page(token: str, sections: list[Any], page: int, answers: dict[str, Any]) -> str:
    from django.urls import reverse

    for number in range(page + 1, len(sections) + 1):
        if _shown(sections[number - 1], answers):
            return reverse("surveys:answer-page", args=[token, number])
    return reverse("surveys:answer-check", args=[token])


@public
def answer_check(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    survey = invitation.survey
    if not survey.is_open():
        return _private(render(request, "surveys/answer_closed.html", {"survey": survey}))
    response = services.response_for_invitation(invitation)
    if response.submitted_at is not None:
        return redirect("surveys:answer-done", token=token)
    sections = _sections(response)
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.response_submit(response=response)
        except ValidationError as exc:
            problems = exc.messages
        else:
            return redirect("surveys:answer-done", token=token)
    rows = []
    for number, section in enumerate(sections, start=1):
        for q in _shown(section, response.draft):
            value = response.draft.get(q.code)
            if isinstance(value, list):
                value = ", ".join(value)
            elif isinstance(value, dict):
                value = "; ".join(f"{k}: {v}" for k, v in value.items())
            rows.append((q, value or "Not answered", number))
    return _private(
        render(
            request, "surveys/answer_check.html", {"survey": survey, "rows": rows, "token": token, "problems": problems}
        )  # fmt: skip
    )


@public
def answer_done(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _invitation(token)
    return _private(render(request, "surveys/answer_done.html", {"survey": invitation.survey}))


# --- A signed-in resident -----------------------------------------------------------------------------


@permission_required("survey.own")
def own_list(request: HttpRequest) -> HttpResponse:
    from groups.selectors import resident_for

    resident = resident_for(request.user)
    rows = []
    if resident is not None:
        rows = [(i, services.token_for(i)) for i in selectors.own_invitations(resident=resident)]
    return render(
        request, "surveys/own_list.html", {"resident": resident, "rows": rows, "active_section": "your-surveys"}
    )


# --- Public -------------------------------------------------------------------------------------------


@public
def published_list(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    return render(
        request,
        "surveys/published_list.html",
        {"organisation": organisation, "surveys": selectors.published(organisation=organisation)},
    )
