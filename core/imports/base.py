from __future__ import annotations

import re
from collections.abc import Sequence
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


class Importer:
    """Subclass and `register()` one per kind of data."""

    kind: ClassVar[str]
    label: ClassVar[str]
    columns: ClassVar[Sequence[Column]]
    row_form: ClassVar[type[forms.Form]]
    key_field: ClassVar[str]
    chunk_size: ClassVar[int] = 2000

    def __init__(self, *, organisation: Any, actor: Any, batch: Any | None = None) -> None:
        self.organisation = organisation
        self.actor = actor
        self.batch = batch

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        raise NotImplementedError


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


def normalise_header(value: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", value.lower())
