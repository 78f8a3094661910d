"""The training section of a resident's record."""

from __future__ import annotations

from typing import Any

from core.permissions import has_permission
from people.record import Panel
from resources.models import TrainingRecord


def resident_panel(*, user: Any, resident: Any) -> Panel | None:
    if not has_permission(user, "resident.view"):
        return None
    records = list(TrainingRecord.objects.filter(resident=resident).select_related("course"))
    return Panel("Training", "resources/_record_panel.html", {"records": records})
