from django.apps import AppConfig


class TsmConfig(AppConfig):
    name = "tsm"
    verbose_name = "Tenant Satisfaction Measures: definitions, formulas and peer benchmarking"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from tsm.models import TsmDataset, TsmProfile

        # The dataset's thousands of published figures are reference data, replaced whole: the
        # import itself is the audited event, not each row.
        auditlog.register(TsmDataset, exclude_fields=["sheets", "problems", "notes"])
        auditlog.register(TsmProfile)
