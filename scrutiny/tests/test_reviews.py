"""A scrutiny review end to end: proposed, scoped, evidence, report, responses, actions, closed."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from groups.models import GroupKind
from groups.tests.factories import GroupFactory, MembershipFactory
from people.tests.factories import ResidentFactory
from scrutiny import selectors, services
from scrutiny.models import Review
from scrutiny.services import ActionIn, PromptIn

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 11, 20)  # a Friday


@pytest.fixture(autouse=True)
def today():
    with mock.patch("scrutiny.services._today", return_value=TODAY):
        yield


@pytest.fixture
def people(org, make_user):
    panel = GroupFactory(organisation=org, name="Independent Tenant Scrutiny Panel")
    member = ResidentFactory(organisation=org)
    MembershipFactory(group=panel, resident=member)
    member_user = make_user(Role.INVOLVED_RESIDENT, username="panel-member")
    member.user = member_user
    member.save()
    outsider = ResidentFactory(organisation=org)
    outsider.user = make_user(Role.INVOLVED_RESIDENT, username="outsider")
    outsider.save()
    return {
        "panel": panel,
        "officer": make_user(Role.INVOLVEMENT_OFFICER, username="officer"),
        "manager": make_user(Role.MANAGER, username="manager"),
        "member": member_user,
        "outsider": outsider.user,
    }


def _scoped(org, p):
    review = services.review_propose(
        organisation=org, actor=p["officer"], panel=p["panel"], title="Void repairs: getting homes ready to let",
        reasons="Re-let times are the worst in the local offer and complaints about the state of new homes are rising.",
        prompts=[PromptIn("measure", "Average re-let time 42 days against a target of 28", "/staff/performance/"),
                 PromptIn("complaints", "Complaints about the condition of new homes up from 6 to 19")],
    )  # fmt: skip
    return services.review_scope(review=review, actor=p["officer"], scope="How empty homes are repaired and let.",
                                 terms_of_reference="The panel will ...", planned_start=D(2026, 9, 1),
                                 planned_report=D(2026, 11, 30), response_working_days=25)  # fmt: skip


def test_a_review_runs_from_topic_to_closure_with_the_response_due_in_working_days(org, people):
    p = people
    review = _scoped(org, p)
    assert review.stage == Review.Stage.SCOPING and review.prompts.count() == 2
    services.step_add(review=review, actor=p["officer"], title="Shadow the voids team", due_on=D(2026, 9, 15))
    # A member of the panel adds evidence; someone outside the panel cannot.
    services.evidence_add(review=review, actor=p["member"], kind="shadowing", title="A day with the voids team",
                          notes="Keys wait two days for collection.", gathered_on=D(2026, 9, 15))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.evidence_add(review=review, actor=p["outsider"], kind="document", title="x")
    review.refresh_from_db()
    assert review.stage == Review.Stage.EVIDENCE
    first = services.recommendation_add(review=review, actor=p["member"], text="Collect keys on the day a tenancy ends")
    second = services.recommendation_add(review=review, actor=p["member"], text="Publish the lettable standard")
    third = services.recommendation_add(review=review, actor=p["officer"], text="Employ a voids co-ordinator")
    assert [r.number for r in (first, second, third)] == [1, 2, 3]

    review = services.report_send(review=review, actor=p["officer"], findings="Homes wait for keys and parts.")
    # 25 working days from Friday 20 November 2026, past Christmas Day and the Boxing Day holiday
    # (Monday 28 December, as 26 December is a Saturday).
    assert review.stage == Review.Stage.RESPONSE and review.response_due_on == D(2026, 12, 29)
    with pytest.raises(ValidationError):
        services.recommendation_add(review=review, actor=p["member"], text="Too late")

    with pytest.raises(PermissionDenied):
        services.recommendation_respond(recommendation=first, actor=p["officer"], response="accepted",
                                        actions=[ActionIn("Same-day key collection", "Voids manager", D(2027, 1, 31))])  # fmt: skip
    services.recommendation_respond(recommendation=first, actor=p["manager"], response="accepted",
                                    actions=[ActionIn("Same-day key collection", "Voids manager", D(2027, 1, 31))])  # fmt: skip
    with pytest.raises(ValidationError, match="already"):
        services.recommendation_respond(recommendation=first, actor=p["manager"], response="not_accepted",
                                        reasons="Changed our mind")  # fmt: skip
    services.recommendation_respond(recommendation=second, actor=p["manager"], response="partly",
                                    reasons="We will publish it online first, in print next year.",
                                    actions=[ActionIn("Lettable standard online", "Lettings team", D(2027, 2, 28))])  # fmt: skip
    assert selectors.review_get(user=p["officer"], pk=review.pk).waiting == 1
    services.recommendation_respond(recommendation=third, actor=p["manager"], response="not_accepted",
                                    reasons="The budget for 2027/28 is set; we will look again next year.")  # fmt: skip
    review.refresh_from_db()
    assert review.stage == Review.Stage.MONITORING

    with pytest.raises(ValidationError, match="2 agreed actions are not done"):
        services.review_close(review=review, actor=p["member"], impact_note="Homes let faster.")
    for action in (
        review.recommendations.get(number=1).actions.all() | review.recommendations.get(number=2).actions.all()
    ):
        services.action_done(action=action, actor=p["officer"], note="Done and checked by the panel.")
    review = services.review_close(review=review, actor=p["member"], impact_note="Re-let time down to 30 days.")
    assert review.stage == Review.Stage.CLOSED and review.closed_on == TODAY


def test_bad_input_is_refused_whole(org, people):
    p = people
    other_group = GroupFactory(organisation=org, kind=GroupKind.TRA)
    with pytest.raises(ValidationError) as caught:
        services.review_propose(organisation=org, actor=p["officer"], panel=other_group, title="", reasons="",
                                prompts=[PromptIn("nonsense", "")])  # fmt: skip
    assert set(caught.value.message_dict) == {"panel", "title", "reasons", "prompts"}
    assert not Review.objects.exists()
    review = _scoped(org, p)
    with pytest.raises(ValidationError) as caught:
        services.step_add(review=review, actor=p["officer"], title="Too early", due_on=D(2026, 8, 1))
    assert "due_on" in caught.value.message_dict  # a step due before the review starts
    with pytest.raises(ValidationError) as caught:
        services.review_scope(review=review, actor=p["officer"], scope="", terms_of_reference="x",
                              planned_start=D(2026, 9, 1), planned_report=D(2026, 8, 1), response_working_days=0)  # fmt: skip
    assert set(caught.value.message_dict) == {"scope", "planned_report", "response_working_days"}
    with pytest.raises(ValidationError, match="at least one recommendation"):
        services.report_send(review=review, actor=p["officer"], findings="Nothing yet")
    services.recommendation_add(review=review, actor=p["officer"], text="Do better")
    review = services.report_send(review=review, actor=p["officer"], findings="Findings")
    rec = review.recommendations.get()
    for kwargs, field in [
        ({"response": "accepted"}, "actions"),
        ({"response": "partly", "actions": [ActionIn("x", "y", D(2027, 1, 1))]}, "reasons"),
        ({"response": "not_accepted", "reasons": "No", "actions": [ActionIn("x", "y", D(2027, 1, 1))]}, "actions"),
        ({"response": "accepted", "actions": [ActionIn("x", "y", D(2026, 1, 1))]}, "actions"),
        ({"response": "maybe"}, "response"),
    ]:
        with pytest.raises(ValidationError) as caught:
            services.recommendation_respond(recommendation=rec, actor=p["manager"], **kwargs)
        assert field in caught.value.message_dict, kwargs
    rec.refresh_from_db()
    assert rec.response == "" and not rec.actions.exists()
    other = _scoped(org, p)
    services.recommendation_add(review=other, actor=p["officer"], text="Elsewhere")
    stranger = other.recommendations.get()
    stranger.review = review  # a recommendation that is not this review's
    with pytest.raises(ValidationError, match="no such recommendation"):
        services.recommendation_respond(recommendation=stranger, actor=p["manager"], response="not_accepted",
                                        reasons="No")  # fmt: skip


def test_a_panel_member_sees_only_their_panels_reviews_and_late_responses_are_listed(org, people):
    p = people
    review = _scoped(org, p)
    other_panel = GroupFactory(organisation=org, name="Leaseholder scrutiny")
    services.review_propose(organisation=org, actor=p["officer"], panel=other_panel, title="Service charges",
                            reasons="Leaseholders asked")  # fmt: skip
    assert [r.title for r in selectors.review_list(user=p["member"])] == [review.title]
    assert selectors.review_list(user=p["outsider"]).count() == 0
    assert selectors.review_list(user=p["officer"]).count() == 2
    services.recommendation_add(review=review, actor=p["officer"], text="Do better")
    services.report_send(review=review, actor=p["officer"], findings="Findings", sent_on=D(2026, 10, 1))
    assert list(selectors.responses_late(user=p["officer"], today=D(2026, 12, 1))) == [review]
    assert not selectors.responses_late(user=p["officer"], today=D(2026, 10, 2)).exists()
