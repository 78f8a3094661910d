"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    return {}
