"""Sections other apps add to a resident's record page, so `people` needs no import of them.

Each entry is a function `panel(*, user, resident) -> Panel | None` (None: nothing to show this
user). Apps lower in the stack never import apps above them; the record page asks each panel
in this order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

RECORD_PANELS = (
    "groups.panels.resident_panel",
    "opportunities.panels.resident_panel",
    "resources.panels.resident_panel",
    "complaints.panels.resident_panel",
)


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)


def record_panels(*, user: Any, resident: Any) -> list[Panel]:
    panels = []
    for path in RECORD_PANELS:
        build: Callable[..., Panel | None] = import_string(path)
        panel = build(user=user, resident=resident)
        if panel is not None:
            panels.append(panel)
    return panels
