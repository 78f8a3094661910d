from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Core services"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from accounts.models import Organisation
        from core.models import BankHoliday, ClosureDay

        # Changes to the calendar and the receipt rule move every future deadline: log who made them.
        for model in (BankHoliday, ClosureDay, Organisation):
            auditlog.register(model)
