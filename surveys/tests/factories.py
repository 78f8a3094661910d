"""Surveys for tests: built through the services, so they are what staff would make."""

from __future__ import annotations

from typing import Any

from people.models import Consent
from people.tests.factories import ResidentFactory
from surveys import services
from surveys.models import Survey


def consenting_resident(org: Any, **kwargs: Any) -> Any:
    resident = ResidentFactory(organisation=org, **kwargs)
    Consent.objects.create(resident=resident, purpose=Consent.Purpose.INVOLVEMENT_CONTACT, method=Consent.Method.ONLINE)
    return resident


def repairs_survey(org: Any, actor: Any, *, publish: bool = True, anonymous: bool = False) -> Survey:
    """Two pages: satisfaction and whether they had a repair; page 2 (the repair's questions) is
    asked only of those who had one."""
    survey = services.survey_create(organisation=org, actor=actor, title="Repairs survey",
                                    purpose="Tell us about repairs.", anonymous=anonymous)  # fmt: skip
    page1 = survey.versions.get().sections.get()
    services.question_add(survey=survey, actor=actor, section=page1, kind="scale", text="How satisfied are you?",
                          options=["Very satisfied", "Fairly satisfied", "Neither", "Fairly dissatisfied",
                                   "Very dissatisfied"])  # fmt: skip
    services.question_add(survey=survey, actor=actor, section=page1, kind="single", text="Had a repair this year?",
                          options=["Yes", "No"])  # fmt: skip
    page2 = services.section_add(survey=survey, actor=actor, title="Your repair")
    services.question_add(survey=survey, actor=actor, section=page2, kind="multiple", text="What was good?",
                          options=["Quick", "Polite", "Tidy"], required=False, show_if_code="q2",
                          show_if_values=["Yes"])  # fmt: skip
    services.question_add(survey=survey, actor=actor, section=page2, kind="matrix", text="Rate the operative",
                          options=["Good", "Poor"], rows=["On time", "Explained"], show_if_code="q2",
                          show_if_values=["Yes"])  # fmt: skip
    page3 = services.section_add(survey=survey, actor=actor, title="Anything else")
    services.question_add(survey=survey, actor=actor, section=page3, kind="text", text="Anything else?", required=False)
    services.question_add(survey=survey, actor=actor, section=page3, kind="number", text="Years as a tenant",
                          required=False)  # fmt: skip
    if publish:
        services.survey_publish(survey=survey, actor=actor)
        survey.refresh_from_db()
    return survey
