"""The demo landlord's consultations: a closed one with its "you said, we did", one open, a poll."""

from __future__ import annotations

import pytest

from accounts.models import User
from core.models import Message
from people.demo import build_demo
from surveys import selectors
from surveys.models import InboundText, Survey

pytestmark = pytest.mark.django_db


def test_demo_has_a_consultation_an_open_survey_and_a_poll(client):
    build_demo(residents=1500, seed=5)
    consultation = Survey.objects.get(kind="consultation")
    assert consultation.summary_published_at and consultation.changes.count() == 3
    assert consultation.focus_groups.get().themes.exists()
    themes = {name: (a, g) for name, a, g in selectors.theme_counts(survey=consultation)}
    assert themes["Appointment times"][0] > 0 and themes["Appointment times"][1] == 1
    live = Survey.objects.get(title="Estate cleaning")
    assert live.is_open() and selectors.progress(survey=live).answered_invited > 0
    poll = Survey.objects.get(kind="poll")
    assert InboundText.objects.filter(survey=poll, outcome="counted").exists()
    assert not Message.objects.filter(template__in=["survey_invitation", "poll_invitation"], status="queued").exists()
    client.force_login(User.objects.get(username="officer"))
    assert client.get(f"/staff/surveys/{consultation.pk}/results/").status_code == 200
    page = client.get(f"/consultations/{consultation.organisation.slug}/").content.decode()
    assert "You said: Remind us the day before" in page
