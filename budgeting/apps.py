from django.apps import AppConfig


class BudgetingConfig(AppConfig):
    name = "budgeting"
    verbose_name = "Participatory budgeting for estate improvement money"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from budgeting.models import Fund, Proposal, ProposalUpdate

        auditlog.register(Fund)
        auditlog.register(Proposal)
        auditlog.register(ProposalUpdate)
