from django.apps import AppConfig


class ResourcesConfig(AppConfig):
    name = "resources"
    verbose_name = "Resources for involvement: training (budgets, expenses and grants to come)"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from resources.models import TrainingRecord

        auditlog.register(TrainingRecord)
