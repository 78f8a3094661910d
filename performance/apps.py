from django.apps import AppConfig


class PerformanceConfig(AppConfig):
    name = "performance"
    verbose_name = "Performance: operational records, local-offer results and the TSM return"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from performance import imports  # noqa: F401  (registers the importers with core.imports)
        from performance.models import MeasureComment, RagThresholds, RemedialAction

        # Operational records are not logged one by one (a million a year); their import batch is.
        auditlog.register(MeasureComment)
        auditlog.register(RemedialAction)
        auditlog.register(RagThresholds)
