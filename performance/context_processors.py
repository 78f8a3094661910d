"""Whether the signed-in resident sits on a group that monitors performance, for the navigation.

Lazy: worked out only when a template asks (the residents' navigation), so staff pages and
anonymous pages run no query for it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject


def monitoring(request: HttpRequest) -> dict[str, Any]:
    def is_member() -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        from performance.selectors import monitoring_groups

        return bool(monitoring_groups(user=user))

    return {"monitors_performance": SimpleLazyObject(is_member)}
