"""Writes for tenant-led scrutiny. Each function checks the actor through the one permission
policy (and, for an involved resident, that they are an open member of the review's panel), owns
its transaction and records the acting user in the audit log. Bad input is refused whole, with a
message against the field it is about; nothing is saved half-way."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from core.calendar import calendar_for
from core.permissions import INVOLVED, can_act_on
from core.services import link_problem, submit_once
from scrutiny.models import Action, Evidence, Prompt, Recommendation, Review, Step

RESPONSE_DAYS_MAX = 60
Stage = Review.Stage


def _require(actor: Any, action: str, review: Review) -> None:
    if not can_act_on(actor, action, review):
        raise PermissionDenied
    if getattr(actor, "role", None) == INVOLVED and not is_panel_member(actor, review):
        raise PermissionDenied


def is_panel_member(user: Any, review: Review) -> bool:
    """Whether this signed-in resident is an open member of the review's panel."""
    from groups.models import Membership

    resident = getattr(user, "resident", None)
    return (
        resident is not None and Membership.objects.open().filter(group_id=review.panel_id, resident=resident).exists()
    )


def _locked(review: Review) -> Review:
    return Review.objects.select_for_update().get(pk=review.pk)


def _today() -> datetime.date:
    return timezone.localdate()


def _check_link(link: str, errors: dict[str, str]) -> str:
    link = link.strip()
    if problem := link_problem(link):
        errors["link"] = problem
    return link


@dataclass(frozen=True)
class PromptIn:
    kind: str
    description: str
    link: str = ""


def review_propose(
    *,
    organisation: Any,
    actor: Any,
    panel: Any,
    title: str,
    reasons: str,
    prompts: Iterable[PromptIn] = (),
    submission_key: str = "",
) -> Review:
    """A topic for the panel's programme, with why it was chosen and the evidence that prompted it."""
    from groups.models import GroupKind

    review = Review(organisation=organisation, panel=panel)
    if not can_act_on(actor, "scrutiny.manage", review):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if panel is None or panel.organisation_id != organisation.pk:
        errors["panel"] = "Choose one of your groups"
    elif panel.kind != GroupKind.SCRUTINY_PANEL:
        errors["panel"] = "Choose a scrutiny panel"
    if not title.strip():
        errors["title"] = "Enter the topic"
    elif len(title) > 200:
        errors["title"] = "The topic must be 200 characters or fewer"
    if not reasons.strip():
        errors["reasons"] = "Say why the panel chose this topic"
    prompts = list(prompts)
    for p in prompts:
        if p.kind not in Prompt.Kind.values or not p.description.strip():
            errors["prompts"] = "Each piece of evidence that prompted it needs a kind and a description"
        _check_link(p.link, errors)
    if errors:
        raise ValidationError(errors)

    def make() -> Review:
        review.title, review.reasons = title.strip(), reasons.strip()
        review.created_by = actor if getattr(actor, "pk", None) else None
        review.save()
        Prompt.objects.bulk_create(
            [Prompt(review=review, kind=p.kind, description=p.description.strip()[:500], link=p.link.strip()[:500])
             for p in prompts]
        )  # fmt: skip
        return review

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="scrutiny", make=make)


def review_scope(
    *,
    review: Review,
    actor: Any,
    scope: str,
    terms_of_reference: str,
    planned_start: datetime.date,
    planned_report: datetime.date,
    response_working_days: int,
) -> Review:
    """What the review will look at, its terms of reference and planned dates, and how many working
    days the landlord has to respond to its report."""
    _require(actor, "scrutiny.manage", review)
    errors: dict[str, str] = {}
    if not scope.strip():
        errors["scope"] = "Say what the review will look at"
    if not terms_of_reference.strip():
        errors["terms_of_reference"] = "Enter the terms of reference"
    if planned_report < planned_start:
        errors["planned_report"] = "The report must be planned on or after the start"
    if not 1 <= response_working_days <= RESPONSE_DAYS_MAX:
        errors["response_working_days"] = f"Enter a number of working days from 1 to {RESPONSE_DAYS_MAX}"
    with transaction.atomic(), set_actor(actor):
        review = _locked(review)
        if review.stage not in (Stage.PROPOSED, Stage.SCOPING, Stage.EVIDENCE):
            raise ValidationError("The report has been sent: the scope can no longer change.")
        early = review.steps.filter(due_on__lt=planned_start).first()
        if early is not None:
            errors["planned_start"] = f"The step “{early.title}” is due before this start: move it first"
        if errors:
            raise ValidationError(errors)
        review.scope, review.terms_of_reference = scope.strip(), terms_of_reference.strip()
        review.planned_start, review.planned_report = planned_start, planned_report
        review.response_working_days = response_working_days
        if review.stage == Stage.PROPOSED:
            review.stage = Stage.SCOPING
        review.save()
    return review


def step_add(*, review: Review, actor: Any, title: str, due_on: datetime.date) -> Step:
    _require(actor, "scrutiny.manage", review)
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "Enter the step"
    if review.planned_start and due_on < review.planned_start:
        errors["due_on"] = f"A step cannot be due before the review starts ({review.planned_start:%-d %B %Y})"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        return Step.objects.create(review=review, title=title.strip()[:200], due_on=due_on)


def step_done(*, step: Step, actor: Any, done_on: datetime.date | None = None) -> Step:
    _require(actor, "scrutiny.manage", step.review)
    done_on = done_on or _today()
    if done_on > _today():
        raise ValidationError({"done_on": "The date it was done cannot be in the future"})
    with transaction.atomic(), set_actor(actor):
        step.done_on = done_on
        step.save(update_fields=["done_on"])
    return step


def evidence_add(
    *,
    review: Review,
    actor: Any,
    kind: str,
    title: str,
    notes: str = "",
    link: str = "",
    gathered_on: datetime.date | None = None,
    submission_key: str = "",
) -> Evidence:
    """Evidence for the review's log, added by staff or a member of the panel."""
    _require(actor, "scrutiny.contribute", review)
    errors: dict[str, str] = {}
    if kind not in Evidence.Kind.values:
        errors["kind"] = "Choose what kind of evidence it is"
    if not title.strip():
        errors["title"] = "Give the evidence a title"
    link = _check_link(link, errors)
    gathered_on = gathered_on or _today()
    if gathered_on > _today():
        errors["gathered_on"] = "The date it was gathered cannot be in the future"
    if errors:
        raise ValidationError(errors)

    def make() -> Evidence:
        current = _locked(review)
        if current.stage not in (Stage.SCOPING, Stage.EVIDENCE):
            raise ValidationError("Evidence is gathered once the review is scoped and before its report is sent.")
        if current.stage == Stage.SCOPING:
            current.stage = Stage.EVIDENCE
            current.save(update_fields=["stage"])
        return Evidence.objects.create(review=review, kind=kind, title=title.strip()[:200], notes=notes.strip(),
                                       link=link, gathered_on=gathered_on, added_by=actor)  # fmt: skip

    with transaction.atomic(), set_actor(actor):
        return submit_once(key=submission_key, namespace="scrutiny", make=make)


def recommendation_add(*, review: Review, actor: Any, text: str) -> Recommendation:
    """The next numbered recommendation of the panel's report."""
    _require(actor, "scrutiny.contribute", review)
    if not text.strip():
        raise ValidationError({"text": "Enter the recommendation"})
    with transaction.atomic(), set_actor(actor):
        current = _locked(review)
        if current.stage not in (Stage.SCOPING, Stage.EVIDENCE):
            raise ValidationError("Recommendations are made before the report is sent.")
        number = (current.recommendations.aggregate(n=Max("number"))["n"] or 0) + 1
        return Recommendation.objects.create(review=current, number=number, text=text.strip())


def report_send(*, review: Review, actor: Any, findings: str, sent_on: datetime.date | None = None) -> Review:
    """Send the panel's report (its findings and recommendations) to the landlord. Its response is
    due the review's number of working days later, by the landlord's working-day calendar."""
    _require(actor, "scrutiny.manage", review)
    sent_on = sent_on or _today()
    errors: dict[str, str] = {}
    if not findings.strip():
        errors["findings"] = "Write the panel's findings"
    if sent_on > _today():
        errors["sent_on"] = "The date it was sent cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        review = _locked(review)
        if review.stage not in (Stage.SCOPING, Stage.EVIDENCE):
            raise ValidationError("Only a scoped review whose report has not been sent can send one.")
        if not review.recommendations.exists():
            raise ValidationError("Add at least one recommendation first.")
        review.findings = findings.strip()
        review.report_sent_on = sent_on
        review.response_due_on = calendar_for(review.organisation).add_working_days(sent_on,
                                                                                   review.response_working_days)  # fmt: skip
        review.stage = Stage.RESPONSE
        review.save()
    return review


@dataclass(frozen=True)
class ActionIn:
    description: str
    owner: str
    due_on: datetime.date


def recommendation_respond(
    *,
    recommendation: Recommendation,
    actor: Any,
    response: str,
    reasons: str = "",
    actions: Iterable[ActionIn] = (),
    responded_on: datetime.date | None = None,
) -> Recommendation:
    """The landlord's formal response to one recommendation, once. Accepted or partly accepted:
    the actions it will take, each with an owner and a date. Partly or not accepted: the reasons.
    When every recommendation has its response, the panel starts checking the actions."""
    review = recommendation.review
    _require(actor, "scrutiny.respond", review)
    actions = list(actions)
    responded_on = responded_on or _today()
    errors: dict[str, str] = {}
    if response not in Recommendation.Response.values:
        errors["response"] = "Choose accepted, partly accepted or not accepted"
    if response in (Recommendation.Response.PARTLY, Recommendation.Response.NOT_ACCEPTED) and not reasons.strip():
        errors["reasons"] = "Give the reasons for not accepting it in full"
    if response in (Recommendation.Response.ACCEPTED, Recommendation.Response.PARTLY) and not actions:
        errors["actions"] = "Say what will be done, by whom and by when"
    if response == Recommendation.Response.NOT_ACCEPTED and actions:
        errors["actions"] = "A recommendation not accepted has no actions"
    for a in actions:
        if not a.description.strip() or not a.owner.strip():
            errors["actions"] = "Each action needs what will be done and who will do it"
        elif a.due_on < responded_on:
            errors["actions"] = "An action cannot be due before the response"
    if responded_on > _today():
        errors["responded_on"] = "The date of the response cannot be in the future"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), set_actor(actor):
        review = _locked(review)
        found = Recommendation.objects.select_for_update().filter(pk=recommendation.pk, review=review).first()
        if found is None:
            raise ValidationError("There is no such recommendation in this review.")
        recommendation = found
        if review.stage != Stage.RESPONSE:
            raise ValidationError("The landlord responds once the panel's report has been sent.")
        if recommendation.response:
            raise ValidationError("This recommendation already has its response.")
        recommendation.response = response
        recommendation.response_reasons = reasons.strip()
        recommendation.responded_on, recommendation.responded_by = responded_on, actor
        recommendation.save()
        Action.objects.bulk_create(
            [Action(recommendation=recommendation, description=a.description.strip(), owner=a.owner.strip()[:200],
                    due_on=a.due_on) for a in actions]
        )  # fmt: skip
        if not review.recommendations.filter(response="").exists():
            review.stage = Stage.MONITORING
            review.save(update_fields=["stage"])
    return recommendation


def action_done(*, action: Action, actor: Any, done_on: datetime.date | None = None, note: str = "") -> Action:
    """An agreed action done, with a note of what was done (staff, who report it to the panel)."""
    _require(actor, "scrutiny.manage", action.recommendation.review)
    done_on = done_on or _today()
    if done_on > _today():
        raise ValidationError({"done_on": "The date it was done cannot be in the future"})
    with transaction.atomic(), set_actor(actor):
        action = Action.objects.select_for_update().get(pk=action.pk)
        if action.done_on is not None:
            raise ValidationError("This action is already marked done.")
        action.done_on, action.progress_note = done_on, note.strip()
        action.save(update_fields=["done_on", "progress_note"])
    return action


def review_close(*, review: Review, actor: Any, impact_note: str, closed_on: datetime.date | None = None) -> Review:
    """Close the review once every agreed action is done, with a note of the difference it made."""
    _require(actor, "scrutiny.contribute", review)
    if not impact_note.strip():
        raise ValidationError({"impact_note": "Say what difference the review made"})
    with transaction.atomic(), set_actor(actor):
        review = _locked(review)
        if review.stage != Stage.MONITORING:
            raise ValidationError("A review closes once the landlord has responded to every recommendation.")
        open_actions = list(
            Action.objects.filter(recommendation__review=review, done_on__isnull=True).values_list("description",
                                                                                                  flat=True)
        )  # fmt: skip
        if open_actions:
            raise ValidationError(
                f"{len(open_actions)} agreed action{'s are' if len(open_actions) != 1 else ' is'} not done yet, "
                f"the first: “{open_actions[0][:80]}”."
            )
        review.impact_note = impact_note.strip()
        review.closed_on = closed_on or _today()
        review.stage = Stage.CLOSED
        review.save()
    return review
