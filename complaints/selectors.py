"""Reads for concerns and complaints: what is due, at risk and late."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from complaints.models import Case, CaseStage, Stage
from core.permissions import scope


@dataclass
class DueLists:
    """Open stages of cases, by when their response is due (the extended date when extended)."""

    late: list[CaseStage] = field(default_factory=list)
    due_today: list[CaseStage] = field(default_factory=list)
    due_this_week: list[CaseStage] = field(default_factory=list)
    # Acknowledgements overdue, whatever the response date.
    acknowledgement_late: list[CaseStage] = field(default_factory=list)
    # Waiting for the meeting of the panel that considers them (no due date yet).
    waiting_for_meeting: list[CaseStage] = field(default_factory=list)


def open_stages(*, user: Any) -> QuerySet[CaseStage]:
    return (
        scope(CaseStage.objects.all(), user, "complaints.view")
        .filter(responded_at__isnull=True, case__status=Case.Status.OPEN, stage__external=False)
        .select_related("case", "stage", "case__resident", "meeting")
    )


def due_lists(*, user: Any, today: datetime.date) -> DueLists:
    """Late, due today and due in the rest of this week (to Sunday), in due-date order."""
    week_end = today + datetime.timedelta(days=6 - today.weekday())
    lists = DueLists()
    stages = open_stages(user=user).filter(
        Q(respond_due__isnull=False)
        | Q(acknowledge_due__isnull=False, acknowledged_at__isnull=True)
        | Q(stage__respond_from=Stage.Clock.MEETING, meeting__isnull=True)
    )
    for cs in sorted(stages, key=lambda s: (s.due or datetime.date.max, s.pk)):
        due = cs.due
        if cs.acknowledged_at is None and cs.acknowledge_due is not None and cs.acknowledge_due < today:
            lists.acknowledgement_late.append(cs)
        if due is None:
            if cs.stage.respond_from == Stage.Clock.MEETING and cs.meeting_id is None:
                lists.waiting_for_meeting.append(cs)
        elif due < today:
            lists.late.append(cs)
        elif due == today:
            lists.due_today.append(cs)
        elif due <= week_end:
            lists.due_this_week.append(cs)
    return lists
