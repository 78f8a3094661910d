"""Background work for complaints: the deadline reminders, as a task a scheduler or the
db_worker can run (the same as `manage.py send_complaint_reminders`)."""

from __future__ import annotations

from django.tasks import task


@task()
def send_reminders() -> tuple[int, int]:
    from complaints.services import reminders_send

    return reminders_send()
