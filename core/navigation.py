"""The staff navigation: a few top-level sections, each with the pages under it.

Fifteen links in one row wrapped onto two lines and hid what mattered; now the service
navigation shows sections (Involvement, Performance, Data…) and a section with more than one
page shows its pages as a second row. Each link appears only to roles whose policy action
allows it, so no one is offered a page that would refuse them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from core.permissions import has_permission


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    section: str  # the `active_section` the page's view sets
    action: str  # the policy action that must allow it


@dataclass(frozen=True)
class Section:
    label: str
    links: tuple[Link, ...]


STAFF_SECTIONS = (
    Section("Dashboard", (Link("Dashboard", "people:dashboard", "dashboard", "staff.dashboard"),)),
    Section("Residents", (Link("Residents", "people:resident-list", "residents", "resident.view"),)),
    Section("Groups", (Link("Groups", "groups:group-list", "groups", "group.view"),)),
    Section(
        "Involvement",
        (
            Link("Opportunities", "opportunities:opportunity-list", "involvement", "opportunity.view"),
            Link("Mystery shopping", "inspections:shopping", "mystery-shopping", "inspection.view"),
            Link("Walkabouts", "inspections:walkabout-list", "walkabouts", "inspection.view"),
            Link("Estate funds", "budgeting:fund-list", "estate-funds", "fund.view"),
            Link("Concerns and complaints", "complaints:overview", "complaints", "complaints.view"),
            Link("Surveys", "surveys:survey-list", "surveys", "survey.view"),
        ),
    ),
    Section(
        "Performance",
        (
            Link("Results", "performance:overview", "performance", "performance.view"),
            Link("Local offer", "standards:offer", "local-offer", "standards.view"),
            Link("Tenant Satisfaction Measures", "tsm:benchmark", "tsm", "tsm.view"),
            Link("Tenant satisfaction survey", "perception:list", "tenant-satisfaction", "survey.view"),
        ),
    ),
    Section(
        "Data",
        (
            Link("Imports", "core:import-list", "imports", "imports.use"),
            Link("Messages", "core:message-list", "messages", "messages.view"),
            Link("Working-day calendar", "core:calendar", "calendar", "calendar.view"),
        ),
    ),
)


def staff_navigation(user: Any) -> list[dict[str, Any]]:
    """The sections this user may use, each with its visible links (first one is where the
    section's own link goes), ready for templates/base.html."""
    sections = []
    for section in STAFF_SECTIONS:
        links = [
            {"label": link.label, "href": reverse(link.url_name), "section": link.section}
            for link in section.links
            if has_permission(user, link.action)
        ]
        if links:
            sections.append(
                {
                    "label": section.label,
                    "href": links[0]["href"],
                    "first_section": links[0]["section"],
                    "sections": [link["section"] for link in links],
                    "links": links,
                }
            )
    return sections
