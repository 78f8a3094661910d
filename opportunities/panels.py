"""The involvement section of a resident's record: invitations, time given and awards."""

from __future__ import annotations

from typing import Any

from core.permissions import has_permission
from opportunities.selectors import resident_involvement
from people.record import Panel


def resident_panel(*, user: Any, resident: Any) -> Panel | None:
    if not has_permission(user, "opportunity.view"):
        return None
    return Panel(
        "Invitations and time given",
        "opportunities/_record_panel.html",
        {"involvement": resident_involvement(resident=resident)},
    )
