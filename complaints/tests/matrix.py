"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    from accounts.models import Role
    from complaints import services
    from complaints.models import Case, CaseAttachment

    manager = make_user(Role.MANAGER, username="matrix-complaints-manager")
    code = services.procedure_load_preset(organisation=org, actor=manager, preset="chc-2024")
    case = services.case_receive(
        organisation=org,
        actor=manager,
        kind=Case.Kind.COMPLAINT,
        procedure=code,
        resident=resident,
        summary="The lift has been broken for a week.",
        received_at=timezone.now() - datetime.timedelta(days=1),
        channel=Case.Channel.PHONE,
    )
    attachment = CaseAttachment(
        case=case, organisation=org, original_name="missing.pdf", content_type="application/pdf", size=10
    )
    attachment.file.name = "complaints/missing.pdf"
    attachment.save()
    return {
        "cases": case.pk,
        "your-cases": case.pk,
        "attachments": attachment.pk,
        "stages": code.stages.first().pk,
        "kind": "acknowledged",
    }
