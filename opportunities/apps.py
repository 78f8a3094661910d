from django.apps import AppConfig


class OpportunitiesConfig(AppConfig):
    name = "opportunities"
    verbose_name = "Menu of involvement, opportunities and task-and-finish"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        # Who was asked, who answered what, who came and the time they gave: all personal data.
        for model in (
            models.MenuItem,
            models.InvolvementSettings,
            models.Opportunity,
            models.TimeEntry,
            models.TimeAward,
        ):
            auditlog.register(model)
        auditlog.register(models.Opportunity.interests.through)
        auditlog.register(models.Opportunity.areas.through)
        # The key is half of the secret in the answer link: never copy it into the history.
        auditlog.register(models.Invitation, exclude_fields=["key"])
