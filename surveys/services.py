"""Writes for consultations and surveys. Each function owns its transaction, checks the actor's
permission through the one policy, and records the acting user in the audit log.

Versions: staff edit a survey's draft version. Publishing makes it the live version; after that
its questions never change. To change a live survey's questions, `version_draft` copies the live
version into a new draft, staff edit the copy, and publishing it makes it live in its place;
responses already sent keep the version they answered.
"""

from __future__ import annotations

import datetime
import random
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from core import tokens
from core.notifications import notify
from core.permissions import can_act_on
from core.services import link_problem, submit_once
from surveys.models import (
    Answer,
    Change,
    FocusGroup,
    InboundText,
    Invitation,
    Question,
    Response,
    Section,
    Survey,
    SurveyVersion,
    Tally,
    Theme,
)

SALT = "surveys.invitation"
TEXT_LIMIT = 5_000


def _now() -> datetime.datetime:
    return timezone.now()


def _require(actor: Any, action: str, obj: Any) -> None:
    if not can_act_on(actor, action, obj):
        raise PermissionDenied


# --- Building -------------------------------------------------------------------------------------


def _check_details(title: str, purpose: str, opens_on: datetime.date | None, closes_on: datetime.date | None) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter a title"
    elif len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    if not purpose.strip():
        errors["purpose"] = "Say what it is for and what will happen to the answers"
    if opens_on and closes_on and closes_on < opens_on:
        errors["closes_on"] = "The closing date must be on or after the opening date"
    if errors:
        raise ValidationError(errors)


def survey_create(
    *,
    organisation: Any,
    actor: Any,
    title: str,
    purpose: str,
    kind: str = Survey.Kind.SURVEY,
    anonymous: bool = False,
    opens_on: datetime.date | None = None,
    closes_on: datetime.date | None = None,
    submission_key: str = "",
) -> Survey:
    """A new draft survey with its first version and a first page."""
    _require(actor, "survey.manage", Survey(organisation=organisation))
    _check_details(title, purpose, opens_on, closes_on)
    if kind not in Survey.Kind.values:
        raise ValidationError({"kind": "Choose what kind of survey it is"})

    def make() -> Survey:
        survey = Survey.objects.create(
            organisation=organisation,
            title=title.strip(),
            purpose=purpose.strip(),
            kind=kind,
            anonymous=anonymous,
            opens_on=opens_on,
            closes_on=closes_on,
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        version = SurveyVersion.objects.create(survey=survey, number=1)
        Section.objects.create(version=version, order=1, title="Page 1")
        return survey

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="surveys", make=make)


def survey_update(
    *,
    survey: Survey,
    actor: Any,
    title: str,
    purpose: str,
    anonymous: bool,
    opens_on: datetime.date | None,
    closes_on: datetime.date | None,
) -> Survey:
    _require(actor, "survey.manage", survey)
    _check_details(title, purpose, opens_on, closes_on)
    with transaction.atomic(), set_actor(actor):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if anonymous != survey.anonymous and survey.responses.exists():
            raise ValidationError({"anonymous": "Answers have been given: whether it is anonymous cannot change now"})
        survey.title, survey.purpose, survey.anonymous = title.strip(), purpose.strip(), anonymous
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save()
    return survey


def draft_of(survey: Survey) -> SurveyVersion | None:
    return survey.versions.filter(published_at__isnull=True).order_by("-number").first()


def version_draft(*, survey: Survey, actor: Any) -> SurveyVersion:
    """The draft to edit: the existing one, or a copy of the live version (pages and questions)."""
    _require(actor, "survey.manage", survey)
    with transaction.atomic(), set_actor(actor):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        draft = draft_of(survey)
        if draft is not None:
            return draft
        if survey.status == Survey.Status.CLOSED:
            raise ValidationError("This survey is closed: its questions cannot change.")
        live = survey.live_version
        number = (survey.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        draft = SurveyVersion.objects.create(survey=survey, number=number)
        if live is not None:
            sections = {}
            for section in live.sections.all():
                sections[section.pk] = Section.objects.create(
                    version=draft, order=section.order, title=section.title, intro=section.intro
                )
            for q in live.questions.all():
                Question.objects.create(
                    version=draft,
                    section=sections[q.section_id],
                    order=q.order,
                    code=q.code,
                    kind=q.kind,
                    text=q.text,
                    hint=q.hint,
                    required=q.required,
                    options=q.options,
                    rows=q.rows,
                    show_if_code=q.show_if_code,
                    show_if_values=q.show_if_values,
                    locked=q.locked,
                )
        return draft


def _editable(survey: Survey, actor: Any) -> SurveyVersion:
    _require(actor, "survey.manage", survey)
    draft = draft_of(survey)
    if draft is None:
        raise ValidationError("Start a new version to change the questions of a live survey.")
    return draft


def section_add(*, survey: Survey, actor: Any, title: str, intro: str = "") -> Section:
    draft = _editable(survey, actor)
    if not title.strip():
        raise ValidationError({"title": "Enter a heading for the page"})
    with transaction.atomic(), set_actor(actor):
        order = (draft.sections.aggregate(n=Max("order"))["n"] or 0) + 1
        return Section.objects.create(version=draft, order=order, title=title.strip()[:200], intro=intro.strip())


def _clean_list(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        value = value.strip()
        if value and value not in seen:
            seen.append(value[:200])
    return seen


def question_add(
    *,
    survey: Survey,
    actor: Any,
    section: Section,
    kind: str,
    text: str,
    hint: str = "",
    required: bool = True,
    options: Iterable[str] = (),
    rows: Iterable[str] = (),
    show_if_code: str = "",
    show_if_values: Iterable[str] = (),
    code: str = "",
    locked: bool = False,
) -> Question:
    """Add a question to a page of the draft version. Choice questions need two options or more;
    a grid needs rows; skip logic names an earlier choice question and some of its options.
    `code` names it for results and exports (by default q1, q2…); `locked` fixes it (a standard's
    question, such as a TSM one: it cannot be removed)."""
    draft = _editable(survey, actor)
    errors: dict[str, str] = {}
    options, rows, show_values = _clean_list(options), _clean_list(rows), _clean_list(show_if_values)
    if section.version_id != draft.pk:
        errors["section"] = "Choose a page of this survey"
    if kind not in Question.Kind.values:
        errors["kind"] = "Choose the kind of question"
    if not text.strip():
        errors["text"] = "Enter the question"
    elif len(text) > 500:
        errors["text"] = "The question must be 500 characters or fewer"
    if kind in Question.CHOICE_KINDS and len(options) < 2:
        errors["options"] = "Give at least two options, one a line"
    if kind == Question.Kind.MATRIX and not rows:
        errors["rows"] = "Give the things to rate, one a line"
    earlier = {q.code: q for q in draft.questions.all()}
    if code and (code in earlier or not re.fullmatch(r"[a-z][a-z0-9_]{0,39}", code)):
        errors["code"] = "Give a short code not used by another question (letters, numbers and _)"
    if show_if_code:
        target = earlier.get(show_if_code)
        if target is None or target.kind not in (Question.Kind.SINGLE, Question.Kind.MULTIPLE, Question.Kind.SCALE):
            errors["show_if_code"] = "Choose an earlier question with options"
        elif not show_values or not set(show_values) <= set(target.options):
            errors["show_if_values"] = "Choose which answers to that question lead here"
        elif target.section.order >= section.order:
            # A page is drawn from the answers to the pages before it (no script needed), so the
            # question that decides must be on an earlier page.
            errors["show_if_code"] = "Put this question on a page after the question it depends on"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        number = len(earlier) + 1
        code = code or f"q{number}"
        while code in earlier:
            number += 1
            code = f"q{number}"
        order = (section.questions.aggregate(n=Max("order"))["n"] or 0) + 1
        return Question.objects.create(
            version=draft,
            section=section,
            order=order,
            code=code,
            kind=kind,
            text=text.strip(),
            hint=hint.strip()[:500],
            required=required,
            options=options if kind in Question.CHOICE_KINDS else [],
            rows=rows if kind == Question.Kind.MATRIX else [],
            show_if_code=show_if_code,
            show_if_values=show_values if show_if_code else [],
            locked=locked,
        )


def question_remove(*, question: Question, actor: Any) -> None:
    survey = question.version.survey
    draft = _editable(survey, actor)
    if question.version_id != draft.pk:
        raise ValidationError("Only a question of the draft version can be removed.")
    if question.locked:
        raise ValidationError("This question is set by a standard (for example the regulator's) and must stay.")
    if draft.questions.filter(show_if_code=question.code).exists():
        raise ValidationError("Another question is asked only after this one: change that question first.")
    with transaction.atomic(), set_actor(actor):
        question.delete()


def survey_publish(*, survey: Survey, actor: Any) -> Survey:
    """Open the draft version for answers (in place of the version before, if any)."""
    _require(actor, "survey.manage", survey)
    with transaction.atomic(), set_actor(actor):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        draft = draft_of(survey)
        if draft is None:
            raise ValidationError("There are no changes to publish.")
        if not draft.questions.exists():
            raise ValidationError("Add at least one question first.")
        if survey.status == Survey.Status.CLOSED:
            raise ValidationError("This survey is closed.")
        draft.published_at = _now()
        draft.save(update_fields=["published_at"])
        survey.live_version = draft
        survey.status = Survey.Status.LIVE
        survey.save(update_fields=["live_version", "status"])
    return survey


def survey_close(*, survey: Survey, actor: Any) -> Survey:
    _require(actor, "survey.manage", survey)
    with transaction.atomic(), set_actor(actor):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status"])
    return survey


def summary_publish(*, survey: Survey, actor: Any, summary: str) -> Survey:
    """What the landlord heard and what it will do: shown on the public consultations page."""
    _require(actor, "survey.manage", survey)
    if not summary.strip():
        raise ValidationError({"summary": "Write the summary residents will read"})
    with transaction.atomic(), set_actor(actor):
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.CLOSED:
            raise ValidationError("Close the survey before publishing its summary.")
        survey.summary = summary.strip()
        survey.summary_published_at = _now()
        survey.save(update_fields=["summary", "summary_published_at"])
    return survey


def change_record(
    *,
    survey: Survey,
    actor: Any,
    you_said: str,
    we_did: str,
    done_on: datetime.date | None = None,
    link: str = "",
    link_text: str = "",
    submission_key: str = "",
) -> Change:
    """A "you said, we did" entry: what residents said, what changed (or will), when, and where to see it."""
    _require(actor, "survey.manage", survey)
    errors: dict[str, str] = {}
    if not you_said.strip():
        errors["you_said"] = "Say what residents told you"
    if not we_did.strip():
        errors["we_did"] = "Say what you did, or will do, about it"
    link = link.strip()
    if problem := link_problem(link):
        errors["link"] = problem
    if done_on and done_on > timezone.localdate():
        errors["done_on"] = "The date it changed cannot be in the future: leave it blank until it is done"
    if errors:
        raise ValidationError(errors)

    def make() -> Change:
        return Change.objects.create(survey=survey, you_said=you_said.strip(), we_did=we_did.strip(), done_on=done_on,
                                     link=link, link_text=link_text.strip()[:200])  # fmt: skip

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="surveys", make=make)


def change_remove(*, change: Change, actor: Any) -> None:
    _require(actor, "survey.manage", change.survey)
    with transaction.atomic(), set_actor(actor):
        change.delete()


# --- Reaching people --------------------------------------------------------------------------------


@dataclass
class Audience:
    """Who to invite, from the register. Empty lists mean no limit on that."""

    area_ids: list[int] = field(default_factory=list)
    tenures: list[str] = field(default_factory=list)
    interest_ids: list[int] = field(default_factory=list)
    group_id: int | None = None
    armchair_only: bool = False
    # A simple random sample of this many (after the other conditions), drawn with a seed
    # recorded with the invitations' count so the draw can be repeated.
    sample: int | None = None
    seed: int = 0


def audience_residents(*, survey: Survey, audience: Audience) -> QuerySet[Any]:
    """Active residents of the survey's landlord who match, with involvement consent, not yet invited."""
    from people.models import Consent, Resident

    qs = Resident.objects.filter(
        organisation_id=survey.organisation_id,
        status=Resident.Status.ACTIVE,
        consents__purpose=Consent.Purpose.INVOLVEMENT_CONTACT,
        consents__withdrawn_at__isnull=True,
    ).exclude(survey_invitations__survey=survey)
    if audience.area_ids:
        from people.models import Area

        areas = Area.objects.filter(organisation_id=survey.organisation_id, pk__in=audience.area_ids)
        ids = set(areas.values_list("pk", flat=True))
        ids |= set(Area.objects.filter(parent__in=ids).values_list("pk", flat=True))
        ids |= set(Area.objects.filter(parent__in=ids).values_list("pk", flat=True))
        qs = qs.filter(area_id__in=ids)
    if audience.tenures:
        qs = qs.filter(tenure__in=audience.tenures)
    if audience.interest_ids:
        qs = qs.filter(interests__in=audience.interest_ids)
    if audience.group_id:
        from groups.models import Membership

        qs = qs.filter(pk__in=Membership.objects.open().filter(group_id=audience.group_id).values("resident_id"))
    if audience.armchair_only:
        qs = qs.filter(involvement_level="armchair")
    if survey.kind == Survey.Kind.POLL:
        # A quick poll goes by text or email (answered the same day), so only to those who agreed to those.
        qs = qs.filter(Q(contact_by_text=True) & ~Q(mobile="") | Q(contact_by_email=True) & ~Q(email=""))
    return qs.distinct().order_by("pk")


def invitations_send(*, survey: Survey, actor: Any, audience: Audience, site_url: str = "") -> int:
    """Invite the audience: one invitation each, told in their own channel and format with a
    personal link. Residents invited already are left out. Returns how many were invited."""
    _require(actor, "survey.manage", survey)
    if not survey.is_open() and survey.status != Survey.Status.LIVE:
        raise ValidationError("Publish the survey before inviting anyone.")
    if audience.sample is not None and audience.sample < 1:
        raise ValidationError({"sample": "A sample must be at least 1"})
    with transaction.atomic(), set_actor(actor):
        ids = list(audience_residents(survey=survey, audience=audience).values_list("pk", flat=True))
        if audience.sample is not None and audience.sample < len(ids):
            ids = sorted(random.Random(audience.seed).sample(ids, audience.sample))
        _invite(survey, ids, site_url)
    return len(ids)


def invitations_send_to(
    *, survey: Survey, actor: Any, resident_ids: Iterable[int] | QuerySet[Any], site_url: str = ""
) -> int:
    """Invite these residents of the survey's landlord (those not invited already). For a sample
    drawn for a statutory survey (the TSM perception survey), whose residents are chosen at random
    from every household rather than from those who asked to be involved. Returns how many."""
    from people.models import Resident

    _require(actor, "survey.manage", survey)
    if survey.status != Survey.Status.LIVE:
        raise ValidationError("Publish the survey before inviting anyone.")
    with transaction.atomic(), set_actor(actor):
        ids = list(
            Resident.objects.filter(organisation_id=survey.organisation_id, pk__in=resident_ids)
            .exclude(survey_invitations__survey=survey)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        _invite(survey, ids, site_url)
    return len(ids)


def _invite(survey: Survey, ids: list[int], site_url: str) -> None:
    """One invitation each, told in their own channel and format with a personal link."""
    from people.models import Resident
    from people.services import contact_card

    invitations = Invitation.objects.bulk_create([Invitation(survey=survey, resident_id=pk) for pk in ids])
    by_resident = {i.resident_id: i for i in invitations}
    poll = poll_question(survey) if survey.kind == Survey.Kind.POLL else None
    for resident in Resident.objects.filter(pk__in=ids).select_related("home").prefetch_related("format_needs"):
        invitation = by_resident[resident.pk]
        notify(
            recipient=resident,
            card=contact_card(resident),
            template="poll_invitation" if poll else "survey_invitation",
            context={
                "survey": survey,
                "organisation": survey.organisation.name,
                "link": site_url + reverse("surveys:answer", args=[token_for(invitation)]),
                "question": poll,
            },
            because=invitation,
        )


def invitations_remind(*, survey: Survey, actor: Any, site_url: str = "") -> int:
    """Remind, once, everyone invited who has not answered yet, with the same personal link.
    Returns how many were reminded."""
    _require(actor, "survey.manage", survey)
    if not survey.is_open():
        raise ValidationError("The survey is not open for answers: there is nothing to remind anyone of.")
    from people.services import contact_card

    with transaction.atomic(), set_actor(actor):
        waiting = list(
            # of=("self",): PostgreSQL cannot lock the nullable side of an outer join (the home).
            Invitation.objects.select_for_update(of=("self",))
            .filter(survey=survey, responded_at__isnull=True, reminded_at__isnull=True)
            .select_related("resident", "resident__home")
            .prefetch_related("resident__format_needs")
        )
        for invitation in waiting:
            notify(
                recipient=invitation.resident,
                card=contact_card(invitation.resident),
                template="survey_reminder",
                context={
                    "survey": survey,
                    "organisation": survey.organisation.name,
                    "link": site_url + reverse("surveys:answer", args=[token_for(invitation)]),
                },
                because=invitation,
            )
        Invitation.objects.filter(pk__in=[i.pk for i in waiting]).update(reminded_at=_now())
    return len(waiting)


def token_for(invitation: Invitation) -> str:
    return tokens.make_token(SALT, invitation.pk, invitation.key)


def invitation_for_token(token: str) -> Invitation | None:
    found = tokens.read_token(SALT, token)
    if found is None:
        return None
    invitation = (
        Invitation.objects.select_related("survey", "survey__organisation", "resident").filter(pk=found[0]).first()
    )
    if invitation is None or not tokens.same_key(invitation.key, found[1]):
        return None
    return invitation


# --- Answering --------------------------------------------------------------------------------------


def visible(question: Question, answers: Mapping[str, Any]) -> bool:
    """Skip logic: a question with a condition is asked only when an earlier answer meets it."""
    if not question.show_if_code:
        return True
    given = answers.get(question.show_if_code)
    if given is None:
        return False
    chosen = set(given) if isinstance(given, list) else {given}
    return bool(chosen & set(question.show_if_values))


def clean_answer(question: Question, raw: Any) -> Any:
    """A value as stored in a response's draft (JSON-ready), or None when not answered.
    Raises ValidationError with a message in plain words."""
    K = Question.Kind
    empty = raw in (None, "", [], {})
    if isinstance(raw, dict):
        empty = not any(v for v in raw.values())
    if empty:
        if question.required:
            messages: dict[str, str] = {
                K.SINGLE: "Choose an answer",
                K.SCALE: "Choose an answer",
                K.MULTIPLE: "Choose at least one answer",
                K.MATRIX: "Choose an answer for each line",
                K.DATE: "Enter a date",
                K.NUMBER: "Enter a number",
            }
            raise ValidationError(messages.get(question.kind, "Enter your answer"))
        return None
    if question.kind in (K.SINGLE, K.SCALE):
        if raw not in question.options:
            raise ValidationError("Choose one of the answers given")
        return raw
    if question.kind == K.MULTIPLE:
        values = raw if isinstance(raw, list) else [raw]
        if not set(values) <= set(question.options):
            raise ValidationError("Choose from the answers given")
        return [o for o in question.options if o in values]
    if question.kind == K.MATRIX:
        if not isinstance(raw, dict) or set(raw) - set(question.rows):
            raise ValidationError("Choose an answer for each line")
        if question.required and any(not raw.get(r) for r in question.rows):
            raise ValidationError("Choose an answer for each line")
        if any(v and v not in question.options for v in raw.values()):
            raise ValidationError("Choose one of the answers given")
        return {r: raw[r] for r in question.rows if raw.get(r)}
    if question.kind == K.TEXT:
        text = str(raw).strip()
        if len(text) > TEXT_LIMIT:
            raise ValidationError(f"Your answer must be {TEXT_LIMIT:,} characters or fewer")
        return text
    if question.kind == K.NUMBER:
        try:
            number = Decimal(str(raw).replace(",", "").strip())
        except InvalidOperation:
            raise ValidationError("Enter a number, like 3 or 12.5") from None
        if not number.is_finite() or abs(number) >= Decimal("1e10"):
            raise ValidationError("Enter a number, like 3 or 12.5")
        return str(number)
    if question.kind == K.DATE:
        if isinstance(raw, datetime.date):
            return raw.isoformat()
        try:
            return datetime.date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValidationError("Enter a real date") from None
    raise ValidationError("This question cannot be answered")


def response_for_invitation(invitation: Invitation) -> Response:
    """The response this personal link fills in (started the first time it is opened)."""
    survey = invitation.survey
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        existing = Response.objects.filter(invitation=invitation).first()
        if existing is not None:
            return existing
        if survey.live_version_id is None:
            raise ValidationError("This survey is not open.")
        return Response.objects.create(
            survey=survey,
            version_id=survey.live_version_id,
            invitation=invitation,
            resident=None if survey.anonymous else invitation.resident,
            method=Response.Method.ONLINE,
        )


def response_save_page(*, response: Response, section: Section, values: Mapping[str, Any]) -> Response:
    """Check one page's answers and keep them in the response's draft. Every problem is reported
    at once, against its question's code; nothing is kept unless the whole page is right."""
    if response.submitted_at is not None:
        raise ValidationError("These answers have already been sent.")
    if not response.survey.is_open():
        raise ValidationError("This survey is not open for answers.")
    if section.version_id != response.version_id:
        raise ValidationError("This page is not part of the survey you are answering.")
    with transaction.atomic():
        response = Response.objects.select_for_update().get(pk=response.pk)
        answers = dict(response.draft)
        errors: dict[str, list[str]] = {}
        for question in section.questions.all():
            if not visible(question, {**answers, **values}):
                answers.pop(question.code, None)
                continue
            try:
                value = clean_answer(question, values.get(question.code))
            except ValidationError as exc:
                errors[question.code] = exc.messages
                continue
            if value is None:
                answers.pop(question.code, None)
            else:
                answers[question.code] = value
        if errors:
            raise ValidationError(errors)
        response.draft = answers
        response.save(update_fields=["draft"])
    return response


def _write_answers(response: Response, answers: Mapping[str, Any]) -> None:
    questions = {q.code: q for q in response.version.questions.all()}
    area_id, tenure = response.area_id, response.tenure
    rows = []
    for code, value in answers.items():
        q = questions.get(code)
        if q is None or value is None:
            continue
        base = {"response": response, "survey_id": response.survey_id, "question": q, "area_id": area_id,
                "tenure": tenure}  # fmt: skip
        K = Question.Kind
        if q.kind == K.MULTIPLE:
            rows += [Answer(**base, choice=v) for v in value]
        elif q.kind == K.MATRIX:
            rows += [Answer(**base, row=r, choice=v) for r, v in value.items()]
        elif q.kind in (K.SINGLE, K.SCALE):
            rows.append(Answer(**base, choice=value))
        elif q.kind == K.TEXT:
            rows.append(Answer(**base, text=value))
        elif q.kind == K.NUMBER:
            rows.append(Answer(**base, number=Decimal(value)))
        elif q.kind == K.DATE:
            rows.append(Answer(**base, date=datetime.date.fromisoformat(value)))
    Answer.objects.bulk_create(rows)
    _tally_add(response.survey_id, _tally_keys(rows, {q.pk: q.code for q in questions.values()}))


TALLY_UPSERT = (
    "INSERT INTO surveys_tally (survey_id, code, matrix_row, choice, area_key, tenure, n) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s) "
    "ON CONFLICT (survey_id, code, matrix_row, choice, area_key, tenure) "
    "DO UPDATE SET n = surveys_tally.n + excluded.n"
)
TallyKey = tuple[str, str, str, int, str]  # code, matrix row, choice ("" = answered), area, tenure


def _tally_keys(answers: Iterable[Answer], code_of: Mapping[int, str]) -> Counter[TallyKey]:
    keys: Counter[TallyKey] = Counter()
    answered: set[tuple[int, str]] = set()
    for a in answers:
        code, area, tenure = code_of[a.question_id], a.area_id or 0, a.tenure or ""
        if (a.response_id, code) not in answered:
            answered.add((a.response_id, code))
            keys[(code, "", "", area, tenure)] += 1
        if a.choice:
            keys[(code, a.row, a.choice, area, tenure)] += 1
    return keys


def _tally_add(survey_id: int, keys: Mapping[TallyKey, int]) -> None:
    """Add to the survey's tally in the caller's transaction. An upsert that adds, in one
    statement per row: two responses sent at the same moment both count (a read-then-write would
    lose one). `INSERT … ON CONFLICT … DO UPDATE` is the same on SQLite and PostgreSQL."""
    if not keys:
        return
    with connection.cursor() as cursor:
        cursor.executemany(TALLY_UPSERT, [(survey_id, *key, n) for key, n in sorted(keys.items())])


def tally_rebuild(*, survey: Survey) -> int:
    """Recount the survey's tally from its answer rows (after a bulk load, or to check it).
    Returns the number of tally rows."""
    code_of = dict(Question.objects.filter(version__survey=survey).values_list("pk", "code"))
    keys: Counter[TallyKey] = Counter()
    # Answered: one per response and question code (a multiple choice or a grid has several rows).
    for question_id, area, tenure, n in (
        Answer.objects.filter(survey=survey)
        .values_list("question_id", "area_id", "tenure")
        .annotate(n=Count("response_id", distinct=True))
        .order_by()
    ):
        keys[(code_of[question_id], "", "", area or 0, tenure)] += n
    for question_id, row, choice, area, tenure, n in (
        Answer.objects.filter(survey=survey)
        .exclude(choice="")
        .values_list("question_id", "row", "choice", "area_id", "tenure")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        keys[(code_of[question_id], row, choice, area or 0, tenure)] += n
    with transaction.atomic():
        Tally.objects.filter(survey=survey).delete()
        Tally.objects.bulk_create(
            [
                Tally(survey=survey, code=code, matrix_row=row, choice=choice, area_key=area, tenure=tenure, n=n)
                for (code, row, choice, area, tenure), n in keys.items()
            ],
            batch_size=2000,
        )
    return len(keys)


def _complete(response: Response, answers: dict[str, Any]) -> dict[str, list[str]]:
    """Required questions that are asked (by the skip logic) but not answered."""
    missing: dict[str, list[str]] = {}
    for q in response.version.questions.all():
        if q.required and visible(q, answers) and q.code not in answers:
            missing[q.code] = [f"Answer “{q.text}”"]
    return missing


def _profile(response: Response, resident: Any) -> None:
    if resident is not None:
        response.area_id = _top_area(resident.area_id)
        response.tenure = resident.tenure or ""


def _top_area(area_id: int | None) -> int | None:
    """The top-level area (results are read by area, not estate)."""
    from people.models import Area

    seen = 0
    while area_id is not None and seen < 5:
        parent = Area.objects.filter(pk=area_id).values_list("parent_id", flat=True).first()
        if parent is None:
            return area_id
        area_id, seen = parent, seen + 1
    return area_id


def response_submit(*, response: Response) -> Response:
    """Send the answers: written as answer rows, once. A second submit changes nothing."""
    with transaction.atomic():
        response = (
            Response.objects.select_for_update(of=("self",)).select_related("version", "invitation").get(pk=response.pk)
        )
        if response.submitted_at is not None:
            return response
        if not response.survey.is_open():
            raise ValidationError("This survey is not open for answers.")
        answers = dict(response.draft)
        missing = _complete(response, answers)
        if missing:
            raise ValidationError(missing)
        resident = response.invitation.resident if response.invitation else response.resident
        _profile(response, resident)
        response.submitted_at = _now()
        response.save(update_fields=["submitted_at", "area", "tenure"])
        _write_answers(response, answers)
        if response.invitation_id is not None:
            Invitation.objects.filter(pk=response.invitation_id).update(responded_at=response.submitted_at)
    return response


def response_enter(
    *,
    survey: Survey,
    actor: Any,
    method: str,
    values: Mapping[str, Any],
    resident: Any = None,
    submission_key: str = "",
) -> Response:
    """Staff type in a paper form or a telephone interview, with the method recorded. The same
    checks as online; a double-submitted form makes one response."""
    _require(actor, "survey.manage", survey)
    if method not in Response.Method.values:
        raise ValidationError({"method": "Choose how the answers were given"})
    if survey.live_version_id is None:
        raise ValidationError("Publish the survey first.")
    if resident is not None and resident.organisation_id != survey.organisation_id:
        raise ValidationError({"resident": "Choose one of your residents"})
    version = survey.live_version
    assert version is not None
    answers: dict[str, Any] = {}
    errors: dict[str, list[str]] = {}
    for q in version.questions.all():
        if not visible(q, {**answers, **values}):
            continue
        try:
            value = clean_answer(q, values.get(q.code))
        except ValidationError as exc:
            errors[q.code] = exc.messages
            continue
        if value is not None:
            answers[q.code] = value
    if errors:
        raise ValidationError(errors)

    def make() -> Response:
        # Read (and lock) the survey as stored: once closed, its results may have been published
        # from the answers as they stood.
        if Survey.objects.select_for_update().get(pk=survey.pk).status == Survey.Status.CLOSED:
            raise ValidationError("This survey is closed: no more answers can be added.")
        invitation = Invitation.objects.filter(survey=survey, resident=resident).first() if resident else None
        if resident is not None and (
            (invitation is not None and invitation.responded_at is not None)
            or Response.objects.filter(survey=survey, resident=resident, submitted_at__isnull=False).exists()
        ):
            raise ValidationError({"resident": "This resident has already answered"})
        return _respond(survey, invitation, resident, method, answers, entered_by=actor)

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="surveys", make=make)


def _respond(
    survey: Survey,
    invitation: Invitation | None,
    resident: Any,
    method: str,
    answers: Mapping[str, Any],
    *,
    entered_by: Any = None,
) -> Response:
    """A whole response given another way than page by page (paper, telephone, a text reply), in the
    caller's transaction. A reply this way replaces one started online and not sent."""
    if invitation is not None:
        Response.objects.filter(invitation=invitation, submitted_at__isnull=True).delete()
    assert survey.live_version_id is not None
    response = Response(
        survey=survey,
        version_id=survey.live_version_id,
        resident=None if survey.anonymous else resident,
        invitation=invitation,
        method=method,
        entered_by=entered_by,
        submitted_at=_now(),
    )
    _profile(response, resident)
    response.save()
    _write_answers(response, answers)
    if invitation is not None:
        Invitation.objects.filter(pk=invitation.pk).update(responded_at=response.submitted_at)
    return response


# --- Quick polls -------------------------------------------------------------------------------------

POLL_CODE = "poll"
POLL_OPTIONS_MAX = 9  # answered by texting one digit


def poll_create(
    *,
    organisation: Any,
    actor: Any,
    question: str,
    options: Iterable[str],
    closes_on: datetime.date | None = None,
    submission_key: str = "",
) -> Survey:
    """A quick poll: one question with 2 to 9 answers, open now, closing at the end of `closes_on`
    (today unless given), ready to send by text or email to the people's panel or armchair
    advisers. Residents answer by texting the number of their answer, or from their link."""
    today = timezone.localdate()
    closes_on = closes_on or today
    choices = _clean_list(options)
    errors: dict[str, str] = {}
    if not question.strip():
        errors["question"] = "Enter the question"
    elif len(question) > 300:
        errors["question"] = "Keep the question to 300 characters or fewer, so it fits in a text"
    if not 2 <= len(choices) <= POLL_OPTIONS_MAX:
        errors["options"] = f"Give from 2 to {POLL_OPTIONS_MAX} answers, one a line"
    elif any(len(c) > 60 for c in choices):
        errors["options"] = "Keep each answer to 60 characters or fewer"
    if closes_on < today:
        errors["closes_on"] = "The closing date must be today or later"
    if errors:
        raise ValidationError(errors)
    _require(actor, "survey.manage", Survey(organisation=organisation))

    def make() -> Survey:
        survey = Survey.objects.create(
            organisation=organisation, title=question.strip()[:200], kind=Survey.Kind.POLL,
            purpose="A quick poll: one question, answered by text, email or online.", opens_on=today,
            closes_on=closes_on, created_by=actor if getattr(actor, "pk", None) else None,
        )  # fmt: skip
        version = SurveyVersion.objects.create(survey=survey, number=1, published_at=_now())
        section = Section.objects.create(version=version, order=1, title="Quick poll")
        Question.objects.create(version=version, section=section, order=1, code=POLL_CODE, kind=Question.Kind.SINGLE,
                                text=question.strip(), options=choices)  # fmt: skip
        survey.live_version, survey.status = version, Survey.Status.LIVE
        survey.save(update_fields=["live_version", "status"])
        return survey

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="surveys", make=make)


def poll_question(survey: Survey) -> Question | None:
    if survey.live_version_id is None:
        return None
    return Question.objects.filter(version_id=survey.live_version_id, code=POLL_CODE).first()


def poll_reply_choice(question: Question, text: str) -> str | None:
    """Which answer a text reply means: its number ("2", " 2. ", "2 please" is not), or the
    answer's words in any case. None when it is neither."""
    reply = " ".join(text.split()).strip(" .!").casefold()
    if reply.isdigit() and 1 <= int(reply) <= len(question.options):
        return question.options[int(reply) - 1]
    return next((o for o in question.options if o.casefold() == reply), None)


def _mobile_key(number: str) -> str:
    """The last ten digits: 07700 900123, +44 7700 900123 and 447700900123 are one number."""
    digits = "".join(c for c in number if c.isdigit())
    return digits[-10:]


def poll_text_received(*, provider_id: str, from_number: str, body: str, received_at: datetime.datetime) -> InboundText:
    """Record a text sent in and, if it answers a quick poll sent to that number, count it. The
    poll is the latest one sent by text to a resident with this mobile number. Idempotent: the same
    provider id is recorded once, so a callback sent twice counts once."""
    key = _mobile_key(from_number)
    with transaction.atomic():
        existing = InboundText.objects.filter(provider_id=provider_id).first()
        if existing is not None:
            return existing
        candidates = (
            Invitation.objects.filter(survey__kind=Survey.Kind.POLL, resident__mobile__endswith=key[-4:])
            .select_related("survey", "resident")
            .order_by("-sent_at", "-pk")
        )
        invitation = next((i for i in candidates if len(key) == 10 and _mobile_key(i.resident.mobile) == key), None)
        text = InboundText(provider_id=provider_id[:100], from_number=from_number[:30], body=body[:1000],
                           received_at=received_at, invitation=invitation,
                           survey=invitation.survey if invitation else None)  # fmt: skip
        if invitation is None:
            text.outcome = InboundText.Outcome.NO_POLL
        else:
            invitation = (
                Invitation.objects.select_for_update().select_related("survey", "resident").get(pk=invitation.pk)
            )
            survey = invitation.survey
            question = poll_question(survey)
            choice = poll_reply_choice(question, body) if question else None
            if invitation.responded_at is not None:
                text.outcome = InboundText.Outcome.ALREADY
            elif not survey.is_open(timezone.localdate(received_at)) or survey.status != Survey.Status.LIVE:
                text.outcome = InboundText.Outcome.CLOSED
            elif choice is None or question is None:
                text.outcome = InboundText.Outcome.NOT_UNDERSTOOD
            else:
                text.response = _respond(survey, invitation, invitation.resident, Response.Method.TEXT,
                                         {question.code: choice})  # fmt: skip
                text.outcome = InboundText.Outcome.COUNTED
        text.save()
    return text


# --- Focus groups ---------------------------------------------------------------------------------


def focus_group_link(*, survey: Survey, actor: Any, opportunity: Any) -> FocusGroup:
    """Say that a focus group (an involvement opportunity: invitations, replies and attendance are
    run there) informs this consultation. A focus group informs one consultation."""
    _require(actor, "survey.manage", survey)
    if opportunity is None or opportunity.organisation_id != survey.organisation_id:
        raise ValidationError({"opportunity": "Choose one of your involvement opportunities"})
    with transaction.atomic(), set_actor(actor):
        focus_group, created = FocusGroup.objects.get_or_create(opportunity=opportunity, defaults={"survey": survey})
        if not created and focus_group.survey_id != survey.pk:
            raise ValidationError({"opportunity": "That focus group already informs another consultation"})
    return focus_group


def focus_group_record(*, focus_group: FocusGroup, actor: Any, notes: str, themes: Iterable[str]) -> FocusGroup:
    """The focus group's notes and the themes it raised (the consultation's themes, made as needed)."""
    survey = focus_group.survey
    _require(actor, "survey.manage", survey)
    names = _clean_list(themes)
    errors: dict[str, str] = {}
    if len(notes) > 20_000:
        errors["notes"] = "Keep the notes to 20,000 characters or fewer, or attach the full notes to the meeting"
    if any(len(n) > 100 for n in names):
        errors["themes"] = "Each theme must be 100 characters or fewer"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        focus_group.notes = notes.strip()
        focus_group.save(update_fields=["notes", "updated_at"])
        focus_group.themes.set([Theme.objects.get_or_create(survey=survey, name=name)[0] for name in names])
    return focus_group


def answer_tag(*, answer: Answer, actor: Any, themes: Iterable[str]) -> Answer:
    """Tag a free-text answer with themes (made as needed)."""
    survey = answer.response.survey
    _require(actor, "survey.manage", survey)
    names = _clean_list(themes)
    if any(len(n) > 100 for n in names):
        raise ValidationError({"themes": "Each theme must be 100 characters or fewer"})
    with transaction.atomic(), set_actor(actor):
        found = [Theme.objects.get_or_create(survey=survey, name=name)[0] for name in names]
        answer.themes.set(found)
    return answer
