"""Open every page under some URL prefixes once in Chromium, as the first role that may see it,
with the role matrix's test objects, and run axe-core on each. Each app's browser tests use it
for their own pages; core/tests/test_accessibility_sweep.py does the same for the whole site."""

from __future__ import annotations

from typing import Any

from accounts.models import Role
from core.permissions import POLICY
from core.tests.test_role_matrix import ROUTES, _action, _app_patterns, _concrete

VIEWERS = [Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER, Role.INVOLVED_RESIDENT, Role.RESIDENT]


def check_pages(prefixes: tuple[str, ...], *, page: Any, axe_check: Any, client: Any, make_user: Any, world: Any,
                live_server: Any) -> list[str]:  # fmt: skip
    """The URLs checked. Downloads, feeds, POST-only actions and redirects are not pages: skipped."""
    patterns = dict(_app_patterns())
    checked: list[str] = []
    users: dict[str, Any] = {}
    for route in [r for r in ROUTES if r.startswith(prefixes)]:
        url = _concrete(route, world)
        action = _action(patterns[route])
        client.logout()
        page.context.clear_cookies()
        if action != "public":
            role = next(r for r in VIEWERS if r in POLICY[action])
            if role not in users:
                users[role] = make_user(role, username=f"axe-{role}")
            client.force_login(users[role])
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        page.goto(url)
        axe_check(page, url)
        checked.append(url)
    return checked
