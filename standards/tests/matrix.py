"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    """Map a URL segment before <int:pk> (e.g. "groups") to the pk of an object of `org`,
    and "<token>" segments (e.g. "invitations") to a token string."""
    from groups.models import (
        DocumentVersion,
        Election,
        ElectionPosition,
        GroupDocument,
        MemberRole,
        PersonalCalendar,
        RecognitionEvidence,
        RecognitionReview,
    )
    from groups.tests.factories import ActionFactory, GroupFactory, MeetingFactory, MembershipFactory, PaperFactory

    group = GroupFactory(organisation=org, name="Matrix Panel", is_published=True)
    membership = MembershipFactory(group=group, resident=resident, role=MemberRole.CHAIR)
    meeting = MeetingFactory(group=group, days_ahead=20)
    # File names only: the matrix checks who may reach a page, and writes nothing to MEDIA_ROOT
    # (a missing file answers 404, which the matrix accepts for a role that is allowed in).
    paper = PaperFactory(meeting=meeting, file="groups/matrix/paper.pdf")
    past = MeetingFactory(group=group, starts_at=timezone.now() - datetime.timedelta(days=7))
    action = ActionFactory(meeting=past)
    document = GroupDocument.objects.create(group=group, kind="terms_of_reference", title="Terms of reference")
    version = DocumentVersion.objects.create(
        document=document,
        number=1,
        file="groups/matrix/tor.pdf",
        original_name="tor.pdf",
        agreed_on=timezone.localdate(),
    )
    review = RecognitionReview.objects.create(group=group)
    evidence = RecognitionEvidence.objects.create(
        review=review,
        criterion="constitution",
        meets=True,
        note="Seen",
        file="groups/matrix/c.pdf",
        original_name="c.pdf",
    )
    election = Election.objects.create(group=group, held_on=timezone.localdate())
    position = ElectionPosition.objects.create(election=election, role=MemberRole.CHAIR)
    calendar = PersonalCalendar.objects.create(resident=resident)
    return {
        "groups": group.pk,
        "members": membership.pk,
        "documents": version.pk,
        "evidence": evidence.pk,
        "elections": election.pk,
        "results": position.pk,
        "meetings": meeting.pk,
        "papers": paper.pk,
        "actions": action.pk,
        "venues": meeting.venue_id,
        "calendar": calendar.token,
        "group-feed": group.calendar_token,
    }
