"""Reads for tenant-led scrutiny: a panel's programme, one review, and responses that are late."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from core.permissions import INVOLVED, scope
from scrutiny.models import Review


def review_list(*, user: Any, panel: Any = None) -> QuerySet[Review]:
    """The reviews this user may see (an involved resident: their own panels' only), newest first,
    with how many recommendations each has and how many still wait for a response."""
    reviews = scope(Review.objects.all(), user, "scrutiny.view")
    if getattr(user, "role", None) == INVOLVED:
        from groups.models import Membership

        resident = getattr(user, "resident", None)
        if resident is None:
            return reviews.none()
        reviews = reviews.filter(
            panel_id__in=Membership.objects.open().filter(resident=resident).values_list("group_id")
        )
    if panel is not None:
        reviews = reviews.filter(panel=panel)
    return reviews.select_related("panel").annotate(
        recommendation_count=Count("recommendations", distinct=True),
        waiting=Count("recommendations", filter=Q(recommendations__response=""), distinct=True),
    )


def review_get(*, user: Any, pk: int) -> Review:
    review = review_list(user=user).filter(pk=pk).first()
    if review is None:
        raise Http404
    return review


def responses_late(*, user: Any, today: datetime.date | None = None) -> QuerySet[Review]:
    """Reviews whose report has had no full response by its due date."""
    day = today or timezone.localdate()
    return review_list(user=user).filter(stage=Review.Stage.RESPONSE, response_due_on__lt=day)
