"""The demo landlord's concerns and complaints: dates from the calendar, a bit of everything, safe to rebuild."""

from __future__ import annotations

import pytest

from accounts.models import User
from complaints.models import Case, CaseStage
from core.models import Message
from people.demo import build_demo, delete_demo

pytestmark = pytest.mark.django_db


def test_demo_has_cases_at_every_point_and_rebuilds(client):
    build_demo(residents=400, seed=5)
    assert Case.objects.filter(kind="complaint").count() >= 30
    assert {k for (k,) in Case.objects.values_list("kind").distinct()} == set(Case.Kind.values)
    timeliness = set(CaseStage.objects.exclude(timeliness="").values_list("timeliness", flat=True))
    assert timeliness == {"in_time", "extended", "late"}
    assert CaseStage.objects.filter(stage__code="stage-2").exists()
    assert Case.objects.filter(status="open").exists() and Case.objects.filter(learning_published=True).exists()
    assert not Message.objects.filter(template="complaint_letter").exclude(status="sent").exists()
    first = list(Case.objects.order_by("reference").values_list("reference", "kind", "received_at", "status"))

    resident = User.objects.get(username="resident")
    client.force_login(resident)
    mine = Case.objects.get(resident__user=resident)
    assert "Take it further" in client.get(f"/your-cases/{mine.pk}/").content.decode()
    client.force_login(User.objects.get(username="officer"))
    assert client.get("/staff/complaints/").status_code == 200

    delete_demo()
    assert not Case.objects.exists()
    build_demo(residents=400, seed=5)
    again = list(Case.objects.order_by("reference").values_list("reference", "kind", "received_at", "status"))
    assert [row[1:] for row in again] == [row[1:] for row in first]
