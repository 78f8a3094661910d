"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any

from standards.models import Measure
from standards.tests.factories import MeasureFactory


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    measure = MeasureFactory(organisation=org, code="matrix-measure")
    milestone = MeasureFactory(
        organisation=org, commitment=measure.commitment, code="matrix-milestone", kind=Measure.Kind.MILESTONE
    )
    return {"measures": measure.pk, "commitments": measure.commitment_id, "milestones": milestone.pk}
