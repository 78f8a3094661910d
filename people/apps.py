from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "people"
    verbose_name = "Residents and homes"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import imports, models  # noqa: F401  (imports registers the resident importer)

        # Personal data: every change is logged with who, when and what.
        for model in (models.Resident, models.Home, models.Tenancy, models.Consent, models.EqualityProfile):
            auditlog.register(model)
        auditlog.register(models.Resident.interests.through)
        auditlog.register(models.Resident.format_needs.through)
