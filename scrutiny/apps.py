from django.apps import AppConfig


class ScrutinyConfig(AppConfig):
    name = "scrutiny"
    verbose_name = "Tenant-led scrutiny: reviews, evidence, recommendations, the landlord's responses and actions"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from scrutiny.models import Action, Recommendation, Review

        auditlog.register(Review)
        auditlog.register(Recommendation)
        auditlog.register(Action)
