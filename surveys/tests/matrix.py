"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from accounts.models import Role
    from surveys import services
    from surveys.models import Invitation
    from surveys.tests.factories import repairs_survey

    officer = make_user(Role.INVOLVEMENT_OFFICER, username="matrix-survey-officer")
    survey = repairs_survey(org, officer)
    invitation = Invitation.objects.create(survey=survey, resident=resident)
    services.response_enter(survey=survey, actor=officer, method="paper",
                            values={"q1": "Very satisfied", "q2": "No", "q5": "Good service"})  # fmt: skip
    text_answer = survey.responses.get().answers.get(question__code="q5")
    from opportunities.tests.factories import OpportunityFactory

    focus_group = services.focus_group_link(survey=survey, actor=officer,
                                            opportunity=OpportunityFactory(organisation=org))  # fmt: skip
    return {
        "surveys": survey.pk,
        "questions": survey.live_version.questions.first().pk,
        "answers": text_answer.pk,
        "token": services.token_for(invitation),
        "answer": services.token_for(invitation),
        "page": 1,
        "focus-groups": focus_group.pk,
        "you-said-we-did": services.change_record(
            survey=survey, actor=officer, you_said="Evenings", we_did="Evening slots"
        ).pk,  # fmt: skip
    }
