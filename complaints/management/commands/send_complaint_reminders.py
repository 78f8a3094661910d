"""manage.py send_complaint_reminders [--date 2026-05-01]

Remind each handler of cases whose acknowledgement or response is due within the landlord's
reminder window, and tell the managers of deadlines that have passed. Run it daily, or more often
(cron or a scheduler). Each stage is reminded once and reported late once, so running it twice
sends nothing twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from complaints.services import reminders_send


class Command(BaseCommand):
    help = "Send complaint deadline reminders and late-case alerts. Safe to run more than once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD, for example 2026-05-01.") from None
        reminded, late = reminders_send(today=today)
        self.stdout.write(f"Reminded handlers of {reminded} stage{'s' if reminded != 1 else ''}; "
                          f"told managers of {late} late stage{'s' if late != 1 else ''}.")  # fmt: skip
