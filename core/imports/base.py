from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django import forms


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    required: bool = False
    aliases: tuple[str, ...] = ()
    help: str = ""


@dataclass
class CommitCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notes: list[str] = field(default_factory=list)

    def add(self, other: CommitCounts) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.notes.extend(other.notes)


class RowError(Exception):
    """Raised by an importer's `clean_row` with every reason a row cannot be imported."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


class Importer:
    """Subclass and `register()` one per kind of data.

    A row is cleaned in one of two ways. Either `row_form`, a Django form bound to each row (its
    cleaned values may be dates, decimals and so on), or, when `row_form` is None, the importer's
    own `clean_row`: plain Python that takes {column name: text} and returns a dict or list of
    JSON-ready values (str, int, float, bool, None) or raises RowError with every reason. The second is
    several times faster, for files of a million rows."""

    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    row_form: ClassVar[type[forms.Form] | None] = None
    key_field: ClassVar[str]
    chunk_size: ClassVar[int] = 2000
    # The policy action (core.permissions) a person needs to import this kind of file.
    permission: ClassVar[str] = "resident.import"
    # What the preview counts, as in "12 new residents".
    noun: ClassVar[str] = "records"

    def __init__(self, *, organisation: Any, actor: Any, batch: Any | None = None) -> None:
        self.organisation = organisation
        self.actor = actor
        self.batch = batch

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def prepare(self) -> None:
        """Called once before the rows are cleaned: read what every row is checked against."""

    def clean_row(self, row: dict[str, str]) -> Any:
        """{column name: text} to a JSON-ready dict or list (what commit_chunk is given)."""
        raise NotImplementedError

    def finish(self, counts: CommitCounts) -> None:
        """After the last chunk is written, in the same transaction (e.g. refresh statistics)."""

    def summary_notes(self) -> list[str]:
        """After the check: what is worth knowing that is not an error, for the preview."""
        return []

    def all_new(self) -> bool:
        """Whether every clean row would be new, because nothing of this kind is stored for the
        organisation yet; then a check in parts counts the other parts' rows as new without
        reading them back for a dry run. Called after prepare."""
        return False

    def check_state(self) -> Any:
        """What the check learnt that summary_notes reports (picklable). A big file is checked in
        parts by forked processes (core.imports.checking); each sends this back, and the importer
        that checked the first part takes the others' with absorb_check_state."""
        return None

    def absorb_check_state(self, state: Any) -> None:
        """Add what check_state gave for a later part of the file."""

    def row_key(self, row: Any) -> Any:
        """What identifies a row, so the same record twice in one file is reported. JSON-ready."""
        return row[self.key_field]

    def key_label(self) -> str:
        for column in self.columns:
            if column.name == self.key_field:
                return column.label
        return self.key_field

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        raise NotImplementedError

    def commit_checked(
        self, read_chunks: Callable[[], Iterator[list[Any]]], progress: Callable[[int], None] | None
    ) -> CommitCounts:
        """Write every chunk the check kept (read_chunks() reads them from the start, and may be
        called again), in the commit's transaction. An importer may do it another way for a
        big file; this is commit_chunk on each chunk in turn."""
        counts = CommitCounts()
        done = 0
        for chunk in read_chunks():
            counts.add(self.commit_chunk(chunk, dry_run=False))
            done += len(chunk)
            if progress:
                progress(done)
        return counts


_REGISTRY: dict[str, type[Importer]] = {}


def register(importer: type[Importer]) -> type[Importer]:
    _REGISTRY[importer.kind] = importer
    return importer


def get_importer(kind: str) -> type[Importer]:
    try:
        return _REGISTRY[kind]
    except KeyError:
        raise LookupError(f"No importer called {kind!r}. Known: {', '.join(sorted(_REGISTRY))}") from None


def registered() -> dict[str, type[Importer]]:
    return dict(_REGISTRY)


def importable_kinds(user: Any) -> dict[str, type[Importer]]:
    """The kinds of file this person may import, by the policy."""
    from core.permissions import has_permission

    return {kind: imp for kind, imp in sorted(_REGISTRY.items()) if has_permission(user, imp.permission)}


def normalise_header(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", value.lower())
