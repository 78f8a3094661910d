"""manage.py sync_bank_holidays --from 2000 --to 2040: load bank holidays into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Nation
from core.services import bank_holidays_sync


class Command(BaseCommand):
    help = (
        "Add bank holidays for each nation from the `holidays` package. Safe to re-run: existing rows, "
        "and any holiday added by staff, are kept."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # "from" is a Python keyword, hence the explicit dest names.
        parser.add_argument("--from", dest="year_from", type=int, default=2020, help="First year (default 2020).")
        parser.add_argument("--to", dest="year_to", type=int, default=2040, help="Last year, inclusive (default 2040).")
        parser.add_argument(
            "--nation",
            dest="nations",
            action="append",
            choices=Nation.values,
            help="Only this nation (repeatable). Default: all nations.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        year_from, year_to = options["year_from"], options["year_to"]
        if year_from > year_to:
            raise CommandError(f"--from ({year_from}) must not be after --to ({year_to}).")
        added = bank_holidays_sync(years=range(year_from, year_to + 1), nations=options["nations"])
        noun = "bank holiday" if added == 1 else "bank holidays"
        self.stdout.write(self.style.SUCCESS(f"Added {added} {noun} for {year_from} to {year_to}."))
