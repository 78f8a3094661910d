"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    """Map a URL segment before <int:pk> (e.g. "groups") to the pk of an object of `org`,
    and "<token>" segments (e.g. "invitations") to a token string."""
    return {}
