"""The one import pipeline: file → mapped columns → one form per row → preview with every
error → commit in one transaction (or the valid rows only, on request) → rejected rows download.

An importer (residents today; repairs, ASB cases and complaints later) declares its columns,
a Django form that cleans one row, a key that identifies a row, and a `commit` that upserts a
chunk of cleaned rows. Everything else (reading CSV/XLSX, mapping, errors, counting, the
management command and the web pages) is shared.
"""

from __future__ import annotations

from core.imports.base import Column, CommitCounts, Importer, get_importer, register
from core.imports.pipeline import (
    ImportError_,
    batch_check,
    batch_commit,
    batch_create,
    batch_set_mapping,
    rejected_rows_csv,
    suggest_mapping,
)

__all__ = [
    "Column",
    "CommitCounts",
    "ImportError_",
    "Importer",
    "batch_check",
    "batch_commit",
    "batch_create",
    "batch_set_mapping",
    "get_importer",
    "register",
    "rejected_rows_csv",
    "suggest_mapping",
]
