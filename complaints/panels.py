"""The concerns and complaints section of a resident's record."""

from __future__ import annotations

from typing import Any

from complaints.models import Case
from core.permissions import has_permission
from people.record import Panel


def resident_panel(*, user: Any, resident: Any) -> Panel | None:
    if not has_permission(user, "complaints.view"):
        return None
    cases = list(Case.objects.filter(resident=resident).order_by("-received_at")[:20])
    return Panel("Concerns and complaints", "complaints/_record_panel.html", {"cases": cases})
