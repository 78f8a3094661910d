from django.apps import AppConfig


class PerceptionConfig(AppConfig):
    name = "perception"
    verbose_name = "Tenant Satisfaction Measures perception survey: sample, exclusions, weighting and results"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from perception.models import Exclusion, PerceptionSurvey, Population

        auditlog.register(PerceptionSurvey)
        auditlog.register(Population)
        auditlog.register(Exclusion)
