"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with.
The "measures" segment is the standards app's measure (a repairs measure of the same landlord)."""

from __future__ import annotations

import datetime
from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from performance.models import RemedialAction
    from performance.tests.factories import repairs_measure

    measure = repairs_measure(org, "matrix-performance", "2")
    action = RemedialAction.objects.create(
        organisation=org,
        measure=measure,
        period_start=datetime.date(2025, 5, 1),
        period_end=datetime.date(2025, 5, 31),
        description="Call every late job back",
        owner="Repairs manager",
        due_on=datetime.date(2025, 7, 31),
    )
    return {"remedial-actions": action.pk}
