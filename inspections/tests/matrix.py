"""Objects the role-matrix test (core/tests/test_role_matrix.py) visits this app's URLs with."""

from __future__ import annotations

from typing import Any


def objects(*, org: Any, resident: Any, make_user: Any) -> dict[str, Any]:
    """Map a URL segment before <int:pk> (e.g. "groups") to the pk of an object of `org`,
    and "<token>" segments (e.g. "invitations") to a token string."""
    from inspections.models import CaseStudy, FindingPhoto, WalkaboutProcedure
    from inspections.tests.factories import ExerciseFactory, FindingFactory, QuestionFactory, ScenarioFactory

    question = QuestionFactory(scenario=ScenarioFactory(organisation=org))
    exercise = ExerciseFactory(scenario=question.scenario, shopper=resident)
    finding = FindingFactory(
        walkabout__organisation=org, walkabout__status="completed", walkabout__public_summary="We walked the estate."
    )
    # The photo hangs off a second finding, so the pages visited show no image whose file is not on disk
    # (this module writes nothing under MEDIA_ROOT); the photo URL itself answers 404 for a missing file.
    photo = FindingPhoto(
        organisation=org,
        finding=FindingFactory(walkabout=finding.walkabout),
        content_type="image/png",
        description="A photo that is not on disk",
    )
    photo.image.name = "inspections/photos/missing.png"
    photo.save()
    procedure = WalkaboutProcedure.objects.create(
        organisation=org, version=1, text="Walk the estate.", document="inspections/procedures/missing.pdf"
    )
    case = CaseStudy.objects.create(
        organisation=org, title="Damp report", resident=resident, service="repairs", started_on=exercise.due_on
    )
    return {
        "scenarios": question.scenario.pk,
        "assessment-questions": question.pk,
        "exercises": exercise.pk,
        "your-inspections": exercise.pk,
        "case-studies": case.pk,
        "walkabouts": finding.walkabout.pk,
        "summaries": finding.walkabout.pk,
        "findings": finding.pk,
        "finding-photos": photo.pk,
        "procedure": procedure.pk,
    }
