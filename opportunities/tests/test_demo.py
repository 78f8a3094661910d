"""This app's part of the demo landlord."""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from accounts.models import User
from opportunities.models import Invitation, InvolvementSettings, MenuItem, Opportunity, TimeAward, TimeEntry
from opportunities.selectors import match_residents
from people.demo import build_demo, delete_demo

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(
        Invitation.objects.order_by("opportunity__title", "resident__person_ref").values_list(
            "opportunity__title", "resident__person_ref", "status", "attended"
        )
    )


def test_demo_has_a_populated_menu_opportunities_and_time(client):
    build_demo(residents=800, seed=7)
    officer = User.objects.get(username="officer")
    org = officer.organisation
    assert MenuItem.objects.filter(organisation=org).exclude(preset_code="").count() == 25
    assert InvolvementSettings.objects.get(organisation=org).award_hours == [10, 25, 50]
    opportunities = Opportunity.objects.filter(organisation=org)
    assert opportunities.filter(status=Opportunity.Status.CLOSED).count() == 3
    assert opportunities.filter(status=Opportunity.Status.OPEN).count() == 3
    statuses = Counter(Invitation.objects.filter(organisation=org).values_list("status", flat=True))
    assert statuses["accepted"] and statuses["declined"] and statuses["invited"] and statuses["waiting"]
    assert (
        Invitation.objects.filter(attended=True).count() == TimeEntry.objects.filter(invitation__isnull=False).count()
    )
    assert TimeEntry.objects.filter(invitation__isnull=True).exists()
    assert TimeAward.objects.filter(hours=10).exists()
    # Never more people coming than places.
    for opportunity in opportunities:
        assert opportunity.invitations.filter(status="accepted").count() <= opportunity.capacity
    # The demo's involved resident has an invitation to answer and hours to see.
    client.force_login(User.objects.get(username="panel"))
    page = client.get(reverse("opportunities:own-involvement")).content.decode()
    assert "Standards task team" in page and "No answer yet" in page
    # Matching works on it.
    mystery = opportunities.get(title__startswith="Mystery shop")
    assert match_residents(user=officer, opportunity=mystery).total > 0


def test_demo_is_deterministic():
    build_demo(residents=400, seed=3)
    first = _snapshot()
    assert first
    delete_demo()
    build_demo(residents=400, seed=3)
    assert _snapshot() == first
