"""manage.py demo_data [--residents N] [--seed S] [--reset]: a fictional landlord to try Involve with."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from people.demo import DEFAULT_RESIDENTS, DEFAULT_SEED, DemoRefused, build_demo, format_summary


class Command(BaseCommand):
    help = (
        "Create the fictional landlord Riverside Homes (and its partner Northgate Housing Co-operative) with "
        "areas, homes, tenancies, residents, equality profiles, consents and one sign-in per role. The same seed "
        "always gives the same data. Refuses to run in production: the demo password is published."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--residents",
            type=int,
            default=DEFAULT_RESIDENTS,
            help=f"Residents of Riverside Homes, about 1.4 to a tenancy (default {DEFAULT_RESIDENTS:,}).",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"Random seed (default {DEFAULT_SEED}).")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo landlords and everything of theirs first, then rebuild.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("Refusing to create demo data in production (INVOLVE_ENV=production).")
        try:
            summary = build_demo(
                residents=options["residents"],
                seed=options["seed"],
                reset=options["reset"],
                stdout=self.stdout if options["verbosity"] >= 2 else None,
            )
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        text = format_summary(summary)
        self.stdout.write(self.style.SUCCESS(text) if summary.created else self.style.WARNING(text))
