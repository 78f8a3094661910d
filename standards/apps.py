from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "standards"
    verbose_name = "Local offers: service standards, commitments, measures and milestones"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from standards.models import (
            CaseType,
            Category,
            Commitment,
            Measure,
            MeasureVersion,
            MilestoneEvidence,
            ServiceArea,
        )

        auditlog.register(ServiceArea)
        auditlog.register(Commitment)
        auditlog.register(Category)
        auditlog.register(CaseType)
        auditlog.register(Measure, m2m_fields={"categories"})
        auditlog.register(MeasureVersion)
        auditlog.register(MilestoneEvidence)
