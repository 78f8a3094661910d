"""manage.py import_tsm_dataset 2024_TSM_Full_Data_v1.1_FINAL.xlsx [--year 2024] [--as admin]

Load the Regulator of Social Housing's published TSM dataset, replacing that reporting year's
figures in one transaction, and say what could not be read."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import User
from core.permissions import has_permission
from tsm.services import tsm_dataset_import


class Command(BaseCommand):
    help = "Import the regulator's published Tenant Satisfaction Measures dataset (XLSX)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--year", type=int, help="The year the reporting year ends (read from the file if left out)"
        )
        parser.add_argument("--as", dest="username", help="Username of the administrator importing (for the audit log)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")
        actor = None
        if options["username"]:
            actor = User.objects.filter(username=options["username"]).first()
            if actor is None or not has_permission(actor, "tsm.manage"):
                raise CommandError(f"{options['username']!r} is not an administrator who may load the dataset.")
        started = time.perf_counter()
        try:
            summary = tsm_dataset_import(file=path, actor=actor, reporting_year=options["year"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        seconds = time.perf_counter() - started
        stored = summary.dataset
        self.stdout.write(
            f"{'Replaced' if summary.replaced else 'Loaded'} the {stored.period} dataset from {path.name}: "
            f"{stored.landlord_count} landlords, {stored.result_count} figures in {seconds:.1f} s."
        )
        for line in stored.sheets:
            self.stdout.write(f"  read: {line}")
        for line in summary.notes:
            self.stdout.write(f"  adjusted: {line}")
        if summary.problems:
            self.stdout.write(self.style.WARNING(f"Could not read {len(summary.problems)} thing(s):"))
            for line in summary.problems:
                self.stdout.write(f"  - {line}")
        else:
            self.stdout.write("Everything was read.")
