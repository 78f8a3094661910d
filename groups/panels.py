"""The groups section of a resident's record (see people.record)."""

from __future__ import annotations

from typing import Any

from core.permissions import has_permission
from groups.selectors import my_memberships
from people.record import Panel


def resident_panel(*, user: Any, resident: Any) -> Panel | None:
    if not has_permission(user, "group.view"):
        return None
    return Panel("Groups", "groups/_record_panel.html", {"memberships": my_memberships(resident=resident)})
