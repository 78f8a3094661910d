from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = "Mystery shopping, walkabouts and tenant-led inspections"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Assessments are evidence about services and findings are commitments to residents:
        # every change is logged with who, when and what.
        for model in (
            models.Scenario,
            models.Question,
            models.Exercise,
            models.Answer,
            models.CaseStudy,
            models.CaseObservation,
            models.WalkaboutProcedure,
            models.Walkabout,
            models.Finding,
            models.FindingUpdate,
            models.FindingPhoto,
        ):
            auditlog.register(model)
        auditlog.register(models.Walkabout.residents_attending.through)
