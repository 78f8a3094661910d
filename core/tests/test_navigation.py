"""The staff navigation: sections a role may use, each page marked where it belongs."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from accounts.models import Role
from core.navigation import STAFF_SECTIONS
from core.permissions import POLICY, has_permission

pytestmark = pytest.mark.django_db

STAFF_ROLES = (Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER, Role.PARTNERSHIP_VIEWER)


def _top_level(html: str) -> list[str]:
    nav = html.split('id="navigation"', 1)[1].split("</ul>", 1)[0]
    return [
        re.sub(r"<[^>]+>", "", label).strip() for label in re.findall(r'service-navigation__link"[^>]*>(.*?)</a>', nav)
    ]


def test_every_link_names_a_policy_action():
    for section in STAFF_SECTIONS:
        for link in section.links:
            assert link.action in POLICY, link


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_each_role_sees_only_the_sections_and_pages_it_may_use(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    html = client.get("/staff/").content.decode()
    expected = [s.label for s in STAFF_SECTIONS if any(has_permission(user, link.action) for link in s.links)]
    assert _top_level(html) == [*expected, "Your account"]


def test_every_page_in_the_navigation_is_marked_where_it_belongs(client, make_user):
    """Each page's view sets the section its link names: on a section's first page the section
    is the current page; on the others the section is marked and the page is current in the
    second row."""
    client.force_login(make_user(Role.ADMINISTRATOR))
    for section in STAFF_SECTIONS:
        for n, link in enumerate(section.links):
            html = client.get(reverse(link.url_name)).content.decode()
            current = "page" if n == 0 else "true"
            assert re.search(
                rf'aria-current="{current}"><strong class="govuk-service-navigation__active-fallback">{section.label}<',
                html,
            ), (link, current)
            if len(section.links) > 1:
                assert re.search(rf'aria-current="page">{re.escape(link.label)}</a>', html), link
            else:
                assert "inv-sub-navigation" not in html


def test_a_manager_can_reach_imports_but_a_partnership_viewer_cannot(client, make_user):
    client.force_login(make_user(Role.MANAGER))
    assert 'href="/staff/imports/"' in client.get("/staff/").content.decode()
    client.force_login(make_user(Role.PARTNERSHIP_VIEWER))
    assert 'href="/staff/imports/"' not in client.get("/staff/").content.decode()
