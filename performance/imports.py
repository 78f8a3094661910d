"""Operational records from the housing systems, through core.imports: responsive repairs jobs,
ASB cases, planned works visits, HHSRS hazards, and the building-safety and complaint counts.

Each file is checked row by row with plain Python (a million repairs jobs must load in under a
minute), every bad row reported with every reason, and nothing is written until the person
importing confirms. Records are matched on the housing system's reference: loading the same
file again creates and changes nothing; a row that changed is written again. A record's due
moment and whether it was on time are worked out once, when it is written, by
performance.derive.

A property reference that is not one of the landlord's homes is not an error: repairs to blocks,
garages and communal areas are often raised against references the tenancy list does not have.
The record is loaded without a home or area (it counts for the whole landlord, in no area), and
the check says how many rows that was, with examples, so missing homes can be imported first.

Times in files are UK local time (dd/mm/yyyy hh:mm, or ISO 8601, which may carry its own offset)
and are stored as aware datetimes.
"""

from __future__ import annotations

import datetime
import hashlib
import re
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from django.db import connections, router, transaction
from django.db.models import Model
from django.utils import timezone

from core.calendar import LONDON
from core.imports import Column, CommitCounts, Importer, RowError, register
from core.imports.forked import Forked, ForkFailed, processes
from core.imports.pipeline import ImportError_, delete_ids, insert_rows
from people.models import Area, Home
from people.selectors import neighbourhoods
from performance.derive import DAY_US, US, Deriver, LocalTime, day_of, from_us, to_us
from performance.models import (
    AsbCase,
    ComplaintCount,
    Hazard,
    NeighbourhoodVisit,
    PlannedWorkVisit,
    RepairJob,
    SampleCheck,
    Stock,
    StockCount,
)
from performance.tasks import refresh_after_import
from standards.models import Category, Measure, Subject

LOCAL_FORMAT_HELP = "Use dd/mm/yyyy hh:mm (UK time), for example 23/12/2026 16:00."
DATE_FORMAT_HELP = "Use dd/mm/yyyy, for example 23/12/2026."
# HHSRS categories are set by law; a landlord's offer may add its own codes for hazards too.
HHSRS_CATEGORIES = ("1", "2")
EXAMPLES = 5
ANALYZE_AFTER = 50_000
# A first load of at least this many records into SQLite is written with a forked process working
# out the rows (see _RecordImporter.commit_checked).
FORK_COMMIT_ROWS = 50_000

_FLAGS: dict[str, bool | None] = {
    "": None,
    "y": True,
    "yes": True,
    "true": True,
    "1": True,
    "n": False,
    "no": False,
    "false": False,
    "0": False,
}
# Y/N as housing systems write them; anything else goes the slow way, with its message.
_BAD = object()
_FLAGS_FAST: dict[str, Any] = {
    **_FLAGS,
    **{k.upper(): v for k, v in _FLAGS.items()},
    **{k.capitalize(): v for k, v in _FLAGS.items()},
}
_LOOSE_DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_CATEGORY_WORDS = re.compile(r"^(?:category|cat|priority|pri|p)\.?\s*", re.IGNORECASE)
_EPOCH_NAIVE = datetime.datetime(1970, 1, 1)


def _now() -> datetime.datetime:
    """Now, for "is in the future" checks (tests replace it)."""
    return timezone.now()


def _digest(values: tuple[Any, ...]) -> str:
    return hashlib.blake2b(repr(values).encode(), digest_size=8).hexdigest()


_MINUTES = [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(1440)]


def _moment_text(suffix: str) -> Callable[[int | None], str | None]:
    """Microseconds since 1970 UTC as the database's text for a UTC datetime ("2026-11-02
    10:00:00", with suffix "+00" for PostgreSQL). Most moments in files are whole minutes, so the
    date part is remembered per day and the time of day looked up: a tenth of formatting each."""
    days: dict[int, str] = {}
    minute_us = 60 * US

    def text(us: int | None) -> str | None:
        if us is None:
            return None
        day, into = divmod(us, DAY_US)
        if into % minute_us:
            return (_EPOCH_NAIVE + datetime.timedelta(microseconds=us)).isoformat(" ") + suffix
        prefix = days.get(day)
        if prefix is None:
            prefix = days[day] = (datetime.date(1970, 1, 1) + datetime.timedelta(days=day)).isoformat() + " "
        return prefix + _MINUTES[into // minute_us] + suffix

    return text


class _Reader:
    """Turns the text of one cell into a value, adding a message to `errors` when it cannot."""

    def __init__(self, clock: LocalTime, now: datetime.datetime) -> None:
        self.clock = clock
        self.now_us = to_us(now)
        self.today = now.astimezone(clock.tz).date()
        self._days: dict[str, int | None] = {}
        # dd/mm/yyyy -> the UTC instant of local midnight, when the clocks do not change that day
        # (False otherwise, or when it is not a date): most rows need one look-up and some sums.
        self._midnights: dict[str, int | bool] = {}

    def _midnight(self, text: str) -> int | bool:
        day = self._day(text)
        found: int | bool = False
        if day is not None:
            start = self.clock.local_to_us(day * DAY_US)
            end = self.clock.local_to_us((day + 1) * DAY_US)
            if end - start == DAY_US:
                found = start
        self._midnights[text] = found
        return found

    def _day(self, text: str) -> int | None:
        """dd/mm/yyyy to days since 1970, or None when it is not a real date."""
        day = self._days.get(text, -1)
        if day != -1:
            return day
        try:
            if not (text[:2].isdecimal() and text[3:5].isdecimal() and text[6:10].isdecimal()):
                raise ValueError
            found = datetime.date(int(text[6:10]), int(text[3:5]), int(text[:2]))
            day = day_of(found) if found.year >= 1900 else None
        except ValueError:
            day = None
        self._days[text] = day
        return day

    def moment(
        self, label: str, text: str, errors: list[str], *, required: bool = False, future: bool = False
    ) -> int | None:
        """A UK local date and time (or an ISO 8601 one) as microseconds since 1970 UTC."""
        if not text:
            if required:
                errors.append(f"{label}: missing. {LOCAL_FORMAT_HELP}")
            return None
        us = None
        # The housing-system format, dd/mm/yyyy hh:mm, on a day the clocks do not change.
        if len(text) == 16 and text[13] == ":":
            midnight = self._midnights.get(text[:10])
            if midnight is None:
                midnight = self._midnight(text[:10])
            if midnight is not False and text[10] == " ":
                hh, mm = text[11:13], text[14:16]
                if hh.isdecimal() and mm.isdecimal() and hh < "24" and mm < "60":
                    us = midnight + (int(hh) * 60 + int(mm)) * 60_000_000
        if us is None:
            us = self._moment(text)
        if us is None:
            errors.append(f"{label}: “{text}” is not a date and time we can read. {LOCAL_FORMAT_HELP}")
        elif not future and us > self.now_us + DAY_US:
            errors.append(f"{label}: {text} is in the future.")
            return None
        return us

    def _moment(self, text: str) -> int | None:
        if len(text) >= 10 and text[2] == "/" and text[5] == "/":
            day = self._day(text[:10])
            rest = text[10:].strip()
        elif len(text) >= 10 and text[4] == "-" and text[7] == "-":
            try:
                parsed = datetime.datetime.fromisoformat(text)
            except ValueError:
                return None
            if parsed.year < 1900:
                return None
            if parsed.tzinfo is not None:
                return to_us(parsed)
            day = day_of(parsed.date())
            seconds = parsed.hour * 3600 + parsed.minute * 60 + parsed.second
            return self.clock.local_to_us(day * DAY_US + seconds * US + parsed.microsecond)
        else:
            match = _LOOSE_DATE.match(text)
            if match is None:
                return None
            d, m, y, hh, mm, ss = match.groups()
            day = self._day(f"{int(d):02d}/{int(m):02d}/{y}")
            rest = f"{hh}:{mm}:{ss or '00'}" if hh is not None else ""
        if day is None:
            return None
        seconds = 0
        if rest:
            parts = rest.split(":")
            if len(parts) not in (2, 3) or not all(p.isdecimal() and len(p) <= 2 for p in parts):
                return None
            hour, minute = int(parts[0]), int(parts[1])
            second = int(parts[2]) if len(parts) == 3 else 0
            if hour > 23 or minute > 59 or second > 59:
                return None
            seconds = hour * 3600 + minute * 60 + second
        return self.clock.local_to_us(day * DAY_US + seconds * US)

    def date(
        self, label: str, text: str, errors: list[str], *, required: bool = False, future: bool = True
    ) -> str | None:
        """A date (dd/mm/yyyy or ISO) as ISO text."""
        if not text:
            if required:
                errors.append(f"{label}: missing. {DATE_FORMAT_HELP}")
            return None
        day: int | None
        if len(text) == 10 and text[2] == "/" and text[5] == "/":
            day = self._day(text)
        else:
            match = _LOOSE_DATE.match(text)
            if match is not None and match.group(4) in (None, "0", "00"):
                day = self._day(f"{int(match.group(1)):02d}/{int(match.group(2)):02d}/{match.group(3)}")
            else:
                try:
                    parsed = datetime.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else None
                except ValueError:
                    parsed = None
                if parsed is not None and text[10:].strip("T 0:") != "":
                    parsed = None  # a date with a time of day is not a date
                day = day_of(parsed) if parsed is not None and parsed.year >= 1900 else None
        if day is None:
            errors.append(f"{label}: “{text}” is not a date we can read. {DATE_FORMAT_HELP}")
            return None
        found = datetime.date(1970, 1, 1) + datetime.timedelta(days=day)
        if not future and found > self.today:
            errors.append(f"{label}: {text} is in the future.")
            return None
        return found.isoformat()

    @staticmethod
    def flag(label: str, text: str, errors: list[str], *, default: bool | None = None) -> bool | None:
        try:
            value = _FLAGS[text.lower()]
        except KeyError:
            errors.append(f"{label}: “{text}” should be Y or N (or blank when not known).")
            return default
        return default if value is None else value

    @staticmethod
    def count(label: str, text: str, errors: list[str], *, required: bool = True) -> int | None:
        cleaned = text.replace(",", "").strip()
        if not cleaned:
            if required:
                errors.append(f"{label}: missing.")
            return None
        if not cleaned.isdecimal():
            errors.append(f"{label}: “{text}” should be a whole number, 0 or more.")
            return None
        return int(cleaned)


def _text(label: str, text: str, errors: list[str], *, limit: int, required: bool = False) -> str:
    if not text:
        if required:
            errors.append(f"{label}: missing.")
        return ""
    if len(text) > limit:
        if required:
            errors.append(f"{label}: “{text[:40]}…” is longer than {limit} characters.")
            return ""
        return text[:limit]
    return text


STOCK_COLUMN = Column(
    "stock",
    "Stock",
    False,
    ("stock type", "tsm stock"),
    "LCRA (low-cost rental, the default) or LCHO (low-cost home ownership).",
)
_STOCKS = {"": Stock.LCRA.value, "LCRA": Stock.LCRA.value, "LCHO": Stock.LCHO.value}


def _stock(text: str, errors: list[str]) -> str:
    value = text.strip().lower()
    if value in ("", "lcra", "low-cost rental", "low cost rental", "general needs", "rented"):
        return Stock.LCRA.value
    if value in ("lcho", "low-cost home ownership", "low cost home ownership", "shared ownership"):
        return Stock.LCHO.value
    errors.append(f"Stock: “{text}” should be LCRA (low-cost rental) or LCHO (low-cost home ownership).")
    return Stock.LCRA.value


class _RecordImporter(Importer):
    """What repairs jobs, ASB cases, planned works visits and hazards have in common: a
    reference, a property reference, upsert by reference with a fingerprint of the row."""

    model: ClassVar[type[Model]]
    subject: ClassVar[str] = ""
    permission = "performance.import"
    key_field = "reference"
    chunk_size = 5000
    # The columns written after organisation, reference, home, area, stock, import_batch,
    # updated_at and fingerprint, in the order `values` gives them.
    fields: ClassVar[tuple[str, ...]]

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._ready = False
        self._unknown_homes = 0
        self._unknown_examples: list[str] = []
        self._empty: bool | None = None
        self._home_ids: set[int] | None = None
        self._area_ids: set[int] = set()

    def prepare(self) -> None:
        if self._ready:
            return
        org = self.organisation
        self.deriver = Deriver(org)
        for subject in Subject:  # loaded now: nothing may query the database while rows are written
            self.deriver.table(subject)
        self.read = _Reader(self.deriver.clock, _now())
        self.reference_label = self.key_label()
        self.homes: dict[str, tuple[int, int | None]] = {
            ref: (pk, area)
            for ref, pk, area in Home.objects.filter(organisation=org).values_list("reference", "pk", "area_id")
        }
        self.categories: dict[str, str] = {}
        if self.subject:
            codes = list(Category.objects.filter(organisation=org, subject=self.subject).values_list("code", flat=True))
            self.categories = {c.strip().lower(): c for c in codes}
        self._ready = True

    # --- Cleaning --------------------------------------------------------------------------------

    # Whether every row must name a property (a check of an ASB case's handling may name none).
    property_required: ClassVar[bool] = True

    def identity(self, row: dict[str, str], errors: list[str]) -> tuple[str, str, str]:
        """The reference, property reference and stock that every record file starts with."""
        get = row.get
        stock = get("stock", "")
        return (
            _text(self.reference_label, get("reference", ""), errors, limit=60, required=True),
            _text("Property reference", get("property_ref", ""), errors, limit=40, required=self.property_required),
            _STOCKS.get(stock) or _stock(stock, errors),
        )

    def category(self, label: str, text: str, errors: list[str]) -> str:
        code = self.categories.get(text.lower())
        if code is None and text:
            code = self.categories.get(_CATEGORY_WORDS.sub("", text.lower()).strip())
        if code is not None:
            return code
        known = sorted(self.categories.values())
        if not text:
            errors.append(f"{label}: missing. Use one of: {', '.join(known)}.")
        elif known:
            errors.append(f"{label}: “{text}” is not a category of your local offer. Use one of: {', '.join(known)}.")
        else:
            errors.append(
                f"{label}: “{text}” is not a category of your local offer, which has none for "
                f"{Subject(self.subject).label.lower()} yet. Set up the local offer first."
            )
        return ""

    def home(self, property_ref: str) -> tuple[int | None, int | None]:
        if not property_ref:
            return None, None
        found = self.homes.get(property_ref)
        if found is None:
            self._unknown_homes += 1
            if len(self._unknown_examples) < EXAMPLES and property_ref not in self._unknown_examples:
                self._unknown_examples.append(property_ref)
            return None, None
        return found

    def summary_notes(self) -> list[str]:
        if not self._unknown_homes:
            return []
        rows = "row names" if self._unknown_homes == 1 else "rows name"
        return [
            f"{self._unknown_homes:,} {rows} a property reference that is not one of your homes "
            f"(for example {', '.join(self._unknown_examples)}). They will be imported without a home or area, "
            "so they count in the figures for the whole landlord but in no area's. Import your residents and "
            "homes first if they should have an area."
        ]

    def all_new(self) -> bool:
        if self._empty is None:
            self._empty = not self.model._base_manager.filter(organisation=self.organisation).exists()
        return self._empty

    def check_state(self) -> tuple[int, list[str]]:
        return self._unknown_homes, self._unknown_examples

    def absorb_check_state(self, state: tuple[int, list[str]]) -> None:
        unknown, examples = state
        self._unknown_homes += unknown
        for example in examples:
            if len(self._unknown_examples) < EXAMPLES and example not in self._unknown_examples:
                self._unknown_examples.append(example)

    # --- Writing ---------------------------------------------------------------------------------

    def finish(self, counts: CommitCounts) -> None:
        if counts.created or counts.updated:
            refresh_after_import(self.organisation.pk)
        # After a big load PostgreSQL's statistics still describe the table as it was, and it may
        # scan the whole table for each look-up by reference until autovacuum catches up.
        connection = connections[router.db_for_write(self.model)]
        if connection.vendor == "postgresql" and counts.created + counts.updated >= ANALYZE_AFTER:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(self.model._meta.db_table)}")

    def record(self, reference: str, property_ref: str, stock: str, data: list[Any]) -> list[Any]:
        """A cleaned row: [reference, home id, area id, fingerprint, stock, *data]. A list, not a
        dict, because a million of them are written to the check file and read back."""
        home_id, area_id = self.home(property_ref)
        return [reference, home_id, area_id, _digest((reference, home_id, area_id, stock, *data)), stock, *data]

    def row_key(self, row: list[Any]) -> Any:
        return row[0]

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        """The values for `fields` from a row's data, with its derived facts worked out."""
        raise NotImplementedError

    def _check_pointers(self, homes: set[int | None], areas: set[int | None]) -> None:
        """The homes and areas the check found must still exist: the tables have no foreign-key
        constraints (see performance.models._Record), and hours may pass between check and import."""
        if self._home_ids is None:
            self._home_ids = {pk for pk, _ in self.homes.values()}
            self._area_ids = set(Area.objects.filter(organisation=self.organisation).values_list("pk", flat=True))
        if (homes - self._home_ids - {None}) or (areas - self._area_ids - {None}):
            raise ImportError_(
                "Some of the homes or areas this file refers to have been removed since it was checked. "
                "Check the file again, then import it."
            )

    def _columns(self) -> list[str]:
        """The columns each written line fills after the id (see _line_maker)."""
        return [
            "organisation",
            "reference",
            "home",
            "area",
            "stock",
            "import_batch",
            "updated_at",
            "fingerprint",
            *self.fields,
        ]

    def _line_maker(self, connection: Any) -> Callable[[int | None, list[Any]], list[Any]]:
        """Turns an id (None for a new record) and a cleaned row into the values insert_rows
        writes: [id, organisation, reference, home, area, stock, batch, updated_at, fingerprint,
        *fields], with the row's derived facts worked out."""
        moment = _moment_text("+00" if connection.vendor == "postgresql" else "")
        now = moment(to_us(timezone.now()))
        batch_id = self.batch.pk if self.batch is not None else None
        org_id = self.organisation.pk
        values = self.values

        def line(pk: int | None, row: list[Any]) -> list[Any]:
            return [pk, org_id, row[0], row[1], row[2], row[4], batch_id, now, row[3], *values(row[5:], moment)]

        return line

    def commit_checked(
        self, read_chunks: Callable[[], Iterator[list[Any]]], progress: Callable[[int], None] | None
    ) -> CommitCounts:
        """A big first load into SQLite works out each row's facts in a forked process while this
        one writes the rows before it: SQLite's writing and Python's deriving then use a core each
        (on PostgreSQL the server is the other process already, with COPY streaming). Only when
        every row is new, so that nothing needs looking up per chunk; if the forked process fails,
        what it wrote is undone and the rows are written the usual way."""
        self.prepare()
        connection = connections[router.db_for_write(self.model)]
        big = self.batch is not None and (self.batch.valid_rows or 0) >= FORK_COMMIT_ROWS
        if connection.vendor != "sqlite" or not big or processes() < 2 or not self.all_new():
            return super().commit_checked(read_chunks, progress)
        self._check_pointers(set(), set())  # read the homes and areas before the fork
        line = self._line_maker(connection)

        def lines_of_chunks() -> Iterator[list[list[Any]]]:
            for chunk in read_chunks():
                yield [line(None, row) for row in chunk]

        counts = CommitCounts()
        try:
            with transaction.atomic(using=connection.alias), Forked(lines_of_chunks) as chunks:
                for lines in chunks:
                    self._check_pointers({li[3] for li in lines}, {li[4] for li in lines})
                    insert_rows(self.model, self._columns(), lines, new=len(lines))
                    counts.created += len(lines)
                    if progress:
                        progress(counts.created)
        except ForkFailed:
            return super().commit_checked(read_chunks, progress)
        return counts

    def commit_chunk(self, rows: list[Any], *, dry_run: bool) -> CommitCounts:
        self.prepare()
        model = self.model
        org = self.organisation
        connection = connections[router.db_for_write(model)]
        existing: dict[str, tuple[int, str]] = {}
        if not self.all_new():
            # Plain SQL: the ORM's per-row machinery costs more than the query for 5,000 rows.
            qn = connection.ops.quote_name
            refs = [r[0] for r in rows]
            sql = (
                f"SELECT {qn('reference')}, {qn('id')}, {qn('fingerprint')} FROM {qn(model._meta.db_table)} "  # noqa: S608
                f"WHERE {qn('organisation_id')} = %s AND {qn('reference')} "
            )
            if connection.vendor == "postgresql":
                sql, params = sql + "= ANY(%s)", [org.pk, refs]  # one array, not 5,000 parameters to plan
            else:
                sql, params = sql + f"IN ({', '.join(['%s'] * len(refs))})", [org.pk, *refs]
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                existing = {ref: (pk, fp) for ref, pk, fp in cursor.fetchall()}
        write: list[tuple[int | None, list[Any]]] = []
        counts = CommitCounts()
        for row in rows:
            found = existing.get(row[0])
            if found is None:
                counts.created += 1
                write.append((None, row))
            elif found[1] != row[3]:
                counts.updated += 1
                write.append((found[0], row))
            else:
                counts.unchanged += 1
        if dry_run or not write:
            return counts
        self._check_pointers({row[1] for _, row in write}, {row[2] for _, row in write})
        line = self._line_maker(connection)
        # A changed record is written again under the same id: nothing refers to these records,
        # and a delete and an insert are far quicker than updating each changed column.
        delete_ids(model, [pk for pk, _ in write if pk is not None])
        # A generator: each row's derived facts are worked out while the rows before it are
        # being stored (see insert_rows).
        insert_rows(model, self._columns(), (line(pk, row) for pk, row in write), new=counts.created)
        return counts


@register
class RepairJobImporter(_RecordImporter):
    kind = "repairs"
    label = "Responsive repairs jobs"
    noun = "repairs jobs"
    model = RepairJob
    subject = Subject.REPAIR
    columns = (
        Column(
            "reference",
            "Job number",
            True,
            ("job no", "job ref", "job reference", "job id", "works order", "reference"),
        ),
        Column(
            "property_ref", "Property reference", True, ("property ref", "prop ref", "property id", "home", "property")
        ),
        STOCK_COLUMN,
        Column("category", "Priority", True, ("category", "priority code", "job priority", "repair category")),
        Column("description", "Job description", False, ("description", "details")),
        Column("reported_at", "Date reported", True, ("reported", "reported at", "date logged", "logged")),
        Column("target_at", "Target date", False, ("target", "target at")),
        Column("appointment_made", "Appointment made", False, ()),
        Column("appointment_kept", "Appointment kept", False, ()),
        Column("letter_sent_at", "Confirmation sent", False, ("letter sent", "letter sent at", "appointment letter")),
        Column("completed_at", "Date completed", False, ("completed", "completed at", "completion date")),
        Column("first_visit_fix", "First time fix", False, ("first visit fix", "right first time")),
        Column("cancelled", "Cancelled", False, ()),
        Column("contractor", "Contractor", False, ()),
        Column("post_inspected", "Post inspected", False, ("post inspection",)),
        Column("satisfied", "Satisfied", False, ("satisfaction", "tenant satisfied")),
        Column("emergency", "Emergency", False, ()),
    )
    fields = (
        "category",
        "emergency",
        "description",
        "reported_at",
        "due_at",
        "due_rule",
        "target_at",
        "appointment_made",
        "appointment_kept",
        "letter_sent_at",
        "letter_due_at",
        "letter_on_time",
        "completed_at",
        "first_visit_fix",
        "cancelled",
        "contractor",
        "post_inspected",
        "satisfied",
        "on_time",
        "reported_month",
        "completed_month",
    )

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        read = self.read
        get = row.get
        reference, property_ref, stock = self.identity(row, errors)
        category = self.category("Priority", get("category", ""), errors)
        moment = read.moment
        reported = moment("Date reported", get("reported_at", ""), errors, required=True)
        target = moment("Target date", get("target_at", ""), errors, future=True)
        letter = moment("Confirmation sent", get("letter_sent_at", ""), errors)
        completed = moment("Date completed", get("completed_at", ""), errors)
        flags = _FLAGS_FAST
        made = flags.get(get("appointment_made", ""), _BAD)
        kept = flags.get(get("appointment_kept", ""), _BAD)
        first_fix = flags.get(get("first_visit_fix", ""), _BAD)
        cancelled = flags.get(get("cancelled", ""), _BAD)
        inspected = flags.get(get("post_inspected", ""), _BAD)
        satisfied = flags.get(get("satisfied", ""), _BAD)
        emergency = flags.get(get("emergency", ""), _BAD)
        if _BAD in (made, kept, first_fix, cancelled, inspected, satisfied, emergency):
            flag = read.flag
            made = flag("Appointment made", get("appointment_made", ""), errors)
            kept = flag("Appointment kept", get("appointment_kept", ""), errors)
            first_fix = flag("First time fix", get("first_visit_fix", ""), errors)
            cancelled = flag("Cancelled", get("cancelled", ""), errors)
            inspected = flag("Post inspected", get("post_inspected", ""), errors)
            satisfied = flag("Satisfied", get("satisfied", ""), errors)
            emergency = flag("Emergency", get("emergency", ""), errors)
        if reported is not None:
            if completed is not None and completed < reported:
                errors.append(
                    f"Date completed: {get('completed_at')} is before the job was reported ({get('reported_at')})."
                )
            if letter is not None and letter < reported:
                errors.append(
                    f"Confirmation sent: {get('letter_sent_at')} is before the job was reported ({get('reported_at')})."
                )
        if errors:
            raise RowError(errors)
        return self.record(
            reference,
            property_ref,
            stock,
            [
                category,
                emergency is True,
                get("description", "")[:300],
                reported,
                target,
                made,
                kept,
                letter,
                completed,
                first_fix,
                cancelled is True,
                get("contractor", "")[:120],
                inspected,
                satisfied,
            ],
        )

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        (
            category,
            emergency,
            description,
            reported,
            target,
            made,
            kept,
            letter,
            completed,
            first_fix,
            cancelled,
            contractor,
            inspected,
            satisfied,
        ) = data
        due, rule, on_time, letter_due, letter_on_time = self.deriver.repair(
            category=category,
            reported_us=reported,
            completed_us=completed,
            letter_sent_us=letter,
            cancelled=cancelled,
        )
        return [
            category,
            emergency,
            description,
            moment(reported),
            moment(due),
            rule,
            moment(target),
            made,
            kept,
            moment(letter),
            moment(letter_due),
            letter_on_time,
            moment(completed),
            first_fix,
            cancelled,
            contractor,
            inspected,
            satisfied,
            on_time,
            self.deriver.month(reported),
            self.deriver.month(completed),
        ]


@register
class AsbCaseImporter(_RecordImporter):
    kind = "asb_cases"
    label = "Anti-social behaviour cases"
    noun = "ASB cases"
    model = AsbCase
    subject = Subject.ASB_CASE
    columns = (
        Column("reference", "Case reference", True, ("case ref", "case number", "case id", "reference")),
        Column(
            "property_ref", "Property reference", True, ("property ref", "prop ref", "property id", "home", "property")
        ),
        STOCK_COLUMN,
        Column("category", "ASB category", True, ("category", "priority")),
        Column("hate_incident", "Hate incident", False, ("hate", "hate crime")),
        Column("description", "Description", False, ("details",)),
        Column("reported_at", "Date reported", True, ("reported", "reported at", "date opened", "opened")),
        Column("first_contact_at", "First contact", False, ("first contact at", "date contacted", "contacted")),
        Column("closed_at", "Date closed", False, ("closed", "closed at")),
    )
    fields = (
        "category",
        "hate_incident",
        "description",
        "reported_at",
        "first_contact_at",
        "closed_at",
        "contact_due_at",
        "due_rule",
        "contact_on_time",
        "reported_month",
        "contact_month",
    )

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        read = self.read
        get = row.get
        reference, property_ref, stock = self.identity(row, errors)
        category = self.category("ASB category", get("category", ""), errors)
        hate = read.flag("Hate incident", get("hate_incident", ""), errors, default=False)
        reported = read.moment("Date reported", get("reported_at", ""), errors, required=True)
        contact = read.moment("First contact", get("first_contact_at", ""), errors)
        closed = read.moment("Date closed", get("closed_at", ""), errors)
        if reported is not None:
            if contact is not None and contact < reported:
                errors.append(
                    f"First contact: {get('first_contact_at')} is before the case was reported ({get('reported_at')})."
                )
            if closed is not None and closed < reported:
                errors.append(
                    f"Date closed: {get('closed_at')} is before the case was reported ({get('reported_at')})."
                )
        if errors:
            raise RowError(errors)
        description = get("description", "")[:300]
        return self.record(
            reference, property_ref, stock, [category, hate is True, description, reported, contact, closed]
        )

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        category, hate, description, reported, contact, closed = data
        due, rule, on_time = self.deriver.asb_case(category=category, reported_us=reported, first_contact_us=contact)
        return [
            category,
            hate,
            description,
            moment(reported),
            moment(contact),
            moment(closed),
            moment(due),
            rule,
            on_time,
            self.deriver.month(reported),
            self.deriver.month(contact),
        ]


@register
class PlannedVisitImporter(_RecordImporter):
    kind = "planned_visits"
    label = "Planned works visits"
    noun = "planned works visits"
    model = PlannedWorkVisit
    columns = (
        Column("reference", "Visit reference", True, ("visit ref", "visit id", "reference")),
        Column(
            "property_ref", "Property reference", True, ("property ref", "prop ref", "property id", "home", "property")
        ),
        STOCK_COLUMN,
        Column("programme", "Programme", False, ("programme name", "scheme", "works programme")),
        Column("works_start_on", "Works start date", True, ("works start", "start date", "works start on")),
        Column("visited_on", "Date visited", False, ("visited", "visit date", "visited on")),
    )
    fields = ("programme", "works_start_on", "visited_on", "enough_notice")

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        read = self.read
        get = row.get
        reference, property_ref, stock = self.identity(row, errors)
        works_start = read.date("Works start date", get("works_start_on", ""), errors, required=True)
        visited = read.date("Date visited", get("visited_on", ""), errors, future=False)
        if errors:
            raise RowError(errors)
        assert works_start is not None
        programme = get("programme", "")[:120]
        # Worked out here, not when written: whether works have started depends on the day the
        # file is loaded, so it is part of what makes a row changed.
        enough = self.deriver.visit_notice(
            works_start=datetime.date.fromisoformat(works_start),
            visited=datetime.date.fromisoformat(visited) if visited else None,
            today=read.today,
        )
        return self.record(reference, property_ref, stock, [programme, works_start, visited, enough])

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        return list(data)


@register
class HazardImporter(_RecordImporter):
    kind = "hazards"
    label = "HHSRS hazards"
    noun = "hazards"
    model = Hazard
    subject = Subject.HAZARD
    columns = (
        Column("reference", "Hazard reference", True, ("hazard ref", "hazard id", "reference")),
        Column(
            "property_ref", "Property reference", True, ("property ref", "prop ref", "property id", "home", "property")
        ),
        STOCK_COLUMN,
        Column("category", "Category", True, ("hhsrs category", "hazard category")),
        Column("hazard_type", "Hazard type", False, ("hazard", "type")),
        Column("identified_at", "Date identified", True, ("identified", "identified at", "date found")),
        Column("fixed_at", "Date fixed", False, ("fixed", "fixed at", "date remedied")),
    )
    fields = (
        "category",
        "hazard_type",
        "identified_at",
        "fixed_at",
        "due_at",
        "due_rule",
        "on_time",
        "identified_month",
        "fixed_month",
    )

    def prepare(self) -> None:
        super().prepare()
        for code in HHSRS_CATEGORIES:
            self.categories.setdefault(code, code)

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        read = self.read
        get = row.get
        reference, property_ref, stock = self.identity(row, errors)
        category = self.category("Category", get("category", ""), errors)
        identified = read.moment("Date identified", get("identified_at", ""), errors, required=True)
        fixed = read.moment("Date fixed", get("fixed_at", ""), errors)
        if identified is not None and fixed is not None and fixed < identified:
            errors.append(
                f"Date fixed: {get('fixed_at')} is before the hazard was identified ({get('identified_at')})."
            )
        if errors:
            raise RowError(errors)
        hazard_type = get("hazard_type", "")[:120]
        return self.record(reference, property_ref, stock, [category, hazard_type, identified, fixed])

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        category, hazard_type, identified, fixed = data
        due, rule, on_time = self.deriver.hazard(category=category, identified_us=identified, fixed_us=fixed)
        month = self.deriver.month
        return [
            category,
            hazard_type,
            moment(identified),
            moment(fixed),
            moment(due),
            rule,
            on_time,
            month(identified),
            month(fixed),
        ]


@register
class SampleCheckImporter(_RecordImporter):
    """Checks of the promises measured on a sample (post-inspections, mystery shops, questions in
    a satisfaction survey): one row a check of one promise, passed or not."""

    kind = "sample_checks"
    label = "Sample checks (post-inspections, mystery shopping, survey answers)"
    noun = "sample checks"
    model = SampleCheck
    property_required = False
    columns = (
        Column("reference", "Check reference", True, ("check ref", "check id", "reference", "response id")),
        Column(
            "property_ref",
            "Property reference",
            False,
            ("property ref", "prop ref", "property id", "home", "property"),
            "The home the checked work was done at, if any: the check then counts in that home's area.",
        ),
        STOCK_COLUMN,
        Column(
            "measure",
            "Standard checked",
            True,
            ("measure", "measure code", "standard", "check", "question"),
            "The code or name of a local offer measure measured on a sample, for example rep-tidy.",
        ),
        Column("checked_on", "Date checked", True, ("checked", "date", "checked on", "inspection date")),
        Column("passed", "Result", True, ("passed", "met", "outcome", "standard met"), "Y if the promise was kept."),
        Column("method", "How checked", False, ("method", "check type", "source")),
    )
    fields = ("measure", "checked_on", "passed", "method")

    def prepare(self) -> None:
        if self._ready:
            return
        super().prepare()
        sampled = Measure.objects.filter(organisation=self.organisation, kind=Measure.Kind.SAMPLE)
        found = list(sampled.order_by("code").values_list("pk", "code", "name"))
        by_name: dict[str, list[str]] = {}
        for _, code, name in found:
            by_name.setdefault(name.strip().lower(), []).append(code)
        # A name is enough when only one such measure has it (repairs and planned works both
        # promise "Work area left clean and tidy"); a code always is.
        self.measures: dict[str, int] = {}
        for pk, _, name in found:
            if len(by_name[name.strip().lower()]) == 1:
                self.measures[name.strip().lower()] = pk
        for pk, code, _ in found:
            self.measures[code.lower()] = pk
        self.shared_names = {name: codes for name, codes in by_name.items() if len(codes) > 1}
        self.measure_codes = [code for _, code, _ in found]

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        read = self.read
        get = row.get
        reference, property_ref, stock = self.identity(row, errors)
        text = get("measure", "")
        measure = self.measures.get(text.strip().lower())
        shared = self.shared_names.get(text.strip().lower())
        if shared:
            errors.append(
                f"Standard checked: more than one measure is called “{text}”. Use its code: {' or '.join(shared)}."
            )
        elif measure is None:
            codes = ", ".join(self.measure_codes) or "none yet: add one to your local offer first"
            shown = f"“{text}” is not" if text else "missing. Give"
            errors.append(
                f"Standard checked: {shown} a measure of your local offer checked on a sample. Use one of: {codes}."
            )
        checked = read.date("Date checked", get("checked_on", ""), errors, required=True, future=False)
        passed = read.flag("Result", get("passed", ""), errors)
        if passed is None and get("passed", "") == "":
            errors.append("Result: missing. Use Y if the promise was kept, N if not.")
        if errors:
            raise RowError(errors)
        return self.record(reference, property_ref, stock, [measure, checked, passed, get("method", "")[:60]])

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        return list(data)


@register
class NeighbourhoodVisitImporter(_RecordImporter):
    """Housing officers' visits to neighbourhoods: one row a visit."""

    kind = "neighbourhood_visits"
    label = "Neighbourhood visits"
    noun = "neighbourhood visits"
    model = NeighbourhoodVisit
    property_required = False
    columns = (
        Column("reference", "Visit reference", True, ("visit ref", "visit id", "reference", "patrol reference")),
        Column(
            "neighbourhood",
            "Neighbourhood",
            True,
            ("neighbourhood name", "patch", "beat"),
            "The name of one of your neighbourhoods, as in your list of areas.",
        ),
        Column("visited_on", "Date visited", True, ("visited", "date", "visit date", "visited on")),
        Column("officer", "Officer", False, ("housing officer", "visited by", "staff")),
    )
    fields = ("neighbourhood", "visited_on", "officer")

    def prepare(self) -> None:
        if self._ready:
            return
        super().prepare()
        found = neighbourhoods(organisation=self.organisation)
        self.neighbourhoods = {name.strip().lower(): (pk, area) for pk, (name, area) in found.items()}
        self.neighbourhood_names = sorted(name for name, _ in found.values())

    def clean_row(self, row: dict[str, str]) -> list[Any]:
        errors: list[str] = []
        get = row.get
        reference, _, stock = self.identity(row, errors)
        text = get("neighbourhood", "")
        found = self.neighbourhoods.get(text.strip().lower())
        if found is None:
            names = ", ".join(self.neighbourhood_names[:12]) + ("…" if len(self.neighbourhood_names) > 12 else "")
            known = f"Use one of: {names}." if names else "You have none yet: add them to your areas first."
            shown = f"“{text}” is not one of your neighbourhoods." if text else "missing."
            errors.append(f"Neighbourhood: {shown} {known}")
        visited = self.read.date("Date visited", get("visited_on", ""), errors, required=True, future=False)
        if errors or found is None:
            raise RowError(errors)
        neighbourhood, area = found
        data = [neighbourhood, visited, get("officer", "")[:120]]
        return [reference, None, area, _digest((reference, None, area, stock, *data)), stock, *data]

    def values(self, data: list[Any], moment: Callable[[int | None], str | None]) -> list[Any]:
        return list(data)


# --- Counts --------------------------------------------------------------------------------------


class _CountImporter(Importer):
    """Small files of counts, upserted on their natural key with the ORM."""

    model: ClassVar[type[Model]]
    key_fields: ClassVar[tuple[str, ...]]
    value_fields: ClassVar[tuple[str, ...]]
    permission = "performance.import"

    def finish(self, counts: CommitCounts) -> None:
        if counts.created or counts.updated:
            refresh_after_import(self.organisation.pk)

    def prepare(self) -> None:
        self.read = _Reader(LocalTime(LONDON), _now())

    def row_key(self, row: dict[str, Any]) -> Any:
        return tuple(row[f] for f in self.key_fields)

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        existing = {
            tuple(str(getattr(obj, f)) for f in self.key_fields): obj
            for obj in self.model._base_manager.filter(organisation=self.organisation)
        }
        counts = CommitCounts()
        new: list[Model] = []
        changed: list[Model] = []
        for row in rows:
            key = tuple(str(row[f]) for f in self.key_fields)
            obj = existing.get(key)
            values = {f: row[f] for f in self.value_fields}
            batch = {"import_batch": self.batch} if self.batch is not None else {}
            if obj is None:
                counts.created += 1
                new.append(
                    self.model(
                        organisation=self.organisation, **{f: row[f] for f in self.key_fields}, **values, **batch
                    )
                )
            elif any(getattr(obj, f) != v for f, v in values.items()):
                counts.updated += 1
                for f, v in {**values, **batch}.items():
                    setattr(obj, f, v)
                changed.append(obj)
            else:
                counts.unchanged += 1
        if not dry_run:
            self.model._base_manager.bulk_create(new)
            self.model._base_manager.bulk_update(changed, [*self.value_fields, "import_batch"])
        return counts


_ITEMS = {
    **{item.value: item.value for item in StockCount.Item},
    **{item.label.split(" ", 1)[0].lower(): item.value for item in StockCount.Item},
    "homes owned": StockCount.Item.HOMES.value,
    "gas": StockCount.Item.GAS.value,
    "fire": StockCount.Item.FIRE.value,
    "asbestos": StockCount.Item.ASBESTOS.value,
    "legionella": StockCount.Item.WATER.value,
    "water": StockCount.Item.WATER.value,
    "lifts": StockCount.Item.LIFTS.value,
}


@register
class StockCountImporter(_CountImporter):
    kind = "stock_counts"
    label = "Stock and building-safety counts"
    noun = "counts"
    model = StockCount
    key_fields = ("as_at", "item", "stock")
    value_fields = ("total", "count")
    key_field = "as_at"
    columns = (
        Column("as_at", "As at", True, ("as at date", "date")),
        Column("item", "Item", True, ("measure", "check")),
        Column("stock", "Stock", False, ("stock type", "tenure")),
        Column("total", "Total", True, ("needed", "denominator")),
        Column("count", "Count", False, ("had", "numerator", "number")),
    )

    def key_label(self) -> str:
        return "As at, item and stock"

    def clean_row(self, row: dict[str, str]) -> dict[str, Any]:
        errors: list[str] = []
        read = self.read
        as_at = read.date("As at", row.get("as_at", ""), errors, required=True, future=False)
        raw_item = row.get("item", "")
        item = _ITEMS.get(raw_item.strip().lower())
        if item is None:
            known = ", ".join(i.value for i in StockCount.Item)
            errors.append(f"Item: “{raw_item}” is not a count we know. Use one of: {known}.")
        stock = _stock(row.get("stock", ""), errors)
        total = read.count("Total", row.get("total", ""), errors)
        count = read.count("Count", row.get("count", ""), errors, required=item != StockCount.Item.HOMES)
        if item == StockCount.Item.HOMES and count is None:
            count = total
        if total is not None and count is not None and count > total:
            errors.append(f"Count: {count:,} is more than the total ({total:,}).")
        if errors:
            raise RowError(errors)
        return {"as_at": as_at, "item": item, "stock": stock, "total": total, "count": count}

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        for row in rows:
            if isinstance(row["as_at"], str):
                row["as_at"] = datetime.date.fromisoformat(row["as_at"])
        return super().commit_chunk(rows, dry_run=dry_run)


_YEAR = re.compile(r"^(\d{4})(?:\s*[/-]\s*\d{2,4})?$")


@register
class ComplaintCountImporter(_CountImporter):
    kind = "complaint_counts"
    label = "Complaint counts"
    noun = "counts"
    model = ComplaintCount
    key_fields = ("year_starting", "stock", "stage")
    value_fields = ("received", "answered", "in_time", "in_time_extended")
    key_field = "year_starting"
    columns = (
        Column("year_starting", "Year starting", True, ("year", "reporting year")),
        Column("stock", "Stock", False, ("stock type", "tenure")),
        Column("stage", "Stage", True, ("complaint stage",)),
        Column("received", "Received", True, ("complaints received",)),
        Column("answered", "Answered", True, ("responded", "responded to")),
        Column("in_time", "In time", True, ("within timescale", "answered in time")),
        Column("in_time_extended", "In time with extension", False, ("in time extended", "with extension")),
    )

    def key_label(self) -> str:
        return "Year, stock and stage"

    def clean_row(self, row: dict[str, str]) -> dict[str, Any]:
        errors: list[str] = []
        read = self.read
        raw_year = row.get("year_starting", "")
        match = _YEAR.match(raw_year.strip())
        year = int(match.group(1)) if match else None
        if year is None or not 2000 <= year <= 2100:
            errors.append(f"Year starting: “{raw_year}” should be the year the reporting year starts, e.g. 2025.")
        stock = _stock(row.get("stock", ""), errors)
        raw_stage = row.get("stage", "")
        stage_text = re.sub(r"(?i)^stage\s*", "", raw_stage.strip())
        stage = int(stage_text) if stage_text in ("1", "2") else None
        if stage is None:
            errors.append(f"Stage: “{raw_stage}” should be 1 or 2.")
        received = read.count("Received", row.get("received", ""), errors)
        answered = read.count("Answered", row.get("answered", ""), errors)
        in_time = read.count("In time", row.get("in_time", ""), errors)
        extended = read.count("In time with extension", row.get("in_time_extended", ""), errors, required=False) or 0
        if answered is not None and in_time is not None and in_time + extended > answered:
            errors.append(
                f"In time: {in_time:,} in time and {extended:,} with an extension is more than the "
                f"{answered:,} answered."
            )
        if errors:
            raise RowError(errors)
        return {
            "year_starting": year,
            "stock": stock,
            "stage": stage,
            "received": received,
            "answered": answered,
            "in_time": in_time,
            "in_time_extended": extended,
        }


__all__ = [
    "AsbCaseImporter",
    "ComplaintCountImporter",
    "HazardImporter",
    "PlannedVisitImporter",
    "RepairJobImporter",
    "StockCountImporter",
    "from_us",
]
