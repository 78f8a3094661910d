"""manage.py import_data residents export.csv --organisation riverside-homes --as officer

The same pipeline as the web pages (core.imports), for files too big to upload: check every row,
report the errors, and import only if the file is clean or --valid-only is given."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.models import Organisation, User
from core.imports import ImportError_, batch_check, batch_commit, batch_create, get_importer, rejected_rows_csv
from core.imports.base import registered
from core.imports.pipeline import batch_set_mapping
from core.permissions import has_permission


class Command(BaseCommand):
    help = "Import a CSV or XLSX file through the import pipeline (check, report errors, then commit)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help=f"What the file holds: {', '.join(sorted(registered()))}")
        parser.add_argument("path", type=Path)
        parser.add_argument("--organisation", required=True, help="Organisation slug")
        parser.add_argument("--as", dest="username", required=True, help="Username of the staff member importing")
        parser.add_argument(
            "--map", action="append", default=[], metavar="COLUMN=HEADER", help="Override a column match"
        )
        parser.add_argument(
            "--valid-only", action="store_true", help="Import the valid rows even if some rows have errors"
        )
        parser.add_argument("--check-only", action="store_true", help="Check the file and report; write nothing")
        parser.add_argument("--rejected", type=Path, help="Write the rejected rows to this CSV file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            importer = get_importer(options["kind"])
        except LookupError as exc:
            raise CommandError(str(exc)) from None
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug {options['organisation']!r}.")
        user = User.objects.filter(username=options["username"], organisation=organisation).first()
        if user is None or not has_permission(user, importer.permission):
            raise CommandError(
                f"{options['username']!r} is not a member of {organisation} who may import {importer.label.lower()}."
            )
        path: Path = options["path"]
        if not path.is_file():
            raise CommandError(f"{path} is not a file.")

        started = time.monotonic()
        with path.open("rb") as handle:
            batch = batch_create(
                organisation=organisation, kind=options["kind"], file=File(handle), filename=path.name, actor=user
            )
        if options["map"]:
            mapping = dict(batch.mapping)
            for item in options["map"]:
                column, _, header = item.partition("=")
                mapping[column.strip()] = header.strip()
            batch_set_mapping(batch=batch, mapping=mapping)
        if batch.header_row > 1:
            self.stdout.write(f"Column names found on row {batch.header_row}; the rows above were skipped.")
        if batch.mapping_reused and not options["map"]:
            self.stdout.write("Using the columns chosen last time for a file with these column names.")
        self.stdout.write(f"Columns: {', '.join(f'{k} ← {v}' for k, v in batch.mapping.items())}")

        def progress(done: int) -> None:
            if sys.stdout.isatty():
                self.stdout.write(f"\r  {done:,} rows", ending="")
                self.stdout.flush()

        try:
            batch = batch_check(batch=batch, actor=user, progress=progress)
        except ImportError_ as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            f"\nChecked {batch.total_rows:,} rows in {time.monotonic() - started:.1f}s: {batch.valid_rows:,} valid, "
            f"{batch.invalid_rows:,} with errors. Would create {batch.created_count:,}, change {batch.updated_count:,}, "
            f"leave {batch.unchanged_count:,} unchanged."
        )
        for error in batch.row_errors.all()[:20]:
            self.stdout.write(f"  row {error.row_number}: {' '.join(error.messages)}")
        if batch.invalid_rows > 20:
            self.stdout.write(f"  … and {batch.invalid_rows - 20:,} more")
        if options["rejected"] and batch.invalid_rows:
            options["rejected"].write_text(rejected_rows_csv(batch=batch), encoding="utf-8")
            self.stdout.write(f"Rejected rows written to {options['rejected']}")
        if options["check_only"]:
            return
        try:
            batch = batch_commit(batch=batch, actor=user, valid_only=options["valid_only"], progress=progress)
        except ImportError_ as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"\nImported in {time.monotonic() - started:.1f}s: {batch.created_count:,} created, "
                f"{batch.updated_count:,} changed, {batch.unchanged_count:,} unchanged."
            )
        )
