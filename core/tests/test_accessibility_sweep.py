"""axe-core on every page: each URL of the site, opened in Chromium as a role that may see it,
with the same test objects as the role matrix. Journeys check pages in use; this makes sure no
page is left out, including ones no journey reaches."""

from __future__ import annotations

import pytest

from accounts.models import Role
from core.permissions import POLICY
from core.tests.test_role_matrix import ROUTES, _action, _app_patterns, _concrete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The role each page is viewed as: the first listed that the page's action allows.
VIEWERS = [Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER, Role.INVOLVED_RESIDENT, Role.RESIDENT]


def _viewer(action: str) -> str | None:
    if action == "public":
        return None
    return next(role for role in VIEWERS if role in POLICY[action])


def test_every_page_passes_axe(page, axe_check, client, make_user, world, live_server):
    patterns = dict(_app_patterns())
    users: dict[str, object] = {}
    checked, not_pages = [], []
    for route in ROUTES:
        url = _concrete(route, world)
        role = _viewer(_action(patterns[route]))
        client.logout()
        page.context.clear_cookies()
        if role is not None:
            if role not in users:
                users[role] = make_user(role, username=f"axe-{role}")
            client.force_login(users[role])
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        # Ask first without a browser: downloads, feeds, POST-only actions and redirects are not pages.
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            not_pages.append(f"{url} ({response.status_code})")
            continue
        page.goto(url)
        axe_check(page, f"{url} as {role or 'anonymous'}")
        checked.append(url)
    assert page.console_errors == []
    # Most routes are pages; if this drops, the objects in <app>/tests/matrix.py have gone stale.
    assert len(checked) >= len(ROUTES) // 2, f"only {len(checked)} pages checked; not pages: {not_pages}"
