"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from accounts.models import Role
    from perception import services
    from perception.models import PerceptionSurvey

    officer = make_user(Role.INVOLVEMENT_OFFICER, username="matrix-perception-officer")
    resident.is_lead_tenant = True
    resident.save()
    perception = services.perception_survey_create(organisation=org, actor=officer, year_starting=2025)
    exclusion = services.exclusion_record(perception=perception, actor=officer, resident=resident, reason="asked")
    published = PerceptionSurvey.objects.create(organisation=org, year_starting=2024, published_at="2025-06-01T09:00Z",
                                                published_results={"populations": []})  # fmt: skip
    return {
        "tenant-satisfaction": perception.pk,
        "exclusion_pk": exclusion.pk,
        "stock": "lcra",
        "year": published.year_starting,
    }
