"""manage.py send_recognition_reminders [--date 2026-05-01]

Remind recognised residents' associations (chair and secretary) and their support officer that
recognition is due for renewal: 60, 30 and 7 days before, and on the day it runs out. Run it daily
(cron or a scheduler). Each reminder is recorded, so running it twice sends nothing twice."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from groups.services import recognition_reminders_send


class Command(BaseCommand):
    help = "Send recognition renewal reminders that are due today. Safe to run more than once a day."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Act as if today were this date (YYYY-MM-DD), for catching up")

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["date"]:
            try:
                today = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Give the date as YYYY-MM-DD, for example 2026-05-01.") from None
        sent = recognition_reminders_send(today=today)
        self.stdout.write(f"Sent {sent} recognition reminder{'s' if sent != 1 else ''}.")
