"""Every URL, visited as every role. A view without a permission mark fails here, and each
view must answer exactly as core.permissions.POLICY says for each role."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Role
from core.permissions import POLICY

# Served by other machinery with its own checks: Django's admin (is_staff) and the API (tokens; see api/tests).
EXEMPT_PREFIXES = ("django-admin/", "api/v1/")
ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role.values]


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _app_patterns():
    return [(route, p) for route, p in _walk(get_resolver().url_patterns) if not route.startswith(EXEMPT_PREFIXES)]


def _action(pattern: URLPattern) -> str | None:
    callback = pattern.callback
    view_class = getattr(callback, "view_class", None)
    if view_class is not None:
        return getattr(view_class.dispatch, "involve_action", None)
    return getattr(callback, "involve_action", None)


def test_every_view_declares_its_permission():
    unguarded = [route for route, p in _app_patterns() if _action(p) is None]
    assert unguarded == [], f"Views without @permission_required or @public: {unguarded}"


def test_every_declared_action_is_in_the_policy():
    actions = {_action(p) for _, p in _app_patterns()} - {"public"}
    assert actions <= set(POLICY)


ROUTES = sorted(route for route, _ in _app_patterns())


def _concrete(route: str, world) -> str:
    path = "/" + route
    # Replace each <converter:name> in turn with the object named by the segment before it.
    while "<" in path:
        start = path.index("<")
        end = path.index(">", start)
        segment = path[:start].rstrip("/").rsplit("/", 1)[-1]
        name = path[start + 1 : end].rsplit(":", 1)[-1]
        if name == "slug":
            value = world["slug"]
        elif name not in ("pk", "token") and name in world["pk"]:
            # A named parameter (e.g. <slug:fund_slug>) is looked up by its own name.
            value = world["pk"][name]
        elif segment in world["pk"]:
            value = world["pk"][segment]
        else:
            break
        path = path[:start] + str(value) + path[end + 1 :]
    return path


def _expected_allowed(action: str, role: str) -> bool:
    if action == "public":
        return True
    return role != ANONYMOUS and role in POLICY[action]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(client, make_user, world, route, role):
    pattern = dict(_app_patterns())[route]
    action = _action(pattern)
    url = _concrete(route, world)
    assert "<" not in url, f"No test object for {route}"
    if role != ANONYMOUS:
        client.force_login(make_user(role, username=f"matrix-{role}"))
    response = client.get(url)
    if response.status_code == 405:
        response = client.post(url)
    allowed = _expected_allowed(action, role)
    if allowed:
        assert response.status_code not in (401, 403), f"{role} should reach {url}"
        assert not (response.status_code == 302 and "/account/sign-in/" in response["Location"]), url
        assert response.status_code < 500
    elif role == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith("/account/sign-in/"), url
    else:
        assert response.status_code == 403, f"{role} got {response.status_code} at {url}; policy says no"


def test_docs_permissions_table_mirrors_the_policy():
    """docs/permissions.md is what people read; it must say exactly what POLICY does."""
    from pathlib import Path

    from django.conf import settings

    columns = [Role.ADMINISTRATOR, Role.INVOLVEMENT_OFFICER, Role.MANAGER, Role.PARTNERSHIP_VIEWER]
    columns += [Role.INVOLVED_RESIDENT, Role.RESIDENT]
    documented = {}
    for line in (Path(settings.BASE_DIR) / "docs" / "permissions.md").read_text().splitlines():
        if not line.startswith("| `"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        action = cells[0].split("`")[1]
        documented[action] = {role for role, cell in zip(columns, cells[1:], strict=True) if cell == "✓"}
    assert documented == {action: set(roles) for action, roles in POLICY.items()}
