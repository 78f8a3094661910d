"""Background work for performance: figures are worked out again after records are loaded."""

from __future__ import annotations

from django.tasks import task

from accounts.models import Organisation


@task()
def refresh_figures(organisation_id: int) -> int:
    """Rebuild one landlord's figures (run by `manage.py db_worker` after an import commits)."""
    from performance.services import performance_refresh

    organisation = Organisation.objects.get(pk=organisation_id)
    return performance_refresh(organisation=organisation).figures


def refresh_after_import(organisation_id: int) -> None:
    """After the import's transaction commits, so the task sees the new records, and never
    for an import that rolled back. Staff can still refresh at once from the performance page."""
    from django.db import transaction

    transaction.on_commit(lambda: refresh_figures.enqueue(organisation_id))
